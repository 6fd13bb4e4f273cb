// Slack re-delivers an event it believes was not acknowledged. Recording each event id once
// (the primary key does the de-duplication) lets every retry after the first be dropped.
import { isUniqueViolation } from '../database-error.ts';
import type { DbClient } from '../prisma-client.ts';

export interface SlackEventRepository {
  /** True the first time `eventId` is seen, false for every repeat. */
  markProcessed(eventId: string, now?: Date): Promise<boolean>;
  /** Forgets ids received before `before` (Slack retries within minutes); returns how many. */
  prune(before: Date): Promise<number>;
}

export function createSlackEventRepository(prisma: DbClient): SlackEventRepository {
  return {
    async markProcessed(eventId, now = new Date()) {
      try {
        await prisma.processedSlackEvent.create({ data: { eventId, receivedAt: now } });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async prune(before) {
      const { count } = await prisma.processedSlackEvent.deleteMany({ where: { receivedAt: { lt: before } } });
      return count;
    },
  };
}
