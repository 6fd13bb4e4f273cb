// Live diagnosis as a use-case: an organisation's Xero data held in memory (what Xero would
// answer), small in-memory stores, and what a person would be told and what moves by itself.
import { beforeEach, describe, expect, it } from 'vitest';
import { diagnoseFailure, dateOf, isSameDocument, readyToRetryThroughQueue, type DiagnoseDeps, type FailureDiagnosis } from '../../src/support/diagnose-failure.ts';
import type { FailedSync, FailedSyncStatus, RetryRequest, RetrySelection } from '../../src/support/records.ts';
import { queueFixedFailures, type FixedRetryDeps } from '../../src/support/retry-requests.ts';
import { requestContactRestore, restoreContact, type RestoreContactDeps } from '../../src/support/restore-contact.ts';
import { createReferenceCache } from '../../src/support/xero-reference-cache.ts';
import type { AuditEntry } from '../../src/support/stores.ts';
import { OrganisationInXero, tenant } from './organisation-in-xero.ts';

const team = 'T0TEAM0001';
const admin = { teamId: team, userId: 'U0ADMIN001' };

let xero: OrganisationInXero;
let failures: Map<string, FailedSync>;
let saved: Map<string, FailureDiagnosis>;
let requests: Map<string, RetryRequest>;
let audit: AuditEntry[];
let clock: number;
let deps: RestoreContactDeps;

function failure(id: string, fields: Partial<FailedSync> & { payload: FailedSync['payload']; errorCode: string }): FailedSync {
  const row: FailedSync = {
    id,
    slackTeamId: team,
    connectionId: 'conn-1',
    externalReference: id,
    kind: 'invoice',
    errorMessage: 'Xero refused it',
    validationMessages: [],
    occurredAt: new Date('2026-11-30T09:00:00Z'),
    status: 'failed',
    attempts: 0,
    nextAttemptAt: null,
    idempotencyKey: `key-${id}`,
    lease: null,
    xeroId: null,
    syncedAt: null,
    sendKey: null,
    sendStartedAt: null,
    lastOutcome: null,
    retryRequestId: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...fields,
  };
  failures.set(id, row);
  return row;
}

const status = (id: string): FailedSyncStatus => failures.get(id)!.status;

async function diagnose(id: string) {
  const result = await diagnoseFailure(deps, id, { teamId: team });
  if (!result.ok) throw new Error(`diagnosis failed: ${result.error}`);
  return result.value;
}

const invoice = (fields: Record<string, unknown> = {}) => ({
  Type: 'ACCREC',
  Contact: { ContactID: 'c-bolt' },
  Date: '2026-11-20',
  InvoiceNumber: 'INV-0042',
  Reference: 'PO-7',
  CurrencyCode: 'NZD',
  LineItems: [{ Description: 'Consulting', Quantity: 1, UnitAmount: 100, AccountCode: '210', TaxType: 'OUTPUT2' }],
  ...fields,
});

