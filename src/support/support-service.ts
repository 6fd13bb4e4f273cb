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
import { archiveFailedSync, listFailedSyncs, retryFailedSyncs, retryRequestFor, type FailedSyncError, type FailedSyncPage, type RetryOrigin, type RetryStarted, type RetryTarget } from './failed-syncs.ts';
import type { RetryRequestStore } from './retry-requests.ts';
import { loadHomeOverview, type HomeOverview } from './home-overview.ts';
import { recordFeedback } from './record-feedback.ts';
import type { FeedbackOutcome, XeroConnection } from './records.ts';
import { fail, type Result } from './result.ts';
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
import { diagnoseFailure, type DiagnoseError, type FailureDiagnosis } from './diagnose-failure.ts';
import { requestContactRestore, restoreContact, type RestoreContactDeps, type RestoreContactError, type RestoredContact, type RestoreTarget } from './restore-contact.ts';
import { webhookHealth, type WebhookDeliveryStore, type WebhookHealth } from './xero-webhooks.ts';
import { emptyCase, readInto, type CaseConversationStore } from './case-conversation.ts';
import { followUpInThread, recordAnsweredThread, type AnsweredQuestion, type AnsweredThreadStore } from './answered-threads.ts';
import { caseFormOf, continueCase, prefillEscalation, sendCase, startCase, type CaseStep, type SendCaseError, type StartCase, type ThreadReply } from './collect-case.ts';
import type { CaseConversationRecord } from './case-conversation.ts';
import type { EscalationForm } from './escalate.ts';
import { confirmDisconnect, requestDisconnect, type DisconnectChoice, type DisconnectDeps, type DisconnectError } from './disconnect-xero.ts';
import { answerWithModel, type AssistedAnswer } from './assisted-answer.ts';
import { extractCaseWithModel, type AssistedExtraction } from './assisted-extract.ts';
import type { ExtractOptions } from '../knowledge/extract-case.ts';
import type { SupportModel } from './support-model.ts';
import type { ThreadHistoryStore, ThreadKey } from './thread-history.ts';

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
  /** Retry requests: where each retry's progress is reported (src/support/retry-requests.ts). */
  retryRequests: RetryRequestStore;
  /** Starts re-sending queued exports in this process at once; absent without Xero. */
  retryNow?: () => void;
  /** Xero is configured: retries are queued (without it they are refused, nothing would send them). */
  xeroConfigured: boolean;
  feedback: FeedbackStore;
  processedEvents: ProcessedEventStore;
  publisher: EscalationPublisher;
  /** Connect and reconnect links (src/support/xero-connect.ts). */
  connect: XeroConnectDeps;
  /** Live connection checks; undefined when Xero is not configured. */
  health?: HealthChecker | undefined;
  /** Live diagnosis of failed exports and restoring contacts; undefined when Xero is not configured. */
  diagnosis?: RestoreContactDeps | undefined;
  /** Stored diagnoses, shown even when Xero is not configured now. */
  diagnoses: { listByFailedSyncs(ids: readonly string[]): Promise<FailureDiagnosis[]> };
  /** Webhook deliveries, for the health line; undefined when XERO_WEBHOOK_KEY is not set. */
  webhooks?: Pick<WebhookDeliveryStore, 'lastDelivery'> | undefined;
  /** Disconnecting an organisation (src/support/disconnect-xero.ts). */
  disconnect: DisconnectDeps;
  /** Case conversations in threads (src/support/collect-case.ts). */
  conversations: CaseConversationStore;
  /** Channel threads the bot answered, where "it still fails" starts a case without a mention. */
  answeredThreads: AnsweredThreadStore;
  /** Codes the knowledge base knows; extraction reads them as codes. */
  knownCodes: readonly string[];
  /** The clock escalation post claims are timed by (default: the system clock). */
  now?: () => Date;
  /** How long a claim to publish an escalation lasts (default postLeaseMs). */
  postLeaseMs?: number;
  /** The language model (src/llm/); undefined without OPENAI_API_KEY: answers are the engine's alone. */
  model?: { model: SupportModel; timeoutMs: number; threadHistory?: ThreadHistoryStore } | undefined;
}

