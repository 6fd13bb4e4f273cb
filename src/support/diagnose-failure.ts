// Live diagnosis of a failed export: for the causes a person can fix in Xero (an archived or
// missing contact, a bad account code, a tax type the account refuses, a lock date, a currency,
// a duplicate number), read what Xero holds NOW and say exactly what to change. When Xero shows
// the cause is gone, the export moves to ready-to-retry by itself; when the "duplicate" is our own
// earlier export that did land, it is recorded as synced with that Xero id instead of re-sent.
// Reference data is read through a short per-organisation cache (xero-reference-cache.ts).
import type { ConnectionAccess } from './connection-access.ts';
import type { FailedSync, FailedSyncStatus, RetryRequestInput } from './records.ts';
import { fail, ok, type Result } from './result.ts';
import { queueFixedFailures, type FixedRetryDeps } from './retry-requests.ts';
import { CallDeferred } from './xero-rate-limits.ts';
import type { ReferenceCache } from './xero-reference-cache.ts';
import {
  isXeroError,
  type XeroAccountInfo,
  type XeroContactState,
  type XeroDocumentKind,
  type XeroDocumentRef,
  type XeroGateway,
  type XeroTaxRateInfo,
} from './xero-gateway.ts';

export type DiagnosisCause = 'contact' | 'account_code' | 'tax_type' | 'period_lock' | 'currency' | 'duplicate_number';

/** The knowledge articles whose cause live Xero data can confirm or clear. */
export const diagnosableArticles: Readonly<Record<string, DiagnosisCause>> = {
  CONTACT_NOT_FOUND: 'contact',
  INVALID_ACCOUNT_CODE: 'account_code',
  INVALID_TAX_RATE: 'tax_type',
  PERIOD_LOCKED: 'period_lock',
  CURRENCY_NOT_ENABLED: 'currency',
  DUPLICATE_NUMBER: 'duplicate_number',
};

export function diagnosisCauseOf(errorCode: string | null): DiagnosisCause | null {
  return (errorCode && diagnosableArticles[errorCode]) || null;
}

/**
 * cause_present: Xero still shows the problem. cause_gone: it no longer does (ready to retry).
 * already_in_xero: the document is there already (recorded as synced). undetermined: the export
 * lacks what is needed to tell (no date, no number...).
 */
export type DiagnosisState = 'cause_present' | 'cause_gone' | 'already_in_xero' | 'undetermined';

export interface AccountSummary {
  code: string;
  name: string;
}

export interface AccountCodeFinding {
  code: string;
  /** The account Xero holds under that code; null when none has it. */
  account: (AccountSummary & { status: string; type: string }) | null;
  problem: 'missing' | 'archived' | 'not_for_this_document' | null;
  /** Active accounts that fit this kind of document, closest first; empty when the code is fine. */
  closest: AccountSummary[];
}

export interface TaxLineFinding {
  accountCode: string | null;
  taxType: string;
  usable: boolean;
  /** The active tax rates Xero allows with that account. */
  allowed: { taxType: string; name: string }[];
}

export type DiagnosisFindings =
  | { cause: 'contact'; lookedUp: { contactId?: string; name?: string }; contact: XeroContactState | null }
  | { cause: 'account_code'; documentType: DocumentAccountUse; codes: AccountCodeFinding[] }
  | { cause: 'tax_type'; lines: TaxLineFinding[] }
  | { cause: 'period_lock'; documentDate: string | null; periodLockDate: string | null; endOfYearLockDate: string | null }
  | { cause: 'currency'; currency: string | null; enabled: string[] }
  | { cause: 'duplicate_number'; number: string | null; existing: XeroDocumentRef | null; sameDocument: boolean };

export interface FailureDiagnosis {
  failedSyncId: string;
  slackTeamId: string;
  /** The export as people know it: the product's reference and its kind. */
  externalReference: string;
  kind: string;
  cause: DiagnosisCause;
  state: DiagnosisState;
  findings: DiagnosisFindings;
  /** What the diagnosis did by itself. */
  action: 'queued_retry' | 'recorded_synced' | 'none';
  /** An archived contact an admin can restore from Slack; null otherwise. */
  restorableContactId: string | null;
  diagnosedAt: Date;
}

export interface DiagnosisStore {
  save(diagnosis: FailureDiagnosis): Promise<void>;
  get(failedSyncId: string): Promise<FailureDiagnosis | null>;
  listByFailedSyncs(ids: readonly string[]): Promise<FailureDiagnosis[]>;
}

