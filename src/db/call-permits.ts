// The one primitive for "at most N at once and M per window" across processes on one database:
// a permit row per granted call. A permit is in flight while it has no finishedAt and its lease
// runs (a killed holder's permit lapses at leaseUntil, nobody cleans up), and counts against a
// window until that long after it ENDED. Counting by the end, not the start, keeps us inside a
// limit that the other side counts on arrival: a call arrives before it ends, so by the time our
// window lets the next one go, the old one has left the other side's window too.
//
// Permits for one scope are granted one at a time: the grant runs in a transaction that first
// writes the scope's row (PostgreSQL: a row lock; SQLite: the database's write lock), then counts
// and inserts. The app-wide limit is checked from a count refreshed at most every
// `sharedRefreshMs` per process, with a reserve, so the hot path never serialises on one row.
import { randomUUID } from 'node:crypto';
import { join, raw, sqltag, type Sql } from '@prisma/client/runtime/client';
import type { DbClient } from './prisma-client.ts';
import type { DatabaseProvider } from './schema-files.ts';

export interface WindowLimit {
  limit: number;
  ms: number;
  /** Which remaining-figure the other side reports for this window, if any. */
  reported?: 'minute' | 'day';
}

export interface ScopeLimits {
  concurrent: number;
  windows: WindowLimit[];
  /** How long a permit stays in flight when never given back. */
  leaseMs: number;
}

export interface SharedLimit {
  /** The scope row holding the shared pause and reported remaining, e.g. "app". */
  scope: string;
  limit: number;
  ms: number;
  /** Kept free for the grants other processes make between two refreshes of the shared count. */
  reserve: number;
}

export type PermitRefusalReason = 'paused' | 'concurrent' | 'window' | 'shared';

export type PermitGrant =
  | { granted: true; id: string }
  | { granted: false; reason: PermitRefusalReason; /** Index into `windows` for 'window'. */ window?: number; retryAt: Date };

export interface CallPermits {
  acquire(input: { scope: string; holder: string; now: Date; limits: ScopeLimits; shared?: SharedLimit }): Promise<PermitGrant>;
  release(id: string, now: Date): Promise<void>;
  /** No grant in the scope before `until` (a later pause never shortens an earlier one). */
  pause(scope: string, until: Date, problem: string, now: Date): Promise<void>;
  /** The other side's remaining figures at `at`; an older observation never replaces a newer one. */
  noteRemaining(scope: string, remaining: { minute?: number; day?: number }, at: Date): Promise<void>;
  /** Deletes permits granted before `before` (older than the longest window plus a lease). */
  prune(before: Date): Promise<number>;
}

interface ScopeRow {
  pausedUntil: Date | null;
  minuteRemaining: number | null;
  dayRemaining: number | null;
  remainingObservedAt: Date | null;
}

type Tx = Parameters<Parameters<DbClient['$transaction']>[0]>[0];

const asDate = (value: unknown): Date | null => (value === null || value === undefined ? null : value instanceof Date ? value : new Date(value as string | number));
const asCount = (value: unknown): number => Number(value ?? 0);

export interface CallPermitOptions {
  /** How often one process recounts the shared (app-wide) window (default 200 ms). */
  sharedRefreshMs?: number;
  /** How soon to ask again when only concurrency is full (default 50 ms). */
  concurrencyRetryMs?: number;
}

