// Xero sends webhooks for contacts and invoices only: a fix made to an account code, a tax rate, a
// lock date or the currencies is noticed by reading Xero again. This job re-diagnoses the waiting
// exports whose cause live data can tell, those diagnosed longest ago first; a cause that was
// present and is gone queues the export for a retry by itself (reported where its last retry was asked for, else in the
// alerts channel). Its Xero reads share the organisations' rate limits with everything else.
import type { DiagnoseError, FailureDiagnosis } from '../support/diagnose-failure.ts';
import type { Result } from '../support/result.ts';

export const jobName = 'rediagnose-failed-syncs';

export interface RediagnoseDeps {
  /** Waiting diagnosable exports not diagnosed since `diagnosedBefore`, longest ago first. */
  due(diagnosedBefore: Date, limit: number): Promise<string[]>;
  /** The stored diagnoses of these exports, to tell a fix (cause present, now gone) from Xero disagreeing with us. */
  lastDiagnoses(failedSyncIds: readonly string[]): Promise<Pick<FailureDiagnosis, 'failedSyncId' | 'state'>[]>;
  diagnose(failedSyncId: string, options: { requeue: boolean }): Promise<Result<FailureDiagnosis, DiagnoseError>>;
  /** Drops cached reference data, so this run sees what Xero holds now (one read per organisation). */
  forgetCachedReads?: () => void;
  now: () => Date;
  /** A diagnosis younger than this is left alone (default 10 minutes). */
  minAgeMs?: number;
  /** Most exports one run reads (default 50). */
  limit?: number;
}

export interface RediagnoseResult {
  diagnosed: number;
  queued: number;
  recordedSynced: number;
  /** Xero did not answer, our share of a limit was used, or the connection needs a reconnect. */
  skipped: number;
}

export async function exec(deps: RediagnoseDeps): Promise<RediagnoseResult> {
  const result: RediagnoseResult = { diagnosed: 0, queued: 0, recordedSynced: 0, skipped: 0 };
  const before = new Date(deps.now().getTime() - (deps.minAgeMs ?? 10 * 60_000));
  const due = await deps.due(before, deps.limit ?? 50);
  if (!due.length) return result;
  deps.forgetCachedReads?.();
  const lastState = new Map((await deps.lastDiagnoses(due)).map((d) => [d.failedSyncId, d.state]));
  for (const id of due) {
    // Already found gone and still refused: Xero sees a cause we cannot read, so no blind re-send every run.
    const found = await deps.diagnose(id, { requeue: lastState.get(id) !== 'cause_gone' });
    if (!found.ok) {
      result.skipped++;
      continue;
    }
    result.diagnosed++;
    if (found.value.action === 'queued_retry') result.queued++;
    if (found.value.action === 'recorded_synced') result.recordedSynced++;
  }
  return result;
}