export interface DiagnosableFailures {
  get(id: string): Promise<FailedSync | null>;
  /** The export is in Xero already (an earlier send landed): synced with that id. False when a worker holds it or it is done. */
  recordFoundInXero(id: string, xeroId: string, now: Date): Promise<boolean>;
}

export interface DiagnoseDeps {
  failedSyncs: DiagnosableFailures;
  diagnoses: DiagnosisStore;
  access: ConnectionAccess;
  xero: Pick<XeroGateway, 'findContact' | 'listAccounts' | 'listTaxRates' | 'listCurrencies' | 'getOrganisation' | 'findDocument'>;
  cache: ReferenceCache;
  /**
   * Moves a failure whose cause is gone to ready-to-retry, reporting its outcome to `where` (or,
   * when nobody asked, where its last retry was asked from); false when it was not waiting for a
   * fix. The one place the retry queue is entered from here (see readyToRetryThroughQueue).
   */
  readyToRetry(failure: Pick<FailedSync, 'id' | 'slackTeamId'>, where: RetryRequestInput | null): Promise<boolean>;
  now: () => Date;
}

export type DiagnoseError =
  | 'failed_sync_not_found'
  /** The failure's cause is not one live Xero data can tell about. */
  | 'not_diagnosable'
  /** The failure names no connected organisation. */
  | 'no_connection'
  /** Xero refused the connection's tokens or no longer lists the organisation: reconnect. */
  | 'needs_reconnect'
  /** Xero did not answer (outage, timeout, rate limit): try again later. */
  | 'xero_unavailable';

/** Statuses that wait for a person: the ones a diagnosis may move on. */
const waitingStatuses: ReadonlySet<FailedSyncStatus | 'needs_fix'> = new Set(['failed', 'needs_fix']);

/** Ready-to-retry through the retry engine: queued under a new retry request, so its outcome is reported. */
export function readyToRetryThroughQueue(deps: FixedRetryDeps): DiagnoseDeps['readyToRetry'] {
  return async (failure, where) => (await queueFixedFailures(deps, failure.slackTeamId, [failure.id], where)).length === 1;
}

export interface DiagnoseOptions {
  /** Only this workspace's failures. */
  teamId?: string;
  /** Who asked (a press, a command): a retry the diagnosis queues reports there. */
  where?: RetryRequestInput | null;
  /** False: only read and store (after a retry Xero just refused, re-queueing could loop). */
  requeue?: boolean;
}

export async function diagnoseFailure(deps: DiagnoseDeps, failedSyncId: string, options: DiagnoseOptions = {}): Promise<Result<FailureDiagnosis, DiagnoseError>> {
  const failure = await deps.failedSyncs.get(failedSyncId);
  if (!failure || (options.teamId !== undefined && failure.slackTeamId !== options.teamId)) return fail('failed_sync_not_found');
  const cause = diagnosisCauseOf(failure.errorCode);
  if (!cause) return fail('not_diagnosable');
  if (!failure.connectionId) return fail('no_connection');
  let found: { state: DiagnosisState; findings: DiagnosisFindings; restorableContactId?: string | null; xeroId?: string };
  try {
    const access = await deps.access.accessFor(failure.connectionId);
    found = await readCause(deps, cause, failure, access.accessToken, access.tenantId);
  } catch (error) {
    // Our share of the organisation's rate limit is used up for now: as good as busy.
    if (error instanceof CallDeferred) return fail('xero_unavailable');
    if (!isXeroError(error)) throw error;
    if (error.code === 'not_found') return fail('no_connection');
    if (['refresh_rejected', 'unauthorized', 'tenant_not_connected', 'forbidden'].includes(error.code)) return fail('needs_reconnect');
    return fail('xero_unavailable');
  }
  const now = deps.now();
  let action: FailureDiagnosis['action'] = 'none';
  if (waitingStatuses.has(failure.status)) {
    if (found.state === 'cause_gone' && options.requeue !== false && (await deps.readyToRetry(failure, options.where ?? null))) action = 'queued_retry';
    if (found.state === 'already_in_xero' && found.xeroId && (await deps.failedSyncs.recordFoundInXero(failure.id, found.xeroId, now))) action = 'recorded_synced';
  }
  const diagnosis: FailureDiagnosis = {
    failedSyncId: failure.id,
    slackTeamId: failure.slackTeamId,
    externalReference: failure.externalReference,
    kind: failure.kind,
    cause,
    state: found.state,
    findings: found.findings,
    action,
    restorableContactId: found.restorableContactId ?? null,
    diagnosedAt: now,
  };
  await deps.diagnoses.save(diagnosis);
  return ok(diagnosis);
}

