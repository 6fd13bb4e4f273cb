// What starts retries, and what the person who asked sees. Every trigger (the Retry button,
// `/concierge retry <id|all>`, a successful reconnect, a restored contact, a diagnosis that finds
// the cause gone) queues failures under a new RetryRequest that remembers where to report. The
// progress is computed from the rows, so every process renders the same text.
import type { FailedSync, FailedSyncStatus, RetryProgress, RetryRequest, RetryRequestInput, RetrySelection } from './records.ts';

export interface RetryQueueTriggers {
  queueForRetry(selection: RetrySelection, retryRequestId: string | null, now?: Date): Promise<string[]>;
}

export interface RetryRequestStore {
  create(input: RetryRequestInput, total: number): Promise<RetryRequest>;
  get(id: string): Promise<RetryRequest | null>;
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

export type RetryTargetSelection = { kind: 'all' } | { kind: 'one'; id: string } | { kind: 'ids'; ids: string[] } | { kind: 'connections'; connectionIds: string[] };

export type QueueRetriesResult =
  | { ok: true; request: RetryRequest; queued: number; ids: string[] }
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
    ...(target.kind === 'ids' ? { ids: target.ids } : {}),
    ...(target.kind === 'connections' ? { connectionIds: target.connectionIds } : {}),
  };
  const queued = await deps.failedSyncs.queueForRetry(selection, request.id, now);
  if (queued.length === 0) {
    // Nothing went out (a reconnect with nothing waiting): no "0 of 0" message for anyone.
    await deps.retryRequests.discard(request.id);
    return { ok: false, error: target.kind === 'one' ? 'failed_sync_not_retryable' : 'nothing_to_retry' };
  }
  await deps.retryRequests.setTotal(request.id, queued.length);
  return { ok: true, request: { ...request, total: queued.length }, queued: queued.length, ids: queued };
}

export interface FixedRetryDeps {
  failedSyncs: RetryQueueTriggers & { get(id: string): Promise<Pick<FailedSync, 'id' | 'slackTeamId' | 'status' | 'retryRequestId'> | null> };
  retryRequests: RetryRequestStore;
  /** ALERTS_CHANNEL_ID: where a retry nobody pressed for reports when no earlier retry says where. */
  alertsChannelId?: string | null;
  now?: () => Date;
}

/**
 * Queues exports whose cause is gone (a restored contact, a fix that diagnosis or a webhook found)
 * under a new RetryRequest, so the outcome reaches someone: `where` when a person's press caused
 * it; otherwise the place the first export's last retry was asked from, else the alerts channel.
 * Returns the ids queued (only failed and needs_fix exports move).
 */
export async function queueFixedFailures(deps: FixedRetryDeps, slackTeamId: string, ids: readonly string[], where: RetryRequestInput | null): Promise<string[]> {
  if (!ids.length) return [];
  const origin = where ?? (await automaticOrigin(deps, slackTeamId, ids[0]!));
  const queued = await queueRetries(deps, origin, { kind: 'ids', ids: [...ids] });
  return queued.ok ? queued.ids : [];
}

async function automaticOrigin(deps: FixedRetryDeps, slackTeamId: string, failedSyncId: string): Promise<RetryRequestInput> {
  const failure = await deps.failedSyncs.get(failedSyncId);
  const earlier = failure?.retryRequestId ? await deps.retryRequests.get(failure.retryRequestId) : null;
  if (earlier && (earlier.channelId || earlier.slackUserId)) {
    return { slackTeamId, source: 'automatic', slackUserId: earlier.slackUserId, timeZone: earlier.timeZone, channelId: earlier.channelId, threadTs: earlier.threadTs };
  }
  return { slackTeamId, source: 'automatic', slackUserId: null, timeZone: null, channelId: deps.alertsChannelId ?? null, threadTs: null };
}

/** True once nothing of the request is queued or being retried. */
export function retryFinished(progress: RetryProgress): boolean {
  return progress.waiting === 0;
}
