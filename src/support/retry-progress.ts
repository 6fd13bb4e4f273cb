// Keeps the person who asked for retries informed: one message per request, posted once and then
// updated (at most once a second across every process) until nothing is left waiting. The text
// is built here from the rows, so it reads the same whichever process sends it; the Slack edge
// only posts or updates it.
import type { FailedSync, RetryProgress, RetryRequest } from './records.ts';

/** The one failure of a single retry, as its outcome message needs it. */
export type RetryItem = Pick<FailedSync, 'id' | 'externalReference' | 'kind' | 'status' | 'xeroId' | 'errorCode' | 'errorMessage' | 'nextAttemptAt' | 'lastOutcome'>;

export interface RetryProgressStore {
  listOpen(limit: number): Promise<RetryRequest[]>;
  takeReportTurn(id: string, minIntervalMs: number, now?: Date): Promise<boolean>;
  progress(id: string): Promise<RetryProgress & { item: RetryItem | null }>;
  setMessage(id: string, message: { ts: string; channelId: string }): Promise<boolean>;
  markReported(id: string, text: string, finished: boolean, now?: Date): Promise<void>;
}

export interface RetryProgressDeps {
  retryRequests: RetryProgressStore;
  /** Posts the request's first message or updates it: where it now is, or null when Slack refused. */
  publish: (request: RetryRequest, text: string) => Promise<{ ts: string; channelId: string } | null>;
  /** The requester's time zone when the request did not record one (Slack users.info). */
  timeZoneOf?: (request: RetryRequest) => Promise<string | null>;
  /** The knowledge article's title for an error code, to say why an export failed again. */
  articleTitle: (errorCode: string) => string | undefined;
  /**
   * What Xero shows now about an export that failed again (live diagnosis, read only), as lines;
   * null when its cause is not one Xero data can tell about, or Xero cannot be asked now.
   */
  diagnose?: (failedSyncId: string) => Promise<string[] | null>;
  now: () => Date;
}

const kindNames: Record<string, string> = {
  invoice: 'invoice',
  bill: 'bill',
  credit_note: 'credit note',
  payment: 'payment',
  bank_transaction: 'bank transaction',
  contact: 'contact',
};

/** Where a person opens the document in Xero (they sign in to the organisation there). */
export function xeroDeepLink(kind: string, xeroId: string): string {
  const id = encodeURIComponent(xeroId);
  switch (kind) {
    case 'invoice':
      return `https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${id}`;
    case 'bill':
      return `https://go.xero.com/AccountsPayable/View.aspx?InvoiceID=${id}`;
    case 'credit_note':
      return `https://go.xero.com/AccountsReceivable/ViewCreditNote.aspx?creditNoteID=${id}`;
    case 'contact':
      return `https://go.xero.com/Contacts/View/${id}`;
    case 'bank_transaction':
      return `https://go.xero.com/Bank/ViewTransaction.aspx?bankTransactionID=${id}`;
    default:
      return 'https://go.xero.com/Dashboard/';
  }
}

/** "14:05" in the person's time zone, with the day when it is not today there; UTC when the zone is unknown. */
export function formatAttemptTime(at: Date, timeZone: string | null, now: Date): string {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : 'UTC';
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(at);
  const day = (d: Date) => new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: zone }).format(d);
  const suffix = zone === 'UTC' && timeZone !== 'UTC' ? ' UTC' : '';
  if (day(at) === day(now)) return `${time}${suffix}`;
  return `${new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: zone }).format(at)} ${time}${suffix}`;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** What the request's message says now. */
