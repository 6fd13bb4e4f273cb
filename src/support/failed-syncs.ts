// Failed exports to Xero: list them, queue retries, archive the ones nobody needs. Resending to
// Xero arrives with the Xero integration; until then a retry only queues the export.
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import { fail, ok, type Result } from './result.ts';
import type { FailedSyncRecord, FailedSyncStore } from './stores.ts';

export interface FailedSyncDeps extends AdminAccessDeps {
  failedSyncs: FailedSyncStore;
}

export interface FailedSyncPage {
  items: FailedSyncRecord[];
  /** More failed syncs are waiting than `items` shows. */
  hasMore: boolean;
}

/** "Retry all" works through at most this many per request. */
export const maxRetryAll = 500;

export async function listFailedSyncs(deps: FailedSyncDeps, teamId: string, limit: number): Promise<FailedSyncPage> {
  const items = await deps.failedSyncs.listByTeam(teamId, { status: 'failed', limit: limit + 1 });
  return { items: items.slice(0, limit), hasMore: items.length > limit };
}

export type RetryTarget = { kind: 'all' } | { kind: 'one'; id: string };
export type FailedSyncError = 'not_authorized' | 'failed_sync_not_found' | 'nothing_to_retry' | 'failed_sync_not_retryable' | 'failed_sync_busy';

/** Queues failed syncs for a retry. The value is how many were queued. */
export function retryFailedSyncs(deps: FailedSyncDeps, actor: Actor, target: RetryTarget): Promise<Result<number, FailedSyncError>> {
  return asAdmin(deps, actor, 'failed_sync.retry', target.kind === 'all' ? 'all' : target.id, async () => {
    if (target.kind === 'one') {
      const sync = await deps.failedSyncs.get(target.id);
      if (!sync || sync.slackTeamId !== actor.teamId) return fail('failed_sync_not_found');
      return (await deps.failedSyncs.queueRetry(target.id)) ? ok(1) : fail('failed_sync_not_retryable');
    }
    const waiting = await deps.failedSyncs.listByTeam(actor.teamId, { status: 'failed', limit: maxRetryAll });
    let queued = 0;
    for (const sync of waiting) if (await deps.failedSyncs.queueRetry(sync.id)) queued++;
    return queued === 0 ? fail('nothing_to_retry') : ok(queued);
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
