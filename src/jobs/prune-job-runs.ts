// Each scheduled slot leaves a row (job-runs.ts); a minutely job alone leaves 1,440 a day. Rows
// only need to outlive the slot's lease; a few days of history is kept for whoever investigates.
import type { JobRunStore } from './job-runs.ts';

export const jobName = 'prune-job-runs';
export const keepMs = 3 * 24 * 60 * 60_000;

export interface PruneJobRunsDeps {
  jobRuns: Pick<JobRunStore, 'prune'>;
  now?: () => Date;
}

export async function exec(deps: PruneJobRunsDeps): Promise<{ pruned: number }> {
  const now = deps.now?.() ?? new Date();
  return { pruned: await deps.jobRuns.prune(new Date(now.getTime() - keepMs)) };
}
