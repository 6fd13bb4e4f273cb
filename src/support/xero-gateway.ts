// What the use-cases need from Xero, in plain records: no SDK type crosses this line. The
// xero-node adapter (src/xero/) implements it; token sets are plain values so the database can
// store one per authorization, encrypted, and hand it back.

/** One OAuth authorization: it covers every organisation the user picked at consent. */
export interface XeroTokenSet {
  accessToken: string;
  refreshToken: string;
  /** Present when the openid scope was granted. */
  idToken: string | undefined;
  /** When the access token stops working (Xero: 30 minutes after issue). */
  expiresAt: Date;
  scopes: string[];
}

/** A tenant listed by GET /connections for the token set's user. */
export interface XeroTenantConnection {
  /** Xero's connection id, what DELETE /connections/{id} takes. */
  connectionId: string;
  tenantId: string;
  tenantType: string;
  tenantName: string;
  /** Shared by the tenants authorised in one consent. */
  authEventId: string | undefined;
  createdAt: Date | undefined;
  updatedAt: Date | undefined;
}

export interface XeroOrganisation {
  organisationId: string;
  name: string;
  legalName: string | undefined;
  /** Xero's OrganisationStatus, e.g. ACTIVE. */
  status: string | undefined;
  /** Xero's subscription class: DEMO, TRIAL, STARTER, STANDARD, PREMIUM... */
  subscriptionClass: string | undefined;
  countryCode: string | undefined;
  baseCurrency: string | undefined;
  isDemoCompany: boolean;
  /** Nothing dated on or before it can be created (YYYY-MM-DD); undefined when not set. */
  periodLockDate: string | undefined;
  /** Like periodLockDate, for advisers: it binds everyone. */
  endOfYearLockDate: string | undefined;
}

/** Calls left before Xero answers 429; undefined when Xero did not say. */
export interface XeroRateHeadroom {
  minuteRemaining: number | undefined;
  dayRemaining: number | undefined;
  appMinuteRemaining: number | undefined;
}

export interface XeroIdentity {
  /** The Xero user who consented (the id_token's subject). */
  userId: string | undefined;
  email: string | undefined;
  name: string | undefined;
}

/** The kinds of document a finance product exports to Xero (a bill is an ACCPAY invoice). */
export type XeroDocumentKind = 'invoice' | 'bill' | 'credit_note' | 'payment' | 'bank_transaction' | 'contact';

/** A document as Xero holds it. */
export interface XeroDocumentRef {
  kind: XeroDocumentKind;
  /** InvoiceID, CreditNoteID, PaymentID, BankTransactionID or ContactID. */
  xeroId: string;
  /** InvoiceNumber / CreditNoteNumber; undefined for kinds without one. */
  number: string | undefined;
  /** Reference (a contact's Name). */
  reference: string | undefined;
  /** Xero's status: DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED, DELETED, ACTIVE, ARCHIVED... */
  status: string | undefined;
  /** YYYY-MM-DD */
  date: string | undefined;
}

export interface XeroContactState {
  contactId: string;
  name: string;
  /** ACTIVE, ARCHIVED or GDPRREQUEST */
  status: string;
}

export interface XeroAccountInfo {
  accountId: string;
  code: string | undefined;
  name: string;
  /** Xero's account type: REVENUE, SALES, EXPENSE, BANK, CURRENT... */
  type: string;
  /** ASSET, EQUITY, EXPENSE, LIABILITY or REVENUE */
  accountClass: string | undefined;
  /** ACTIVE or ARCHIVED */
  status: string;
  /** The account's default tax type. */
  taxType: string | undefined;
}

export interface XeroTaxRateInfo {
  taxType: string;
  name: string;
  /** ACTIVE, DELETED, ARCHIVED or PENDING */
  status: string;
  /** The account classes this rate may be used with. */
  canApplyTo: { assets: boolean; equity: boolean; expenses: boolean; liabilities: boolean; revenue: boolean };
}

/** What sending a document needs; `payload` is Xero's own JSON for ONE document (PascalCase). */
export interface XeroDocumentToSend {
  kind: XeroDocumentKind;
  payload: unknown;
  /** Sent as Idempotency-Key (at most 128 characters): stable per failure and payload. */
  idempotencyKey: string;
}

export interface XeroDocumentQuery {
  kind: XeroDocumentKind;
  number?: string;
  reference?: string;
}

/**
 * Told the tenant's headroom after every Accounting API answer that carried the headers (429s
 * included), so a rate limiter can steer the pace without wrapping each call.
 */
export type XeroHeadroomObserver = (tenantId: string, headroom: XeroRateHeadroom) => void;

