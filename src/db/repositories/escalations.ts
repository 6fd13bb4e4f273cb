// Escalations to the support team. State changes (claim, resolve, mark posted) are conditional
// updates that report whether they happened, so two people pressing "Claim" at once get one
// winner and one "already claimed".
//
// Posting the triage message is leased like failed-sync retries: claimUnposted is one
// UPDATE ... RETURNING over the unposted rows whose lease is free or expired (on PostgreSQL with
// FOR UPDATE SKIP LOCKED, on SQLite under the database's single write lock), so several bot
// instances on one database never post the same escalation at once.
import { empty, join, sqltag } from '@prisma/client/runtime/client';
import { skipLocked } from '../skip-locked.ts';
import type { DatabaseProvider } from '../schema-files.ts';
import type { DbClient } from '../prisma-client.ts';
import type { Escalation, EscalationInput, EscalationStatus, ListOptions, SlackMessageRef } from '../../support/records.ts';
import type { ClaimOptions } from './failed-syncs.ts';

export interface EscalationRepository {
  /** Stores a new escalation; with `input.postLease` it starts out claimed for posting by that owner. */
  create(input: EscalationInput, now?: Date): Promise<Escalation>;
  get(id: string): Promise<Escalation | null>;
  /** Not yet resolved (open or claimed), oldest first; optionally one workspace's. */
  listOpen(options?: ListOptions & { slackTeamId?: string }): Promise<Escalation[]>;
  /** One reporter's escalations, newest first. */
  listByReporter(slackTeamId: string, reporterSlackUserId: string, options?: ListOptions): Promise<Escalation[]>;
  /**
   * Takes up to `limit` unposted escalations (oldest first) that nobody holds or whose post
   * lease expired, for `owner` until `now + leaseMs`. Two claimers never get the same one.
   * Escalations of the workspaces in `skipTeamIds` are left alone.
   */
  claimUnposted(owner: string, options?: ClaimOptions & { skipTeamIds?: readonly string[] }): Promise<Escalation[]>;
  /** Records the triage message and releases the lease; false unless `owner` holds an unposted escalation. */
  markPosted(id: string, owner: string, triageMessage: SlackMessageRef, now?: Date): Promise<boolean>;
  /** Where the reporter's confirmation went (their thread or their DM), for later updates. */
  recordReporterConfirmation(id: string, confirmation: SlackMessageRef): Promise<boolean>;
  /** open -> claimed by `assigneeSlackUserId`; false when it was not open. */
  claim(id: string, assigneeSlackUserId: string, now?: Date): Promise<boolean>;
  /** open or claimed -> resolved by `resolverSlackUserId`; false when it was already resolved. */
  resolve(id: string, resolverSlackUserId: string, now?: Date): Promise<boolean>;
}

const defaultLeaseMs = 5 * 60_000;

type Row = Awaited<ReturnType<DbClient['escalation']['findUniqueOrThrow']>>;

function messageRef(channelId: string | null, ts: string | null): SlackMessageRef | null {
  return channelId && ts ? { channelId, ts } : null;
}