export interface AnswerContext {
  /** The asker's workspace: its connections' live verdicts lead answers about a connection. */
  teamId?: string | undefined;
  /** The Slack thread, for follow-ups read in context (model only). */
  thread?: ThreadKey | undefined;
  /** A failed live check leaves the answer without a verdict; the caller logs why. */
  onDiagnosisFailed?: (error: unknown) => void;
}

export interface SupportService {
  answer(question: string): Answer;
  /** True when answers may take the model's time (OPENAI_API_KEY set): acknowledge first, answer after. */
  readonly usesModel: boolean;
  /**
   * The answer with the live verdicts, and with the model (when configured) choosing among unsure
   * candidates and writing the fix from the article. Without a model: exactly answer() plus diagnose().
   */
  answerFor(question: string, context: AnswerContext): Promise<AssistedAnswer>;
  /** Case fields read from pasted text: the deterministic extractor first, the model only adding to it. */
  extractCase(text: string, options: ExtractOptions): Promise<AssistedExtraction>;
  /** The answer for an article the person picked from the closest ones; null if it no longer exists. */
  answerWithArticle(articleId: string, question: string): Answer | null;
  getArticle(id: string): Article | undefined;
  /** True the first time Slack delivers an event id; retries get false. */
  firstDelivery(eventId: string): Promise<boolean>;
  /** One vote per person per answer; says whether this press counted a vote, changed it or repeated it. */
  recordFeedback(input: NewFeedback): Promise<FeedbackOutcome>;
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
  /** Reads the failure's cause in Xero now; moves it on by itself when the cause is gone (a retry reported to `origin`). */
  diagnoseFailure(actor: Actor, failedSyncId: string, origin?: RetryOrigin): Promise<Result<FailureDiagnosis, DiagnoseError | 'xero_not_configured'>>;
  /** The last stored diagnosis of each of these failures (no Xero call). */
  storedDiagnoses(failedSyncIds: readonly string[]): Promise<FailureDiagnosis[]>;
  /** Admins, audited, before acknowledging: checks a "Restore contact in Xero" press. */
  requestContactRestore(actor: Actor, failedSyncId: string): Promise<Result<RestoreTarget, RestoreContactError | 'xero_not_configured'>>;
  /** After acknowledging: sets the contact ACTIVE in Xero, queues the exports waiting on it (reported to `origin`) and diagnoses the failure again. */
  restoreContact(actor: Actor, target: RestoreTarget, origin?: RetryOrigin): Promise<Result<RestoredContact, RestoreContactError | 'xero_not_configured'>>;
  /** When Xero's webhooks last delivered for the workspace's organisations; null when webhooks are off. */
  webhookHealth(teamId: string): Promise<WebhookHealth | null>;
  retryFailedSyncs(actor: Actor, target: RetryTarget, origin?: RetryOrigin): Promise<Result<RetryStarted, FailedSyncError>>;
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
  /** Remembers a channel thread the bot answered, for a day. */
  recordAnsweredThread(asked: AnsweredQuestion): Promise<void>;
  /** A reply without a mention in a channel thread: the case under way, or "it still fails" under an answer. */
  followUpInThread(reply: ThreadReply, timeZoneOf: () => Promise<string>): Promise<CaseStep | null>;
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
  const healthDeps = { connections: deps.connections, health: deps.health, now: deps.now };
  const diagnoseFor = (context: AnswerContext) => async (found: Answer) => {
    if (!context.teamId) return [];
    return diagnoseAnswer(healthDeps, context.teamId, found).catch((error: unknown) => {
      context.onDiagnosisFailed?.(error);
      return [];
    });
  };
  const assist = deps.model;
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
    extractWithModel: assist ? (text: string, options: ExtractOptions) => extractCaseWithModel({ model: assist.model, timeoutMs: assist.timeoutMs }, text, options) : undefined,
  };
  return {
    answer,
    usesModel: assist !== undefined,
    answerFor: async (question, context) => {
      if (!assist) {
        const found = answer(question);
        return { answer: found, reports: await diagnoseFor(context)(found), written: null, chosenByModel: false, trace: null };
      }
      const now = () => (deps.now ?? (() => new Date()))();
      return answerWithModel(
        { engine: deps.engine, model: assist.model, timeoutMs: assist.timeoutMs, diagnose: diagnoseFor(context), history: assist.threadHistory, now },
        question,
        context.thread,
      );
    },
    extractCase: (text, options) => extractCaseWithModel({ model: assist?.model, timeoutMs: assist?.timeoutMs ?? 0 }, text, options),
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
    diagnose: (teamId, answer) => diagnoseAnswer(healthDeps, teamId, answer),
    requestDisconnect: (actor, query) => requestDisconnect(deps.disconnect, actor, query),
    confirmDisconnect: (actor, id, requestedAt) => confirmDisconnect(deps.disconnect, actor, id, requestedAt),
    listFailedSyncs: (teamId, limit) => listFailedSyncs(deps, teamId, limit),
    diagnoseFailure: async (actor, id, origin) =>
      deps.diagnosis ? diagnoseFailure(deps.diagnosis, id, { teamId: actor.teamId, where: retryRequestFor(actor, origin, 'diagnosis') }) : fail('xero_not_configured'),
    storedDiagnoses: (ids) => deps.diagnoses.listByFailedSyncs(ids),
    requestContactRestore: async (actor, id) => (deps.diagnosis ? requestContactRestore(deps.diagnosis, actor, id) : fail('xero_not_configured')),
    restoreContact: async (actor, target, origin) => (deps.diagnosis ? restoreContact(deps.diagnosis, actor, target, retryRequestFor(actor, origin, 'restore')) : fail('xero_not_configured')),
    webhookHealth: async (teamId) => {
      if (!deps.webhooks) return null;
      const tenantIds = (await deps.connections.listByTeam(teamId)).map((c) => c.tenantId);
      return webhookHealth(deps.webhooks, tenantIds, (deps.now ?? (() => new Date()))());
    },
    retryFailedSyncs: (actor, target, origin) => retryFailedSyncs(deps, actor, target, origin),
    archiveFailedSync: (actor, id) => archiveFailedSync(deps, actor, id),
    fileEscalation: (request) => fileWithCodes(request),
    describeEscalation: (escalation) => describeEscalation(escalateDeps, escalation),
    claimEscalation: (actor, id) => claimEscalation(escalateDeps, actor, id),
    resolveEscalation: (actor, id) => resolveEscalation(escalateDeps, actor, id),
    refreshEscalationMessages: (escalation) => refreshEscalationMessages(escalateDeps, escalation),
    homeOverview: (teamId, userId) => loadHomeOverview(deps, teamId, userId),
    startCase: (input) => startCase(collectDeps, input),
    continueCase: (reply) => continueCase(collectDeps, reply),
    recordAnsweredThread: (asked) => recordAnsweredThread(deps.answeredThreads, asked, collectDeps.now()),
    followUpInThread: (reply, timeZoneOf) => followUpInThread({ ...collectDeps, answeredThreads: deps.answeredThreads }, reply, timeZoneOf),
    sendCase: (actor, id, edited) => sendCase(collectDeps, actor, id, edited),
    prefillEscalation: (teamId, text, timeZone, sentAt) => prefillEscalation(collectDeps, teamId, text, timeZone, sentAt),
    caseForm: (actor, id) => caseFormOf(collectDeps, actor, id),
  };
}