beforeEach(() => {
  xero = new OrganisationInXero();
  failures = new Map();
  saved = new Map();
  requests = new Map();
  audit = [];
  clock = Date.parse('2026-11-30T10:00:00Z');
  const failedSyncs = {
    get: async (id: string) => failures.get(id) ?? null,
    queueRetry: async (id: string) => {
      const row = failures.get(id);
      if (row?.status !== 'failed') return false;
      row.status = 'queued';
      return true;
    },
    // The retry engine's queue, as its repository does it: the selected waiting failures become queued.
    queueForRetry: async (selection: RetrySelection, retryRequestId: string | null) => {
      const rows = (selection.ids ?? []).map((id) => failures.get(id)).filter((r) => r && r.slackTeamId === selection.slackTeamId && (selection.statuses ?? ['failed', 'needs_fix']).includes(r.status));
      for (const row of rows) Object.assign(row!, { status: 'queued', retryRequestId });
      return rows.map((r) => r!.id);
    },
    recordFoundInXero: async (id: string, xeroId: string, now: Date) => {
      const row = failures.get(id);
      if (!row || !['failed', 'needs_fix', 'queued'].includes(row.status)) return false;
      Object.assign(row, { status: 'synced', xeroId, syncedAt: now });
      return true;
    },
  };
  // The retry requests, as their repository keeps them: where each retry's outcome is reported.
  const retryRequests: FixedRetryDeps['retryRequests'] = {
    create: async (input, total) => {
      const request: RetryRequest = {
        slackUserId: null, timeZone: null, channelId: null, threadTs: null, ...input,
        id: `request-${requests.size + 1}`, messageTs: null, total, reportedAt: null, reportedText: null, finishedAt: null, createdAt: new Date(clock),
      };
      requests.set(request.id, request);
      return request;
    },
    get: async (id) => requests.get(id) ?? null,
    setTotal: async (id, total) => void Object.assign(requests.get(id)!, { total }),
    discard: async (id) => void requests.delete(id),
  };
  const fixed: FixedRetryDeps = { failedSyncs, retryRequests, alertsChannelId: 'C0ALERTS01', now: () => new Date(clock) };
  const base: DiagnoseDeps = {
    failedSyncs,
    diagnoses: {
      save: async (d) => void saved.set(d.failedSyncId, d),
      get: async (id) => saved.get(id) ?? null,
      listByFailedSyncs: async (ids) => ids.flatMap((id) => (saved.has(id) ? [saved.get(id)!] : [])),
    },
    access: { accessFor: async () => ({ accessToken: 'token', tenantId: tenant, expiresAt: new Date(clock + 1_800_000) }) },
    xero: xero.gateway,
    cache: createReferenceCache({ ttlMs: 60_000, now: () => clock }),
    readyToRetry: readyToRetryThroughQueue(fixed),
    now: () => new Date(clock),
  };
  deps = {
    ...base,
    waitingForCause: async (connectionId, errorCode) =>
      [...failures.values()].filter((f) => f.connectionId === connectionId && f.errorCode === errorCode && ['failed', 'needs_fix'].includes(f.status)),
    queueFixed: (teamId, ids, where) => queueFixedFailures(fixed, teamId, ids, where),
    xeroWrites: xero.gateway,
    policy: { adminUserIds: [admin.userId], adminUsergroupId: undefined },
    usergroups: { members: async () => [] },
    audit: { append: async (entry) => void audit.push(entry) },
  };
});

