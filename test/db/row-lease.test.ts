// The lease primitive and every claimer built on it, against a real SQLite file and a real
// PostgreSQL database. The races run eight callers over four handles (four "bot instances",
// each with its own connections): a claim of one must return at most one row, no row may go to
// two callers, and once everyone has drained the queue nothing is left held.
import { sqltag } from '@prisma/client/runtime/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type XeroTokenSet } from '../../src/db/index.ts';
import { createClient, type DbClient } from '../../src/db/prisma-client.ts';
import { leaseTable, rowLeases } from '../../src/db/row-lease.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();
const rowCount = 40;
const callerCount = 8;
const handleCount = 4;

function tokens(n: number): XeroTokenSet {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, idToken: undefined, expiresAt: new Date(Date.now() + 30 * 60_000), scopes: ['offline_access'] };
}

interface Batch {
  owner: string;
  ids: string[];
}

/** Callers loop "claim one, finish it" until a claim comes back empty; returns every claim made. */
async function drainConcurrently(handles: Database[], claimOne: (db: Database, owner: string) => Promise<string[]>, finish: (db: Database, id: string, owner: string) => Promise<boolean>): Promise<Batch[]> {
  const batches: Batch[] = [];
  const unfinished: string[] = [];
  await Promise.all(
    Array.from({ length: callerCount }, async (_, i) => {
      const owner = `caller-${i}`;
      const db = handles[i % handles.length]!;
      for (;;) {
        const ids = await claimOne(db, owner);
        if (ids.length === 0) return;
        batches.push({ owner, ids });
        for (const id of ids) if (!(await finish(db, id, owner))) unfinished.push(id);
      }
    }),
  );
  expect(unfinished, 'a caller could not finish a row it had claimed').toEqual([]);
  return batches;
}

