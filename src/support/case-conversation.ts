// Collecting a case in the conversation: when an answer ends in "contact support", the bot keeps
// what the reporter already pasted, asks in the thread only for what is missing, reads each reply
// for it, and files the case when they press Send. No Slack here: the Slack edge posts the
// questions and the summary, and the escalation use-case publishes the case.
import { randomUUID } from 'node:crypto';
import type { Answer } from '../knowledge/answer.ts';
import { extractCase } from '../knowledge/extract-case.ts';
import type { EscalationForm } from './escalate.ts';
import type { ConnectionRecord } from './stores.ts';

/** What has been collected so far; every value came from the reporter's own messages. */
export interface CollectedCase {
  codes: string[];
  /** The full error message. */
  message: string | null;
  /** Report name or ID, or an invoice or bill number. */
  report: string | null;
  /** The time of the failure, ISO 8601 with the reporter's offset. */
  time: string | null;
  /** The words the time was read from. */
  timeText: string | null;
  /** Set when a numeric date could be read either way: which order was assumed. */
  assumedOrder: 'day/month' | 'month/day' | null;
  /** The organisation's name as connected. */
  org: string | null;
}

export type CaseConversationStatus = 'collecting' | 'confirming' | 'sending' | 'sent' | 'cancelled';

export interface CaseConversationRecord {
  id: string;
  slackTeamId: string;
  channelId: string;
  threadTs: string;
  reporterSlackUserId: string;
  timeZone: string;
  articleId: string | null;
  fields: CollectedCase;
  status: CaseConversationStatus;
  escalationId: string | null;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCaseConversation {
  slackTeamId: string;
  channelId: string;
  threadTs: string;
  reporterSlackUserId: string;
  timeZone: string;
  articleId: string | null;
  fields: CollectedCase;
  status: 'collecting' | 'confirming';
  expiresAt: Date;
}

/** Thread state, stored so that it survives a restart and is shared by every bot instance. */
export interface CaseConversationStore {
  /** The thread's conversation still under way (not expired, not sent or cancelled), or null. */
  findOpen(slackTeamId: string, channelId: string, threadTs: string, now: Date): Promise<CaseConversationRecord | null>;
  get(id: string): Promise<CaseConversationRecord | null>;
  /** Starts the thread's conversation, replacing one that ended or expired. */
  start(input: NewCaseConversation): Promise<CaseConversationRecord>;
  /** Saves what a reply added; false when the conversation is no longer collecting or confirming. */
  update(id: string, change: { fields: CollectedCase; status: 'collecting' | 'confirming' }): Promise<boolean>;
  /** confirming -> sending for `owner`. Exactly one caller gets true, across instances. */
  claimSend(id: string, owner: string, now: Date): Promise<boolean>;
  /**
   * Takes over a Send whose sender stopped (crashed) before recording the case: sending and
   * untouched since `staleBefore` -> claimed by `owner`. At most one caller gets true.
   */
  reclaimSend(id: string, owner: string, staleBefore: Date): Promise<boolean>;
  /** Back to confirming when filing failed before a case existed. */
  releaseSend(id: string, owner: string): Promise<boolean>;
  /** sending -> sent with the case it became. */
  finishSend(id: string, owner: string, escalationId: string): Promise<boolean>;
  /** Ends it unless it was sent; false when there was nothing to cancel. */
  cancel(id: string): Promise<boolean>;
  /** Deletes conversations that expired before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

/** How long a Send may take before another press may take it over (filing takes milliseconds). */
export const sendLeaseMs = 2 * 60_000;

/** A conversation lasts a day from when it started. */
export const conversationLifetimeMs = 24 * 60 * 60_000;

export const emptyCase: CollectedCase = { codes: [], message: null, report: null, time: null, timeText: null, assumedOrder: null, org: null };

/** The articles whose answer ends in "if it persists, contact support". */
const supportArticles = new Set(['XERO01', 'UNEXPECTED_ERROR']);
const stillFailing =
  /\b(?:still\s+(?:fail(?:s|ing|ed)?|broken|not\s+working|(?:does|do)n[’']?t\s+work|get(?:ting)?\s+(?:it|the\s+(?:same\s+)?error))|keeps?\s+(?:on\s+)?failing|fail(?:s|ed)\s+again|same\s+error\s+again|tried\s+(?:it\s+)?(?:again|twice|several\s+times))\b/i;

/** True when the answer ends in "contact support": the case is worth collecting. */
export function needsSupport(answer: Answer, question: string): boolean {
  if (answer.article && supportArticles.has(answer.article.id)) return true;
  if (answer.reason === 'unknown_code' || answer.unknownCode) return true;
  return saysStillFailing(question);
}

/** "It still fails", "failed again": the person tried the fix and it did not help. */
export function saysStillFailing(text: string): boolean {
  return stillFailing.test(text);
}

export type MissingField = 'message' | 'report' | 'time' | 'org';

/** What support still needs; the organisation only when the workspace has several to choose from. */
export function missingFields(fields: CollectedCase, organisations: readonly string[]): MissingField[] {
  const missing: MissingField[] = [];
  if (!fields.message && fields.codes.length === 0) missing.push('message');
  if (!fields.report) missing.push('report');
  if (!fields.time) missing.push('time');
  if (!fields.org && organisations.length > 1) missing.push('org');
  return missing;
}

export interface ReadOptions {
  timeZone: string;
  sentAt: Date;
  organisations: readonly string[];
  knownCodes: readonly string[];
}

/** Reads one message and adds what it holds: new values replace old ones (a correction), codes add up. */
export function readInto(fields: CollectedCase, text: string, options: ReadOptions): CollectedCase {
  const found = extractCase(text, {
    timeZone: options.timeZone,
    sentAt: options.sentAt,
    organisations: options.organisations,
    knownCodes: options.knownCodes,
  });
  const codes = [...fields.codes];
  for (const c of found.codes) if (!codes.includes(c.value)) codes.push(c.value);
  const org = found.org?.value ?? fields.org ?? (options.organisations.length === 1 ? (options.organisations[0] ?? null) : null);
  return {
    codes,
    message: found.message?.value ?? fields.message,
    report: found.report?.value ?? fields.report,
    time: found.time?.value ?? fields.time,
    timeText: found.time ? found.time.text : fields.timeText,
    assumedOrder: found.time ? found.time.assumedOrder : fields.assumedOrder,
    org,
  };
}

/** "cancel", "stop", "never mind": the reporter ends the conversation. */
export function isCancel(text: string): boolean {
  return /^\s*(?:cancel|stop|never\s*mind|nevermind|forget\s+it)\s*[.!]?\s*$/i.test(text);
}

/** The escalation form the collected case fills in (what the Edit modal shows and Send files). */
export function caseForm(fields: CollectedCase, original: string, connections: readonly ConnectionRecord[]): EscalationForm {
  const errorText = [fields.codes.filter((c) => !fields.message?.includes(c)).join(' '), fields.message ?? ''].filter(Boolean).join(' ') || original;
  const connection = fields.org ? connections.find((c) => c.tenantName === fields.org) : connections.length === 1 ? connections[0] : undefined;
  return {
    errorText,
    reportId: fields.report ?? undefined,
    occurredAt: fields.time ? new Date(fields.time) : null,
    connectionId: connection?.id,
    notes: undefined,
  };
}

export function newSendClaim(): string {
  return `send:${randomUUID()}`;
}
