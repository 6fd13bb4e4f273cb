// Re-sending failed exports in one process: the real xero-node adapter against the fake Xero, a
// real SQLite database, the rate limiter on it. What a user would notice: one invoice in Xero
// however the first send ended, a validation failure that waits for its fix instead of being
// hammered, and a 429 that makes the export wait rather than fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../../src/support/records.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { classifyFailure } from '../../src/support/classify-failure.ts';
import * as retryFailedSyncsJob from '../../src/jobs/retry-failed-syncs.ts';
import { queueFixedFailures } from '../../src/support/retry-requests.ts';
import { drainRetryQueue, type RetryWorkerDeps } from '../../src/support/retry-worker.ts';
import { scaledXeroLimits } from '../../src/support/xero-rate-limits.ts';
import { createConnectionAccess } from '../../src/support/xero-tokens.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { redirectUri } from '../support/xero-health-fixture.ts';
import { invoicePayload, startRetryFixture, teamId, type RetryFixture } from './retry-fixture.ts';

const engine = createAnswerEngine(loadKnowledge(fileURLToPath(new URL('../../knowledge', import.meta.url))));

describe('retrying one failed export (SQLite, fake Xero)', () => {
  let fixture: RetryFixture;
  let deps: RetryWorkerDeps;
  let org: RetryFixture['organisations'][number];

  beforeAll(async () => {
    fixture = await startRetryFixture({ provider: 'sqlite', organisations: 2, timeScale: 0.05 });
    org = fixture.organisations[0]!;
    const gate = fixture.db.xeroCallGate({ ...scaledXeroLimits(fixture.timeScale), permitLeaseMs: 1500 });
    // A short client timeout, so a stalled answer is a timeout after Xero did the work.
    const gateway = new XeroNodeGateway({
      clientId: fixture.fake.clientId,
      clientSecret: fixture.fake.clientSecret,
      redirectUri,
      identityUrl: fixture.fake.identityUrl,
      apiUrl: fixture.fake.apiUrl,
      timeoutMs: 400,
      onHeadroom: (tenantId, headroom) => void gate.noteHeadroom(tenantId, headroom),
    });
    const now = () => new Date();
    deps = {
      queue: fixture.db.failedSyncs,
      failedSyncs: fixture.db.failedSyncs,
      connections: fixture.db.connections,
      access: createConnectionAccess({ tokenSets: fixture.db.tokenSets, connections: fixture.db.connections, xero: gateway, now }),
      xero: gateway,
      gate,
      classify: (error) => classifyFailure(engine, error),
      now,
      pacing: { baseDelayMs: 50, maxDelayMs: 200, permitWaitMs: 200, unknownOutcomeDelayMs: 2000 },
    };
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
  });

  const invoicesNumbered = (number: string) => fixture.fake.booksOf(org.tenantId).documentsOf('invoice').filter((d) => d.number === number);
  const queue = async (number: string, payload: JsonObject = invoicePayload(number)) =>
    fixture.db.failedSyncs.create({ slackTeamId: teamId, connectionId: org.connectionId, externalReference: number, kind: 'invoice', payload, errorMessage: 'timed out', idempotencyKey: `intake-${number}`, status: 'queued' });
  const drain = () => drainRetryQueue(deps, { stopWhenIdle: true, leaseMs: 5000 });
  const waitUntilSettled = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      await drain();
      const row = await fixture.db.failedSyncs.get(id);
      if (row && row.status !== 'queued' && row.status !== 'retrying') return row;
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    throw new Error(`failure ${id} never settled`);
  };

  it('a timeout after Xero created the invoice never leads to a second invoice', async () => {
    const failure = await queue('INV-TIMEOUT-1');
    // Xero does the work, then answers after the client gave up.
    fixture.fake.stallNext(1, 1500);
    const first = await drain();
    expect(first.waiting).toBe(1);
    const afterTimeout = await fixture.db.failedSyncs.get(failure.id);
    expect(afterTimeout).toMatchObject({ status: 'queued', lastOutcome: 'transient' });
    expect(afterTimeout?.sendStartedAt).not.toBeNull();
    // The stalled request is still being worked on at Xero; it lands before the retry comes round.
    for (let i = 0; i < 50 && invoicesNumbered('INV-TIMEOUT-1').length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(invoicesNumbered('INV-TIMEOUT-1')).toHaveLength(1);

    const settled = await waitUntilSettled(failure.id);
    expect(settled).toMatchObject({ status: 'synced', lastOutcome: 'found', xeroId: invoicesNumbered('INV-TIMEOUT-1')[0]!.id });
    expect(invoicesNumbered('INV-TIMEOUT-1')).toHaveLength(1);
    expect(fixture.fake.counters().totals.duplicates).toBe(0);
  });

  it('an answer lost after Xero created the invoice: the retry finds it even when the first look-up fails; one key, one invoice', async () => {
    const failure = await queue('INV-KEY-1');
    // The first send is lost after Xero created the invoice; the second attempt finds it.
    fixture.fake.loseNextResponse(1, 'invoices');
    await drain();
    const afterLoss = await fixture.db.failedSyncs.get(failure.id);
    expect(afterLoss).toMatchObject({ status: 'queued', lastOutcome: 'transient' });
    const firstKey = afterLoss!.sendKey!;
    expect(firstKey.startsWith(`r-${failure.id}-`)).toBe(true);
    expect(firstKey.length).toBeLessThanOrEqual(128);
    // The look-up meets a 503 first: the send stays unknown, and is looked up again rather than re-sent.
    fixture.fake.failNext(1, 503);
    const settled = await waitUntilSettled(failure.id);
    expect(settled).toMatchObject({ status: 'synced', lastOutcome: 'found', sendKey: firstKey });
    const keys = fixture.fake.callsTo('invoices').filter((c) => c.idempotencyKey?.includes(failure.id)).map((c) => c.idempotencyKey);
    expect(keys).toEqual([firstKey]);
    expect(invoicesNumbered('INV-KEY-1')).toHaveLength(1);
  });

  it('a validation failure waits for its fix (needs_fix), and is re-sent once the cause is fixed', async () => {
    const payload = { ...invoicePayload('INV-FIX-1'), LineItems: [{ Description: 'Consulting', Quantity: 1, UnitAmount: 120, AccountCode: '999' }] };
    const failure = await queue('INV-FIX-1', payload);
    const stuck = await waitUntilSettled(failure.id);
    expect(stuck).toMatchObject({ status: 'needs_fix', lastOutcome: 'needs_fix' });
    expect(stuck.validationMessages.join(' ')).toContain("Account code '999'");
    expect(stuck.errorCode).not.toBeNull();
    const sendsBefore = fixture.fake.callsTo('invoices').length;
    await drain();
    await drain();
    expect(fixture.fake.callsTo('invoices').length, 'a needs_fix export was sent again without a fix').toBe(sendsBefore);

    fixture.fake.booksOf(org.tenantId).upsertAccount('999', { Name: 'Consulting income', Type: 'REVENUE', Class: 'REVENUE', Status: 'ACTIVE', TaxType: 'OUTPUT2' });
    expect(await queueFixedFailures({ failedSyncs: fixture.db.failedSyncs, retryRequests: fixture.db.retryRequests }, teamId, [failure.id], null)).toEqual([failure.id]);
    const fixed = await waitUntilSettled(failure.id);
    expect(fixed).toMatchObject({ status: 'synced', lastOutcome: 'synced' });
    expect(invoicesNumbered('INV-FIX-1')).toHaveLength(1);
  });

  it('the retry-failed-syncs job re-sends what is due within its budget, and leaves exports waiting for a later attempt', async () => {
    const due = await queue('INV-JOB-1');
    const later = await queue('INV-JOB-2');
    await fixture.db.failedSyncs.deferConnection(org.connectionId, new Date(Date.now() + 60_000));
    await fixture.db.failedSyncs.queueForRetry({ slackTeamId: teamId, ids: [due.id], statuses: ['queued'], limit: 1 }, null);
    const gate = fixture.db.xeroCallGate(scaledXeroLimits(fixture.timeScale));
    const result = await retryFailedSyncsJob.exec({ worker: deps, permits: gate, budgetMs: 10_000 });
    expect(result).toMatchObject({ retried: 1, synced: 1 });
    expect(await fixture.db.failedSyncs.get(due.id)).toMatchObject({ status: 'synced' });
    expect(await fixture.db.failedSyncs.get(later.id)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(invoicesNumbered('INV-JOB-2')).toHaveLength(0);
  });
});
