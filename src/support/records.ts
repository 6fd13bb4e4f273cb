// The domain types the repositories take and return. Nothing here depends on Prisma, so
// use-cases can import these types freely. Secrets appear decrypted; they are encrypted only
// inside the database.
import type { XeroTokenSet } from './xero-gateway.ts';

export type ConnectionStatus = 'connected' | 'expiring' | 'token_expired' | 'needs_reconnect' | 'disconnected' | 'error';
export const connectionStatuses: readonly ConnectionStatus[] = ['connected', 'expiring', 'token_expired', 'needs_reconnect', 'disconnected', 'error'];

/** needs_fix: Xero refused it for a reason a person has to fix (or the connection needs a reconnect); never retried blindly. */
export type FailedSyncStatus = 'failed' | 'needs_fix' | 'queued' | 'retrying' | 'synced' | 'archived';
export const failedSyncStatuses: readonly FailedSyncStatus[] = ['failed', 'needs_fix', 'queued', 'retrying', 'synced', 'archived'];

export type EscalationStatus = 'open' | 'claimed' | 'resolved';
export const escalationStatuses: readonly EscalationStatus[] = ['open', 'claimed', 'resolved'];

export type OAuthPurpose = 'connect' | 'reconnect';

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

// --- Slack installations (what Bolt's InstallationStore stores) ---

export interface SlackInstallationInput {
  teamId: string | null;
  teamName: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  /** An org-wide install: looked up by enterprise id rather than team id. */
  isEnterpriseInstall: boolean;
  appId: string | null;
  bot: {
    id: string | null;
    userId: string;
    token: string;
    scopes: string[];
    /** Set when Slack token rotation is on. */
    refreshToken: string | null;
    expiresAt: Date | null;
  };
  installer: {
    userId: string;
    token: string | null;
    scopes: string[];
    refreshToken: string | null;
  };
}

export interface SlackInstallation extends SlackInstallationInput {
  installedAt: Date;
  updatedAt: Date;
}

/** The fields of Bolt's InstallationQuery that identify an installation. */
export interface InstallationQuery {
  teamId?: string | null;
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean;
}

// --- Xero token sets and connections ---

export type { XeroTokenSet } from './xero-gateway.ts';

