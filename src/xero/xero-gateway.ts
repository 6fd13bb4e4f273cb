// The XeroGateway on xero-node: one XeroClient per call, built from the token set the caller
// holds, so no token lives in this object and several processes can share one store. Every call
// runs under withEndpoints (URLs and a timeout, `timeoutMs` per HTTP call) and fails only with a
// XeroError. Rate-limit headroom: every Accounting API result carries it where the contract says
// so, and the optional `onHeadroom(tenantId, headroom)` hears it after EVERY Accounting API answer
// that carried the headers (reads, sends, 429s and validation refusals alike), for a rate limiter.
import { ObjectSerializer, XeroClient, type AccountingApi, type BankTransaction, type Contact, type CreditNote, type Invoice, type Payment, type TokenSet } from 'xero-node';
import type { XeroConfig } from '../config.ts';
import {
  XeroError,
  type XeroAccountInfo,
  type XeroContactState,
  type XeroDocumentQuery,
  type XeroDocumentRef,
  type XeroDocumentToSend,
  type XeroGateway,
  type XeroHeadroomObserver,
  type XeroTaxRateInfo,
  type XeroIdentity,
  type XeroOrganisation,
  type XeroRateHeadroom,
  type XeroTenantConnection,
  type XeroTokenSet,
} from '../support/xero-gateway.ts';
import { accountingBasePath, buildIssuer, withEndpoints, withHttpTimeout, type XeroEndpoints } from './xero-endpoints.ts';
import { readHeadroom, toXeroError } from './xero-errors.ts';
import { xeroScopes } from './xero-scopes.ts';
import { bankTransactionRef, bestMatch, contactRef, contactState, creditNoteRef, invoiceRef, paymentRef, toXeroModel, whereText, ymd } from './xero-documents.ts';
import type { BaseClient } from 'openid-client';

export interface XeroNodeGatewayOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  identityUrl: string;
  apiUrl: string;
  /** Per HTTP call (default 10 s): a stalled Xero fails the call with `timeout` instead of hanging it. */
  timeoutMs?: number;
  scopes?: readonly string[];
  /** Told every Accounting API answer's headroom (429s included), per tenant: the rate limiter's eyes. */
  onHeadroom?: XeroHeadroomObserver;
}

/** The gateway for the configured Xero, or undefined when no client id and secret are set. */
export function createXeroGateway(config: XeroConfig, timeoutMs?: number, onHeadroom?: XeroHeadroomObserver): XeroNodeGateway | undefined {
  if (!config.credentials) return undefined;
  return new XeroNodeGateway({ ...config.credentials, redirectUri: config.redirectUri, identityUrl: config.identityUrl, apiUrl: config.apiUrl, timeoutMs, onHeadroom });
}

interface ConnectionBody {
  id?: string;
  tenantId?: string;
  tenantType?: string;
  tenantName?: string;
  authEventId?: string;
  createdDateUtc?: string;
  updatedDateUtc?: string;
}

