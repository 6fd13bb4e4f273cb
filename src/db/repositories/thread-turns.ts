// A Slack thread's recent turns for the model (src/support/thread-history.ts). Rows are keyed by
// team, channel and thread; appending trims the thread to its newest turns in the same transaction.
import type { DbClient } from '../prisma-client.ts';
import type { ThreadHistoryStore, ThreadKey } from '../../support/thread-history.ts';
import type { ThreadTurn } from '../../support/support-model.ts';

export type ThreadTurnRepository = ThreadHistoryStore;

const keyOf = (key: ThreadKey) => `${key.teamId}:${key.channel}:${key.threadTs}`;
const roles = new Set<ThreadTurn['role']>(['user', 'assistant']);

export function createThreadTurnRepository(prisma: DbClient): ThreadTurnRepository {
  return {
    async recent(key, since, limit) {
      const rows = await prisma.threadTurn.findMany({
        where: { threadKey: keyOf(key), createdAt: { gte: since } },
        orderBy: { createdAt: 'desc' },
        take: limit,
      });
      return rows.reverse().flatMap((row) => (roles.has(row.role as ThreadTurn['role']) ? [{ role: row.role as ThreadTurn['role'], text: row.text }] : []));
    },

    async append(key, turns, at, keep) {
      const threadKey = keyOf(key);
      await prisma.$transaction(async (tx) => {
        // One millisecond apart, so the order they were said in survives.
        await tx.threadTurn.createMany({ data: turns.map((turn, i) => ({ threadKey, role: turn.role, text: turn.text, createdAt: new Date(at.getTime() + i) })) });
        const stale = await tx.threadTurn.findMany({ where: { threadKey }, orderBy: { createdAt: 'desc' }, skip: keep, select: { id: true } });
        if (stale.length) await tx.threadTurn.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
      });
    },

    async prune(before) {
      const { count } = await prisma.threadTurn.deleteMany({ where: { createdAt: { lt: before } } });
      return count;
    },
  };
}