/** One Xero authorization, without its tokens: every organisation picked at that consent shares it. */
export interface XeroTokenSetRecord {
  id: string;
  slackTeamId: string;
  accessTokenExpiresAt: Date;
  scopes: string[];
  /** When the current refresh token was issued (renewed before it can age out). */
  refreshTokenIssuedAt: Date;
  refreshLease: Lease | null;
  /** Changes on every token save; pass it back to `saveRotated`. */
  version: number;
  connectedBySlackUserId: string;
  connectedByXeroUserId: string | null;
  connectedByXeroEmail: string | null;
  authEventId: string | null;
  /** Xero refused the refresh token: only a reconnect helps. */
  rejectedAt: Date | null;
  /** Someone has taken on sending the reconnect link, at this time (their attempt's start). */
  reconnectNoticeClaimedAt: Date | null;
  /** The reconnect link's DM is known to be in Slack. */
  reconnectNoticeSentAt: Date | null;
  /** The last live connection went: tokens revoked at Xero and wiped here; never refreshed again. */
  retiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface XeroTokenSetWithTokens extends XeroTokenSetRecord {
  tokens: XeroTokenSet;
}

export interface XeroTokenSetInput {
  slackTeamId: string;
  tokens: XeroTokenSet;
  connectedBySlackUserId: string;
  connectedByXeroUserId?: string | null;
  connectedByXeroEmail?: string | null;
  authEventId?: string | null;
}

export interface XeroConnection {
  id: string;
  slackTeamId: string;
  tenantId: string;
  tenantName: string;
  /** ORGANISATION, PRACTICE... as Xero reports it. */
  tenantType: string;
  /** The id of this tenant connection in Xero's /connections list. */
  xeroConnectionId: string;
  tokenSetId: string;
  /** From the token set. */
  accessTokenExpiresAt: Date;
  scopes: string[];
  refreshTokenIssuedAt: Date;
  status: ConnectionStatus;
  statusReason: string | null;
  statusChangedAt: Date;
  lastCheckedAt: Date | null;
  lastHealthyAt: Date | null;
  /** The last live check's verdict; null before the first. */
  healthVerdict: string | null;
  /** The last live check as stored (see support/check-connection.ts), or null. */
  healthReport: unknown;
  /** From the token set: who consented. */
  connectedBySlackUserId: string;
  connectedByXeroEmail: string | null;
  connectedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface XeroConnectionInput {
  slackTeamId: string;
  tenantId: string;
  tenantName: string;
  tenantType: string;
  xeroConnectionId: string;
  /** The authorization this tenant is reached through; a reconnect moves the tenant to the new one. */
  tokenSetId: string;
}

export interface HealthUpdate {
  status: ConnectionStatus;
  reason?: string | null;
  /** When the check ran (default now). */
  checkedAt?: Date;
  /** A live check's verdict and report; left as they were when absent. */
  verdict?: string;
  report?: unknown;
}

export interface Lease {
  owner: string;
  until: Date;
}

// --- OAuth states for connect / reconnect links ---

export interface OAuthStateInput {
  purpose: OAuthPurpose;
  slackTeamId: string;
  slackUserId: string;
  channelId?: string | null;
  threadTs?: string | null;
  /** The connection being reconnected. */
  connectionId?: string | null;
  /** How long the link stays valid (default 10 minutes). */
  ttlMs?: number;
}

export interface OAuthState {
  id: string;
  purpose: OAuthPurpose;
  slackTeamId: string;
  slackUserId: string;
  channelId: string | null;
  threadTs: string | null;
  connectionId: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

export type ConsumeStateResult =
  | { ok: true; state: OAuthState }
  | { ok: false; reason: 'unknown' | 'expired' | 'already_used' };

// --- Failed syncs / exports and their retries ---

export interface FailedSyncInput {
  slackTeamId: string;
  connectionId?: string | null;
  /** The report name or ID the user knows the export by. */
  externalReference: string;
  /** invoice, bill, credit_note, payment, contact, ... */
  kind: string;
  /** What to send again: a JSON object or array. */
  payload: JsonObject | JsonValue[];
  /** Knowledge article id. */
  errorCode?: string | null;
  errorMessage: string;
  validationMessages?: string[];
  occurredAt?: Date;
  /** Sent to Xero on every retry so a retry never creates a duplicate (default: a new UUID). */
  idempotencyKey?: string;
  /** 'queued' to retry straight away; default 'failed' (waits for someone to ask for a retry). */
  status?: 'failed' | 'queued';
}

export interface FailedSync {
  id: string;
  slackTeamId: string;
  connectionId: string | null;
  externalReference: string;
  kind: string;
  payload: JsonObject | JsonValue[];
  errorCode: string | null;
  errorMessage: string;
  validationMessages: string[];
  occurredAt: Date;
  status: FailedSyncStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  idempotencyKey: string;
  lease: Lease | null;
  xeroId: string | null;
  syncedAt: Date | null;
  /** The Idempotency-Key of every re-send, once one was made. */
  sendKey: string | null;
  /** A send was started and its outcome never learned: ask Xero before sending again. */
  sendStartedAt: Date | null;
  lastOutcome: RetryOutcome | null;
  retryRequestId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type RetryOutcome = 'synced' | 'found' | 'needs_fix' | 'needs_reconnect' | 'transient' | 'rate_limited';

/** How one retry attempt ended, as the queue stores it. */
export type RetrySettlement =
  /** Xero holds it now (sent, or found from an earlier send). */
  | { kind: 'synced'; xeroId: string; found: boolean }
  /** Xero refused it for a reason a person must fix: waits, never retried blindly. */
  | { kind: 'needs_fix'; reconnect: boolean; outcomeUnknown: boolean; errorCode: string | null; errorMessage: string; validationMessages: string[] }
  /** Timeout, 5xx, 429: again at `nextAttemptAt`; `outcomeUnknown` keeps the send stamp so Xero is asked first. */
  | { kind: 'transient'; rateLimited: boolean; outcomeUnknown: boolean; errorMessage: string; nextAttemptAt: Date; giveUp: boolean }
  /** No permit yet (the organisation's limit): back in the queue, the attempt not counted. */
  | { kind: 'deferred'; nextAttemptAt: Date };

/** Which failures a retry trigger hands to the queue. */
export interface RetrySelection {
  slackTeamId: string;
  ids?: string[];
  connectionIds?: string[];
  /** Default: failed and needs_fix. */
  statuses?: FailedSyncStatus[];
  limit: number;
}

export interface RetryRequestInput {
  slackTeamId: string;
  /** What caused it: a person's press or command, a reconnect, a restored contact, a diagnosis, or a fix noticed by itself (webhook, schedule). */
  source: 'button' | 'command' | 'reconnect' | 'restore' | 'diagnosis' | 'automatic';
  slackUserId?: string | null;
  timeZone?: string | null;
  channelId?: string | null;
  threadTs?: string | null;
}

export interface RetryRequest extends Required<RetryRequestInput> {
  id: string;
  messageTs: string | null;
  total: number;
  reportedAt: Date | null;
  reportedText: string | null;
  finishedAt: Date | null;
  createdAt: Date;
}

/** Where a request's failures stand. */
export interface RetryProgress {
  total: number;
  synced: number;
  needsFix: number;
  /** Gave up after the attempts ran out, or archived. */
  failed: number;
  /** Queued or being retried. */
  waiting: number;
  /** The earliest next attempt among the waiting ones. */
  nextAttemptAt: Date | null;
}

export interface RetryFailure {
  errorCode?: string | null;
  errorMessage: string;
  validationMessages?: string[];
  /** False when retrying cannot help (e.g. a validation error): the job goes back to 'failed'. */
  retryable?: boolean;
}

export interface RetryPolicy {
  /** Attempts before a job stops retrying and returns to 'failed' (default 5). */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubles each time (default 30 s). */
  baseDelayMs: number;
  /** Upper bound of the delay (default 1 h). */
  maxDelayMs: number;
}

// --- Escalations ---

export interface EscalationInput {
  slackTeamId: string;
  reporterSlackUserId: string;
  channelId: string;
  threadTs?: string | null;
  errorText: string;
  /** What else the reporter told support, apart from the error. */
  notes?: string | null;
  reportId?: string | null;
  occurredAt?: Date | null;
  connectionId?: string | null;
  articleId?: string | null;
  /** Error codes read from the paste. */
  codes?: string[];
  /** The reporter's IANA time zone. */
  reporterTimeZone?: string | null;
  /** The connection's live verdict at report time (a HealthVerdict), and when it was checked. */
  connectionVerdict?: string | null;
  connectionCheckedAt?: Date | null;
  /** Created already claimed for posting, so no other instance posts it meanwhile (see claimUnposted). */
  postLease?: Lease | null;
}

export interface SlackMessageRef {
  channelId: string;
  ts: string;
}

export interface Escalation {
  id: string;
  slackTeamId: string;
  reporterSlackUserId: string;
  channelId: string;
  threadTs: string | null;
  errorText: string;
  notes: string | null;
  reportId: string | null;
  occurredAt: Date | null;
  connectionId: string | null;
  articleId: string | null;
  codes: string[];
  reporterTimeZone: string | null;
  connectionVerdict: string | null;
  connectionCheckedAt: Date | null;
  status: EscalationStatus;
  assigneeSlackUserId: string | null;
  /** Who resolved it; null until resolved. */
  resolvedBySlackUserId: string | null;
  /** The message in the triage channel; null until posted. */
  triageMessage: SlackMessageRef | null;
  /** The confirmation posted to the reporter, in their thread or their DM; null until posted. */
  reporterConfirmation: SlackMessageRef | null;
  postedAt: Date | null;
  /** Held by whoever is posting the triage message and the confirmation; null once both are done or never claimed. */
  postLease: Lease | null;
  /** When the latest triage post was sent; while triageMessage is null its outcome is unknown. */
  postAttemptAt: Date | null;
  /** When the latest reporter confirmation was sent; while reporterConfirmation is null its outcome is unknown. */
  confirmationAttemptAt: Date | null;
  claimedAt: Date | null;
  resolvedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

// --- Feedback, Slack event de-duplication, audit ---

export interface AnswerFeedbackInput {
  slackTeamId: string;
  slackUserId: string;
  question: string;
  articleId: string | null;
  helpful: boolean;
  channelId?: string | null;
  messageTs?: string | null;
}

export interface AnswerFeedback extends Required<AnswerFeedbackInput> {
  id: string;
  /** When this person's latest vote on the answer was cast. */
  createdAt: Date;
}

/** What a press did: a first vote, a changed vote, or the same vote again. */
export type FeedbackOutcome = 'counted' | 'changed' | 'unchanged';

/**
 * The answer a vote is about: the article given (empty when none) and the question. The migration
 * that introduced one vote per person computes the same key in SQL; keep them in step.
 */
export function feedbackAnswerKey(articleId: string | null, question: string): string {
  return `${articleId ?? ''}\n${question}`;
}

export interface AuditEventInput {
  /** A Slack user id, or "system" / "cli" for unattended actions. */
  actor: string;
  /** Dotted verb, e.g. "escalation.claimed", "keys.rotated". */
  action: string;
  target?: string | null;
  slackTeamId?: string | null;
  /** Any JSON object; never put secrets here. */
  details?: JsonObject;
}

export interface AuditEvent {
  id: number;
  actor: string;
  action: string;
  target: string | null;
  slackTeamId: string | null;
  details: JsonObject;
  occurredAt: Date;
}

export interface ListOptions {
  limit?: number;
}

// --- Health alerts for ALERTS_CHANNEL_ID ---

export type HealthAlertKind = 'connection_broken' | 'connection_healthy' | 'token_set_aging' | 'xero_unreachable' | 'xero_reachable' | 'exports_failed';

export interface HealthAlertInput {
  /** Unique: the same transition noticed twice (two instances) inserts once. */
  dedupeKey: string;
  subject: string;
  kind: HealthAlertKind;
  state: string;
  slackTeamId: string;
  connectionId: string | null;
  details: Record<string, string | number | boolean | null>;
}

export interface HealthAlert extends HealthAlertInput {
  id: string;
  postAttemptedAt: Date | null;
  postedAt: Date | null;
  message: SlackMessageRef | null;
  createdAt: Date;
}
