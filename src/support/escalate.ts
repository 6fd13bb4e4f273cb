// Escalation: validate what the reporter typed and file it (store it), returning the case already
// claimed for posting. The Slack edge acknowledges, then posts it (src/slack/post-escalation.ts);
// unfinished posting is resumed by src/jobs/post-pending-escalations.ts. Whoever posts holds a
// claim on the escalation (stored with it, so it works across bot instances) and nobody else posts
// it meanwhile.
import { randomUUID } from 'node:crypto';
import type { ArticleSummary } from '../knowledge/article.ts';
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import { fail, ok, type Result } from './result.ts';
import type { ConnectionRecord, ConnectionStore, EscalationMessage, EscalationRecord, EscalationStore, SlackMessageRef } from './stores.ts';
import type { HealthChecker } from './connection-health.ts';

export const escalationLimits = {
  errorText: 3000,
  reportId: 200,
  notes: 3000,
  /** How far back an export attempt may be dated. */
  maxAgeDays: 366,
  /** Clock skew allowed for "in the future". */
  futureSlackMs: 5 * 60_000,
} as const;

export interface EscalationForm {
  errorText: string | undefined;
  reportId: string | undefined;
  /** From the date-time picker; null when the reporter cleared it. */
  occurredAt: Date | null;
  connectionId: string | undefined;
  notes: string | undefined;
}

export type EscalationField = keyof EscalationForm;

export type EscalationFieldError =
  | 'error_text_missing'
  | 'error_text_too_long'
  | 'report_id_too_long'
  | 'occurred_at_missing'
  | 'occurred_at_invalid'
  | 'occurred_at_in_future'
  | 'occurred_at_too_old'
  | 'notes_too_long';

/** Field problems keyed by field; empty when the form can be submitted. */
export function validateEscalationForm(form: EscalationForm, now: Date = new Date()): Partial<Record<EscalationField, EscalationFieldError>> {
  const errors: Partial<Record<EscalationField, EscalationFieldError>> = {};
  const errorText = form.errorText?.trim() ?? '';
  if (!errorText) errors.errorText = 'error_text_missing';
  else if (errorText.length > escalationLimits.errorText) errors.errorText = 'error_text_too_long';
  if ((form.reportId?.trim().length ?? 0) > escalationLimits.reportId) errors.reportId = 'report_id_too_long';
  if (!form.occurredAt) errors.occurredAt = 'occurred_at_missing';
  // A picker value no Date can hold (1e15 seconds, -1e15) compares false both ways below.
  else if (!Number.isFinite(form.occurredAt.getTime())) errors.occurredAt = 'occurred_at_invalid';
  else if (form.occurredAt.getTime() > now.getTime() + escalationLimits.futureSlackMs) errors.occurredAt = 'occurred_at_in_future';
  else if (now.getTime() - form.occurredAt.getTime() > escalationLimits.maxAgeDays * 86_400_000) errors.occurredAt = 'occurred_at_too_old';
  if ((form.notes?.trim().length ?? 0) > escalationLimits.notes) errors.notes = 'notes_too_long';
  return errors;
}

export type PublishError =
  | 'support_channel_not_configured'
  | 'slack_not_connected'
  | 'channel_not_found'
  | 'not_in_channel'
  | 'rate_limited'
  | 'slack_unavailable'
  | 'slack_error'
  /** Another poster took the escalation over (this one's claim ran out); it posts instead. */
  | 'post_claim_lost';

/** An escalation with what people need to read it: the matched article and the organisation's name. */
export interface EscalationDetails {
  escalation: EscalationRecord;
  article: ArticleSummary | null;
  connectionName: string | null;
}

/** Where escalations are shown to people; the Slack layer implements it. */
export interface EscalationPublisher {
  postToTriage(details: EscalationDetails): Promise<Result<SlackMessageRef, PublishError>>;
  /** Tells the reporter what happened; `delivery` is the triage outcome, reported honestly. Returns where it went. */
  confirmToReporter(details: EscalationDetails, delivery: Result<unknown, PublishError>): Promise<Result<SlackMessageRef, PublishError>>;
  /** Re-renders the triage message and the reporter's confirmation after a change. */
  refreshMessages(details: EscalationDetails): Promise<Result<void, PublishError>>;
  /**
   * Looks in Slack for a message of this escalation sent by an attempt started at `attemptedAt`
   * whose outcome was never recorded; null when Slack has none.
   */
  findEarlierMessage(message: EscalationMessage, details: EscalationDetails, attemptedAt: Date): Promise<Result<SlackMessageRef | null, PublishError>>;
}

/**
 * How long a poster's claim on an escalation lasts. It must outlast posting (a few Slack calls,
 * each with a 10-second timeout and two retries) so that a slow post is never taken over and
 * posted twice; after a failed post it is also how long until the job tries again.
 */
export const postLeaseMs = 5 * 60_000;

export interface EscalateDeps extends AdminAccessDeps {
  escalations: EscalationStore;
  connections: ConnectionStore;
  publisher: EscalationPublisher;
  findArticle(id: string): ArticleSummary | undefined;
  /** Live connection checks, when Xero is configured: the case records the verdict at report time. */
  health?: HealthChecker | undefined;
  /** The clock post claims are timed by (default: the system clock). */
  now?: () => Date;
  /** How long a publisher's claim lasts (default postLeaseMs). */
  postLeaseMs?: number;
}

