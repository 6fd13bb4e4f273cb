// What starts retries, and what the person who asked sees. Triggers (the Retry button,
// `/concierge retry <id|all>`, a successful reconnect) queue failures under a RetryRequest that
// remembers where to report; a fix found by diagnosis re-queues one failure under its earlier
// request. The progress is computed from the rows, so every process renders the same text.
import type { FailedSync, FailedSyncStatus, RetryProgress, RetryRequest, RetryRequestInput, RetrySelection } from './records.ts';

export interface RetryQueueTriggers {
  queueForRetry(selection: RetrySelection, retryRequestId: string | null, now?: Date): Promise<string[]>;
}

export interface RetryRequestStore {
  create(input: RetryRequestInput, total: number): Promise<RetryRequest>;
  setTotal(id: string, total: number): Promise<void>;
  discard(id: string): Promise<void>;
}

export interface RetryTriggerDeps {
  failedSyncs: RetryQueueTriggers & { get(id: string): Promise<Pick<FailedSync, 'id' | 'slackTeamId' | 'status'> | null> };
  retryRequests: RetryRequestStore;
  now?: () => Date;
}

/** "Retry all" and a reconnect hand over at most this many failures at once. */
export const maxRetryBatch = 500;

export type RetryTargetSelection = { kind: 'all' } | { kind: 'one'; id: string } | { kind: 'connections'; connectionIds: string[] };

export type QueueRetriesResult =
  | { ok: true; request: RetryRequest; queued: number }
  | { ok: false; error: 'failed_sync_not_found' | 'failed_sync_not_retryable' | 'nothing_to_retry' };

const retryable: FailedSyncStatus[] = ['failed', 'needs_fix'];

/**
 * Queues the target's failed and needs-fix exports now, under a new RetryRequest that reports to
 * `where`. An explicit retry is a person's decision, so needs_fix exports are sent too.
 */
export async function queueRetries(deps: RetryTriggerDeps, where: RetryRequestInput, target: RetryTargetSelection): Promise<QueueRetriesResult> {
  const now = deps.now?.() ?? new Date();
  if (target.kind === 'one') {
    const failure = await deps.failedSyncs.get(target.id);
    if (!failure || failure.slackTeamId !== where.slackTeamId) return { ok: false, error: 'failed_sync_not_found' };
    if (!retryable.includes(failure.status)) return { ok: false, error: 'failed_sync_not_retryable' };
  }
  const request = await deps.retryRequests.create(where, 0);
  const selection: RetrySelection = {
    slackTeamId: where.slackTeamId,
    limit: target.kind === 'one' ? 1 : maxRetryBatch,
    statuses: retryable,
    ...(target.kind === 'one' ? { ids: [target.id] } : {}),
    ...(target.kind === 'connections' ? { connectionIds: target.connectionIds } : {}),
  };
  const queued = await deps.failedSyncs.queueForRetry(selection, request.id, now);
  if (queued.length === 0) {
    // Nothing went out (a reconnect with nothing waiting): no "0 of 0" message for anyone.
    await deps.retryRequests.discard(request.id);
    return { ok: false, error: target.kind === 'one' ? 'failed_sync_not_retryable' : 'nothing_to_retry' };
  }
  await deps.retryRequests.setTotal(request.id, queued.length);
  return { ok: true, request: { ...request, total: queued.length }, queued: queued.length };
}

/**
 * For whoever learns that a needs_fix export's cause is gone (a restored contact, a fixed account,
 * live diagnosis): queues it now, reporting where its last retry was asked for. False when it was
 * not waiting for a fix.
 */
export async function requeueFixedFailure(deps: { failedSyncs: RetryQueueTriggers & { get(id: string): Promise<Pick<FailedSync, 'slackTeamId' | 'status' | 'retryRequestId'> | null> } }, id: string, now = new Date()): Promise<boolean> {
  const failure = await deps.failedSyncs.get(id);
  if (!failure || failure.status !== 'needs_fix') return false;
  const queued = await deps.failedSyncs.queueForRetry({ slackTeamId: failure.slackTeamId, ids: [id], statuses: ['needs_fix'], limit: 1 }, failure.retryRequestId, now);
  return queued.length === 1;
}

/** True once nothing of the request is queued or being retried. */
export function retryFinished(progress: RetryProgress): boolean {
  return progress.waiting === 0;
}
