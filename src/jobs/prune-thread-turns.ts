// Thread turns kept for the model's follow-ups matter for a day; older ones go, in every thread.
import { threadHistoryLimits } from '../support/thread-history.ts';

export const jobName = 'prune-thread-turns';

export interface PruneThreadTurnsDeps {
  threadTurns: { prune(before: Date): Promise<number> };
  now?: () => Date;
}

export async function exec(deps: PruneThreadTurnsDeps): Promise<{ pruned: number }> {
  const now = deps.now?.() ?? new Date();
  return { pruned: await deps.threadTurns.prune(new Date(now.getTime() - threadHistoryLimits.ttlMs)) };
}
