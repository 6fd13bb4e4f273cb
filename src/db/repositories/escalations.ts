// Escalations to the support team. State changes (claim, resolve, mark posted) are conditional
// updates that report whether they happened, so two people pressing "Claim" at once get one
// winner and one "already claimed".
import type { DbClient } from '../prisma-client.ts';
import type { Escalation, EscalationInput, EscalationStatus, ListOptions, SlackMessageRef } from '../records.ts';

export interface EscalationRepository {
  create(input: EscalationInput, now?: Date): Promise<Escalation>;
  get(id: string): Promise<Escalation | null>;
  /** Not yet resolved (open or claimed), oldest first; optionally one workspace's. */
  listOpen(options?: ListOptions & { slackTeamId?: string }): Promise<Escalation[]>;
  /** One reporter's escalations, newest first. */
  listByReporter(slackTeamId: string, reporterSlackUserId: string, options?: ListOptions): Promise<Escalation[]>;
  /** Escalations whose triage message was never posted, oldest first, to post them again. */
  listUnposted(options?: ListOptions & { createdBefore?: Date }): Promise<Escalation[]>;
  /** Records the triage message; false if it was already recorded (another poster won). */
  markPosted(id: string, triageMessage: SlackMessageRef, now?: Date): Promise<boolean>;
  recordReporterConfirmation(id: string, ts: string): Promise<boolean>;
  /** open -> claimed by `assigneeSlackUserId`; false when it was not open. */
  claim(id: string, assigneeSlackUserId: string, now?: Date): Promise<boolean>;
  /** open or claimed -> resolved; false when it was already resolved. */
  resolve(id: string, now?: Date): Promise<boolean>;
}

type Row = Awaited<ReturnType<DbClient['escalation']['findUniqueOrThrow']>>;

function toEscalation(row: Row): Escalation {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    reporterSlackUserId: row.reporterSlackUserId,
    channelId: row.channelId,
    threadTs: row.threadTs,
    errorText: row.errorText,
    reportId: row.reportId,
    occurredAt: row.occurredAt,
    connectionId: row.connectionId,
    articleId: row.articleId,
    status: row.status as EscalationStatus,
    assigneeSlackUserId: row.assigneeSlackUserId,
    triageMessage: row.triageChannelId && row.triageMessageTs ? { channelId: row.triageChannelId, ts: row.triageMessageTs } : null,
    reporterConfirmationTs: row.reporterConfirmationTs,
    postedAt: row.postedAt,
    claimedAt: row.claimedAt,
    resolvedAt: row.resolvedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createEscalationRepository(prisma: DbClient): EscalationRepository {
  return {
    async create(input, now = new Date()) {
      const row = await prisma.escalation.create({
        data: {
          slackTeamId: input.slackTeamId,
          reporterSlackUserId: input.reporterSlackUserId,
          channelId: input.channelId,
          threadTs: input.threadTs ?? null,
          errorText: input.errorText,
          reportId: input.reportId ?? null,
          occurredAt: input.occurredAt ?? null,
          connectionId: input.connectionId ?? null,
          articleId: input.articleId ?? null,
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

    async listUnposted(options = {}) {
      const rows = await prisma.escalation.findMany({
        where: { postedAt: null, ...(options.createdBefore ? { createdAt: { lt: options.createdBefore } } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: options.limit ?? 50,
      });
      return rows.map(toEscalation);
    },

    async markPosted(id, triageMessage, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({
        where: { id, postedAt: null },
        data: { postedAt: now, triageChannelId: triageMessage.channelId, triageMessageTs: triageMessage.ts },
      });
      return count === 1;
    },

    async recordReporterConfirmation(id, ts) {
      const { count } = await prisma.escalation.updateMany({ where: { id }, data: { reporterConfirmationTs: ts } });
      return count === 1;
    },

    async claim(id, assigneeSlackUserId, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({ where: { id, status: 'open' }, data: { status: 'claimed', assigneeSlackUserId, claimedAt: now } });
      return count === 1;
    },

    async resolve(id, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({ where: { id, status: { in: ['open', 'claimed'] } }, data: { status: 'resolved', resolvedAt: now } });
      return count === 1;
    },
  };
}
