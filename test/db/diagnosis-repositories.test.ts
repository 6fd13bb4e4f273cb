// The diagnosis and webhook repositories on both databases: a diagnosis is kept once per failure,
// "found in Xero" never overrides a worker's hold, waiting failures are found by organisation, and
// webhook deliveries are stored with their events and found by tenant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import type { FailureDiagnosis } from '../../src/support/diagnose-failure.ts';
import { createTestDatabase, postgresAvailable, rawQuery, type TestDatabase } from './test-databases.ts';

const providers = ['sqlite', ...((await postgresAvailable()) ? ['postgresql' as const] : [])] as const;

describe.each(providers)('on %s', (provider) => {
  let test: TestDatabase;
  let db: Database;
  let connectionId: string;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    db = await openDatabase(test.settings, { warn: () => {} });
    const set = await db.tokenSets.create({
      slackTeamId: 'T0TEAM0001',
      tokens: { accessToken: 'a', refreshToken: 'r', idToken: undefined, expiresAt: new Date(Date.now() + 1_800_000), scopes: [] },
      connectedBySlackUserId: 'U0USER0001',
    });
    connectionId = (await db.connections.upsert({ slackTeamId: 'T0TEAM0001', tenantId: 'tenant-1', tenantName: 'Demo', tenantType: 'ORGANISATION', xeroConnectionId: 'x', tokenSetId: set.id })).id;
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  const failure = (reference: string) =>
    db.failedSyncs.create({ slackTeamId: 'T0TEAM0001', connectionId, externalReference: reference, kind: 'invoice', payload: { InvoiceNumber: reference }, errorCode: 'DUPLICATE_NUMBER', errorMessage: 'Invoice # must be unique.' });

  it('keeps the latest diagnosis of each failure, findings included', async () => {
    const f = await failure('D-1');
    const first: FailureDiagnosis = {
      failedSyncId: f.id,
      slackTeamId: 'T0TEAM0001',
      externalReference: 'D-1',
      kind: 'invoice',
      cause: 'duplicate_number',
      state: 'cause_present',
      findings: { cause: 'duplicate_number', number: 'D-1', existing: { kind: 'invoice', xeroId: 'x1', number: 'D-1', reference: undefined, status: 'PAID', date: '2026-11-01' }, sameDocument: false },
      action: 'none',
      restorableContactId: null,
      diagnosedAt: new Date('2026-11-30T10:00:00Z'),
    };
    await db.diagnoses.save(first);
    await db.diagnoses.save({ ...first, state: 'cause_gone', action: 'queued_retry', diagnosedAt: new Date('2026-11-30T10:05:00Z') });
    const [stored] = await db.diagnoses.listByFailedSyncs([f.id, 'no-such-id']);
    expect(stored).toMatchObject({ state: 'cause_gone', action: 'queued_retry', diagnosedAt: new Date('2026-11-30T10:05:00Z'), findings: { existing: { xeroId: 'x1', status: 'PAID' } } });
  });

  it('records a failure found in Xero as synced, but never one a retry worker holds', async () => {
    const waiting = await failure('D-2');
    const held = await failure('D-3');
    await db.failedSyncs.queueRetry(held.id);
    const [claimed] = await db.failedSyncs.claimDue('worker-1', { limit: 10, now: new Date(Date.now() + 1000) });
    expect(claimed?.id).toBe(held.id);
    const now = new Date();
    expect(await db.diagnoses.recordFoundInXero(waiting.id, 'xero-2', now)).toBe(true);
    expect(await db.diagnoses.recordFoundInXero(held.id, 'xero-3', now)).toBe(false);
    expect(await db.failedSyncs.get(waiting.id)).toMatchObject({ status: 'synced', xeroId: 'xero-2' });
    expect(await db.failedSyncs.get(held.id)).toMatchObject({ status: 'retrying', xeroId: null });
    expect((await db.diagnoses.waitingForTenant('tenant-1', 50)).map((f) => f.externalReference)).toEqual(['D-1']);
    expect(await db.diagnoses.waitingForTenant('tenant-2', 50)).toEqual([]);
  });

  it('stores webhook deliveries with their events and finds the last one per tenant', async () => {
    const at = new Date('2026-11-30T09:00:00Z');
    const delivery = await db.xeroWebhooks.record(
      { firstEventSequence: 1, lastEventSequence: 2, events: [{ tenantId: 'tenant-1', resourceId: 'r1', eventCategory: 'INVOICE', eventType: 'UPDATE', eventDate: at }] },
      at,
    );
    expect(await db.xeroWebhooks.listUnprocessed(10)).toEqual([{ id: delivery.id, events: [{ tenantId: 'tenant-1', resourceId: 'r1', eventCategory: 'INVOICE', eventType: 'UPDATE', eventDate: at }] }]);
    await db.xeroWebhooks.markProcessed(delivery.id);
    expect(await db.xeroWebhooks.listUnprocessed(10)).toEqual([]);
    expect(await db.xeroWebhooks.lastDelivery({ tenantIds: ['tenant-1'] })).toEqual(at);
    expect(await db.xeroWebhooks.lastDelivery({ tenantIds: ['tenant-9'] })).toBeNull();
  });

  it('forgets applied deliveries older than the cut-off with their events, never one still to apply', async () => {
    const old = new Date('2026-11-01T00:00:00Z');
    const event = { tenantId: 'tenant-5', resourceId: 'r5', eventCategory: 'CONTACT', eventType: 'UPDATE', eventDate: old };
    const applied = await db.xeroWebhooks.record({ firstEventSequence: 5, lastEventSequence: 5, events: [event] }, old);
    await db.xeroWebhooks.markProcessed(applied.id, old);
    const pending = await db.xeroWebhooks.record({ firstEventSequence: 6, lastEventSequence: 6, events: [{ ...event, resourceId: 'r6' }] }, old);
    expect(await db.xeroWebhooks.prune(new Date('2026-11-20T00:00:00Z'))).toBe(1);
    expect((await db.xeroWebhooks.listUnprocessed(10)).map((d) => d.id)).toEqual([pending.id]);
    const events = await rawQuery<{ resourceId: string }>(test, `SELECT "resourceId" FROM "XeroWebhookEvent" WHERE "tenantId" = 'tenant-5'`);
    expect(events).toEqual([{ resourceId: 'r6' }]);
  });
});