export function retryProgressText(
  request: Pick<RetryRequest, 'timeZone'>,
  progress: RetryProgress & { item: RetryItem | null },
  deps: Pick<RetryProgressDeps, 'articleTitle'>,
  now: Date,
  diagnosis: readonly string[] | null = null,
): string {
  const when = (at: Date | null) => (at ? formatAttemptTime(at, request.timeZone, now) : 'shortly');
  // Due now (being sent, or about to be): saying "next at" the current minute reads like a wait.
  const later = progress.nextAttemptAt !== null && progress.nextAttemptAt.getTime() > now.getTime() + 1000;
  const item = progress.total === 1 ? progress.item : null;
  if (item) {
    const name = `${kindNames[item.kind] ?? item.kind} *${item.externalReference}*`;
    if (item.status === 'synced' && item.xeroId) return `The ${name} is in Xero now (Xero id ${item.xeroId}): <${xeroDeepLink(item.kind, item.xeroId)}|open it in Xero>.`;
    if (item.status === 'needs_fix') {
      if (item.lastOutcome === 'needs_reconnect') return `The ${name} could not be sent: ${item.errorMessage} Reconnect the organisation (\`/concierge reconnect\`); it is re-sent by itself afterwards.`;
      const title = item.errorCode ? deps.articleTitle(item.errorCode) : undefined;
      const found = diagnosis?.length ? `\nWhat Xero shows now: ${diagnosis.join(' ')}` : '';
      return `The ${name} failed again: ${item.errorMessage}${found}${title ? `\nWhat to do: *${title}* (\`/concierge ${item.errorCode}\`).` : ''} It waits for the fix and is not re-sent blindly.`;
    }
    if (item.status === 'failed') return `The ${name} still failed after several tries (${item.errorMessage}). Press Retry when Xero is back to normal.`;
    if (item.status === 'retrying') return `Re-sending the ${name} to Xero now.`;
    // Due but not taken yet: the next worker round (the schedule, or a retry) takes it.
    if (!item.nextAttemptAt || item.nextAttemptAt.getTime() <= now.getTime()) return `Re-sending the ${name} to Xero: next attempt shortly.`;
    return `Re-sending the ${name} to Xero: next attempt at ${when(item.nextAttemptAt)}.`;
  }
  const parts = [`${progress.synced} of ${progress.total} re-sent`];
  if (progress.needsFix) parts.push(`${progress.needsFix} need${progress.needsFix === 1 ? 's' : ''} a fix`);
  if (progress.failed) parts.push(`${progress.failed} still failing`);
  if (progress.waiting) return `Retrying failed exports: ${parts.join(', ')}, ${later ? `next batch at ${when(progress.nextAttemptAt)}` : 'sending now'}.`;
  return `Retry finished: ${parts.join(', ')}.${progress.needsFix ? ' `/concierge errors` lists the ones that need a fix.' : ''}`;
}

/**
 * One round: for each open request whose turn this process wins, post or update its message when
 * the text changed, and close the request once nothing of it waits. Returns how many messages went out.
 */
export async function reportRetryProgress(deps: RetryProgressDeps, options: { minIntervalMs?: number; limit?: number } = {}): Promise<number> {
  // A little over a second between turns, so the posts themselves (after the database round trips) stay a second apart.
  const minIntervalMs = options.minIntervalMs ?? 1250;
  let sent = 0;
  for (const request of await deps.retryRequests.listOpen(options.limit ?? 50)) {
    const now = deps.now();
    if (!(await deps.retryRequests.takeReportTurn(request.id, minIntervalMs, now))) continue;
    const progress = await deps.retryRequests.progress(request.id);
    const finished = progress.waiting === 0;
    const timeZone = request.timeZone ?? (request.slackUserId && deps.timeZoneOf ? await deps.timeZoneOf(request).catch(() => null) : null);
    // Once, when the outcome is final: a single export Xero refused again gets what Xero shows now.
    const refused = finished && progress.item?.status === 'needs_fix' && progress.item.lastOutcome !== 'needs_reconnect' ? progress.item : null;
    const diagnosis = refused && deps.diagnose ? await deps.diagnose(refused.id).catch(() => null) : null;
    const text = retryProgressText({ timeZone }, progress, deps, now, diagnosis);
    // Nobody to tell (a reconnect asked from nowhere): close it quietly once done.
    if (!request.channelId && !request.slackUserId) {
      if (finished) await deps.retryRequests.markReported(request.id, text, true, now);
      continue;
    }
    if (text === request.reportedText && !finished) continue;
    if (text !== request.reportedText) {
      const message = await deps.publish(request, text);
      if (message === null) continue;
      if (!request.messageTs) await deps.retryRequests.setMessage(request.id, message);
      sent++;
    }
    await deps.retryRequests.markReported(request.id, text, finished, now);
  }
  return sent;
}
