// Several bot instances draining one retry queue on one PostgreSQL database, each its own
// process with the real xero-node client against the fake Xero (limits on a scaled clock):
// together they never exceed Xero's limits for an organisation, a 429 pauses only the organisation
// it was about, and a worker killed with SIGKILL mid-retry loses nothing and duplicates nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../db/test-databases.ts';
import { seedFailures, startRetryFixture, type RetryFixture } from './retry-fixture.ts';

const pgUp = await postgresAvailable();
const timeScale = 0.02; // a Xero minute lasts 1.2 s

async function expectAllSyncedOnce(fixture: RetryFixture, ids: string[]): Promise<void> {
  const rows = await Promise.all(ids.map((id) => fixture.db.failedSyncs.get(id)));
  expect(rows.filter((r) => r?.status !== 'synced').map((r) => `${r?.externalReference}: ${r?.status} ${r?.errorMessage}`)).toEqual([]);
  const counters = fixture.fake.counters();
  expect(counters.totals.duplicates).toBe(0);
  const invoices = fixture.organisations.reduce((n, org) => n + fixture.fake.booksOf(org.tenantId).documentsOf('invoice').length, 0);
  expect(invoices).toBe(ids.length);
  // Every row names the invoice Xero holds for it.
  const xeroIds = new Set(fixture.organisations.flatMap((org) => fixture.fake.booksOf(org.tenantId).documentsOf('invoice').map((d) => d.id)));
  expect(rows.every((r) => r?.xeroId && xeroIds.has(r.xeroId))).toBe(true);
}

describe.skipIf(!pgUp)('retry workers in three processes on PostgreSQL', () => {
  let fixture: RetryFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('never exceed 5 concurrent calls or 60 a minute for one organisation at the fake, and send each export once', async () => {
    fixture = await startRetryFixture({ provider: 'postgresql', organisations: 1, timeScale });
    // Slow answers, so five at once is something the workers could overshoot.
    fixture.fake.setLatency(40, 40);
    const ids = await seedFailures(fixture, 150, 'BUSY');
    const workers = ['a', 'b', 'c'].map((name) => fixture!.startWorker(`worker-${name}`, { parallel: 8 }));
    await Promise.all(workers.map((w) => w.next((e) => e.done === true)));
    const counters = fixture.fake.counters();
    for (const org of counters.organisations) {
      expect(org.maxConcurrent, `${org.name}: most calls in progress at once`).toBeLessThanOrEqual(5);
      expect(org.maxPerMinute, `${org.name}: most calls in one (scaled) minute`).toBeLessThanOrEqual(60);
    }
    expect(counters.totals.tooManyRequests).toBe(0);
    // The three shared the work.
    expect(workers.filter((w) => w.events.some((e) => e.outcome === 'synced')).length).toBeGreaterThanOrEqual(2);
    await expectAllSyncedOnce(fixture, ids);
  }, 180_000);

  it("a 429 pauses only that organisation: the other's exports keep going during the pause", async () => {
    const calls: { tenantId: string | undefined; status: number; at: number }[] = [];
    const minuteMs = 0.05 * 60_000; // 3 s
    fixture = await startRetryFixture({
      provider: 'postgresql',
      organisations: 2,
      timeScale: 0.05,
      fake: { onCall: (call) => void (call.route === 'invoices' && calls.push({ tenantId: call.tenantId, status: call.status, at: Date.now() })) },
    });
    const [busy, calm] = fixture.organisations;
    const calmIds = await seedFailures({ ...fixture, organisations: [calm!] }, 150, 'CALM');
    const workers = ['a', 'b', 'c'].map((name) => fixture!.startWorker(`worker-${name}`, { parallel: 6 }));
    await Promise.all(workers.map((w) => w.next((e) => e.ready === true)));
    // Another app on the same organisation uses up its minute, behind our back.
    const token = (await fixture.db.tokenSets.getWithTokens((await fixture.db.connections.get(busy!.connectionId))!.tokenSetId))!.tokens.accessToken;
    const burnStart = Date.now();
    for (let i = 0; i < 60; i++) await fixture.gateway.getOrganisation(token, busy!.tenantId);
    // Slow answers from here: five at a time, the calm organisation's minute is spread over the whole minute.
    fixture.fake.setLatency(200);
    const busyIds = await seedFailures({ ...fixture, organisations: [busy!] }, 10, 'BUSY');
    await Promise.all(workers.map((w) => w.next((e) => e.done === true)));

    const refused = calls.filter((c) => c.status === 429);
    expect(refused.length, 'the busy organisation got a 429').toBeGreaterThan(0);
    expect(refused.every((c) => c.tenantId === busy!.tenantId), 'only the busy organisation was refused').toBe(true);
    // Only calls already in flight when the first 429 came back can be refused; then the busy organisation waits out Retry-After.
    expect(refused.length).toBeLessThanOrEqual(5);
    const firstRefusal = refused[0]!.at;
    const windowEnds = burnStart + minuteMs;
    expect(calls.filter((c) => c.tenantId === busy!.tenantId && c.at > firstRefusal + 250 && c.at < windowEnds - 50)).toEqual([]);
    // The calm organisation was served while the busy one waited.
    expect(calls.filter((c) => c.tenantId === calm!.tenantId && c.status === 200 && c.at > firstRefusal && c.at < windowEnds).length).toBeGreaterThan(0);
    await expectAllSyncedOnce(fixture, [...calmIds, ...busyIds]);
  }, 180_000);

  it('a worker killed with SIGKILL mid-retry loses nothing and creates no duplicate: another finishes after the lease', async () => {
    fixture = await startRetryFixture({ provider: 'postgresql', organisations: 3, timeScale: 0.05 });
    const ids = await seedFailures(fixture, 20, 'KILL');
    // Every answer takes a while, so the victim has sends in flight when it dies.
    fixture.fake.setLatency(300);
    const victim = fixture.startWorker('victim', { parallel: 9, leaseMs: 2000 });
    await victim.next((e) => e.outcome === 'synced');
    victim.child.kill('SIGKILL');
    await victim.exited;
    fixture.fake.setLatency(10);
    const inFlightAtDeath = (await Promise.all(ids.map((id) => fixture!.db.failedSyncs.get(id)))).filter((r) => r?.status === 'retrying' && r.sendStartedAt);
    expect(inFlightAtDeath.length, 'the victim died with sends in flight').toBeGreaterThan(0);

    const survivors = ['a', 'b'].map((name) => fixture!.startWorker(`survivor-${name}`, { leaseMs: 2000 }));
    await Promise.all(survivors.map((w) => w.next((e) => e.done === true)));
    await expectAllSyncedOnce(fixture, ids);
    // The interrupted sends that had reached Xero were found there, not sent again.
    const rows = await Promise.all(inFlightAtDeath.map((r) => fixture!.db.failedSyncs.get(r!.id)));
    expect(rows.every((r) => r?.status === 'synced')).toBe(true);
    expect(rows.filter((r) => r?.lastOutcome === 'found').length).toBeGreaterThan(0);
  }, 180_000);
});