// Xero writes connection times without a zone; they are UTC.
function utcDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export class XeroNodeGateway implements XeroGateway {
  private readonly options: XeroNodeGatewayOptions;
  private readonly endpoints: XeroEndpoints;
  private readonly openIdClient: BaseClient;

  constructor(options: XeroNodeGatewayOptions) {
    this.options = options;
    this.endpoints = { identityUrl: options.identityUrl, apiUrl: options.apiUrl, timeoutMs: options.timeoutMs ?? 10_000 };
    const issuer = buildIssuer(this.endpoints);
    // Shared by the calls: it caches Xero's signing keys, and holds no tokens.
    this.openIdClient = new issuer.Client({ client_id: options.clientId, client_secret: options.clientSecret, redirect_uris: [options.redirectUri], response_types: ['code'] });
    withHttpTimeout(this.openIdClient, this.endpoints);
  }

  private client(state?: string, tokens?: XeroTokenSet): XeroClient {
    const client = new XeroClient({
      clientId: this.options.clientId,
      clientSecret: this.options.clientSecret,
      redirectUris: [this.options.redirectUri],
      scopes: [...(this.options.scopes ?? xeroScopes)],
      state,
    });
    client.openIdClient = this.openIdClient;
    client.accountingApi.basePath = accountingBasePath(this.endpoints);
    if (tokens) {
      client.setTokenSet({
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        id_token: tokens.idToken,
        expires_at: Math.floor(tokens.expiresAt.getTime() / 1000),
        token_type: 'Bearer',
        scope: tokens.scopes.join(' '),
      });
    }
    return client;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await withEndpoints(this.endpoints, run);
    } catch (error) {
      throw toXeroError(error, what);
    }
  }

  consentUrl(state: string): Promise<string> {
    return this.client(state).buildConsentUrl();
  }

  exchangeCode(input: { code: string; state: string }): Promise<XeroTokenSet> {
    const callback = new URL(this.options.redirectUri);
    callback.searchParams.set('code', input.code);
    callback.searchParams.set('state', input.state);
    return this.call('code exchange', async () => toTokenSet(await this.client(input.state).apiCallback(callback.toString())));
  }

  refresh(tokens: XeroTokenSet): Promise<XeroTokenSet> {
    return this.call('token refresh', async () => toTokenSet(await this.client(undefined, tokens).refreshToken()));
  }

  listConnections(accessToken: string): Promise<XeroTenantConnection[]> {
    return this.call('GET /connections', async () => {
      const body = (await this.client(undefined, bearerOnly(accessToken)).updateTenants(false)) as ConnectionBody[];
      return body.map((c) => ({
        connectionId: c.id ?? '',
        tenantId: c.tenantId ?? '',
        tenantType: c.tenantType ?? 'ORGANISATION',
        tenantName: c.tenantName ?? '',
        authEventId: c.authEventId,
        createdAt: utcDate(c.createdDateUtc),
        updatedAt: utcDate(c.updatedDateUtc),
      }));
    });
  }

  deleteConnection(accessToken: string, connectionId: string): Promise<void> {
    return this.call(`DELETE /connections/${connectionId}`, async () => {
      await this.client(undefined, bearerOnly(accessToken)).disconnect(connectionId);
    });
  }

  revokeToken(tokens: XeroTokenSet): Promise<void> {
    return this.call('token revocation', async () => {
      await this.client(undefined, tokens).revokeToken();
    });
  }

  getOrganisation(accessToken: string, tenantId: string): Promise<{ organisation: XeroOrganisation; headroom: XeroRateHeadroom }> {
    return this.accounting(accessToken, tenantId, 'GET Organisation', (api) => api.getOrganisations(tenantId)).then(({ body, headroom }) => {
      const org = body.organisations?.[0];
      if (!org?.organisationID) throw new XeroError('unexpected_response', 'Xero answered GET Organisation without an organisation', { status: 200 });
      return {
        organisation: {
          organisationId: org.organisationID,
          name: org.name ?? '',
          legalName: org.legalName,
          status: org.organisationStatus,
          subscriptionClass: org._class === undefined ? undefined : String(org._class),
          countryCode: org.countryCode === undefined ? undefined : String(org.countryCode),
          baseCurrency: org.baseCurrency === undefined ? undefined : String(org.baseCurrency),
          isDemoCompany: org.isDemoCompany ?? false,
          periodLockDate: ymd(org.periodLockDate),
          endOfYearLockDate: ymd(org.endOfYearLockDate),
        },
        headroom,
      };
    });
  }

  /**
   * One Accounting API call for a tenant: run under the endpoints and timeout, errors normalised,
   * and the headroom Xero reported (on success or refusal) read once and told to `onHeadroom`.
   */
  private async accounting<B>(accessToken: string, tenantId: string, what: string, run: (api: AccountingApi) => Promise<{ response: { headers: unknown }; body: B }>): Promise<{ body: B; headroom: XeroRateHeadroom }> {
    const api = this.client(undefined, bearerOnly(accessToken)).accountingApi;
    try {
      const { response, body } = await withEndpoints(this.endpoints, () => run(api));
      const headroom = readHeadroom(response.headers as Record<string, unknown>);
      this.observe(tenantId, headroom);
      return { body, headroom };
    } catch (error) {
      const failure = toXeroError(error, what);
      if (failure.details.headroom) this.observe(tenantId, failure.details.headroom);
      throw failure;
    }
  }

  private observe(tenantId: string, headroom: XeroRateHeadroom): void {
    if (!this.options.onHeadroom) return;
    if (headroom.minuteRemaining === undefined && headroom.dayRemaining === undefined && headroom.appMinuteRemaining === undefined) return;
    try {
      this.options.onHeadroom(tenantId, headroom);
    } catch {
      // An observer's failure must not turn a Xero call that worked into one that failed.
    }
  }

  sendDocument(accessToken: string, tenantId: string, input: XeroDocumentToSend): Promise<{ document: XeroDocumentRef; headroom: XeroRateHeadroom }> {
    const { kind, idempotencyKey: key } = input;
    if (!key || key.length > 128) return Promise.reject(new XeroError('validation', `The Idempotency-Key must be 1 to 128 characters (got ${key.length})`, { messages: ['Idempotency-Key must be 1 to 128 characters'] }));
    let model: ReturnType<typeof toXeroModel>;
    try {
      model = toXeroModel(kind, input.payload);
    } catch (error) {
      return Promise.reject(error instanceof XeroError ? error : toXeroError(error, `sending a ${kind}`));
    }
    const what = `PUT ${kind}`;
    const first = <T>(items: T[] | undefined): T => {
      const [item] = items ?? [];
      if (!item) throw new XeroError('unexpected_response', `Xero answered ${what} without the document`);
      const errors = (item as { validationErrors?: Array<{ message?: string }> }).validationErrors ?? [];
      if ((item as { hasErrors?: boolean }).hasErrors || errors.length) {
        const messages = errors.map((e) => e.message ?? '').filter(Boolean);
        throw new XeroError('validation', `Xero rejected ${what}: ${messages.join('; ')}`, { messages });
      }
      return item;
    };
    // Each create call takes the key at its own position: 5th for invoices, credit notes and bank transactions, 4th for payments and contacts.
    return this.accounting(accessToken, tenantId, what, (api) => {
      switch (kind) {
        case 'invoice':
        case 'bill':
          return api.createInvoices(tenantId, { invoices: [model as Invoice] }, undefined, undefined, key);
        case 'credit_note':
          return api.createCreditNotes(tenantId, { creditNotes: [model as CreditNote] }, undefined, undefined, key);
        case 'bank_transaction':
          return api.createBankTransactions(tenantId, { bankTransactions: [model as BankTransaction] }, undefined, undefined, key);
        case 'payment':
          return api.createPayments(tenantId, { payments: [model as Payment] }, undefined, key);
        case 'contact':
          return api.createContacts(tenantId, { contacts: [model as Contact] }, undefined, key);
      }
    }).then(({ body, headroom }) => {
      const b = body as { invoices?: Invoice[]; creditNotes?: CreditNote[]; bankTransactions?: BankTransaction[]; payments?: Payment[]; contacts?: Contact[] };
      const document =
        kind === 'invoice' || kind === 'bill'
          ? invoiceRef(kind, first(b.invoices))
          : kind === 'credit_note'
            ? creditNoteRef(first(b.creditNotes))
            : kind === 'bank_transaction'
              ? bankTransactionRef(first(b.bankTransactions))
              : kind === 'payment'
                ? paymentRef(first(b.payments))
                : contactRef(first(b.contacts));
      return { document, headroom };
    });
  }

  async findDocument(accessToken: string, tenantId: string, query: XeroDocumentQuery): Promise<XeroDocumentRef | null> {
    const { kind, number, reference } = query;
    if (!number && !reference) throw new XeroError('validation', 'findDocument needs a number or a reference', { messages: ['findDocument needs a number or a reference'] });
    const by = (field: string, value: string) => `${field}==${whereText(value)}`;
    const what = `GET ${kind} by ${number ? `number ${number}` : `reference ${reference}`}`;
    const call = <B>(run: (api: AccountingApi) => Promise<{ response: { headers: unknown }; body: B }>) => this.accounting(accessToken, tenantId, what, run).then((r) => r.body);
    let refs: XeroDocumentRef[];
    switch (kind) {
      case 'invoice':
      case 'bill': {
        const type = `Type==${whereText(kind === 'invoice' ? 'ACCREC' : 'ACCPAY')}`;
        const where = number ? type : `${type} AND ${by('Reference', reference!)}`;
        const body = await call((api) => api.getInvoices(tenantId, undefined, where, undefined, undefined, number ? [number] : undefined));
        refs = (body.invoices ?? []).map((i) => invoiceRef(kind, i));
        break;
      }
      case 'credit_note': {
        const body = await call((api) => api.getCreditNotes(tenantId, undefined, number ? by('CreditNoteNumber', number) : by('Reference', reference!)));
        refs = (body.creditNotes ?? []).map(creditNoteRef);
        break;
      }
      case 'payment': {
        if (!reference) throw new XeroError('validation', 'Payments have no number: look them up by reference', { messages: ['Payments have no number: look them up by reference'] });
        const body = await call((api) => api.getPayments(tenantId, undefined, by('Reference', reference)));
        refs = (body.payments ?? []).map(paymentRef);
        break;
      }
      case 'bank_transaction': {
        if (!reference) throw new XeroError('validation', 'Bank transactions have no number: look them up by reference', { messages: ['Bank transactions have no number: look them up by reference'] });
        const body = await call((api) => api.getBankTransactions(tenantId, undefined, by('Reference', reference)));
        refs = (body.bankTransactions ?? []).map(bankTransactionRef);
        break;
      }
      case 'contact': {
        const body = await call((api) => api.getContacts(tenantId, undefined, number ? by('ContactNumber', number) : by('Name', reference!), undefined, undefined, undefined, true));
        refs = (body.contacts ?? []).map(contactRef);
        break;
      }
    }
    return bestMatch(refs, query);
  }

  async findContact(accessToken: string, tenantId: string, query: { contactId?: string; name?: string }): Promise<XeroContactState | null> {
    if (!query.contactId && !query.name) throw new XeroError('validation', 'findContact needs a contact id or a name', { messages: ['findContact needs a contact id or a name'] });
    const what = `GET contact ${query.contactId ?? query.name}`;
    const { body } = await this.accounting(accessToken, tenantId, what, (api) =>
      query.contactId ? api.getContacts(tenantId, undefined, undefined, undefined, [query.contactId], undefined, true) : api.getContacts(tenantId, undefined, `Name==${whereText(query.name!)}`, undefined, undefined, undefined, true),
    );
    const [contact] = body.contacts ?? [];
    return contact ? contactState(contact) : null;
  }

  async restoreContact(accessToken: string, tenantId: string, contactId: string): Promise<XeroContactState> {
    const restored = ObjectSerializer.deserialize({ ContactID: contactId, ContactStatus: 'ACTIVE' }, 'Contact') as Contact;
    const { body } = await this.accounting(accessToken, tenantId, `POST contact ${contactId} (restore)`, (api) => api.updateContact(tenantId, contactId, { contacts: [restored] }));
    const [contact] = body.contacts ?? [];
    if (!contact) throw new XeroError('unexpected_response', `Xero answered the restore of contact ${contactId} without the contact`);
    return contactState(contact);
  }

  async listAccounts(accessToken: string, tenantId: string): Promise<XeroAccountInfo[]> {
    const { body } = await this.accounting(accessToken, tenantId, 'GET Accounts', (api) => api.getAccounts(tenantId));
    return (body.accounts ?? []).map((a) => ({
      accountId: a.accountID ?? '',
      code: a.code || undefined,
      name: a.name ?? '',
      type: String(a.type ?? ''),
      accountClass: a._class === undefined ? undefined : String(a._class),
      status: String(a.status ?? 'ACTIVE'),
      taxType: a.taxType || undefined,
    }));
  }

  async listTaxRates(accessToken: string, tenantId: string): Promise<XeroTaxRateInfo[]> {
    const { body } = await this.accounting(accessToken, tenantId, 'GET TaxRates', (api) => api.getTaxRates(tenantId));
    return (body.taxRates ?? []).map((r) => ({
      taxType: r.taxType ?? '',
      name: r.name ?? '',
      status: String(r.status ?? 'ACTIVE'),
      canApplyTo: { assets: r.canApplyToAssets ?? false, equity: r.canApplyToEquity ?? false, expenses: r.canApplyToExpenses ?? false, liabilities: r.canApplyToLiabilities ?? false, revenue: r.canApplyToRevenue ?? false },
    }));
  }

  async listCurrencies(accessToken: string, tenantId: string): Promise<string[]> {
    const { body } = await this.accounting(accessToken, tenantId, 'GET Currencies', (api) => api.getCurrencies(tenantId));
    return (body.currencies ?? []).map((c) => String(c.code ?? '')).filter(Boolean);
  }

  identityOf(tokens: XeroTokenSet): XeroIdentity {
    const claims = decodeJwtPayload(tokens.idToken);
    const name = [claims.given_name, claims.family_name].filter((p) => typeof p === 'string' && p).join(' ');
    return {
      userId: typeof claims.xero_userid === 'string' ? claims.xero_userid : typeof claims.sub === 'string' ? claims.sub : undefined,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      name: name || undefined,
    };
  }
}

/** API calls only need the access token; the rest of the set stays with its owner. */
function bearerOnly(accessToken: string): XeroTokenSet {
  return { accessToken, refreshToken: '', idToken: undefined, expiresAt: new Date(0), scopes: [] };
}

function toTokenSet(set: TokenSet): XeroTokenSet {
  if (!set.access_token || !set.refresh_token) throw new XeroError('unexpected_response', 'Xero answered without an access and refresh token (is offline_access among the scopes?)');
  const expiresAt = set.expires_at ? new Date(set.expires_at * 1000) : new Date(Date.now() + 30 * 60_000);
  return { accessToken: set.access_token, refreshToken: set.refresh_token, idToken: set.id_token, expiresAt, scopes: (set.scope ?? '').split(' ').filter(Boolean) };
}

function decodeJwtPayload(jwt: string | undefined): Record<string, unknown> {
  const payload = jwt?.split('.')[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
