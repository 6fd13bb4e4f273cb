// Health alerts waiting for, or already in, ALERTS_CHANNEL_ID. Raising is an insert on a unique
// key (so a transition is raised once however many instances notice it); posting is claimed with
// the shared lease primitive, and the attempt is stamped before the post so a crash between the
// post and its record is visible instead of silently posted twice.
import { sqltag } from '@prisma/client/runtime/client';
import type { DbClient } from '../prisma-client.ts';
import { leaseTable, rowLeases } from '../row-lease.ts';
import type { DatabaseProvider } from '../schema-files.ts';
import type { HealthAlert, HealthAlertInput, HealthAlertKind, SlackMessageRef } from '../../support/records.ts';

export interface HealthAlertRepository {
  /** The newest alert about `subject`, or null. */
  latest(subject: string): Promise<HealthAlert | null>;
  /** Inserts the alert; null when its dedupeKey was already raised (by us or another instance). */
  raise(input: HealthAlertInput, now?: Date): Promise<HealthAlert | null>;
  /** Claims unposted alerts nobody holds (never attempted, or attempted with no recorded outcome), oldest first, for `owner` until now + leaseMs. */
  claimUnposted(owner: string, options: { limit: number; leaseMs: number; now: Date }): Promise<HealthAlert[]>;
  /** Stamps the attempt just before posting (replacing an earlier one); false unless `owner` holds it. */
  markAttempted(id: string, owner: string, leaseMs: number, now?: Date): Promise<boolean>;
  markPosted(id: string, owner: string, message: SlackMessageRef, now?: Date): Promise<boolean>;
  /** Slack refused the post (nothing was posted): the alert is offered again on the next run. */
  markNotPosted(id: string, owner: string, now?: Date): Promise<boolean>;
  /** Attempted before `before` and never recorded as posted: being retried, or waiting to be looked up in Slack. */
  listUnconfirmed(before: Date): Promise<HealthAlert[]>;
}

const postLeaseTable = leaseTable('HealthAlert', { owner: 'postLeaseOwner', until: 'postLeaseUntil', updatedAt: 'updatedAt' });

type Row = Awaited<ReturnType<DbClient['healthAlert']['findUniqueOrThrow']>>;

function toAlert(row: Row): HealthAlert {
  return {
    id: row.id,
    dedupeKey: row.dedupeKey,
    subject: row.subject,
    kind: row.kind as HealthAlertKind,
    state: row.state,
    slackTeamId: row.slackTeamId,
    connectionId: row.connectionId,
    details: row.details as HealthAlert['details'],
    postAttemptedAt: row.postAttemptedAt,
    postedAt: row.postedAt,
    message: row.channelId && row.messageTs ? { channelId: row.channelId, ts: row.messageTs } : null,
    createdAt: row.createdAt,
  };
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'P2002';
}

export function createHealthAlertRepository(prisma: DbClient, provider: DatabaseProvider): HealthAlertRepository {
  const postLease = rowLeases(prisma, provider, postLeaseTable);
  return {
    async latest(subject) {
      const row = await prisma.healthAlert.findFirst({ where: { subject }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
      return row ? toAlert(row) : null;
    },

    async raise(input, now = new Date()) {
      try {
        const row = await prisma.healthAlert.create({ data: { ...input, createdAt: now } });
        return toAlert(row);
      } catch (err) {
        if (isUniqueViolation(err)) return null;
        throw err;
      }
    },

    async claimUnposted(owner, options) {
      const ids = await postLease.claim({
        owner,
        limit: options.limit,
        leaseMs: options.leaseMs,
        now: options.now,
        due: sqltag`"postedAt" IS NULL`,
        orderBy: sqltag`"createdAt", "id"`,
      });
      if (ids.length === 0) return [];
      const rows = await prisma.healthAlert.findMany({ where: { id: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toAlert);
    },

    markAttempted(id, owner, leaseMs, now = new Date()) {
      return postLease.renew(id, owner, leaseMs, { now, where: sqltag`"postedAt" IS NULL`, set: [sqltag`"postAttemptedAt" = ${now}`] });
    },

    markPosted(id, owner, message, now = new Date()) {
      return postLease.release(id, owner, {
        now,
        where: sqltag`"postedAt" IS NULL`,
        set: [sqltag`"postedAt" = ${now}`, sqltag`"channelId" = ${message.channelId}`, sqltag`"messageTs" = ${message.ts}`],
      });
    },

    markNotPosted(id, owner, now = new Date()) {
      return postLease.release(id, owner, { now, where: sqltag`"postedAt" IS NULL`, set: [sqltag`"postAttemptedAt" = NULL`] });
    },

    async listUnconfirmed(before) {
      const rows = await prisma.healthAlert.findMany({ where: { postedAt: null, postAttemptedAt: { lt: before } }, orderBy: { createdAt: 'asc' }, take: 50 });
      return rows.map(toAlert);
    },
  };
}
