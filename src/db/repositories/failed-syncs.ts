// Failed syncs / exports and their retry queue. A retry is claimed with a lease (see
// row-lease.ts): a job has at most one live lease, and an expired lease (a crashed worker)
// makes the job claimable again.
import { randomUUID } from 'node:crypto';
import { sqltag } from '@prisma/client/runtime/client';
import { leaseTable, rowLeases } from '../row-lease.ts';
import type { DatabaseProvider } from '../schema-files.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import type { DbClient } from '../prisma-client.ts';
import type { FailedSync, FailedSyncInput, FailedSyncStatus, RetryFailure, RetryOutcome, RetryPolicy, RetrySelection, RetrySettlement } from '../../support/records.ts';

export interface ClaimOptions {
  /** Most jobs to take at once (default 10). */
  limit?: number;
  /** How long the claim holds before others may take the job (default 5 minutes). */
  leaseMs?: number;
  now?: Date;
}

export interface FailedSyncRepository {
  /** Records a failure. Recording the same idempotency key again returns the first record. */
  create(input: FailedSyncInput): Promise<FailedSync>;
  /** create() for many in one transaction (one disk sync for a whole batch), in order. */
  createMany(inputs: readonly FailedSyncInput[]): Promise<FailedSync[]>;
  get(id: string): Promise<FailedSync | null>;
  /** Newest first (by occurredAt). */
  listByTeam(slackTeamId: string, options?: { status?: FailedSyncStatus | FailedSyncStatus[]; limit?: number }): Promise<FailedSync[]>;
  /** How many exports of one connection wait as failed, and as queued or being retried. */
  countByConnection(connectionId: string): Promise<{ failed: number; queued: number }>;
  /** Queues a failed job for retry now, with a fresh attempt budget. False unless it was 'failed'. */
  queueRetry(id: string, now?: Date): Promise<boolean>;
  /** Hides a job from the retry queue and default lists. False while a worker holds it. */
  archive(id: string, now?: Date): Promise<boolean>;
  /** Takes up to `limit` due jobs (status queued, or retrying with an expired lease) for `owner`. */
  claimDue(owner: string, options?: ClaimOptions): Promise<FailedSync[]>;
  /** Extends a held lease; false when `owner` no longer holds it. */
  renewLease(id: string, owner: string, leaseMs: number, now?: Date): Promise<boolean>;
  /** Marks a held job synced. False when `owner` no longer holds it. */
  complete(id: string, owner: string, result: { xeroId: string | null }, now?: Date): Promise<boolean>;
  /**
   * Records a failed attempt of a held job: queued again after an exponential backoff, or
   * back to 'failed' when not retryable or out of attempts. Null when `owner` no longer holds it.
   */
  fail(id: string, owner: string, failure: RetryFailure, now?: Date): Promise<FailedSync | null>;
  /** Stamps a held job's send as started, with the Idempotency-Key it carries, BEFORE the send. */
  stampSend(id: string, owner: string, sendKey: string, now?: Date): Promise<boolean>;
  /** Records how a held job's attempt ended and frees it. False when `owner` no longer holds it. */
  settle(id: string, owner: string, settlement: RetrySettlement, now?: Date): Promise<boolean>;
  /** Moves every queued job of the connection due before `until` to `until` (its organisation is at its limit). */
  deferConnection(connectionId: string, until: Date, now?: Date): Promise<number>;
  /** How many jobs are queued or being retried, across every team. */
  countPending(): Promise<number>;
  /** Queues the selected failed (and needs_fix) jobs now, each with a fresh attempt budget, reporting to `retryRequestId`. Returns their ids. */
  queueForRetry(selection: RetrySelection, retryRequestId: string | null, now?: Date): Promise<string[]>;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000 };
const defaultLeaseMs = 5 * 60_000;
const retryLeaseTable = leaseTable('FailedSync', { owner: 'leaseOwner', until: 'leaseUntil', updatedAt: 'updatedAt' });
/** Only a job being retried has a holder who may renew, complete or fail it. */
const beingRetried = sqltag`"status" = 'retrying'`;

type Row = Awaited<ReturnType<DbClient['failedSync']['findUniqueOrThrow']>>;

