// The use-cases bound to their dependencies: the one object the Slack layer and the local console
// talk to. Each method is a use-case from this folder; nothing here knows about Slack.
import type { Answer } from '../knowledge/answer.ts';
import { summarize, type Article, type ArticleSummary } from '../knowledge/article.ts';
import type { Actor, AdminAccessDeps } from './admin-access.ts';
import { isAdmin } from './admin-access.ts';
import {
  claimEscalation,
  describeEscalation,
  fileEscalation,
  type EscalationDetails,
  refreshEscalationMessages,
  resolveEscalation,
  type EscalationPublisher,
  type EscalationRequest,
  type FiledEscalation,
  type PublishError,
  type TriageError,
} from './escalate.ts';
import type { HealthReport } from './check-connection.ts';
import { connectionHealth, diagnoseAnswer, type ConnectionHealthView, type HealthChecker } from './connection-health.ts';
import { archiveFailedSync, listFailedSyncs, retryFailedSyncs, type FailedSyncError, type FailedSyncPage, type RetryTarget } from './failed-syncs.ts';
import { loadHomeOverview, type HomeOverview } from './home-overview.ts';
import { recordFeedback } from './record-feedback.ts';
import type { XeroConnection } from './records.ts';
import type { Result } from './result.ts';
import type {
  ConnectionRecord,
  ConnectionStore,
  EscalationRecord,
  EscalationStore,
  FailedSyncRecord,
  FailedSyncStore,
  FeedbackStore,
  NewFeedback,
  ProcessedEventStore,
} from './stores.ts';
import { createConnectLink, type ConnectLink, type ConnectLinkError, type ConnectRequest, type XeroConnectDeps } from './xero-connect.ts';
import { listConnections } from './xero-connections.ts';
import { emptyCase, readInto, type CaseConversationStore } from './case-conversation.ts';
import { caseFormOf, continueCase, prefillEscalation, sendCase, startCase, type CaseStep, type SendCaseError, type StartCase, type ThreadReply } from './collect-case.ts';
import type { CaseConversationRecord } from './case-conversation.ts';
import type { EscalationForm } from './escalate.ts';
import { confirmDisconnect, requestDisconnect, type DisconnectChoice, type DisconnectDeps, type DisconnectError } from './disconnect-xero.ts';

/** The part of the answer engine the use-cases use (src/knowledge/answer-engine.ts). */
export interface AnswerSource {
  answer(question: string): Answer;
  getArticle(id: string): Article | undefined;
}

export interface SupportDeps extends AdminAccessDeps {
  engine: AnswerSource;
  escalations: EscalationStore;
  connections: ConnectionStore;
  failedSyncs: FailedSyncStore;
  feedback: FeedbackStore;
  processedEvents: ProcessedEventStore;
  publisher: EscalationPublisher;
  /** Connect and reconnect links (src/support/xero-connect.ts). */
  connect: XeroConnectDeps;
  /** Live connection checks; undefined when Xero is not configured. */
  health?: HealthChecker | undefined;
  /** Disconnecting an organisation (src/support/disconnect-xero.ts). */
  disconnect: DisconnectDeps;
  /** Case conversations in threads (src/support/collect-case.ts). */
  conversations: CaseConversationStore;
  /** Codes the knowledge base knows; extraction reads them as codes. */
  knownCodes: readonly string[];
  /** The clock escalation post claims are timed by (default: the system clock). */
  now?: () => Date;
  /** How long a claim to publish an escalation lasts (default postLeaseMs). */
  postLeaseMs?: number;
}

export interface SupportService {
  answer(question: string): Answer;
  /** The answer for an article the person picked from the closest ones; null if it no longer exists. */
  answerWithArticle(articleId: string, question: string): Answer | null;
  getArticle(id: string): Article | undefined;
  /** True the first time Slack delivers an event id; retries get false. */
  firstDelivery(eventId: string): Promise<boolean>;
  recordFeedback(input: NewFeedback): Promise<void>;
  isAdmin(actor: Actor): Promise<boolean>;
  listConnections(teamId: string): Promise<ConnectionRecord[]>;
  /** Admins: a single-use Xero consent link for the asker only; where to report the outcome. */
  connectLink(actor: Actor, purpose: 'connect' | 'reconnect', request: ConnectRequest): Promise<Result<ConnectLink, ConnectLinkError>>;
  /** Each connection's verdict: checked now when `live` and Xero is configured, else as stored. */
  connectionHealth(teamId: string, options: { live: boolean }): Promise<ConnectionHealthView>;
  /** Live verdicts for an answer about a connection problem; empty for any other answer. */
  diagnose(teamId: string, answer: Answer): Promise<HealthReport[]>;
  /** Admins: which organisation `/concierge disconnect <name>` means, to confirm. */
  requestDisconnect(actor: Actor, query: string): Promise<Result<DisconnectChoice, 'not_authorized'>>;
  /** Admins, from the confirmation: removes the connection in Xero and marks it disconnected here. */
  confirmDisconnect(actor: Actor, connectionId: string, requestedAt: Date): Promise<Result<XeroConnection, DisconnectError | 'not_authorized'>>;
  listFailedSyncs(teamId: string, limit: number): Promise<FailedSyncPage>;
  retryFailedSyncs(actor: Actor, target: RetryTarget): Promise<Result<number, FailedSyncError>>;
  archiveFailedSync(actor: Actor, id: string): Promise<Result<FailedSyncRecord, FailedSyncError>>;
  /** Stores a validated escalation; acknowledge the reporter only after this, then publish it. */
  fileEscalation(request: EscalationRequest): Promise<FiledEscalation>;
  /** An escalation with its matched article and organisation name, as people read it. */
  describeEscalation(escalation: EscalationRecord): Promise<EscalationDetails>;
  /** Stores the claim (admins only); the messages are refreshed separately, after acknowledging. */
  claimEscalation(actor: Actor, id: string): Promise<Result<EscalationRecord, TriageError>>;
  resolveEscalation(actor: Actor, id: string): Promise<Result<EscalationRecord, TriageError>>;
  /** Re-renders the triage message and the reporter's confirmation after a claim or resolution. */
  refreshEscalationMessages(escalation: EscalationRecord): Promise<Result<void, PublishError>>;
  homeOverview(teamId: string, userId: string): Promise<HomeOverview>;
  /** Starts collecting the case under an answer that ends in "contact support". */
  startCase(input: StartCase): Promise<CaseStep | null>;
  /** The reporter's reply in a thread collecting a case; null when the thread has none under way. */
  continueCase(reply: ThreadReply): Promise<CaseStep | null>;
  /** Stores the collected case (once, however often Send is pressed); publish it after acknowledging. */
  sendCase(actor: Actor, conversationId: string, edited?: EscalationForm): Promise<Result<FiledEscalation, SendCaseError>>;
  /** The escalation form a pasted text fills in: error, report, time and organisation. */
  prefillEscalation(teamId: string, text: string, timeZone: string, sentAt: Date): Promise<EscalationForm>;
  /** The escalation form a conversation fills in, for the Edit modal. */
  caseForm(actor: Actor, conversationId: string): Promise<Result<{ form: EscalationForm; conversation: CaseConversationRecord }, SendCaseError>>;
}

