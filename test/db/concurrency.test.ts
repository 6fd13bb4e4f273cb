// Several processes claim from one retry queue of thousands of jobs. Every job must be claimed
// exactly once, none lost, and a worker killed while holding jobs keeps them until its lease
// expires; then another worker takes them.
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { seedQueue, startWorker } from './claim-workers.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();
const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

const jobCount = 2000;
const drainers = 4;

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`claiming across processes on ${provider}`, () => {
    it(`claims each of ${jobCount} jobs exactly once with ${drainers} workers, and recovers a killed worker's jobs only after its lease`, { timeout: 240_000 }, async () => {
      const test = await createTestDatabase(provider);
      created.push(test);
      const team = 'T-queue';
      const all = await seedQueue(test.settings, team, jobCount);
      const holdLeaseMs = 3_000;

      const workers = Array.from({ length: drainers }, (_, i) => startWorker(test.settings, `drainer-${i}`, team, { batch: 10, leaseMs: 60_000 }));
      const crasher = startWorker(test.settings, 'crasher', team, { batch: 10, leaseMs: holdLeaseMs, holdAfter: 5 });
      const everyone = [...workers, crasher];
      await Promise.all(everyone.map((w) => w.next((e) => e.ready === true)));
      // The crasher starts first and the drainers join once it has done a batch: started together on a busy
      // machine, the four drainers could empty the queue before the crasher reached its fifth batch.
      crasher.child.stdin!.write('go\n');
      await crasher.next((e) => e.claimed !== undefined);
      for (const w of workers) w.child.stdin!.write('go\n');

      const held = await crasher.next((e) => e.held !== undefined);
      crasher.child.kill('SIGKILL');
      await crasher.exited;
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes).toEqual(workers.map(() => 0));

      // Every claim, by whom and when (the crasher's first batches count: it completed them).
      const claims = everyone.flatMap((w, i) => w.events.filter((e) => e.claimed).flatMap((e) => e.claimed!.map((id) => ({ id, at: e.at!, worker: i }))));
      const ids = claims.map((c) => c.id);
      expect(new Set(ids).size, 'a job was claimed twice').toBe(ids.length);
      expect([...ids, ...held.held!].sort()).toEqual([...all, ...held.held!].sort());

      // The killed worker's jobs went to others, and not before its lease ran out.
      expect(held.held).toHaveLength(10);
      const reclaims = claims.filter((c) => held.held!.includes(c.id));
      expect(reclaims).toHaveLength(10);
      for (const c of reclaims) {
        expect(c.worker).not.toBe(drainers);
        expect(c.at).toBeGreaterThanOrEqual(held.leaseUntil!);
      }

      const db = await openDatabase(test.settings, { warn: () => {} });
      try {
        const jobs = await db.failedSyncs.listByTeam(team, { limit: jobCount + 1 });
        expect(jobs).toHaveLength(jobCount);
        expect(jobs.filter((j) => j.status !== 'synced')).toEqual([]);
        expect(jobs.filter((j) => j.attempts === 2).map((j) => j.id).sort()).toEqual([...held.held!].sort());
        expect(jobs.every((j) => j.xeroId === `xero-${j.id}` && j.lease === null)).toBe(true);
      } finally {
        await db.close();
      }
    });
  });
}