describe('an archived or missing contact', () => {
  it('says the contact is archived, offers the restore, and once an admin restores it the export is ready to retry', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { ContactID: 'c-acme' } }) });
    const before = await diagnose('f1');
    expect(before).toMatchObject({ cause: 'contact', state: 'cause_present', action: 'none', restorableContactId: 'c-acme' });
    expect(before.findings).toEqual({ cause: 'contact', lookedUp: { contactId: 'c-acme' }, contact: { contactId: 'c-acme', name: 'Acme Ltd', status: 'ARCHIVED' } });
    expect(status('f1')).toBe('failed');

    const request = await requestContactRestore(deps, admin, 'f1');
    expect(request.ok).toBe(true);
    const restored = await restoreContact(deps, admin, request.ok ? request.value : (undefined as never));
    expect(restored).toMatchObject({ ok: true, value: { restored: true, contactName: 'Acme Ltd', diagnosis: { state: 'cause_gone', action: 'queued_retry' } } });
    expect(xero.contacts[0]!.status).toBe('ACTIVE');
    expect(status('f1')).toBe('queued');
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ['failed_sync.restore_contact', { outcome: 'ok' }],
      ['xero.contact_restored', { failedSyncId: 'f1', status: 'ACTIVE' }],
    ]);
  });

  it('re-queues a failure a retry left waiting for its fix under a new request that reports where its last retry was asked for', async () => {
    requests.set('request-7', { id: 'request-7', slackTeamId: team, source: 'button', slackUserId: 'U0ASKER001', timeZone: 'Pacific/Auckland', channelId: 'C0FINANCE1', threadTs: '1700000000.000100', messageTs: '1700000001.000100', total: 1, reportedAt: new Date(clock), reportedText: 'failed again', finishedAt: new Date(clock), createdAt: new Date(clock) });
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', status: 'needs_fix', retryRequestId: 'request-7', payload: invoice({ Contact: { ContactID: 'c-bolt' } }) });
    expect(await diagnose('f1')).toMatchObject({ state: 'cause_gone', action: 'queued_retry' });
    const row = failures.get('f1')!;
    expect(row.status).toBe('queued');
    expect(row.retryRequestId).not.toBe('request-7');
    expect(requests.get(row.retryRequestId!)).toMatchObject({ source: 'automatic', slackUserId: 'U0ASKER001', channelId: 'C0FINANCE1', threadTs: '1700000000.000100', timeZone: 'Pacific/Auckland', total: 1, finishedAt: null });
  });

  it('reports a fix nobody asked for (a webhook, the schedule) in the alerts channel when no retry was asked for before', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { ContactID: 'c-bolt' } }) });
    expect(await diagnose('f1')).toMatchObject({ action: 'queued_retry' });
    expect(requests.get(failures.get('f1')!.retryRequestId!)).toMatchObject({ source: 'automatic', slackUserId: null, channelId: 'C0ALERTS01', total: 1 });
  });

  it('reports to the person whose Diagnose press found the cause gone, in the thread they pressed it in', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { ContactID: 'c-bolt' } }) });
    const where = { slackTeamId: team, source: 'diagnosis' as const, slackUserId: 'U0PRESSER1', channelId: 'C0FINANCE1', threadTs: '1700000000.000200', timeZone: null };
    expect(await diagnoseFailure(deps, 'f1', { teamId: team, where })).toMatchObject({ ok: true, value: { action: 'queued_retry' } });
    expect(requests.get(failures.get('f1')!.retryRequestId!)).toMatchObject({ source: 'diagnosis', slackUserId: 'U0PRESSER1', channelId: 'C0FINANCE1', threadTs: '1700000000.000200' });
  });

  it('only reads and stores when told not to re-queue (after a retry Xero just refused)', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', status: 'needs_fix', payload: invoice({ Contact: { ContactID: 'c-bolt' } }) });
    expect(await diagnoseFailure(deps, 'f1', { teamId: team, requeue: false })).toMatchObject({ ok: true, value: { state: 'cause_gone', action: 'none' } });
    expect(status('f1')).toBe('needs_fix');
    expect(requests.size).toBe(0);
  });

  it('a restored contact queues every waiting export that uses it (by id or by name) under one request reporting to the admin, and no other', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { ContactID: 'c-acme' } }) });
    failure('f2', { errorCode: 'CONTACT_NOT_FOUND', status: 'needs_fix', payload: invoice({ Contact: { ContactID: 'C-ACME' }, InvoiceNumber: 'INV-0043' }) });
    failure('f3', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { Name: ' acme ltd' }, InvoiceNumber: 'INV-0044' }) });
    failure('f4', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { ContactID: 'c-bolt' }, InvoiceNumber: 'INV-0045' }) });
    failure('f5', { errorCode: 'CONTACT_NOT_FOUND', connectionId: 'conn-2', payload: invoice({ Contact: { ContactID: 'c-acme' }, InvoiceNumber: 'INV-0046' }) });
    failure('f6', { errorCode: 'INVALID_ACCOUNT_CODE', payload: invoice({ Contact: { ContactID: 'c-acme' }, InvoiceNumber: 'INV-0047' }) });
    const request = await requestContactRestore(deps, admin, 'f1');
    if (!request.ok) throw new Error(request.error);
    const where = { slackTeamId: team, source: 'restore' as const, slackUserId: admin.userId, channelId: 'C0FINANCE1', threadTs: '1700000000.000300', timeZone: null };
    const restored = await restoreContact(deps, admin, request.value, where);
    expect(restored).toMatchObject({ ok: true, value: { restored: true, queued: 3, diagnosis: { action: 'queued_retry' } } });
    expect(['f1', 'f2', 'f3', 'f4', 'f5', 'f6'].map(status)).toEqual(['queued', 'queued', 'queued', 'failed', 'failed', 'failed']);
    const requestIds = new Set(['f1', 'f2', 'f3'].map((id) => failures.get(id)!.retryRequestId));
    expect(requestIds.size).toBe(1);
    expect(requests.get([...requestIds][0]!)).toMatchObject({ source: 'restore', slackUserId: admin.userId, channelId: 'C0FINANCE1', threadTs: '1700000000.000300', total: 3 });
  });

  it('restores once however often it is pressed: the second press finds the contact active and writes nothing', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { ContactID: 'c-acme' } }) });
    const request = await requestContactRestore(deps, admin, 'f1');
    if (!request.ok) throw new Error(request.error);
    await restoreContact(deps, admin, request.value);
    const again = await restoreContact(deps, admin, request.value);
    expect(again).toMatchObject({ ok: true, value: { restored: false } });
    expect(xero.calls.filter((c) => c === 'restoreContact')).toHaveLength(1);
  });

  it('refuses a restore from someone who is not an admin, and audits the refusal', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { ContactID: 'c-acme' } }) });
    const refused = await requestContactRestore(deps, { teamId: team, userId: 'U0SOMEONE1' }, 'f1');
    expect(refused).toEqual({ ok: false, error: 'not_authorized' });
    expect(audit).toEqual([expect.objectContaining({ action: 'failed_sync.restore_contact', actor: 'U0SOMEONE1', details: { outcome: 'denied' } })]);
    expect(xero.contacts[0]!.status).toBe('ARCHIVED');
  });

  it('finds a contact known only by name, and says when Xero has none by that name', async () => {
    failure('f1', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { Name: 'Nobody Ltd' } }) });
    expect(await diagnose('f1')).toMatchObject({ state: 'cause_present', restorableContactId: null, findings: { lookedUp: { name: 'Nobody Ltd' }, contact: null } });
    failure('f2', { errorCode: 'CONTACT_NOT_FOUND', payload: invoice({ Contact: { Name: 'Bolt & Co' } }) });
    expect(await diagnose('f2')).toMatchObject({ state: 'cause_gone', action: 'queued_retry' });
  });
});

