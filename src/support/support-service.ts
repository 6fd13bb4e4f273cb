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
  publishEscalation,
  refreshEscalationMessages,
  resolveEscalation,
  type EscalationPublisher,
  type EscalationRequest,
  type FiledEscalation,
  type PublishedEscalation,
  type PublishError,
  type TriageError,
} from './escalate.ts';
import type { HealthReport } from './check-connection.ts';
import { connectionHealth, diagnoseAnswer, type ConnectionHealthView, type HealthChecker } from './connection-health.ts';
import { archiveFailedSync, listFailedSyncs, retryFailedSyncs, type FailedSyncError, type FailedSyncPage, type RetryOrigin, type RetryStarted, type RetryTarget } from './failed-syncs.ts';
import type { RetryRequestStore } from './retry-requests.ts';
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
  /** Retry requests: where each retry's progress is reported (src/support/retry-requests.ts). */
  retryRequests: RetryRequestStore;
  /** Starts re-sending queued exports in this process at once; absent without Xero. */
  retryNow?: () => void;
  feedback: FeedbackStore;
  processedEvents: ProcessedEventStore;
  publisher: EscalationPublisher;
  /** Connect and reconnect links (src/support/xero-connect.ts). */
  connect: XeroConnectDeps;
  /** Live connection checks; undefined when Xero is not configured. */
  health?: HealthChecker | undefined;
  /** Disconnecting an organisation (src/support/disconnect-xero.ts). */
  disconnect: DisconnectDeps;
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
  retryFailedSyncs(actor: Actor, target: RetryTarget, origin?: RetryOrigin): Promise<Result<RetryStarted, FailedSyncError>>;
  archiveFailedSync(actor: Actor, id: string): Promise<Result<FailedSyncRecord, FailedSyncError>>;
  /** Stores a validated escalation; acknowledge the reporter only after this, then publish it. */
  fileEscalation(request: EscalationRequest): Promise<FiledEscalation>;
  /** Posts a filed escalation to triage and confirms to the reporter. */
  publishEscalation(filed: FiledEscalation): Promise<PublishedEscalation>;
  /** An escalation with its matched article and organisation name, as people read it. */
  describeEscalation(escalation: EscalationRecord): Promise<EscalationDetails>;
  /** Stores the claim (admins only); the messages are refreshed separately, after acknowledging. */
  claimEscalation(actor: Actor, id: string): Promise<Result<EscalationRecord, TriageError>>;
  resolveEscalation(actor: Actor, id: string): Promise<Result<EscalationRecord, TriageError>>;
  /** Re-renders the triage message and the reporter's confirmation after a claim or resolution. */
  refreshEscalationMessages(escalation: EscalationRecord): Promise<Result<void, PublishError>>;
  homeOverview(teamId: string, userId: string): Promise<HomeOverview>;
}

export function findArticleSummary(engine: AnswerSource, id: string): ArticleSummary | undefined {
  const article = engine.getArticle(id);
  return article ? summarize(article) : undefined;
}

export function createSupportService(deps: SupportDeps): SupportService {
  const escalateDeps = { ...deps, findArticle: (id: string) => findArticleSummary(deps.engine, id) };
  const answer = (question: string) => deps.engine.answer(question);
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
    retryFailedSyncs: (actor, target, origin) => retryFailedSyncs(deps, actor, target, origin),
    archiveFailedSync: (actor, id) => archiveFailedSync(deps, actor, id),
    // With no article from the conversation, match the error the reporter actually submitted.
    fileEscalation: (request) =>
      fileEscalation(escalateDeps, {
        ...request,
        articleId: request.articleId ?? answer(request.form.errorText ?? '').article?.id ?? null,
      }),
    publishEscalation: (filed) => publishEscalation(escalateDeps, filed.escalation, filed.postClaim),
    describeEscalation: (escalation) => describeEscalation(escalateDeps, escalation),
    claimEscalation: (actor, id) => claimEscalation(escalateDeps, actor, id),
    resolveEscalation: (actor, id) => resolveEscalation(escalateDeps, actor, id),
    refreshEscalationMessages: (escalation) => refreshEscalationMessages(escalateDeps, escalation),
    homeOverview: (teamId, userId) => loadHomeOverview(deps, teamId, userId),
  };
}
