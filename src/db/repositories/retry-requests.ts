// Retry requests: who asked for a batch of retries and where, the one Slack message that shows
// their progress, and the gate that keeps its updates to one a second across every process.
import type { DbClient } from '../prisma-client.ts';
import type { RetryProgress, RetryRequest, RetryRequestInput, RetryOutcome } from '../../support/records.ts';
import type { RetryItem } from '../../support/retry-progress.ts';

export interface RetryRequestRepository {
  create(input: RetryRequestInput, total: number): Promise<RetryRequest>;
  get(id: string): Promise<RetryRequest | null>;
  setTotal(id: string, total: number): Promise<void>;
  /** Forgets a request that queued nothing, so no progress message is ever posted for it. */
  discard(id: string): Promise<void>;
  /** Remembers the progress message and the channel it went to (a DM has its own id); false when one was already recorded. */
  setMessage(id: string, message: { ts: string; channelId: string }): Promise<boolean>;
  /** The counts, and for a request of one failure that failure. */
  progress(id: string): Promise<RetryProgress & { item: RetryItem | null }>;
  /** Requests whose final state has not been reported yet, oldest first (those still being queued left out). */
  listOpen(limit: number): Promise<RetryRequest[]>;
  /**
   * Takes the turn to update the request's message: true for one caller at most every
   * `minIntervalMs` across processes (a conditional update on reportedAt).
   */
  takeReportTurn(id: string, minIntervalMs: number, now?: Date): Promise<boolean>;
  /** Records what the message now says; `finished` closes the request. */
  markReported(id: string, text: string, finished: boolean, now?: Date): Promise<void>;
}

type Row = Awaited<ReturnType<DbClient['retryRequest']['findUniqueOrThrow']>>;

function toRetryRequest(row: Row): RetryRequest {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    source: row.source as RetryRequest['source'],
    slackUserId: row.slackUserId,
    timeZone: row.timeZone,
    channelId: row.channelId,
    threadTs: row.threadTs,
    messageTs: row.messageTs,
    total: row.total,
    reportedAt: row.reportedAt,
    reportedText: row.reportedText,
    finishedAt: row.finishedAt,
    createdAt: row.createdAt,
  };
}

export function createRetryRequestRepository(prisma: DbClient): RetryRequestRepository {
  return {
    async create(input, total) {
      const row = await prisma.retryRequest.create({
        data: {
          slackTeamId: input.slackTeamId,
          source: input.source,
          slackUserId: input.slackUserId ?? null,
          timeZone: input.timeZone ?? null,
          channelId: input.channelId ?? null,
          threadTs: input.threadTs ?? null,
          total,
        },
      });
      return toRetryRequest(row);
    },

    async get(id) {
      const row = await prisma.retryRequest.findUnique({ where: { id } });
      return row ? toRetryRequest(row) : null;
    },

    async setTotal(id, total) {
      await prisma.retryRequest.update({ where: { id }, data: { total } });
    },

    async discard(id) {
      await prisma.retryRequest.deleteMany({ where: { id, messageTs: null } });
    },

    async setMessage(id, message) {
      const { count } = await prisma.retryRequest.updateMany({ where: { id, messageTs: null }, data: { messageTs: message.ts, channelId: message.channelId } });
      return count === 1;
    },

    async progress(id) {
      const [request, groups, next, first] = await Promise.all([
        prisma.retryRequest.findUnique({ where: { id }, select: { total: true } }),
        prisma.failedSync.groupBy({ by: ['status'], where: { retryRequestId: id }, _count: { _all: true } }),
        prisma.failedSync.findFirst({ where: { retryRequestId: id, status: { in: ['queued', 'retrying'] } }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true } }),
        prisma.failedSync.findFirst({
          where: { retryRequestId: id },
          select: { id: true, externalReference: true, kind: true, status: true, xeroId: true, errorCode: true, errorMessage: true, nextAttemptAt: true, lastOutcome: true },
        }),
      ]);
      const count = (...statuses: string[]) => groups.filter((g) => statuses.includes(g.status)).reduce((n, g) => n + g._count._all, 0);
      return {
        total: request?.total ?? 0,
        synced: count('synced'),
        needsFix: count('needs_fix'),
        failed: count('failed', 'archived'),
        waiting: count('queued', 'retrying'),
        nextAttemptAt: next?.nextAttemptAt ?? null,
        item: request?.total === 1 && first ? { ...first, status: first.status as RetryItem['status'], lastOutcome: first.lastOutcome as RetryOutcome | null } : null,
      };
    },

    async listOpen(limit) {
      // total stays 0 until the failures are queued under the request: nothing to report before then.
      const rows = await prisma.retryRequest.findMany({ where: { finishedAt: null, total: { gt: 0 } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit });
      return rows.map(toRetryRequest);
    },

    async takeReportTurn(id, minIntervalMs, now = new Date()) {
      const { count } = await prisma.retryRequest.updateMany({
        where: { id, finishedAt: null, OR: [{ reportedAt: null }, { reportedAt: { lte: new Date(now.getTime() - minIntervalMs) } }] },
        data: { reportedAt: now },
      });
      return count === 1;
    },

    async markReported(id, text, finished, now = new Date()) {
      await prisma.retryRequest.update({ where: { id }, data: { reportedText: text, ...(finished ? { finishedAt: now } : {}) } });
    },
  };
}