export interface XeroGateway {
  /** Xero's consent page for a fresh authorization; `state` comes back on the callback unchanged. */
  consentUrl(state: string): Promise<string>;
  /** Trades the callback's code for a token set. The caller has already checked `state`. */
  exchangeCode(input: { code: string; state: string }): Promise<XeroTokenSet>;
  /** Rotates the refresh token: the returned set replaces the stored one before anything uses it. */
  refresh(tokens: XeroTokenSet): Promise<XeroTokenSet>;
  listConnections(accessToken: string): Promise<XeroTenantConnection[]>;
  deleteConnection(accessToken: string, connectionId: string): Promise<void>;
  /** Ends the authorization at Xero (its refresh token, and the connections made with it). */
  revokeToken(tokens: XeroTokenSet): Promise<void>;
  getOrganisation(accessToken: string, tenantId: string): Promise<{ organisation: XeroOrganisation; headroom: XeroRateHeadroom }>;
  /** Who consented, read from the id_token without a call to Xero. */
  identityOf(tokens: XeroTokenSet): XeroIdentity;
  /**
   * Creates the document, as Xero's JSON (PascalCase, as the finance product would send it:
   * { Type, Contact, LineItems, InvoiceNumber, Reference, Date, ... }), with `idempotencyKey` as
   * Idempotency-Key. Fails with XeroError 'validation' (details.messages: every
   * ValidationErrors[].Message), 'rate_limited' (retryAfterMs, problem), 'timeout' (the outcome is
   * unknown: look it up with findDocument before sending again), 'xero_unavailable', ...
   */
  sendDocument(accessToken: string, tenantId: string, input: XeroDocumentToSend): Promise<{ document: XeroDocumentRef; headroom: XeroRateHeadroom }>;
  /** Looks a document up by its number or reference (did an earlier send land?). Null when none matches. */
  findDocument(accessToken: string, tenantId: string, query: XeroDocumentQuery): Promise<XeroDocumentRef | null>;
  findContact(accessToken: string, tenantId: string, query: { contactId?: string; name?: string }): Promise<XeroContactState | null>;
  /** Sets an ARCHIVED contact back to ACTIVE. */
  restoreContact(accessToken: string, tenantId: string, contactId: string): Promise<XeroContactState>;
  listAccounts(accessToken: string, tenantId: string): Promise<XeroAccountInfo[]>;
  listTaxRates(accessToken: string, tenantId: string): Promise<XeroTaxRateInfo[]>;
  /** Currency codes the organisation is subscribed to, its base currency included. */
  listCurrencies(accessToken: string, tenantId: string): Promise<string[]>;
}

export type XeroErrorCode =
  /** invalid_grant on refresh: revoked, aged out or already used. Reconnecting is the only fix. */
  | 'refresh_rejected'
  /** invalid_grant on a code exchange: the code is unknown, used or expired. */
  | 'code_rejected'
  /** Xero refused our client id or secret: a configuration problem, not a user one. */
  | 'client_rejected'
  | 'consent_declined'
  /** The access token is expired, revoked or unknown (HTTP 401). */
  | 'unauthorized'
  | 'forbidden'
  /** The token is fine but the organisation is not (or no longer) connected to it (403). */
  | 'tenant_not_connected'
  | 'not_found'
  | 'rate_limited'
  | 'validation'
  /** 5xx, refused connections or a dropped response. */
  | 'xero_unavailable'
  | 'timeout'
  /** Something Xero should never send us. */
  | 'unexpected_response';

export type RateLimitProblem = 'minute' | 'day' | 'app' | 'concurrent';

export interface XeroErrorDetails {
  /** The HTTP status Xero answered with, if it answered. */
  status?: number;
  /** rate_limited: how long to wait before the next call. */
  retryAfterMs?: number;
  /** rate_limited: which of Xero's limits was hit. */
  problem?: RateLimitProblem;
  /** validation: Xero's messages, for people to read. */
  messages?: string[];
  headroom?: XeroRateHeadroom;
}

/** A failed Xero call, normalised: decisions look at `code` only. Messages never hold tokens. */
export class XeroError extends Error {
  readonly code: XeroErrorCode;
  readonly details: XeroErrorDetails;
  constructor(code: XeroErrorCode, message: string, details: XeroErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'XeroError';
    this.code = code;
    this.details = details;
  }

  /** Worth trying again later with the same token set (as opposed to needing a person). */
  get transient(): boolean {
    return this.code === 'rate_limited' || this.code === 'xero_unavailable' || this.code === 'timeout';
  }
}

export function isXeroError(error: unknown): error is XeroError {
  return error instanceof XeroError;
}
