// Re-sends the failed exports that are due (queued by a Retry button, `/concierge retry`, a
// reconnect or a fix, or waiting out a backoff or a rate limit), within Xero's limits shared by
// every instance. Every instance may run it: rows are claimed with leases and calls take permits
// from the database. It also forgets call permits too old to count against any limit.
// Scheduling lives in schedule-jobs.ts; tests call exec directly.
import { drainRetryQueue, type DrainResult, type RetryWorkerDeps } from '../support/retry-worker.ts';

export const jobName = 'retry-failed-syncs';

export interface RetryFailedSyncsDeps {
  worker: RetryWorkerDeps;
  permits: { prune(): Promise<number> };
  /** Stop claiming after this long (the job's budget, less a margin for the exports in flight). */
  budgetMs: number;
  onError?: (error: unknown) => void;
}

export async function exec(deps: RetryFailedSyncsDeps): Promise<DrainResult & { permitsPruned: number }> {
  const result = await drainRetryQueue(deps.worker, { stopWhenIdle: true, budgetMs: deps.budgetMs, onError: deps.onError });
  return { ...result, permitsPruned: await deps.permits.prune() };
}