describe('account codes', () => {
  it("names the archived code and the closest active codes for a sales invoice, never a bank account", async () => {
    failure('f1', {
      errorCode: 'INVALID_ACCOUNT_CODE',
      validationMessages: ["Account code '200' has been archived, or has been deleted. Each line item must reference a valid account"],
      payload: invoice({ LineItems: [{ AccountCode: '200', UnitAmount: 10 }] }),
    });
    const d = await diagnose('f1');
    expect(d.state).toBe('cause_present');
    expect(d.findings).toEqual({
      cause: 'account_code',
      documentType: 'sales',
      codes: [
        {
          code: '200',
          account: { code: '200', name: 'Sales', status: 'ARCHIVED', type: 'REVENUE' },
          problem: 'archived',
          closest: [
            { code: '210', name: 'Sales - Services' },
            { code: '201', name: 'Sales - Products' },
            { code: '260', name: 'Other Revenue' },
          ],
        },
      ],
    });
  });

  it("suggests expense accounts for a bill's unknown code, and queues the export once the code exists again", async () => {
    failure('f1', {
      kind: 'bill',
      errorCode: 'INVALID_ACCOUNT_CODE',
      validationMessages: ["Account code '999' is not a valid code for this document."],
      payload: invoice({ Type: 'ACCPAY', LineItems: [{ AccountCode: '999', UnitAmount: 10 }] }),
    });
    const d = await diagnose('f1');
    expect(d.findings).toMatchObject({ documentType: 'purchases', codes: [{ code: '999', account: null, problem: 'missing' }] });
    const closest = d.findings.cause === 'account_code' ? d.findings.codes[0]!.closest.map((c) => c.code) : [];
    expect(closest[0]).toBe('400');
    expect(closest).not.toContain('090');

    xero.accounts.push({ accountId: 'a9', code: '999', name: 'Sundry', type: 'EXPENSE', accountClass: 'EXPENSE', status: 'ACTIVE', taxType: 'INPUT2' });
    clock += 61_000;
    expect(await diagnose('f1')).toMatchObject({ state: 'cause_gone', action: 'queued_retry' });
    expect(status('f1')).toBe('queued');
  });
});

describe('tax types', () => {
  it('lists the tax rates Xero allows with the line\'s account', async () => {
    failure('f1', {
      errorCode: 'INVALID_TAX_RATE',
      validationMessages: ["The TaxType code 'INPUT2' cannot be used with account code '210'."],
      payload: invoice({ LineItems: [{ AccountCode: '210', TaxType: 'INPUT2', UnitAmount: 10 }, { AccountCode: '400', TaxType: 'INPUT2', UnitAmount: 5 }] }),
    });
    const d = await diagnose('f1');
    expect(d.state).toBe('cause_present');
    expect(d.findings).toEqual({
      cause: 'tax_type',
      lines: [
        { accountCode: '210', taxType: 'INPUT2', usable: false, allowed: [{ taxType: 'OUTPUT2', name: '15% GST on Income' }, { taxType: 'NONE', name: 'No GST' }] },
        { accountCode: '400', taxType: 'INPUT2', usable: true, allowed: [{ taxType: 'INPUT2', name: '15% GST on Expenses' }, { taxType: 'NONE', name: 'No GST' }] },
      ],
    });
  });
});