// --- Reading the cause in Xero ---

type Found = { state: DiagnosisState; findings: DiagnosisFindings; restorableContactId?: string | null; xeroId?: string };

function readCause(deps: DiagnoseDeps, cause: DiagnosisCause, failure: FailedSync, accessToken: string, tenantId: string): Promise<Found> {
  const doc = documentOf(failure.payload);
  const cached = <T>(topic: string, load: () => Promise<T>) => deps.cache.get(tenantId, topic, load);
  const accounts = () => cached('accounts', () => deps.xero.listAccounts(accessToken, tenantId));
  switch (cause) {
    case 'contact':
      return diagnoseContact(deps, doc, accessToken, tenantId);
    case 'account_code':
      return accounts().then((list) => diagnoseAccountCodes(failure, doc, list));
    case 'tax_type':
      return Promise.all([accounts(), cached('tax_rates', () => deps.xero.listTaxRates(accessToken, tenantId))]).then(([list, rates]) => diagnoseTaxTypes(failure, doc, list, rates));
    case 'period_lock':
      return cached('organisation', () => deps.xero.getOrganisation(accessToken, tenantId)).then(({ organisation }) =>
        diagnoseLockDates(dateOf(doc), organisation.periodLockDate ?? null, organisation.endOfYearLockDate ?? null),
      );
    case 'currency':
      return cached('currencies', () => deps.xero.listCurrencies(accessToken, tenantId)).then((enabled) => diagnoseCurrency(failure, doc, enabled));
    case 'duplicate_number':
      return diagnoseDuplicate(deps, failure, doc, accessToken, tenantId);
  }
}

async function diagnoseContact(deps: DiagnoseDeps, doc: XeroJson, accessToken: string, tenantId: string): Promise<Found> {
  const contact = objectAt(doc, 'Contact') ?? (objectAt(doc, 'ContactID') ? doc : null);
  const lookedUp: { contactId?: string; name?: string } = {};
  const contactId = stringAt(contact, 'ContactID');
  const name = stringAt(contact, 'Name');
  if (contactId) lookedUp.contactId = contactId;
  else if (name) lookedUp.name = name;
  if (!contactId && !name) return { state: 'undetermined', findings: { cause: 'contact', lookedUp, contact: null } };
  // Contacts change often and are looked up one by one: never cached.
  const state = await deps.xero.findContact(accessToken, tenantId, lookedUp);
  const findings: DiagnosisFindings = { cause: 'contact', lookedUp, contact: state };
  if (!state) return { state: 'cause_present', findings };
  if (state.status === 'ACTIVE') return { state: 'cause_gone', findings };
  return { state: 'cause_present', findings, restorableContactId: state.status === 'ARCHIVED' ? state.contactId : null };
}

/** What a document's accounts are for: line items of sales or purchases, or the bank side of a payment. */
export type DocumentAccountUse = 'sales' | 'purchases' | 'payment';

export function accountUseOf(kind: string, doc: XeroJson): DocumentAccountUse {
  const type = (stringAt(doc, 'Type') ?? '').toUpperCase();
  if (kind === 'payment') return 'payment';
  if (kind === 'bill' || type === 'ACCPAY' || type === 'ACCPAYCREDIT' || type.startsWith('SPEND')) return 'purchases';
  return 'sales';
}

function usableFor(account: XeroAccountInfo, use: DocumentAccountUse): boolean {
  if (use === 'payment') return account.type === 'BANK';
  return account.type !== 'BANK';
}

/** Class order for suggestions: the accounts people usually mean for this kind of document first. */
function preferredClass(use: DocumentAccountUse): string | undefined {
  return use === 'sales' ? 'REVENUE' : use === 'purchases' ? 'EXPENSE' : undefined;
}

const words = (text: string) => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 2));

