// The storage the support use-cases need, as small interfaces over plain records. The
// repositories in src/db/ provide it (adapted in src/app.ts); tests may pass the same real ones.
import type { Escalation, EscalationInput, FailedSync, FailedSyncStatus, FeedbackOutcome, Lease, RetrySelection, SlackMessageRef, XeroConnection } from './records.ts';

export type { ConnectionStatus, EscalationStatus, FailedSyncStatus, SlackMessageRef } from './records.ts';

/** An escalation as the use-cases see it. */
export type EscalationRecord = Omit<Escalation, 'postLease' | 'claimedAt' | 'resolvedAt' | 'updatedAt'>;

/** The two messages an escalation gets: the case in the triage channel and the reporter's confirmation. */
export type EscalationMessage = 'triage' | 'confirmation';

/** A hold on posting one escalation's triage message; others wait until it expires. */
export type PostLease = Lease;

/** Every field given; stored already claimed for posting, so nobody else posts it while its creator does. */
export type NewEscalation = Required<Omit<EscalationInput, 'postLease'>> & { postLease: PostLease };

export interface EscalationStore {
  create(input: NewEscalation): Promise<EscalationRecord>;
  get(id: string): Promise<EscalationRecord | null>;
  /**
   * Claims up to `limit` escalations whose publishing never finished (never posted, or posted by
   * a poster that stopped before releasing its claim), oldest first, that nobody holds (or whose
   * holder's lease expired) for `owner` until `now + leaseMs`. Two claimers never get the same one.
   * Escalations of the workspaces in `skipTeamIds` are never claimed.
   */
  claimUnposted(owner: string, options: { limit: number; leaseMs: number; now: Date; skipTeamIds: readonly string[] }): Promise<EscalationRecord[]>;
  /** Notes that `owner` is about to send one of the escalation's messages; false unless `owner` holds the claim. */
  recordAttempt(id: string, owner: string, message: EscalationMessage, at: Date): Promise<boolean>;
  /** Records the triage message; the claim stays until releasePostLease. False unless `owner` holds it, unposted. */
  markPosted(id: string, owner: string, triageMessage: SlackMessageRef): Promise<boolean>;
  recordReporterConfirmation(id: string, confirmation: SlackMessageRef): Promise<boolean>;
  /** Publishing is finished: gives the claim up. False unless `owner` held it. */
  releasePostLease(id: string, owner: string): Promise<boolean>;
  /** open -> claimed; false when it was not open. */
  claim(id: string, assigneeSlackUserId: string): Promise<boolean>;
  /** open or claimed -> resolved by `resolverSlackUserId`; false when it was already resolved. */
  resolve(id: string, resolverSlackUserId: string): Promise<boolean>;
  /** Open or claimed, oldest first. */
  listOpen(options: { slackTeamId: string; limit: number }): Promise<EscalationRecord[]>;
  /** Newest first. */
  listByReporter(slackTeamId: string, reporterSlackUserId: string, options: { limit: number }): Promise<EscalationRecord[]>;
}

export interface NewFeedback {
  slackTeamId: string;
  slackUserId: string;
  question: string;
  articleId: string | null;
  helpful: boolean;
  channelId: string | null;
  messageTs: string | null;
}

export interface FeedbackStore {
  /** One vote per person per answer: a second press replaces the first. */
  record(input: NewFeedback): Promise<{ outcome: FeedbackOutcome }>;
}

export interface ProcessedEventStore {
  /** True the first time an event id is seen, false for every repeat. */
  markProcessed(eventId: string): Promise<boolean>;
}

export interface AuditEntry {
  slackTeamId: string | null;
  /** A Slack user id. */
  actor: string;
  /** Dotted verb, e.g. "escalation.claim". */
  action: string;
  target: string | null;
  details: Record<string, string | number | boolean | null>;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<unknown>;
}

export type FailedSyncRecord = Pick<
  FailedSync,
  'id' | 'slackTeamId' | 'connectionId' | 'externalReference' | 'kind' | 'errorCode' | 'errorMessage' | 'occurredAt' | 'status' | 'attempts'
>;

export interface FailedSyncStore {
  get(id: string): Promise<FailedSyncRecord | null>;
  /** Newest first. */
  listByTeam(slackTeamId: string, options: { status: FailedSyncStatus | FailedSyncStatus[]; limit: number }): Promise<FailedSyncRecord[]>;
  /** Queues a failed sync for a retry; false unless it was 'failed'. */
  queueRetry(id: string): Promise<boolean>;
  /** Queues the selected failures now under a retry request (see src/support/retry-requests.ts); their ids. */
  queueForRetry(selection: RetrySelection, retryRequestId: string | null, now?: Date): Promise<string[]>;
  /** False while a worker holds it. */
  archive(id: string): Promise<boolean>;
}

export type ConnectionRecord = Pick<
  XeroConnection,
  | 'id'
  | 'slackTeamId'
  | 'tenantId'
  | 'tenantName'
  | 'status'
  | 'statusReason'
  | 'statusChangedAt'
  | 'lastCheckedAt'
  | 'lastHealthyAt'
  | 'healthVerdict'
  | 'healthReport'
  | 'refreshTokenIssuedAt'
  | 'connectedBySlackUserId'
  | 'connectedByXeroEmail'
>;

export interface ConnectionStore {
  listByTeam(teamId: string): Promise<ConnectionRecord[]>;
}
