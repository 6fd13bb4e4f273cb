// Failed exports to Xero: list them, retry them (queued under a RetryRequest whose message reports
// the outcome where the retry was asked for; the retry worker re-sends them), archive the ones
// nobody needs.
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import type { RetryRequestInput } from './records.ts';
import { fail, ok, type Result } from './result.ts';
import { queueRetries, type RetryRequestStore } from './retry-requests.ts';
import type { FailedSyncRecord, FailedSyncStore } from './stores.ts';

export interface FailedSyncDeps extends AdminAccessDeps {
  failedSyncs: FailedSyncStore;
  retryRequests: RetryRequestStore;
  /** Starts re-sending in this process at once (the scheduled job picks up whatever is left). */
  retryNow?: () => void;
  /** Xero is configured, so a bot re-sends what is queued; without it a retry is refused. */
  xeroConfigured: boolean;
}

/** Where a retry was asked for: its progress message goes there (a thread, or the person's DM). */
export interface RetryOrigin {
  source: 'button' | 'command' | 'restore' | 'diagnosis';
  channelId: string | null;
  threadTs: string | null;
  /** The person's IANA time zone (Slack users.info tz), for "next attempt at 14:05". */
  timeZone: string | null;
}

/** The retry request a person's press or command opens: reported in `origin`, else their DM. */
export function retryRequestFor(actor: Actor, origin: RetryOrigin | undefined, fallback: RetryOrigin['source']): RetryRequestInput {
  return {
    slackTeamId: actor.teamId,
    source: origin?.source ?? fallback,
    slackUserId: actor.userId,
    timeZone: origin?.timeZone ?? null,
    channelId: origin?.channelId ?? null,
    threadTs: origin?.threadTs ?? null,
  };
}

export interface RetryStarted {
  queued: number;
  requestId: string;
}

export interface FailedSyncPage {
  items: FailedSyncRecord[];
  /** More failed syncs are waiting than `items` shows. */
  hasMore: boolean;
}

/** "Retry all" works through at most this many per request. */
export const maxRetryAll = 500;

export async function listFailedSyncs(deps: FailedSyncDeps, teamId: string, limit: number): Promise<FailedSyncPage> {
  // Waiting for a person: failed after its tries, or refused by Xero until its cause is fixed.
  const items = await deps.failedSyncs.listByTeam(teamId, { status: ['failed', 'needs_fix'], limit: limit + 1 });
  return { items: items.slice(0, limit), hasMore: items.length > limit };
}

export type RetryTarget = { kind: 'all' } | { kind: 'one'; id: string };
export type FailedSyncError = 'not_authorized' | 'xero_not_configured' | 'failed_sync_not_found' | 'nothing_to_retry' | 'failed_sync_not_retryable' | 'failed_sync_busy';

/** Queues failed (and needs-fix) exports for a re-send now; their progress is reported to `origin`. */
export function retryFailedSyncs(deps: FailedSyncDeps, actor: Actor, target: RetryTarget, origin?: RetryOrigin): Promise<Result<RetryStarted, FailedSyncError>> {
  return asAdmin(deps, actor, 'failed_sync.retry', target.kind === 'all' ? 'all' : target.id, async () => {
    if (!deps.xeroConfigured) return fail('xero_not_configured');
    const result = await queueRetries(deps, retryRequestFor(actor, origin, 'command'), target);
    if (!result.ok) return fail(result.error);
    deps.retryNow?.();
    return ok({ queued: result.queued, requestId: result.request.id });
  });
}

export function archiveFailedSync(deps: FailedSyncDeps, actor: Actor, id: string): Promise<Result<FailedSyncRecord, FailedSyncError>> {
  return asAdmin(deps, actor, 'failed_sync.archive', id, async () => {
    const sync = await deps.failedSyncs.get(id);
    if (!sync || sync.slackTeamId !== actor.teamId) return fail('failed_sync_not_found');
    if (!(await deps.failedSyncs.archive(id))) return fail('failed_sync_busy');
    return ok({ ...sync, status: 'archived' as const });
  });
}