/** Active accounts for this kind of document, closest to the refused one: same type, same class, near code, shared words. */
export function closestAccounts(accounts: readonly XeroAccountInfo[], refused: { code: string; account: XeroAccountInfo | undefined }, use: DocumentAccountUse, limit = 3): AccountSummary[] {
  const target = Number.parseInt(refused.code, 10);
  const refusedWords = refused.account ? words(refused.account.name) : new Set<string>();
  const wantedClass = refused.account?.accountClass ?? preferredClass(use);
  const score = (a: XeroAccountInfo): number => {
    let s = 0;
    if (refused.account && a.type === refused.account.type) s += 4;
    if (wantedClass && a.accountClass === wantedClass) s += 2;
    for (const w of words(a.name)) if (refusedWords.has(w)) s += 1;
    const code = Number.parseInt(a.code ?? '', 10);
    // Within 100 of the refused code counts, nearer counts more (charts of accounts group by range).
    if (Number.isFinite(target) && Number.isFinite(code)) s += Math.max(0, 1 - Math.abs(code - target) / 100);
    return s;
  };
  return accounts
    .filter((a) => a.status === 'ACTIVE' && a.code && a.code !== refused.code && usableFor(a, use))
    .map((a) => ({ a, s: score(a) }))
    .sort((x, y) => y.s - x.s || (x.a.code ?? '').localeCompare(y.a.code ?? ''))
    .slice(0, limit)
    .map(({ a }) => ({ code: a.code!, name: a.name }));
}