export interface EscalationRequest {
  actor: Actor;
  channelId: string;
  threadTs: string | null;
  articleId: string | null;
  form: EscalationForm;
  /** Error codes read from what the reporter pasted. */
  codes?: string[] | undefined;
  /** The reporter's IANA zone, when known. */
  reporterTimeZone?: string | null | undefined;
}

/**
 * A live check must fit inside Slack's 3-second acknowledgement with the store after it; when it
 * does not, the verdict the health sweep stored last stands in, with its own time.
 */
export const reportTimeCheckMs = 1_500;

/** A stored escalation and the claim its filer holds to publish it. */
export interface FiledEscalation {
  escalation: EscalationRecord;
  postClaim: string;
}

/** A claim owner that names who posts (the request or the job) and is unique to this attempt. */
export function newPostClaimOwner(poster: 'submit' | 'job'): string {
  return `${poster}:${randomUUID()}`;
}

/**
 * Stores a validated form, claimed for publishing by the caller, who publishes it next
 * (src/slack/post-escalation.ts). Callers validate first (validateEscalationForm).
 */
export async function fileEscalation(deps: EscalateDeps, request: EscalationRequest): Promise<FiledEscalation> {
  const { form, actor } = request;
  // Only this workspace's connections may be attached; anything else is dropped, not trusted.
  const connections = form.connectionId ? await deps.connections.listByTeam(actor.teamId) : [];
  const connectionId = connections.some((c) => c.id === form.connectionId) ? (form.connectionId ?? null) : null;
  const owner = newPostClaimOwner('submit');
  const verdict = connectionId ? await verdictAtReportTime(deps, connections.find((c) => c.id === connectionId)) : null;
  const now = deps.now?.() ?? new Date();
  // Stored already claimed: the re-post job cannot take it while this request is posting it.
  const escalation = await deps.escalations.create({
    slackTeamId: actor.teamId,
    reporterSlackUserId: actor.userId,
    channelId: request.channelId,
    threadTs: request.threadTs,
    errorText: (form.errorText ?? '').trim(),
    notes: form.notes?.trim() || null,
    reportId: form.reportId?.trim() || null,
    occurredAt: form.occurredAt,
    connectionId,
    articleId: request.articleId && deps.findArticle(request.articleId) ? request.articleId : null,
    codes: request.codes ?? [],
    reporterTimeZone: request.reporterTimeZone ?? null,
    connectionVerdict: verdict?.verdict ?? null,
    connectionCheckedAt: verdict?.checkedAt ?? null,
    postLease: { owner, until: new Date(now.getTime() + (deps.postLeaseMs ?? postLeaseMs)) },
  });
  return { escalation, postClaim: owner };
}

async function verdictAtReportTime(deps: EscalateDeps, connection: ConnectionRecord | undefined): Promise<{ verdict: string; checkedAt: Date } | null> {
  if (!connection || !deps.health) return null;
  const stored = connection.healthVerdict && connection.lastCheckedAt ? { verdict: connection.healthVerdict, checkedAt: connection.lastCheckedAt } : null;
  try {
    const report = await deps.health.check(connection.id, { timeoutMs: reportTimeCheckMs });
    return report ? { verdict: report.verdict, checkedAt: report.checkedAt } : stored;
  } catch {
    return stored;
  }
}

export async function describeEscalation(deps: Pick<EscalateDeps, 'connections' | 'findArticle'>, escalation: EscalationRecord): Promise<EscalationDetails> {
  const article = escalation.articleId ? (deps.findArticle(escalation.articleId) ?? null) : null;
  const connection = escalation.connectionId
    ? (await deps.connections.listByTeam(escalation.slackTeamId)).find((c) => c.id === escalation.connectionId)
    : undefined;
  return { escalation, article, connectionName: connection?.tenantName ?? null };
}

/** Renders both messages again after a change (claimed, resolved). */
export async function refreshEscalationMessages(deps: Pick<EscalateDeps, 'connections' | 'findArticle' | 'publisher'>, escalation: EscalationRecord): Promise<Result<void, PublishError>> {
  return deps.publisher.refreshMessages(await describeEscalation(deps, escalation));
}

export type TriageError = 'not_authorized' | 'escalation_not_found' | 'escalation_already_claimed' | 'escalation_already_resolved';

export function claimEscalation(deps: EscalateDeps, actor: Actor, escalationId: string): Promise<Result<EscalationRecord, TriageError>> {
  return asAdmin(deps, actor, 'escalation.claim', escalationId, async () => {
    const current = await deps.escalations.get(escalationId);
    if (!current || current.slackTeamId !== actor.teamId) return fail('escalation_not_found');
    if (current.status === 'resolved') return fail('escalation_already_resolved');
    if (!(await deps.escalations.claim(escalationId, actor.userId))) return fail('escalation_already_claimed');
    return reread(deps, escalationId);
  });
}

export function resolveEscalation(deps: EscalateDeps, actor: Actor, escalationId: string): Promise<Result<EscalationRecord, TriageError>> {
  return asAdmin(deps, actor, 'escalation.resolve', escalationId, async () => {
    const current = await deps.escalations.get(escalationId);
    if (!current || current.slackTeamId !== actor.teamId) return fail('escalation_not_found');
    if (!(await deps.escalations.resolve(escalationId, actor.userId))) return fail('escalation_already_resolved');
    return reread(deps, escalationId);
  });
}

async function reread(deps: EscalateDeps, id: string): Promise<Result<EscalationRecord, TriageError>> {
  const updated = await deps.escalations.get(id);
  return updated ? ok(updated) : fail('escalation_not_found');
}
