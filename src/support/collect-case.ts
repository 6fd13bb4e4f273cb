// The use-cases of the case conversation (see case-conversation.ts for the rules): start it
// under an answer that ends in "contact support", read the reporter's replies, and file the case
// once when they press Send, however many times and from however many instances it is pressed.
import type { Actor } from './admin-access.ts';
import {
  caseForm,
  conversationLifetimeMs,
  emptyCase,
  isCancel,
  missingFields,
  newSendClaim,
  sendLeaseMs,
  readInto,
  type CaseConversationRecord,
  type CaseConversationStore,
  type MissingField,
  type ReadOptions,
  type CollectedCase,
} from './case-conversation.ts';
import { validateEscalationForm, type EscalationForm, type EscalationRequest, type FiledEscalation } from './escalate.ts';
import { fail, ok, type Result } from './result.ts';
import type { ConnectionStore, EscalationStore } from './stores.ts';
import type { AssistedExtraction } from './assisted-extract.ts';
import type { ExtractOptions } from '../knowledge/extract-case.ts';

export interface CollectCaseDeps {
  conversations: CaseConversationStore;
  connections: ConnectionStore;
  /** To find a case a stalled Send stored before it stopped. */
  escalations: Pick<EscalationStore, 'listByReporter'>;
  /** Codes the knowledge base knows, read as codes wherever they appear. */
  knownCodes: readonly string[];
  fileEscalation(request: EscalationRequest): Promise<FiledEscalation>;
  now(): Date;
  /** The model's reading of a pasted text (assisted-extract.ts); undefined without OPENAI_API_KEY. */
  extractWithModel?: ((text: string, options: ExtractOptions) => Promise<AssistedExtraction>) | undefined;
}

/** Where the conversation stands after a message: what to ask next, or the summary to confirm. */
export type CaseStep =
  | { kind: 'asking'; conversation: CaseConversationRecord; missing: MissingField[] }
  | { kind: 'confirming'; conversation: CaseConversationRecord }
  | { kind: 'cancelled'; conversation: CaseConversationRecord };

export interface StartCase {
  actor: Actor;
  channelId: string;
  /** The thread the answer is in (the reporter's message when it started no thread). */
  threadTs: string;
  /** The reporter's zone (Slack users.info); their times are read in it. */
  timeZone: string;
  text: string;
  sentAt: Date;
  articleId: string | null;
}

async function organisations(deps: CollectCaseDeps, teamId: string): Promise<string[]> {
  return (await deps.connections.listByTeam(teamId)).filter((c) => c.status !== 'disconnected').map((c) => c.tenantName);
}

function step(conversation: CaseConversationRecord, orgs: readonly string[]): CaseStep {
  const missing = missingFields(conversation.fields, orgs);
  return missing.length ? { kind: 'asking', conversation, missing } : { kind: 'confirming', conversation };
}

/**
 * A pasted text read into a case: the deterministic reader first; with a model, it adds only what
 * is still empty (every value it gives is checked against the text in assisted-extract.ts). The
 * reporter's short replies to a question are read deterministically: they answer one field.
 */
async function readPasted(deps: CollectCaseDeps, text: string, options: ReadOptions): Promise<CollectedCase> {
  const fields = readInto(emptyCase, text, options);
  if (!deps.extractWithModel || !text.trim() || missingFields(fields, options.organisations).length === 0) return fields;
  const { found, addedByModel } = await deps.extractWithModel(text, options);
  if (addedByModel.length === 0) return fields;
  return {
    codes: fields.codes.length ? fields.codes : found.codes.map((c) => c.value),
    message: fields.message ?? found.message?.value ?? null,
    report: fields.report ?? found.report?.value ?? null,
    time: fields.time ?? found.time?.value ?? null,
    timeText: fields.time ? fields.timeText : (found.time?.text ?? null),
    assumedOrder: fields.time ? fields.assumedOrder : (found.time?.assumedOrder ?? null),
    org: fields.org ?? found.org?.value ?? null,
  };
}

/** Null when someone else's case is already being collected in that thread: it is left alone. */
export async function startCase(deps: CollectCaseDeps, input: StartCase): Promise<CaseStep | null> {
  const now = deps.now();
  const open = await deps.conversations.findOpen(input.actor.teamId, input.channelId, input.threadTs, now);
  if (open && open.reporterSlackUserId !== input.actor.userId) return null;
  const orgs = await organisations(deps, input.actor.teamId);
  const fields = await readPasted(deps, input.text, { timeZone: input.timeZone, sentAt: input.sentAt, organisations: orgs, knownCodes: deps.knownCodes });
  const status = missingFields(fields, orgs).length ? 'collecting' : 'confirming';
  // Expired conversations are only ever read to be replaced; clearing them here keeps the table small.
  await deps.conversations.prune(now);
  const conversation = await deps.conversations.start({
    slackTeamId: input.actor.teamId,
    channelId: input.channelId,
    threadTs: input.threadTs,
    reporterSlackUserId: input.actor.userId,
    timeZone: input.timeZone,
    articleId: input.articleId,
    fields,
    status,
    expiresAt: new Date(now.getTime() + conversationLifetimeMs),
  });
  return step(conversation, orgs);
}

export interface ThreadReply {
  teamId: string;
  channelId: string;
  threadTs: string;
  userId: string;
  text: string;
  sentAt: Date;
}