function diagnoseAccountCodes(failure: FailedSync, doc: XeroJson, accounts: XeroAccountInfo[]): Found {
  const use = accountUseOf(failure.kind, doc);
  // The codes Xero named, else every code the export uses.
  const named = failure.validationMessages.flatMap((m) => [...m.matchAll(/account code '([^']*)'/gi)].map((x) => x[1]!));
  const codes = [...new Set(named.length ? named : accountCodesOf(doc))];
  if (!codes.length) return { state: 'undetermined', findings: { cause: 'account_code', documentType: use, codes: [] } };
  const byCode = new Map(accounts.filter((a) => a.code).map((a) => [a.code!, a]));
  const findings = codes.map((code): AccountCodeFinding => {
    const account = byCode.get(code);
    const problem = !account ? 'missing' : account.status !== 'ACTIVE' ? 'archived' : !usableFor(account, use) ? 'not_for_this_document' : null;
    return {
      code,
      account: account ? { code, name: account.name, status: account.status, type: account.type } : null,
      problem,
      closest: problem ? closestAccounts(accounts, { code, account }, use) : [],
    };
  });
  return { state: findings.some((f) => f.problem) ? 'cause_present' : 'cause_gone', findings: { cause: 'account_code', documentType: use, codes: findings } };
}

const classKeys: Record<string, keyof XeroTaxRateInfo['canApplyTo']> = { ASSET: 'assets', EQUITY: 'equity', EXPENSE: 'expenses', LIABILITY: 'liabilities', REVENUE: 'revenue' };

export function taxRatesAllowedFor(account: XeroAccountInfo | undefined, rates: readonly XeroTaxRateInfo[]): XeroTaxRateInfo[] {
  const key = account?.accountClass ? classKeys[account.accountClass] : undefined;
  return rates.filter((r) => r.status === 'ACTIVE' && (!key || r.canApplyTo[key]));
}

function diagnoseTaxTypes(failure: FailedSync, doc: XeroJson, accounts: XeroAccountInfo[], rates: XeroTaxRateInfo[]): Found {
  const byCode = new Map(accounts.filter((a) => a.code).map((a) => [a.code!, a]));
  const named = new Set(failure.validationMessages.flatMap((m) => [...m.matchAll(/TaxType code '([^']*)'/gi)].map((x) => x[1]!)));
  const lines: TaxLineFinding[] = [];
  const seen = new Set<string>();
  for (const line of lineItemsOf(doc)) {
    const taxType = stringAt(line, 'TaxType');
    const accountCode = stringAt(line, 'AccountCode') ?? null;
    if (!taxType || (named.size && !named.has(taxType))) continue;
    const key = `${accountCode}|${taxType}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const allowed = taxRatesAllowedFor(accountCode ? byCode.get(accountCode) : undefined, rates);
    lines.push({ accountCode, taxType, usable: allowed.some((r) => r.taxType === taxType), allowed: allowed.map((r) => ({ taxType: r.taxType, name: r.name })) });
  }
  if (!lines.length) return { state: 'undetermined', findings: { cause: 'tax_type', lines } };
  return { state: lines.some((l) => !l.usable) ? 'cause_present' : 'cause_gone', findings: { cause: 'tax_type', lines } };
}

/** A document dated on or before a lock date cannot be created (YYYY-MM-DD compare as strings). */
export function diagnoseLockDates(documentDate: string | null, periodLockDate: string | null, endOfYearLockDate: string | null): Found {
  const findings: DiagnosisFindings = { cause: 'period_lock', documentDate, periodLockDate, endOfYearLockDate };
  if (!documentDate) return { state: 'undetermined', findings };
  const locked = [periodLockDate, endOfYearLockDate].some((lock) => lock !== null && documentDate <= lock);
  return { state: locked ? 'cause_present' : 'cause_gone', findings };
}

function diagnoseCurrency(failure: FailedSync, doc: XeroJson, enabled: string[]): Found {
  const named = failure.validationMessages.map((m) => /subscribed to currency ([A-Z]{3})/i.exec(m)?.[1]).find(Boolean);
  const currency = (stringAt(doc, 'CurrencyCode') ?? named ?? null)?.toUpperCase() ?? null;
  const findings: DiagnosisFindings = { cause: 'currency', currency, enabled };
  if (!currency) return { state: 'undetermined', findings };
  return { state: enabled.includes(currency) ? 'cause_gone' : 'cause_present', findings };
}

const numberFields: Partial<Record<XeroDocumentKind, string>> = { invoice: 'InvoiceNumber', bill: 'InvoiceNumber', credit_note: 'CreditNoteNumber' };
const deadStatuses = new Set(['VOIDED', 'DELETED']);

/**
 * Our own earlier export that landed (its answer was lost) carries the same number, the same date
 * and the same reference; a different document merely reusing the number does not.
 */
export function isSameDocument(existing: XeroDocumentRef, sent: { date: string | null; reference: string | null }): boolean {
  if (existing.status && deadStatuses.has(existing.status)) return false;
  if (!sent.date || existing.date !== sent.date) return false;
  return (existing.reference ?? null) === sent.reference;
}

async function diagnoseDuplicate(deps: DiagnoseDeps, failure: FailedSync, doc: XeroJson, accessToken: string, tenantId: string): Promise<Found> {
  const kind = failure.kind as XeroDocumentKind;
  const field = numberFields[kind];
  const number = (field && stringAt(doc, field)) ?? null;
  if (!number) return { state: 'undetermined', findings: { cause: 'duplicate_number', number, existing: null, sameDocument: false } };
  const existing = await deps.xero.findDocument(accessToken, tenantId, { kind, number });
  if (!existing) return { state: 'cause_gone', findings: { cause: 'duplicate_number', number, existing, sameDocument: false } };
  const sameDocument = isSameDocument(existing, { date: dateOf(doc), reference: stringAt(doc, 'Reference') ?? null });
  const findings: DiagnosisFindings = { cause: 'duplicate_number', number, existing, sameDocument };
  return sameDocument ? { state: 'already_in_xero', findings, xeroId: existing.xeroId } : { state: 'cause_present', findings };
}

// --- The product's payload: Xero's own JSON for one document ---

export type XeroJson = Record<string, unknown> | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const collectionKeys = ['Invoices', 'CreditNotes', 'BankTransactions', 'Payments', 'Contacts'];

/** The one document in a payload: the object itself, the first of an array, or the first of { Invoices: [...] }. */
export function documentOf(payload: unknown): XeroJson {
  let doc = Array.isArray(payload) ? payload[0] : payload;
  if (isObject(doc)) {
    for (const key of collectionKeys) {
      const list = doc[key];
      if (Array.isArray(list)) {
        doc = list[0];
        break;
      }
    }
  }
  return isObject(doc) ? doc : null;
}

function objectAt(doc: XeroJson, key: string): XeroJson {
  const value = doc?.[key];
  return isObject(value) ? value : null;
}

function stringAt(doc: XeroJson, key: string): string | undefined {
  const value = doc?.[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function lineItemsOf(doc: XeroJson): XeroJson[] {
  const lines = doc?.LineItems;
  return Array.isArray(lines) ? lines.filter(isObject) : [];
}

function accountCodesOf(doc: XeroJson): string[] {
  const payment = stringAt(objectAt(doc, 'Account'), 'Code');
  return [...lineItemsOf(doc).map((l) => stringAt(l, 'AccountCode')).filter((c): c is string => c !== undefined), ...(payment ? [payment] : [])];
}

/** The document date as YYYY-MM-DD, from "2026-11-30", "2026-11-30T00:00:00" or Xero's "/Date(1764460800000+0000)/". */
export function dateOf(doc: XeroJson): string | null {
  const value = stringAt(doc, 'Date');
  if (!value) return null;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return iso ? iso[1]! : null;
}