describe('lock dates', () => {
  it('sets the document date against both lock dates, and queues once the lock is moved back', async () => {
    failure('f1', { errorCode: 'PERIOD_LOCKED', payload: invoice({ Date: '/Date(1793404800000+0000)/' }) });
    const d = await diagnose('f1');
    expect(d).toMatchObject({ state: 'cause_present', findings: { cause: 'period_lock', documentDate: '2026-10-31', periodLockDate: '2026-10-31', endOfYearLockDate: '2026-03-31' } });
    xero.periodLockDate = '2026-09-30';
    clock += 61_000;
    expect(await diagnose('f1')).toMatchObject({ state: 'cause_gone', action: 'queued_retry' });
  });
});

describe('currencies', () => {
  it("lists the organisation's currencies when the export's is not among them", async () => {
    failure('f1', { errorCode: 'CURRENCY_NOT_ENABLED', payload: invoice({ CurrencyCode: 'usd' }) });
    expect(await diagnose('f1')).toMatchObject({ state: 'cause_present', findings: { cause: 'currency', currency: 'USD', enabled: ['NZD', 'AUD'] } });
  });
});

describe('duplicate numbers', () => {
  it('records our own earlier export that did land as synced with its Xero id, without re-sending', async () => {
    xero.documents.push({ kind: 'invoice', xeroId: 'inv-xero-1', number: 'INV-0042', reference: 'PO-7', status: 'AUTHORISED', date: '2026-11-20' });
    failure('f1', { errorCode: 'DUPLICATE_NUMBER', payload: invoice() });
    const d = await diagnose('f1');
    expect(d).toMatchObject({ state: 'already_in_xero', action: 'recorded_synced', findings: { sameDocument: true, existing: { xeroId: 'inv-xero-1' } } });
    expect(failures.get('f1')).toMatchObject({ status: 'synced', xeroId: 'inv-xero-1' });
  });

  it('keeps a failure whose number another document already uses, naming that document', async () => {
    xero.documents.push({ kind: 'invoice', xeroId: 'inv-other', number: 'INV-0042', reference: 'Someone else', status: 'PAID', date: '2026-11-02' });
    failure('f1', { errorCode: 'DUPLICATE_NUMBER', payload: invoice() });
    expect(await diagnose('f1')).toMatchObject({ state: 'cause_present', action: 'none', findings: { sameDocument: false, existing: { xeroId: 'inv-other', status: 'PAID' } } });
    expect(status('f1')).toBe('failed');
  });

  it('never takes a voided document for ours', () => {
    expect(isSameDocument({ kind: 'invoice', xeroId: 'x', number: 'N', reference: 'R', status: 'VOIDED', date: '2026-11-20' }, { date: '2026-11-20', reference: 'R' })).toBe(false);
    expect(isSameDocument({ kind: 'invoice', xeroId: 'x', number: 'N', reference: undefined, status: 'DRAFT', date: '2026-11-20' }, { date: '2026-11-20', reference: null })).toBe(true);
  });
});

describe('reference data and errors', () => {
  it('reads accounts once a minute per organisation however many exports are diagnosed', async () => {
    for (let i = 0; i < 20; i++) failure(`f${i}`, { errorCode: 'INVALID_ACCOUNT_CODE', payload: invoice({ LineItems: [{ AccountCode: '200' }] }) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => diagnose(`f${i}`)));
    expect(xero.calls.filter((c) => c === 'listAccounts')).toHaveLength(1);
    clock += 61_000;
    await diagnose('f0');
    expect(xero.calls.filter((c) => c === 'listAccounts')).toHaveLength(2);
  });

  it('answers xero_unavailable when Xero does not answer, changing nothing, and not_diagnosable for other causes', async () => {
    failure('f1', { errorCode: 'PERIOD_LOCKED', payload: invoice() });
    xero.unavailable = true;
    expect(await diagnoseFailure(deps, 'f1')).toEqual({ ok: false, error: 'xero_unavailable' });
    expect(saved.size).toBe(0);
    failure('f2', { errorCode: 'RATE_LIMITED', payload: invoice() });
    expect(await diagnoseFailure(deps, 'f2')).toEqual({ ok: false, error: 'not_diagnosable' });
    expect(await diagnoseFailure(deps, 'f1', { teamId: 'T0OTHERTEAM' })).toEqual({ ok: false, error: 'failed_sync_not_found' });
  });

  it("reads Xero's dates in every form the product may send", () => {
    expect(dateOf({ Date: '2026-11-30T00:00:00' })).toBe('2026-11-30');
    expect(dateOf({ Date: '/Date(1795996800000+0000)/' })).toBe('2026-11-30');
    expect(dateOf({})).toBeNull();
  });
});
