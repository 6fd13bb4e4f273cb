// Channel threads the bot answered (src/support/answered-threads.ts), one row per thread.
import type { AnsweredThreadStore } from '../../support/answered-threads.ts';
import type { DbClient } from '../prisma-client.ts';

export type AnsweredThreadRepository = AnsweredThreadStore;

export function createAnsweredThreadRepository(prisma: DbClient): AnsweredThreadRepository {
  return {
    async record(thread) {
      const { slackTeamId, channelId, threadTs } = thread;
      await prisma.answeredThread.upsert({ where: { slackTeamId_channelId_threadTs: { slackTeamId, channelId, threadTs } }, create: thread, update: thread });
    },

    async find(slackTeamId, channelId, threadTs, now) {
      return prisma.answeredThread.findFirst({ where: { slackTeamId, channelId, threadTs, expiresAt: { gt: now } } });
    },

    async prune(before) {
      const { count } = await prisma.answeredThread.deleteMany({ where: { expiresAt: { lt: before } } });
      return count;
    },
  };
}
