// The fake's controls over HTTP (/_fake/<name>), for the dev CLI, benchmarks and tests in other
// processes: break things, change an organisation's data, read the counters. POST takes JSON.
import type { FakeXero, FakeXeroCall } from '../fake-xero-api.ts';
import type { FakeAccount, FakeContact, FakeTaxRate } from './books.ts';
import { contactBody } from './documents.ts';
import { Refusal } from './refusal.ts';

const ok = { status: 200, body: { ok: true } };

export const controlNames = [
  'GET state',
  'GET counters',
  'GET documents?tenantId=',
  'revoke-connection',
  'revoke-tokens',
  'age-out',
  'organisation',
  'outage',
  'stall',
  'lose-response',
  'fail',
  'latency',
  'limits',
  'reset-counters',
  'consent',
  'advance-time',
  'tokens',
  'contact',
  'account',
  'tax-rate',
  'lock-dates',
  'currencies',
];

export function runControl(fake: FakeXero, method: string, name: string, raw: string, query: URLSearchParams): { status: number; body: unknown } {
  if (method === 'GET') {
    if (name === 'state') return { status: 200, body: fake.state() };
    if (name === 'counters') return { status: 200, body: fake.counters() };
    if (name === 'documents') {
      const tenantId = query.get('tenantId');
      const orgs = tenantId ? fake.organisationList.filter((o) => o.tenantId === tenantId) : fake.organisationList;
      if (tenantId && !orgs.length) throw new Refusal(404, { error: `no organisation ${tenantId}` });
      return { status: 200, body: Object.fromEntries(orgs.map((o) => [o.tenantId, fake.booksOf(o.tenantId).documents.map(({ kind, id, number, reference, status, type }) => ({ kind, id, number, reference, status, type }))])) };
    }
  }
  if (method !== 'POST') throw new Refusal(405, { error: `use POST with a JSON body (or GET state, counters, documents); controls: ${controlNames.join(', ')}` });
  let input: Record<string, unknown>;
  try {
    input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    throw new Refusal(400, { error: 'the body is not JSON' });
  }
  const str = (field: string) => {
    const value = input[field];
    if (typeof value !== 'string' || !value) throw new Refusal(400, { error: `"${field}" (a string) is required` });
    return value;
  };
  const optionalStr = (field: string) => (typeof input[field] === 'string' && input[field] ? (input[field] as string) : undefined);
  const num = (field: string, fallback?: number) => {
    const value = input[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Refusal(400, { error: `"${field}" (a number, 0 or more) is required` });
    return value;
  };
  const found = (done: boolean, what: string) => {
    if (!done) throw new Refusal(404, { error: `no such ${what}` });
    return ok;
  };
  const books = () => {
    const tenantId = str('tenantId');
    if (!fake.organisationList.some((o) => o.tenantId === tenantId)) throw new Refusal(404, { error: `no organisation ${tenantId}` });
    return fake.booksOf(tenantId);
  };
  const ymdOrNull = (field: string): string | null | undefined => {
    const value = input[field];
    if (value === undefined || value === null) return value;
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Refusal(400, { error: `"${field}" must be a date YYYY-MM-DD, or null to clear it` });
    return value;
  };
  switch (name) {
    case 'revoke-connection':
      return found(fake.revokeConnection(str('connectionId')), 'connection');
    case 'revoke-tokens':
      return found(fake.revokeTokens(str('authEventId')), 'authorization');
    case 'age-out':
      return found(fake.ageOut(str('authEventId')), 'authorization');
    case 'organisation': {
      const changes: Parameters<FakeXero['setOrganisation']>[1] = {};
      if (typeof input.status === 'string') changes.status = input.status;
      if (typeof input.readOnly === 'boolean') changes.readOnly = input.readOnly;
      if (typeof input.subscriptionClass === 'string') changes.subscriptionClass = input.subscriptionClass;
      return found(fake.setOrganisation(str('tenantId'), changes), 'organisation');
    }
    case 'outage':
      fake.unavailable(num('ms'));
      return ok;
    case 'stall':
      fake.stallNext(num('count', 1), num('ms'));
      return ok;
    case 'lose-response':
      fake.loseNextResponse(num('count', 1), optionalStr('route') as FakeXeroCall['route'] | undefined, input.lateMs === undefined ? undefined : num('lateMs'));
      return ok;
    case 'fail': {
      const status = num('status', 503);
      if (status < 500 || status > 599) throw new Refusal(400, { error: '"status" must be a 5xx status' });
      fake.failNext(num('count', 1), status);
      return ok;
    }
    case 'latency':
      fake.setLatency(num('ms'), num('jitterMs', 0));
      return ok;
    case 'limits': {
      const limits = fake.limits;
      for (const field of ['minute', 'day', 'appMinute', 'concurrent'] as const) if (input[field] !== undefined) limits.limits[field] = num(field);
      if (input.timeScale !== undefined) {
        const scale = num('timeScale');
        if (scale <= 0) throw new Refusal(400, { error: '"timeScale" must be more than 0' });
        limits.timeScale = scale;
      }
      return { status: 200, body: { ok: true, limits: limits.limits, scale: limits.describeScale() } };
    }
    case 'reset-counters':
      fake.resetCounters();
      return ok;
    case 'consent':
      fake.setConsent({
        ...(typeof input.decline === 'boolean' ? { decline: input.decline } : {}),
        ...(Array.isArray(input.tenantIds) ? { tenantIds: input.tenantIds.map(String) } : input.tenantIds === null ? { tenantIds: undefined } : {}),
      });
      return ok;
    case 'advance-time':
      fake.advanceTime(num('ms'));
      return ok;
    case 'tokens':
      return { status: 200, body: fake.issueTokens(Array.isArray(input.tenantIds) ? input.tenantIds.map(String) : undefined) };
    case 'contact': {
      const orgBooks = books();
      const status = optionalStr('status') as FakeContact['ContactStatus'] | undefined;
      if (status && !['ACTIVE', 'ARCHIVED', 'GDPRREQUEST'].includes(status)) throw new Refusal(400, { error: '"status" must be ACTIVE, ARCHIVED or GDPRREQUEST' });
      const contactId = optionalStr('contactId');
      let contact = contactId ? orgBooks.contacts.get(contactId) : orgBooks.contactByName(str('name'));
      if (!contact && contactId) throw new Refusal(404, { error: `no contact ${contactId}` });
      contact ??= orgBooks.addContact(str('name'), status ?? 'ACTIVE', fake.now());
      if (status) contact.ContactStatus = status;
      contact.UpdatedDateUTC = fake.now();
      return { status: 200, body: contactBody(contact) };
    }
    case 'account': {
      const orgBooks = books();
      const changes: Partial<FakeAccount> = {};
      if (optionalStr('status')) changes.Status = str('status') as FakeAccount['Status'];
      if (optionalStr('name')) changes.Name = str('name');
      if (optionalStr('type')) changes.Type = str('type');
      if (optionalStr('class')) changes.Class = str('class') as FakeAccount['Class'];
      if (optionalStr('taxType')) changes.TaxType = str('taxType');
      if (typeof input.enablePayments === 'boolean') changes.EnablePaymentsToAccount = input.enablePayments;
      return { status: 200, body: orgBooks.upsertAccount(str('code'), changes) };
    }
    case 'tax-rate': {
      const rate = books().taxRates.get(str('taxType'));
      if (!rate) throw new Refusal(404, { error: `no tax rate ${str('taxType')}` });
      const status = str('status') as FakeTaxRate['Status'];
      if (!['ACTIVE', 'DELETED', 'ARCHIVED'].includes(status)) throw new Refusal(400, { error: '"status" must be ACTIVE, DELETED or ARCHIVED' });
      rate.Status = status;
      return { status: 200, body: rate };
    }
    case 'lock-dates': {
      const orgBooks = books();
      const period = ymdOrNull('periodLockDate');
      const endOfYear = ymdOrNull('endOfYearLockDate');
      if (period !== undefined) orgBooks.periodLockDate = period ?? undefined;
      if (endOfYear !== undefined) orgBooks.endOfYearLockDate = endOfYear ?? undefined;
      return { status: 200, body: { periodLockDate: orgBooks.periodLockDate ?? null, endOfYearLockDate: orgBooks.endOfYearLockDate ?? null } };
    }
    case 'currencies': {
      const orgBooks = books();
      const codes = input.codes;
      if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string' && /^[A-Z]{3}$/.test(c))) throw new Refusal(400, { error: '"codes" must be a list of ISO currency codes like ["AUD","USD"]' });
      // The base currency cannot be unsubscribed.
      orgBooks.currencies = [...new Set([orgBooks.baseCurrency, ...(codes as string[])])];
      return { status: 200, body: { currencies: orgBooks.currencies } };
    }
    default:
      throw new Refusal(404, { error: `no control "${name}": use ${controlNames.join(', ')}` });
  }
}
