// Escalation: validate what the reporter typed, store it, then hand it to the support team's
// triage channel. Storing comes first so a Slack failure never loses a case; unposted cases are
// posted again by src/jobs/post-pending-escalations.ts.
import type { ArticleSummary } from '../knowledge/article.ts';
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import { fail, ok, type Result } from './result.ts';
import type { ConnectionStore, EscalationRecord, EscalationStore, SlackMessageRef } from './stores.ts';

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
  | 'slack_error';

/** An escalation with what people need to read it: the matched article and the organisation's name. */
export interface EscalationDetails {
  escalation: EscalationRecord;
  article: ArticleSummary | null;
  connectionName: string | null;
  /** Who resolved it, when known (the store keeps only the assignee). */
  resolvedBy: string | null;
}

/** Where escalations are shown to people; the Slack layer implements it. */
export interface EscalationPublisher {
  postToTriage(details: EscalationDetails): Promise<Result<SlackMessageRef, PublishError>>;
  /** Deletes a triage message that turned out to be a duplicate. */
  withdrawTriageMessage(details: EscalationDetails, message: SlackMessageRef): Promise<void>;
  /** Tells the reporter what happened; `delivery` is the triage outcome, reported honestly. */
  confirmToReporter(details: EscalationDetails, delivery: Result<unknown, PublishError>): Promise<Result<{ messageTs: string }, PublishError>>;
  /** Re-renders the triage message and the reporter's confirmation after a change. */
  refreshMessages(details: EscalationDetails): Promise<Result<void, PublishError>>;
}

export interface EscalateDeps extends AdminAccessDeps {
  escalations: EscalationStore;
  connections: ConnectionStore;
  publisher: EscalationPublisher;
  findArticle(id: string): ArticleSummary | undefined;
}

export interface EscalationRequest {
  actor: Actor;
  channelId: string;
  threadTs: string | null;
  articleId: string | null;
  form: EscalationForm;
}

export interface SubmittedEscalation {
  escalation: EscalationRecord;
  delivery: Result<SlackMessageRef, PublishError>;
}

export const notesHeading = 'Notes from the reporter:';

/** The stored text: the error, then the reporter's notes under a heading support can spot. */
export function composeEscalationText(errorText: string, notes: string | undefined): string {
  const error = errorText.trim();
  const extra = notes?.trim();
  return extra ? `${error}\n\n${notesHeading}\n${extra}` : error;
}

/** Stores a validated form and publishes it. Callers validate first (validateEscalationForm). */
export async function submitEscalation(deps: EscalateDeps, request: EscalationRequest): Promise<SubmittedEscalation> {
  const { form, actor } = request;
  // Only this workspace's connections may be attached; anything else is dropped, not trusted.
  const connections = form.connectionId ? await deps.connections.listByTeam(actor.teamId) : [];
  const connectionId = connections.some((c) => c.id === form.connectionId) ? (form.connectionId ?? null) : null;
  const escalation = await deps.escalations.create({
    slackTeamId: actor.teamId,
    reporterSlackUserId: actor.userId,
    channelId: request.channelId,
    threadTs: request.threadTs,
    errorText: composeEscalationText(form.errorText ?? '', form.notes),
    reportId: form.reportId?.trim() || null,
    occurredAt: form.occurredAt,
    connectionId,
    articleId: request.articleId && deps.findArticle(request.articleId) ? request.articleId : null,
  });
  return publishEscalation(deps, escalation);
}

export type PublishDeps = Pick<EscalateDeps, 'escalations' | 'connections' | 'publisher' | 'findArticle'>;

export async function describeEscalation(
  deps: Pick<EscalateDeps, 'connections' | 'findArticle'>,
  escalation: EscalationRecord,
  resolvedBy: string | null = null,
): Promise<EscalationDetails> {
  const article = escalation.articleId ? (deps.findArticle(escalation.articleId) ?? null) : null;
  const connection = escalation.connectionId
    ? (await deps.connections.listByTeam(escalation.slackTeamId)).find((c) => c.id === escalation.connectionId)
    : undefined;
  return { escalation, article, connectionName: connection?.tenantName ?? null, resolvedBy };
}

/**
 * Posts a stored escalation to triage and tells the reporter; safe to call again after a
 * failure. If another poster recorded a triage message first, ours is withdrawn.
 */
export async function publishEscalation(deps: PublishDeps, stored: EscalationRecord): Promise<SubmittedEscalation> {
  const details = await describeEscalation(deps, stored);
  const delivery = await deps.publisher.postToTriage(details);
  if (delivery.ok) {
    const now = new Date();
    if (await deps.escalations.markPosted(stored.id, delivery.value)) {
      details.escalation = { ...details.escalation, triageMessage: delivery.value, postedAt: now };
    } else {
      await deps.publisher.withdrawTriageMessage(details, delivery.value);
      details.escalation = (await deps.escalations.get(stored.id)) ?? details.escalation;
      return { escalation: details.escalation, delivery };
    }
  }
  if (details.escalation.reporterConfirmationTs) {
    // The reporter already knows it is saved; tell them again only when something changed.
    if (delivery.ok) await deps.publisher.refreshMessages(details);
  } else {
    const confirmation = await deps.publisher.confirmToReporter(details, delivery);
    if (confirmation.ok) {
      await deps.escalations.recordReporterConfirmation(stored.id, confirmation.value.messageTs);
      details.escalation = { ...details.escalation, reporterConfirmationTs: confirmation.value.messageTs };
    }
  }
  return { escalation: details.escalation, delivery };
}

export type TriageError = 'not_authorized' | 'escalation_not_found' | 'escalation_already_claimed' | 'escalation_already_resolved';

export function claimEscalation(deps: EscalateDeps, actor: Actor, escalationId: string): Promise<Result<EscalationRecord, TriageError>> {
  return asAdmin(deps, actor, 'escalation.claim', escalationId, async () => {
    const current = await deps.escalations.get(escalationId);
    if (!current || current.slackTeamId !== actor.teamId) return fail('escalation_not_found');
    if (current.status === 'resolved') return fail('escalation_already_resolved');
    if (!(await deps.escalations.claim(escalationId, actor.userId))) return fail('escalation_already_claimed');
    return refreshed(deps, escalationId, null);
  });
}

export function resolveEscalation(deps: EscalateDeps, actor: Actor, escalationId: string): Promise<Result<EscalationRecord, TriageError>> {
  return asAdmin(deps, actor, 'escalation.resolve', escalationId, async () => {
    const current = await deps.escalations.get(escalationId);
    if (!current || current.slackTeamId !== actor.teamId) return fail('escalation_not_found');
    if (!(await deps.escalations.resolve(escalationId))) return fail('escalation_already_resolved');
    return refreshed(deps, escalationId, actor.userId);
  });
}

async function refreshed(deps: EscalateDeps, id: string, resolvedBy: string | null): Promise<Result<EscalationRecord, TriageError>> {
  const updated = await deps.escalations.get(id);
  if (!updated) return fail('escalation_not_found');
  await deps.publisher.refreshMessages(await describeEscalation(deps, updated, resolvedBy));
  return ok(updated);
}