function expectEachClaimedOnceAtMostOneAtATime(batches: Batch[], seeded: string[]): void {
  const biggest = Math.max(0, ...batches.map((b) => b.ids.length));
  expect(biggest, `a claim with limit 1 returned ${biggest} rows`).toBeLessThanOrEqual(1);
  const ids = batches.flatMap((b) => b.ids);
  expect(new Set(ids).size, 'a row was claimed twice').toBe(ids.length);
  expect([...ids].sort()).toEqual([...seeded].sort());
}

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`leases on ${provider}`, () => {
    let test: TestDatabase;
    let handles: Database[];
    let db: Database;

    beforeAll(async () => {
      test = await createTestDatabase(provider);
      db = await openDatabase(test.settings, { warn: () => {} });
      handles = [db];
      for (let i = 1; i < handleCount; i++) handles.push(await openDatabase(test.settings, { warn: () => {} }));
    });
    afterAll(async () => {
      for (const handle of handles ?? []) await handle.close();
      await test?.drop();
    });

    it(`posts each of ${rowCount} escalations once when ${callerCount} posters claim one at a time`, async () => {
      const seeded: string[] = [];
      for (let i = 0; i < rowCount; i++) {
        const e = await db.escalations.create({ slackTeamId: 'T-race', reporterSlackUserId: 'U-rep', channelId: 'C-rep', errorText: `XERO11 on report ${i}` });
        seeded.push(e.id);
      }
      const batches = await drainConcurrently(
        handles,
        async (handle, owner) => (await handle.escalations.claimUnposted(owner, { limit: 1, leaseMs: 60_000 })).map((e) => e.id),
        async (handle, id, owner) =>
          (await handle.escalations.markPosted(id, owner, { channelId: 'C-triage', ts: `1700000000.${id.slice(0, 6)}` })) &&
          handle.escalations.releasePostLease(id, owner),
      );
      expectEachClaimedOnceAtMostOneAtATime(batches, seeded);
      const stored = await Promise.all(seeded.map((id) => db.escalations.get(id)));
      expect(stored.filter((e) => e?.postedAt === null || e?.postLease !== null)).toEqual([]);
    });

    it(`retries each of ${rowCount} failed exports once when ${callerCount} workers claim one at a time`, async () => {
      const seeded: string[] = [];
      for (let i = 0; i < rowCount; i++) {
        const job = await db.failedSyncs.create({ slackTeamId: 'T-race', externalReference: `EXP-${i}`, kind: 'invoice', payload: { n: i }, errorMessage: 'Xero returned 503', status: 'queued' });
        seeded.push(job.id);
      }
      const batches = await drainConcurrently(
        handles,
        async (handle, owner) => (await handle.failedSyncs.claimDue(owner, { limit: 1, leaseMs: 60_000 })).map((j) => j.id),
        (handle, id, owner) => handle.failedSyncs.complete(id, owner, { xeroId: `xero-${id}` }),
      );
      expectEachClaimedOnceAtMostOneAtATime(batches, seeded);
      const stored = await db.failedSyncs.listByTeam('T-race', { limit: rowCount + 1 });
      expect(stored.filter((j) => j.status !== 'synced' || j.lease !== null || j.attempts !== 1)).toEqual([]);
    });

    it(`gives each of ${rowCount} token sets' refresh lease to exactly one of ${callerCount} refreshers`, async () => {
      const seeded: string[] = [];
      for (let i = 0; i < rowCount; i++) {
        const set = await db.tokenSets.create({ slackTeamId: 'T-race', tokens: tokens(i), connectedBySlackUserId: 'U1' });
        await db.connections.upsert({ slackTeamId: 'T-race', tenantId: `tenant-${i}`, tenantName: `Org ${i}`, tenantType: 'ORGANISATION', xeroConnectionId: `xc-${i}`, tokenSetId: set.id });
        seeded.push(set.id);
      }
      // Every refresher tries every connection, each starting at a different one.
      const won = new Map<string, string[]>();
      await Promise.all(
        Array.from({ length: callerCount }, async (_, i) => {
          const owner = `refresher-${i}`;
          const handle = handles[i % handles.length]!;
          for (let k = 0; k < rowCount; k++) {
            const id = seeded[(k + i * 5) % rowCount]!;
            if (await handle.tokenSets.claimRefreshLease(id, owner, 60_000)) won.set(id, [...(won.get(id) ?? []), owner]);
          }
        }),
      );
      expect([...won.keys()].sort()).toEqual([...seeded].sort());
      expect([...won.entries()].filter(([, owners]) => owners.length !== 1), 'a lease had two holders at once').toEqual([]);
      for (const id of seeded) {
        const [holder] = won.get(id)!;
        expect((await db.tokenSets.get(id))?.refreshLease?.owner).toBe(holder);
        expect(await db.tokenSets.releaseRefreshLease(id, holder === 'refresher-0' ? 'refresher-1' : 'refresher-0')).toBe(false);
        expect(await db.tokenSets.releaseRefreshLease(id, holder!)).toBe(true);
      }
      for (const id of seeded) expect((await db.tokenSets.get(id))?.refreshLease).toBeNull();
    });

    describe('the primitive itself', () => {
      let prisma: DbClient;
      beforeAll(async () => {
        prisma = (await createClient(test.settings.database)).prisma;
      });
      afterAll(async () => {
        await prisma?.$disconnect();
      });

      it('claims only the rows its condition selects, in order, and only up to the limit', async () => {
        // The coming Xero retry queue claims one organisation's due exports at a time.
        const set = await db.tokenSets.create({ slackTeamId: 'T-orgs', tokens: tokens(100), connectedBySlackUserId: 'U1' });
        const orgs = await Promise.all(['a', 'b'].map((t) => db.connections.upsert({ slackTeamId: 'T-orgs', tenantId: t, tenantName: t, tenantType: 'ORGANISATION', xeroConnectionId: t, tokenSetId: set.id })));
        const jobs: Record<string, string[]> = { a: [], b: [] };
        for (let i = 0; i < 3; i++) {
          for (const [k, org] of orgs.entries()) {
            const job = await db.failedSyncs.create({ slackTeamId: 'T-orgs', connectionId: org.id, externalReference: `EXP-${k}-${i}`, kind: 'invoice', payload: {}, errorMessage: 'Xero returned 429', status: 'queued' });
            jobs[k === 0 ? 'a' : 'b']!.push(job.id);
          }
        }
        const exports = rowLeases(prisma, provider, leaseTable('FailedSync', { owner: 'leaseOwner', until: 'leaseUntil' }));
        const now = new Date(Date.now() + 1000);
        const claim = (connectionId: string, limit: number) =>
          exports.claim({ owner: 'org-worker', limit, leaseMs: 60_000, now, due: sqltag`"status" = 'queued' AND "connectionId" = ${connectionId}`, orderBy: sqltag`"createdAt", "id"` });
        expect(await claim(orgs[0]!.id, 0)).toEqual([]);
        expect(await claim(orgs[0]!.id, 2)).toEqual(jobs.a!.slice(0, 2));
        expect(await claim(orgs[0]!.id, 10)).toEqual(jobs.a!.slice(2));
        expect(await claim(orgs[0]!.id, 10)).toEqual([]);
        expect((await db.failedSyncs.get(jobs.b![0]!))?.lease).toBeNull();
        // Once the holder's lease has run out, the rows are due again.
        const later = new Date(now.getTime() + 60_001);
        expect(await exports.claim({ owner: 'next', limit: 10, leaseMs: 1000, now: later, due: sqltag`"connectionId" = ${orgs[0]!.id}`, orderBy: sqltag`"id"` })).toHaveLength(3);
      });

      it('takes a free, expired or own lease by id, and lets only the holder renew or release it', async () => {
        // A "run once per slot" coordinator: whoever takes the row runs the slot.
        const c = await db.tokenSets.create({ slackTeamId: 'T-slot', tokens: tokens(200), connectedBySlackUserId: 'U1' });
        const slots = rowLeases(prisma, provider, leaseTable('XeroTokenSet', { owner: 'refreshLeaseOwner', until: 'refreshLeaseUntil' }));
        const t0 = new Date('2031-01-01T00:00:00Z');
        const at = (ms: number) => ({ now: new Date(t0.getTime() + ms) });
        expect(await slots.take(c.id, 'a', 10_000, at(0))).toBe(true);
        expect(await slots.take(c.id, 'b', 10_000, at(5_000))).toBe(false);
        expect(await slots.take(c.id, 'a', 10_000, at(5_000))).toBe(true);
        expect(await slots.renew(c.id, 'b', 10_000, at(6_000))).toBe(false);
        expect(await slots.renew(c.id, 'a', 10_000, at(6_000))).toBe(true);
        expect(await slots.take(c.id, 'b', 10_000, at(15_000))).toBe(false);
        expect(await slots.take(c.id, 'b', 10_000, at(16_001))).toBe(true);
        expect(await slots.release(c.id, 'a')).toBe(false);
        expect(await slots.release(c.id, 'b', { where: sqltag`"rejectedAt" IS NOT NULL` })).toBe(false);
        expect(await slots.release(c.id, 'b')).toBe(true);
        expect((await db.tokenSets.get(c.id))?.refreshLease).toBeNull();
        expect(await slots.take('no-such-row', 'a', 10_000)).toBe(false);
      });

      it('refuses table or column names that are not plain identifiers', () => {
        expect(() => leaseTable('FailedSync"; DROP TABLE "FailedSync', { owner: 'leaseOwner', until: 'leaseUntil' })).toThrow(/lease_identifier_invalid/);
        expect(() => leaseTable('FailedSync', { owner: 'lease Owner', until: 'leaseUntil' })).toThrow(/lease_identifier_invalid/);
      });
    });
  });
}