function toEscalation(row: Row): Escalation {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    reporterSlackUserId: row.reporterSlackUserId,
    channelId: row.channelId,
    threadTs: row.threadTs,
    errorText: row.errorText,
    notes: row.notes,
    reportId: row.reportId,
    occurredAt: row.occurredAt,
    connectionId: row.connectionId,
    articleId: row.articleId,
    status: row.status as EscalationStatus,
    assigneeSlackUserId: row.assigneeSlackUserId,
    resolvedBySlackUserId: row.resolvedBySlackUserId,
    triageMessage: messageRef(row.triageChannelId, row.triageMessageTs),
    reporterConfirmation: messageRef(row.reporterConfirmationChannelId, row.reporterConfirmationTs),
    postedAt: row.postedAt,
    postLease: row.postLeaseOwner && row.postLeaseUntil ? { owner: row.postLeaseOwner, until: row.postLeaseUntil } : null,
    claimedAt: row.claimedAt,
    resolvedAt: row.resolvedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createEscalationRepository(prisma: DbClient, provider: DatabaseProvider): EscalationRepository {
  const claimIds = async (owner: string, limit: number, until: Date, now: Date, skipTeamIds: readonly string[]): Promise<string[]> => {
    const skipTeams = skipTeamIds.length ? sqltag`AND "slackTeamId" NOT IN (${join([...skipTeamIds])})` : empty;
    // The outer re-check keeps a row another claimer took between the subquery and the update.
    const rows = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Escalation"
      SET "postLeaseOwner" = ${owner}, "postLeaseUntil" = ${until}
      WHERE "id" IN (
        SELECT "id" FROM "Escalation"
        WHERE "postedAt" IS NULL AND ("postLeaseUntil" IS NULL OR "postLeaseUntil" < ${now}) ${skipTeams}
        ORDER BY "createdAt", "id"
        LIMIT ${limit}
        ${skipLocked(provider)})
      AND "postedAt" IS NULL AND ("postLeaseUntil" IS NULL OR "postLeaseUntil" < ${now})
      RETURNING "id"`;
    return rows.map((r) => r.id);
  };

  return {
    async create(input, now = new Date()) {
      const row = await prisma.escalation.create({
        data: {
          slackTeamId: input.slackTeamId,
          reporterSlackUserId: input.reporterSlackUserId,
          channelId: input.channelId,
          threadTs: input.threadTs ?? null,
          errorText: input.errorText,
          notes: input.notes ?? null,
          reportId: input.reportId ?? null,
          occurredAt: input.occurredAt ?? null,
          connectionId: input.connectionId ?? null,
          articleId: input.articleId ?? null,
          postLeaseOwner: input.postLease?.owner ?? null,
          postLeaseUntil: input.postLease?.until ?? null,
          createdAt: now,
        },
      });
      return toEscalation(row);
    },

    async get(id) {
      const row = await prisma.escalation.findUnique({ where: { id } });
      return row ? toEscalation(row) : null;
    },

    async listOpen(options = {}) {
      const rows = await prisma.escalation.findMany({
        where: { status: { in: ['open', 'claimed'] }, ...(options.slackTeamId ? { slackTeamId: options.slackTeamId } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: options.limit ?? 50,
      });
      return rows.map(toEscalation);
    },

    async listByReporter(slackTeamId, reporterSlackUserId, options = {}) {
      const rows = await prisma.escalation.findMany({
        where: { slackTeamId, reporterSlackUserId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: options.limit ?? 20,
      });
      return rows.map(toEscalation);
    },

    async claimUnposted(owner, options = {}) {
      const now = options.now ?? new Date();
      const until = new Date(now.getTime() + (options.leaseMs ?? defaultLeaseMs));
      const ids = await claimIds(owner, options.limit ?? 10, until, now, options.skipTeamIds ?? []);
      if (ids.length === 0) return [];
      const rows = await prisma.escalation.findMany({ where: { id: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toEscalation);
    },

    async markPosted(id, owner, triageMessage, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({
        where: { id, postedAt: null, postLeaseOwner: owner },
        data: { postedAt: now, triageChannelId: triageMessage.channelId, triageMessageTs: triageMessage.ts, postLeaseOwner: null, postLeaseUntil: null },
      });
      return count === 1;
    },

    async recordReporterConfirmation(id, confirmation) {
      const { count } = await prisma.escalation.updateMany({
        where: { id },
        data: { reporterConfirmationChannelId: confirmation.channelId, reporterConfirmationTs: confirmation.ts },
      });
      return count === 1;
    },

    async claim(id, assigneeSlackUserId, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({ where: { id, status: 'open' }, data: { status: 'claimed', assigneeSlackUserId, claimedAt: now } });
      return count === 1;
    },

    async resolve(id, resolverSlackUserId, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({
        where: { id, status: { in: ['open', 'claimed'] } },
        data: { status: 'resolved', resolvedBySlackUserId: resolverSlackUserId, resolvedAt: now },
      });
      return count === 1;
    },
  };
}