export function toFailedSync(row: Row): FailedSync {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    connectionId: row.connectionId,
    externalReference: row.externalReference,
    kind: row.kind,
    payload: row.payload as FailedSync['payload'],
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    validationMessages: row.validationMessages as string[],
    occurredAt: row.occurredAt,
    status: row.status as FailedSyncStatus,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    idempotencyKey: row.idempotencyKey,
    lease: row.leaseOwner && row.leaseUntil ? { owner: row.leaseOwner, until: row.leaseUntil } : null,
    xeroId: row.xeroId,
    syncedAt: row.syncedAt,
    sendKey: row.sendKey,
    sendStartedAt: row.sendStartedAt,
    lastOutcome: row.lastOutcome as RetryOutcome | null,
    retryRequestId: row.retryRequestId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function retryDelayMs(attempts: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

function upsertOf(input: FailedSyncInput) {
  const idempotencyKey = input.idempotencyKey ?? randomUUID();
  const now = new Date();
  const status = input.status ?? 'failed';
  return {
    where: { idempotencyKey },
    update: {},
    create: {
      idempotencyKey,
      slackTeamId: input.slackTeamId,
      connectionId: input.connectionId ?? null,
      externalReference: input.externalReference,
      kind: input.kind,
      payload: input.payload as Prisma.InputJsonValue,
      errorCode: input.errorCode ?? null,
      errorMessage: input.errorMessage,
      validationMessages: input.validationMessages ?? [],
      occurredAt: input.occurredAt ?? now,
      status,
      nextAttemptAt: status === 'queued' ? now : null,
    },
  };
}

export function createFailedSyncRepository(prisma: DbClient, provider: DatabaseProvider, policy: RetryPolicy = defaultRetryPolicy): FailedSyncRepository {
  const retryLease = rowLeases(prisma, provider, retryLeaseTable);

  return {
    async create(input) {
      return toFailedSync(await prisma.failedSync.upsert(upsertOf(input)));
    },

    async createMany(inputs) {
      if (inputs.length === 0) return [];
      const rows = await prisma.$transaction(inputs.map((input) => prisma.failedSync.upsert(upsertOf(input))));
      return rows.map(toFailedSync);
    },

    async get(id) {
      const row = await prisma.failedSync.findUnique({ where: { id } });
      return row ? toFailedSync(row) : null;
    },

    async listByTeam(slackTeamId, options = {}) {
      const statuses = options.status === undefined ? undefined : Array.isArray(options.status) ? options.status : [options.status];
      const rows = await prisma.failedSync.findMany({
        where: { slackTeamId, ...(statuses ? { status: { in: statuses } } : {}) },
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
        take: options.limit ?? 50,
      });
      return rows.map(toFailedSync);
    },

    async countByConnection(connectionId) {
      const groups = await prisma.failedSync.groupBy({ by: ['status'], where: { connectionId, status: { in: ['failed', 'queued', 'retrying'] } }, _count: { _all: true } });
      const count = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
      return { failed: count('failed'), queued: count('queued') + count('retrying') };
    },

    async queueRetry(id, now = new Date()) {
      const { count } = await prisma.failedSync.updateMany({ where: { id, status: 'failed' }, data: { status: 'queued', nextAttemptAt: now, attempts: 0 } });
      return count === 1;
    },

    async archive(id, now = new Date()) {
      const { count } = await prisma.failedSync.updateMany({
        where: { id, OR: [{ status: { in: ['failed', 'needs_fix', 'queued', 'synced'] } }, { status: 'retrying', leaseUntil: { lt: now } }] },
        data: { status: 'archived', nextAttemptAt: null, leaseOwner: null, leaseUntil: null },
      });
      return count === 1;
    },

    async claimDue(owner, options = {}) {
      const now = options.now ?? new Date();
      const ids = await retryLease.claim({
        owner,
        limit: options.limit ?? 10,
        leaseMs: options.leaseMs ?? defaultLeaseMs,
        now,
        due: sqltag`"status" IN ('queued', 'retrying') AND "nextAttemptAt" <= ${now}`,
        // What a person just asked for (a Retry, a reconnect) goes before background retries waiting out a backoff.
        orderBy: sqltag`CASE WHEN "retryRequestId" IS NOT NULL AND "attempts" = 0 THEN 0 ELSE 1 END, "nextAttemptAt", "id"`,
        set: [sqltag`"status" = 'retrying'`, sqltag`"attempts" = "attempts" + 1`],
      });
      if (ids.length === 0) return [];
      const rows = await prisma.failedSync.findMany({ where: { id: { in: ids } }, orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toFailedSync);
    },

    renewLease(id, owner, leaseMs, now = new Date()) {
      return retryLease.renew(id, owner, leaseMs, { now, where: beingRetried });
    },

    complete(id, owner, result, now = new Date()) {
      return retryLease.release(id, owner, {
        now,
        where: beingRetried,
        set: [sqltag`"status" = 'synced'`, sqltag`"xeroId" = ${result.xeroId}`, sqltag`"syncedAt" = ${now}`, sqltag`"nextAttemptAt" = NULL`],
      });
    },

    async fail(id, owner, failure, now = new Date()) {
      const held = await prisma.failedSync.findFirst({ where: { id, leaseOwner: owner, status: 'retrying' } });
      if (!held) return null;
      const retry = failure.retryable !== false && held.attempts < policy.maxAttempts;
      const released = await retryLease.release(id, owner, {
        now,
        where: beingRetried,
        set: [
          sqltag`"status" = ${retry ? 'queued' : 'failed'}`,
          sqltag`"nextAttemptAt" = ${retry ? new Date(now.getTime() + retryDelayMs(held.attempts, policy)) : null}`,
          sqltag`"errorCode" = ${failure.errorCode ?? null}`,
          sqltag`"errorMessage" = ${failure.errorMessage}`,
          sqltag`"validationMessages" = ${JSON.stringify(failure.validationMessages ?? [])}`,
        ],
      });
      if (!released) return null;
      const row = await prisma.failedSync.findUnique({ where: { id } });
      return row ? toFailedSync(row) : null;
    },

    async stampSend(id, owner, sendKey, now = new Date()) {
      const { count } = await prisma.failedSync.updateMany({ where: { id, leaseOwner: owner, status: 'retrying' }, data: { sendKey, sendStartedAt: now, updatedAt: now } });
      return count === 1;
    },

    settle(id, owner, settlement, now = new Date()) {
      const set = settlementColumns(settlement, now);
      return retryLease.release(id, owner, { now, where: beingRetried, set });
    },

    async deferConnection(connectionId, until, now = new Date()) {
      const { count } = await prisma.failedSync.updateMany({
        where: { connectionId, status: 'queued', nextAttemptAt: { lt: until } },
        data: { nextAttemptAt: until, updatedAt: now },
      });
      return count;
    },

    countPending() {
      return prisma.failedSync.count({ where: { status: { in: ['queued', 'retrying'] } } });
    },

    async queueForRetry(selection, retryRequestId, now = new Date()) {
      const statuses = selection.statuses ?? ['failed', 'needs_fix'];
      const rows = await prisma.failedSync.findMany({
        where: {
          slackTeamId: selection.slackTeamId,
          status: { in: statuses },
          ...(selection.ids ? { id: { in: selection.ids } } : {}),
          ...(selection.connectionIds ? { connectionId: { in: selection.connectionIds } } : {}),
        },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
        take: selection.limit,
        select: { id: true },
      });
      const queued: string[] = [];
      // One conditional update per row: a row a worker or another trigger took meanwhile is left alone.
      for (const { id } of rows) {
        const { count } = await prisma.failedSync.updateMany({
          where: { id, status: { in: statuses } },
          data: { status: 'queued', nextAttemptAt: now, attempts: 0, retryRequestId, updatedAt: now },
        });
        if (count === 1) queued.push(id);
      }
      return queued;
    },
  };
}

function settlementColumns(settlement: RetrySettlement, now: Date) {
  switch (settlement.kind) {
    case 'synced':
      return [
        sqltag`"status" = 'synced'`,
        sqltag`"xeroId" = ${settlement.xeroId}`,
        sqltag`"syncedAt" = ${now}`,
        sqltag`"nextAttemptAt" = NULL`,
        sqltag`"sendStartedAt" = NULL`,
        sqltag`"lastOutcome" = ${settlement.found ? 'found' : 'synced'}`,
      ];
    case 'needs_fix':
      return [
        sqltag`"status" = 'needs_fix'`,
        sqltag`"nextAttemptAt" = NULL`,
        ...(settlement.outcomeUnknown ? [] : [sqltag`"sendStartedAt" = NULL`]),
        sqltag`"lastOutcome" = ${settlement.reconnect ? 'needs_reconnect' : 'needs_fix'}`,
        ...(settlement.reconnect
          ? []
          : [
              sqltag`"errorCode" = ${settlement.errorCode}`,
              sqltag`"validationMessages" = ${JSON.stringify(settlement.validationMessages)}`,
              // Xero replays a refusal for the same key: the send after the fix needs a new one.
              sqltag`"sendKey" = NULL`,
            ]),
        sqltag`"errorMessage" = ${settlement.errorMessage}`,
      ];
    case 'transient':
      return [
        sqltag`"status" = ${settlement.giveUp ? 'failed' : 'queued'}`,
        sqltag`"nextAttemptAt" = ${settlement.giveUp ? null : settlement.nextAttemptAt}`,
        ...(settlement.outcomeUnknown ? [] : [sqltag`"sendStartedAt" = NULL`]),
        sqltag`"lastOutcome" = ${settlement.rateLimited ? 'rate_limited' : 'transient'}`,
        sqltag`"errorMessage" = ${settlement.errorMessage}`,
      ];
    case 'deferred':
      return [sqltag`"status" = 'queued'`, sqltag`"nextAttemptAt" = ${settlement.nextAttemptAt}`, sqltag`"attempts" = "attempts" - 1`];
  }
}