/** The reporter's reply in a thread with a conversation under way; null when there is none (or it is someone else's). */
export async function continueCase(deps: CollectCaseDeps, reply: ThreadReply): Promise<CaseStep | null> {
  const conversation = await deps.conversations.findOpen(reply.teamId, reply.channelId, reply.threadTs, deps.now());
  if (!conversation || conversation.reporterSlackUserId !== reply.userId || conversation.status === 'sending') return null;
  if (isCancel(reply.text)) {
    return (await deps.conversations.cancel(conversation.id)) ? { kind: 'cancelled', conversation: { ...conversation, status: 'cancelled' } } : null;
  }
  const orgs = await organisations(deps, reply.teamId);
  const fields = readInto(conversation.fields, reply.text, { timeZone: conversation.timeZone, sentAt: reply.sentAt, organisations: orgs, knownCodes: deps.knownCodes });
  const status = missingFields(fields, orgs).length ? 'collecting' : 'confirming';
  if (!(await deps.conversations.update(conversation.id, { fields, status }))) return null;
  return step({ ...conversation, fields, status }, orgs);
}

/** What a pasted text fills in on the escalation form (every way into an escalation is prefilled). */
export async function prefillEscalation(deps: CollectCaseDeps, teamId: string, text: string, timeZone: string, sentAt: Date): Promise<EscalationForm> {
  const orgs = await organisations(deps, teamId);
  const fields = await readPasted(deps, text, { timeZone, sentAt, organisations: orgs, knownCodes: deps.knownCodes });
  const form = caseForm(fields, text, await deps.connections.listByTeam(teamId));
  // A time extraction resolved into the future (a typo, a due date) is not offered.
  if (form.occurredAt && form.occurredAt.getTime() > deps.now().getTime()) form.occurredAt = null;
  return form;
}

export type SendCaseError = 'case_not_found' | 'case_not_ready' | 'case_already_sent' | 'case_cancelled' | 'case_expired' | 'not_the_reporter' | 'case_incomplete';

/**
 * A Send that stopped half way (the process died after claiming): when its case was stored, the
 * conversation records it (the re-post job publishes it); otherwise this press takes the Send over.
 */
async function takeOverStalledSend(deps: CollectCaseDeps, id: string, owner: string, now: Date): Promise<boolean> {
  const current = await deps.conversations.get(id);
  if (!current || current.status !== 'sending' || current.escalationId) return false;
  const staleBefore = new Date(now.getTime() - sendLeaseMs);
  if (current.updatedAt.getTime() >= staleBefore.getTime()) return false;
  if (!(await deps.conversations.reclaimSend(id, owner, staleBefore))) return false;
  const filed = (await deps.escalations.listByReporter(current.slackTeamId, current.reporterSlackUserId, { limit: 20 })).find(
    (e) => e.channelId === current.channelId && e.threadTs === current.threadTs && e.createdAt.getTime() >= current.createdAt.getTime(),
  );
  if (!filed) return true;
  await deps.conversations.finishSend(id, owner, filed.id);
  return false;
}

/** The escalation form the conversation fills in, for the Edit modal. */
export async function caseFormOf(deps: CollectCaseDeps, actor: Actor, conversationId: string): Promise<Result<{ form: EscalationForm; conversation: CaseConversationRecord }, SendCaseError>> {
  const conversation = await deps.conversations.get(conversationId);
  if (!conversation || conversation.slackTeamId !== actor.teamId) return fail('case_not_found');
  const connections = await deps.connections.listByTeam(actor.teamId);
  return ok({ form: caseForm(conversation.fields, '', connections), conversation });
}

/**
 * Files (stores) the collected case; the caller acknowledges, then publishes it. The conversation
 * is claimed first (one winner across presses and instances); the others learn it was already sent.
 */
export async function sendCase(deps: CollectCaseDeps, actor: Actor, conversationId: string, edited?: EscalationForm): Promise<Result<FiledEscalation, SendCaseError>> {
  const conversation = await deps.conversations.get(conversationId);
  if (!conversation || conversation.slackTeamId !== actor.teamId) return fail('case_not_found');
  if (conversation.reporterSlackUserId !== actor.userId) return fail('not_the_reporter');
  const now = deps.now();
  const owner = newSendClaim();
  if (!(await deps.conversations.claimSend(conversation.id, owner, now)) && !(await takeOverStalledSend(deps, conversation.id, owner, now))) {
    const current = (await deps.conversations.get(conversation.id)) ?? conversation;
    if (current.status === 'sent' || current.status === 'sending') return fail('case_already_sent');
    if (current.status === 'cancelled') return fail('case_cancelled');
    if (current.expiresAt.getTime() <= now.getTime()) return fail('case_expired');
    return fail('case_not_ready');
  }
  const connections = await deps.connections.listByTeam(actor.teamId);
  const form = edited ?? caseForm(conversation.fields, '', connections);
  if (Object.keys(validateEscalationForm(form, now)).length > 0) {
    await deps.conversations.releaseSend(conversation.id, owner);
    return fail('case_incomplete');
  }
  const filed = await deps.fileEscalation({
    actor,
    channelId: conversation.channelId,
    threadTs: conversation.threadTs,
    articleId: conversation.articleId,
    form,
    codes: conversation.fields.codes,
    reporterTimeZone: conversation.timeZone,
  });
  await deps.conversations.finishSend(conversation.id, owner, filed.escalation.id);
  return ok(filed);
}