export function callPermits(prisma: DbClient, provider: DatabaseProvider, options: CallPermitOptions = {}): CallPermits {
  const sharedRefreshMs = options.sharedRefreshMs ?? 200;
  const concurrencyRetryMs = options.concurrencyRetryMs ?? 50;
  const knownScopes = new Set<string>();
  let sharedSnapshot: { key: string; at: number; count: number; state: ScopeRow | null } | undefined;

  async function ensureScope(client: Tx | DbClient, scope: string, now: Date): Promise<void> {
    if (knownScopes.has(scope)) return;
    await client.$executeRaw`INSERT INTO "XeroRateScope" ("key", "updatedAt") VALUES (${scope}, ${now}) ON CONFLICT ("key") DO NOTHING`;
    knownScopes.add(scope);
  }

  async function lockScope(tx: Tx, scope: string, now: Date): Promise<ScopeRow> {
    for (let tries = 0; ; tries++) {
      const rows = await tx.$queryRaw<ScopeRow[]>`
        UPDATE "XeroRateScope" SET "updatedAt" = ${now} WHERE "key" = ${scope}
        RETURNING "pausedUntil", "minuteRemaining", "dayRemaining", "remainingObservedAt"`;
      if (rows[0]) return { ...rows[0], pausedUntil: asDate(rows[0].pausedUntil), remainingObservedAt: asDate(rows[0].remainingObservedAt) };
      if (tries > 0) throw new Error(`rate_scope_missing: the rate-limit scope ${scope} could not be created`);
      knownScopes.delete(scope);
      await ensureScope(tx, scope, now);
    }
  }

  async function sharedState(shared: SharedLimit, now: Date): Promise<{ count: number; state: ScopeRow | null }> {
    const key = `${shared.scope}:${shared.ms}`;
    if (sharedSnapshot && sharedSnapshot.key === key && now.getTime() - sharedSnapshot.at < sharedRefreshMs) return sharedSnapshot;
    const start = new Date(now.getTime() - shared.ms);
    const [counted] = await prisma.$queryRaw<{ n: unknown }[]>`
      SELECT count(*) AS "n" FROM "XeroCallPermit" WHERE "grantedAt" > ${new Date(start.getTime() - 10 * shared.ms)} AND COALESCE("finishedAt", "leaseUntil") > ${start}`;
    const rows = await prisma.$queryRaw<ScopeRow[]>`
      SELECT "pausedUntil", "minuteRemaining", "dayRemaining", "remainingObservedAt" FROM "XeroRateScope" WHERE "key" = ${shared.scope}`;
    const state = rows[0] ? { ...rows[0], pausedUntil: asDate(rows[0].pausedUntil), remainingObservedAt: asDate(rows[0].remainingObservedAt) } : null;
    sharedSnapshot = { key, at: now.getTime(), count: asCount(counted?.n), state };
    return sharedSnapshot;
  }

  function reportedRemaining(state: ScopeRow, window: WindowLimit, now: Date): number | null {
    if (!window.reported || !state.remainingObservedAt || state.remainingObservedAt.getTime() <= now.getTime() - window.ms) return null;
    return window.reported === 'minute' ? state.minuteRemaining : state.dayRemaining;
  }

  /** Why a permit cannot be granted now, or null when it can. One query counts everything. */
  async function refusalOf(client: Tx | DbClient, state: ScopeRow, scope: string, limits: ScopeLimits, now: Date): Promise<PermitGrant | null> {
    if (state.pausedUntil && state.pausedUntil > now) return { granted: false, reason: 'paused', retryAt: state.pausedUntil };
    const ended = sqltag`COALESCE("finishedAt", "leaseUntil")`;
    const observedAt = state.remainingObservedAt ?? now;
    const ranges = limits.windows.map((window) => {
      const start = new Date(now.getTime() - window.ms);
      return { start, inWindow: sqltag`("grantedAt" > ${new Date(start.getTime() - limits.leaseMs)} AND ${ended} > ${start})` };
    });
    const columns = [
      sqltag`sum(CASE WHEN "finishedAt" IS NULL AND "leaseUntil" > ${now} THEN 1 ELSE 0 END) AS "flight"`,
      ...ranges.flatMap(({ inWindow }, i) => [
        sqltag`sum(CASE WHEN ${inWindow} THEN 1 ELSE 0 END) AS ${raw(`"n${i}"`)}`,
        sqltag`min(CASE WHEN ${inWindow} THEN ${ended} END) AS ${raw(`"oldest${i}"`)}`,
        sqltag`sum(CASE WHEN ${inWindow} AND ${ended} > ${observedAt} THEN 1 ELSE 0 END) AS ${raw(`"since${i}"`)}`,
      ]),
    ];
    const earliest = new Date(Math.min(...ranges.map((r) => r.start.getTime())) - limits.leaseMs);
    const [row] = await client.$queryRaw<Record<string, unknown>[]>`
      SELECT ${join(columns, ', ')} FROM "XeroCallPermit"
      WHERE "scopeKey" = ${scope} AND ("grantedAt" > ${earliest} OR ("finishedAt" IS NULL AND "leaseUntil" > ${now}))`;
    if (asCount(row?.flight) >= limits.concurrent) return { granted: false, reason: 'concurrent', retryAt: new Date(now.getTime() + concurrencyRetryMs) };
    for (const [index, window] of limits.windows.entries()) {
      const count = asCount(row?.[`n${index}`]);
      const oldestEnd = asDate(row?.[`oldest${index}`]);
      const reported = reportedRemaining(state, window, now);
      if (count >= window.limit || (reported !== null && reported - asCount(row?.[`since${index}`]) <= 0)) {
        const freedAt = oldestEnd ? oldestEnd.getTime() + window.ms : (state.remainingObservedAt?.getTime() ?? now.getTime()) + window.ms;
        return { granted: false, reason: 'window', window: index, retryAt: new Date(Math.max(freedAt, now.getTime() + 1)) };
      }
    }
    return null;
  }

  /** The same decision as refusalOf, as one SQL condition (SQLite's single-statement grant). */
  function grantableSql(scope: string, limits: ScopeLimits, now: Date): Sql {
    const conditions: Sql[] = [
      sqltag`NOT EXISTS (SELECT 1 FROM "XeroRateScope" WHERE "key" = ${scope} AND "pausedUntil" > ${now})`,
      sqltag`(SELECT count(*) FROM "XeroCallPermit" WHERE "scopeKey" = ${scope} AND "finishedAt" IS NULL AND "leaseUntil" > ${now}) < ${limits.concurrent}`,
    ];
    for (const window of limits.windows) {
      const start = new Date(now.getTime() - window.ms);
      const floor = new Date(start.getTime() - limits.leaseMs);
      conditions.push(sqltag`(SELECT count(*) FROM "XeroCallPermit" WHERE "scopeKey" = ${scope} AND "grantedAt" > ${floor} AND COALESCE("finishedAt", "leaseUntil") > ${start}) < ${window.limit}`);
      if (window.reported) {
        const column = window.reported === 'minute' ? raw('"minuteRemaining"') : raw('"dayRemaining"');
        conditions.push(sqltag`NOT EXISTS (
          SELECT 1 FROM "XeroRateScope" AS "s" WHERE "s"."key" = ${scope} AND "s"."remainingObservedAt" > ${start} AND "s".${column} IS NOT NULL
            AND "s".${column} <= (SELECT count(*) FROM "XeroCallPermit" AS "p" WHERE "p"."scopeKey" = ${scope} AND "p"."grantedAt" > ${floor}
              AND COALESCE("p"."finishedAt", "p"."leaseUntil") > ${start} AND COALESCE("p"."finishedAt", "p"."leaseUntil") > "s"."remainingObservedAt"))`);
      }
    }
    return join(conditions, ' AND ');
  }

  async function readScope(client: Tx | DbClient, scope: string): Promise<ScopeRow> {
    const rows = await client.$queryRaw<ScopeRow[]>`
      SELECT "pausedUntil", "minuteRemaining", "dayRemaining", "remainingObservedAt" FROM "XeroRateScope" WHERE "key" = ${scope}`;
    const row = rows[0] ?? { pausedUntil: null, minuteRemaining: null, dayRemaining: null, remainingObservedAt: null };
    return { ...row, pausedUntil: asDate(row.pausedUntil), remainingObservedAt: asDate(row.remainingObservedAt) };
  }

  return {
    async acquire({ scope, holder, now, limits, shared }) {
      if (shared) {
        const { count, state } = await sharedState(shared, now);
        if (state?.pausedUntil && state.pausedUntil > now) return { granted: false, reason: 'paused', retryAt: state.pausedUntil };
        const reported = state && state.remainingObservedAt && state.remainingObservedAt.getTime() > now.getTime() - shared.ms ? state.minuteRemaining : null;
        const left = Math.min(shared.limit - shared.reserve - count, reported === null ? Infinity : reported - shared.reserve);
        if (left <= 0) return { granted: false, reason: 'shared', retryAt: new Date(now.getTime() + Math.max(sharedRefreshMs, shared.ms / 20)) };
      }
      await ensureScope(prisma, scope, now);
      if (provider === 'sqlite') {
        // One statement: SQLite takes its write lock before the statement reads, so the counts
        // and the insert are atomic across processes without a transaction.
        const id = randomUUID();
        const inserted = await prisma.$executeRaw`
          INSERT INTO "XeroCallPermit" ("id", "scopeKey", "holder", "grantedAt", "leaseUntil")
          SELECT ${id}, ${scope}, ${holder}, ${now}, ${new Date(now.getTime() + limits.leaseMs)}
          WHERE ${grantableSql(scope, limits, now)}`;
        if (inserted === 1) return { granted: true, id };
        const refusal = await refusalOf(prisma, await readScope(prisma, scope), scope, limits, now);
        // Between the insert and this read someone finished: ask again at once.
        return refusal ?? { granted: false, reason: 'concurrent', retryAt: new Date(now.getTime() + 1) };
      }
      return prisma.$transaction(
        async (tx): Promise<PermitGrant> => {
          const refusal = await refusalOf(tx, await lockScope(tx, scope, now), scope, limits, now);
          if (refusal) return refusal;
          const id = randomUUID();
          await tx.$executeRaw`
            INSERT INTO "XeroCallPermit" ("id", "scopeKey", "holder", "grantedAt", "leaseUntil")
            VALUES (${id}, ${scope}, ${holder}, ${now}, ${new Date(now.getTime() + limits.leaseMs)})`;
          return { granted: true, id };
        },
        { maxWait: 30_000, timeout: 30_000 },
      );
    },

    async release(id, now) {
      await prisma.$executeRaw`UPDATE "XeroCallPermit" SET "finishedAt" = ${now} WHERE "id" = ${id} AND "finishedAt" IS NULL AND "leaseUntil" > ${now}`;
    },

    async pause(scope, until, problem, now) {
      await ensureScope(prisma, scope, now);
      await prisma.$executeRaw`
        UPDATE "XeroRateScope" SET "pausedUntil" = ${until}, "pauseProblem" = ${problem}, "updatedAt" = ${now}
        WHERE "key" = ${scope} AND ("pausedUntil" IS NULL OR "pausedUntil" < ${until})`;
      if (sharedSnapshot?.key.startsWith(`${scope}:`)) sharedSnapshot = undefined;
    },

    async noteRemaining(scope, remaining, at) {
      if (remaining.minute === undefined && remaining.day === undefined) return;
      await ensureScope(prisma, scope, at);
      await prisma.$executeRaw`
        UPDATE "XeroRateScope" SET "minuteRemaining" = ${remaining.minute ?? null}, "dayRemaining" = ${remaining.day ?? null}, "remainingObservedAt" = ${at}, "updatedAt" = ${at}
        WHERE "key" = ${scope} AND ("remainingObservedAt" IS NULL OR "remainingObservedAt" < ${at})`;
    },

    prune(before) {
      return prisma.$executeRaw`DELETE FROM "XeroCallPermit" WHERE "grantedAt" < ${before}`;
    },
  };
}