export function findArticleSummary(engine: AnswerSource, id: string): ArticleSummary | undefined {
  const article = engine.getArticle(id);
  return article ? summarize(article) : undefined;
}

export function createSupportService(deps: SupportDeps): SupportService {
  const escalateDeps = { ...deps, findArticle: (id: string) => findArticleSummary(deps.engine, id) };
  const answer = (question: string) => deps.engine.answer(question);
  // With no article from the conversation, match the error the reporter actually submitted; the
  // codes in it are recorded as well.
  const fileWithCodes = (request: EscalationRequest) =>
    fileEscalation(escalateDeps, {
      ...request,
      articleId: request.articleId ?? answer(request.form.errorText ?? '').article?.id ?? null,
      codes: request.codes ?? readInto(emptyCase, request.form.errorText ?? '', { timeZone: 'UTC', sentAt: new Date(0), organisations: [], knownCodes: deps.knownCodes }).codes,
    });
  const collectDeps = {
    conversations: deps.conversations,
    connections: deps.connections,
    escalations: deps.escalations,
    knownCodes: deps.knownCodes,
    now: deps.now ?? (() => new Date()),
    fileEscalation: (request: EscalationRequest) => fileWithCodes(request),
  };
  return {
    answer,
    answerWithArticle: (articleId, question) => {
      const article = deps.engine.getArticle(articleId);
      if (!article) return null;
      return {
        question,
        article,
        confidence: 1,
        matchedBy: 'none',
        matchedCode: null,
        unknownCode: null,
        reason: null,
        alternatives: [],
        actions: [...article.actions],
      };
    },
    getArticle: (id) => deps.engine.getArticle(id),
    firstDelivery: (eventId) => deps.processedEvents.markProcessed(eventId),
    recordFeedback: (input) => recordFeedback(deps, input),
    isAdmin: (actor) => isAdmin(deps, actor),
    listConnections: (teamId) => listConnections(deps, teamId),
    connectLink: (actor, purpose, request) => createConnectLink(deps.connect, actor, purpose, request),
    connectionHealth: (teamId, options) => connectionHealth({ connections: deps.connections, health: deps.health, now: deps.now }, teamId, options),
    diagnose: (teamId, answer) => diagnoseAnswer({ connections: deps.connections, health: deps.health, now: deps.now }, teamId, answer),
    requestDisconnect: (actor, query) => requestDisconnect(deps.disconnect, actor, query),
    confirmDisconnect: (actor, id, requestedAt) => confirmDisconnect(deps.disconnect, actor, id, requestedAt),
    listFailedSyncs: (teamId, limit) => listFailedSyncs(deps, teamId, limit),
    retryFailedSyncs: (actor, target) => retryFailedSyncs(deps, actor, target),
    archiveFailedSync: (actor, id) => archiveFailedSync(deps, actor, id),
    fileEscalation: (request) => fileWithCodes(request),
    describeEscalation: (escalation) => describeEscalation(escalateDeps, escalation),
    claimEscalation: (actor, id) => claimEscalation(escalateDeps, actor, id),
    resolveEscalation: (actor, id) => resolveEscalation(escalateDeps, actor, id),
    refreshEscalationMessages: (escalation) => refreshEscalationMessages(escalateDeps, escalation),
    homeOverview: (teamId, userId) => loadHomeOverview(deps, teamId, userId),
    startCase: (input) => startCase(collectDeps, input),
    continueCase: (reply) => continueCase(collectDeps, reply),
    sendCase: (actor, id, edited) => sendCase(collectDeps, actor, id, edited),
    prefillEscalation: (teamId, text, timeZone, sentAt) => prefillEscalation(collectDeps, teamId, text, timeZone, sentAt),
    caseForm: (actor, id) => caseFormOf(collectDeps, actor, id),
  };
}
