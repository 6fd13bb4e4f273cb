// Xero's rate limits on the database, in one process over several handles (several "instances"),
// on a SQLite file and on PostgreSQL: never more than the concurrency or the window allows, a 429
// pauses one organisation only, Xero's lower remaining figure wins, a lost permit lapses.
// (The multi-process run against the fake Xero is test/support/retry-processes.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import type { XeroCallGateRepository } from '../../src/db/repositories/xero-call-gate.ts';
import { acquirePermit, CallDeferred, type XeroLimits } from '../../src/support/xero-rate-limits.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A "minute" of 1.5 s with 12 calls in it, so a few seconds show several windows.
const limits: XeroLimits = { concurrentPerOrganisation: 5, perOrganisationMinute: 12, perOrganisationDay: 1000, appPerMinute: 10_000, minuteMs: 1500, dayMs: 60_000, permitLeaseMs: 1000 };

interface Call {
  start: number;
  end: number;
}

function maxOverlap(calls: Call[]): number {
  const edges = calls.flatMap((c) => [
    [c.start, 1],
    [c.end, -1],
  ]) as [number, number][];
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, delta] of edges) most = Math.max(most, (open += delta));
  return most;
}

/** Most calls STARTED within any window of `ms` (what the other side counts on arrival). */
function mostInWindow(calls: Call[], ms: number): number {
  const starts = calls.map((c) => c.start).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`Xero call permits on ${provider}`, () => {
    let test: TestDatabase;
    let handles: Database[];
    let gates: XeroCallGateRepository[];

    beforeAll(async () => {
      test = await createTestDatabase(provider);
      handles = [await openDatabase(test.settings, { warn: () => {} })];
      for (let i = 1; i < 3; i++) handles.push(await openDatabase(test.settings, { warn: () => {}, migrate: false }));
      gates = handles.map((db) => db.xeroCallGate(limits, { concurrencyRetryMs: 10 }));
    }, 60_000);

    afterAll(async () => {
      await Promise.all((handles ?? []).map((h) => h.close()));
      await test?.drop();
    });

    it('eight callers on three handles never exceed 5 at once or 12 in a window for one organisation', async () => {
      const calls: Call[] = [];
      const until = Date.now() + 4000;
      await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const gate = gates[i % gates.length]!;
          while (Date.now() < until) {
            const permit = await acquirePermit(gate, 'tenant-busy', { holder: `caller-${i}`, maxWaitMs: 5000 });
            const start = Date.now();
            await sleep(20 + Math.random() * 40);
            const end = Date.now();
            await gate.release(permit);
            calls.push({ start, end });
          }
        }),
      );
      expect(maxOverlap(calls)).toBeLessThanOrEqual(5);
      expect(mostInWindow(calls, limits.minuteMs)).toBeLessThanOrEqual(12);
      // The limiter is the bottleneck, not the callers: 4 s is at least two full windows' worth.
      expect(calls.length).toBeGreaterThanOrEqual(24);
    }, 60_000);

    it('a 429 pauses that organisation until Retry-After, and no other', async () => {
      const [gate] = gates;
      const until = new Date(Date.now() + 800);
      await gate!.pause('tenant-paused', 'minute', until);
      const refused = await gate!.tryAcquire('tenant-paused', 'someone');
      expect(refused).toMatchObject({ granted: false, reason: 'paused' });
      expect(refused.granted ? 0 : refused.retryAt.getTime()).toBe(until.getTime());
      const other = await gate!.tryAcquire('tenant-other', 'someone');
      expect(other.granted).toBe(true);
      if (other.granted) await gate!.release(other.permit);
      await sleep(until.getTime() - Date.now() + 20);
      const later = await gates[1]!.tryAcquire('tenant-paused', 'someone');
      expect(later.granted).toBe(true);
      if (later.granted) await gates[1]!.release(later.permit);
    });

    it("trusts Xero when it says fewer calls remain than we counted", async () => {
      const gate = gates[2]!;
      await gate.noteHeadroom('tenant-shared', { minuteRemaining: 1, dayRemaining: 900, appMinuteRemaining: 9000 });
      const first = await gate.tryAcquire('tenant-shared', 'someone');
      expect(first.granted).toBe(true);
      if (first.granted) await gate.release(first.permit);
      const second = await gate.tryAcquire('tenant-shared', 'someone');
      expect(second).toMatchObject({ granted: false, reason: 'minute' });
      await expect(acquirePermit(gate, 'tenant-shared', { holder: 'someone' })).rejects.toBeInstanceOf(CallDeferred);
    });

    it("a permit never given back (a killed process) stops counting as in flight after its lease", async () => {
      const gate = gates[0]!;
      const held = [];
      for (let i = 0; i < 5; i++) {
        const grant = await gate.tryAcquire('tenant-crashed', `dead-${i}`);
        expect(grant.granted).toBe(true);
        held.push(grant);
      }
      expect(await gate.tryAcquire('tenant-crashed', 'alive')).toMatchObject({ granted: false, reason: 'concurrent' });
      await sleep(limits.permitLeaseMs + 50);
      const after = await gate.tryAcquire('tenant-crashed', 'alive');
      expect(after.granted).toBe(true);
    });
  });
}
