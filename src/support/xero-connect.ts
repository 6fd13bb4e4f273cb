// Connecting organisations through Xero's consent: links that work once, for ten minutes, for the
// person who asked; the callback that turns a consent into one stored token set and a connection
// per organisation; and the reconnect link owed to whoever connected a set Xero has rejected.
// Nothing here posts to Slack: the edge delivers what these return.
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import { fail, ok, type Result } from './result.ts';
import type { ConsumeStateResult, OAuthPurpose, OAuthState, OAuthStateInput, XeroConnection, XeroConnectionInput, XeroTokenSetInput, XeroTokenSetRecord } from './records.ts';
import type { AuditLog, FailedSyncStore } from './stores.ts';
import { queueRetries, type RetryRequestStore } from './retry-requests.ts';
import { isXeroError, type XeroGateway } from './xero-gateway.ts';

export interface OAuthStateStore {
  create(input: OAuthStateInput, now?: Date): Promise<{ nonce: string; state: OAuthState }>;
  consume(nonce: string, now?: Date): Promise<ConsumeStateResult>;
  /** The same verdict as consume, without using the state up. */
  inspect(nonce: string, now?: Date): Promise<ConsumeStateResult>;
}

export interface ConnectTokenSetStore {
  create(input: XeroTokenSetInput, now?: Date): Promise<XeroTokenSetRecord>;
  deleteIfUnused(id: string): Promise<boolean>;
  listAwaitingReconnectNotice(options?: { limit?: number; now?: Date; leaseMs?: number }): Promise<XeroTokenSetRecord[]>;
  claimReconnectNotice(id: string, now?: Date, previous?: Date | null): Promise<boolean>;
  unclaimReconnectNotice(id: string): Promise<boolean>;
  markReconnectNoticeSent(id: string, now?: Date): Promise<boolean>;
}

export interface ConnectConnectionStore {
  upsert(input: XeroConnectionInput, now?: Date): Promise<XeroConnection>;
  get(id: string): Promise<XeroConnection | null>;
  findByTenant(slackTeamId: string, tenantId: string): Promise<XeroConnection | null>;
  listByTokenSet(tokenSetId: string): Promise<XeroConnection[]>;
}

export interface XeroConnectDeps extends AdminAccessDeps {
  /** Undefined when XERO_CLIENT_ID and XERO_CLIENT_SECRET are not set. */
  xero: Pick<XeroGateway, 'consentUrl' | 'exchangeCode' | 'listConnections' | 'identityOf'> | undefined;
  oauthStates: OAuthStateStore;
  tokenSets: ConnectTokenSetStore;
  xeroConnections: ConnectConnectionStore;
  failedSyncs: Pick<FailedSyncStore, 'get' | 'queueForRetry'>;
  /** A reconnect's retries report in the thread the reconnect was asked from. */
  retryRequests: RetryRequestStore;
  /** Starts re-sending at once in this process (the scheduled job covers the rest). */
  retryNow?: () => void;
  audit: AuditLog;
  now: () => Date;
}

export interface ConnectLink {
  url: string;
  expiresAt: Date;
}

/** Where the outcome of a consent is reported: the thread the link was asked for in, or the person's DM. */
export interface ConnectRequest {
  channelId: string | null;
  threadTs: string | null;
  /** For a reconnect: the connection that broke. */
  connectionId?: string | null;
}

export type ConnectLinkError = 'not_authorized' | 'xero_not_configured' | 'connection_not_found';

/** Admin-only: a single-use consent link, valid 10 minutes, bound to the asker and where to report. */
export function createConnectLink(deps: XeroConnectDeps, actor: Actor, purpose: OAuthPurpose, request: ConnectRequest): Promise<Result<ConnectLink, ConnectLinkError>> {
  return asAdmin(deps, actor, purpose === 'connect' ? 'xero.connect' : 'xero.reconnect', request.connectionId ?? null, async () => {
    const xero = deps.xero;
    if (!xero) return fail('xero_not_configured');
    if (request.connectionId) {
      const connection = await deps.xeroConnections.get(request.connectionId);
      if (!connection || connection.slackTeamId !== actor.teamId) return fail('connection_not_found');
    }
    return ok(await newLink(deps, xero, { purpose, slackTeamId: actor.teamId, slackUserId: actor.userId, channelId: request.channelId, threadTs: request.threadTs, connectionId: request.connectionId ?? null }));
  });
}

async function newLink(deps: XeroConnectDeps, xero: NonNullable<XeroConnectDeps['xero']>, input: OAuthStateInput): Promise<ConnectLink> {
  const { nonce, state } = await deps.oauthStates.create(input, deps.now());
  return { url: await xero.consentUrl(nonce), expiresAt: state.expiresAt };
}

export interface ReconnectNotice {
  tokenSetId: string;
  slackTeamId: string;
  /** Who connected the set: the link is theirs, sent to their DM. */
  slackUserId: string;
  tenantNames: string[];
  link: ConnectLink;
  /**
   * When an earlier attempt to send this notice started and never got an outcome recorded (a
   * crash, a lost answer): its DM may exist, so it is looked for before sending another.
   */
  earlierAttemptAt: Date | null;
  /** When Xero rejected the set: no DM about it can be older. */
  rejectedAt: Date;
}

/**
 * How long a notice's sender holds it; also how long after an attempt starts its DM may appear.
 * After it, another run looks for that DM and sends the link only when it is not there.
 */
export const reconnectNoticeLeaseMs = 2 * 60_000;

/**
 * What delivering a notice came to. sent / found: the DM is in Slack. refused: Slack said no, so
 * nothing was sent. unknown: the answer was lost, or Slack could not say whether an earlier DM
 * exists: the claim is kept, and once it runs out the next run looks again.
 */
export type NoticeDelivery = 'sent' | 'found' | 'refused' | 'unknown';

/**
 * Reconnect links owed after Xero rejected a token set, each claimed first (a conditional update)
 * so that across every instance exactly one sender holds it at a time. The caller delivers each
 * one and reports how it went with settleReconnectNotice.
 */
export async function takeReconnectNotices(deps: XeroConnectDeps, options: { limit: number }): Promise<ReconnectNotice[]> {
  const xero = deps.xero;
  if (!xero) return [];
  const notices: ReconnectNotice[] = [];
  for (const set of await deps.tokenSets.listAwaitingReconnectNotice({ limit: options.limit, now: deps.now(), leaseMs: reconnectNoticeLeaseMs })) {
    const earlierAttemptAt = set.reconnectNoticeClaimedAt;
    if (!(await deps.tokenSets.claimReconnectNotice(set.id, deps.now(), earlierAttemptAt))) continue;
    const connections = (await deps.xeroConnections.listByTokenSet(set.id)).filter((c) => c.status === 'needs_reconnect');
    if (connections.length === 0) continue;
    const link = await newLink(deps, xero, {
      purpose: 'reconnect',
      slackTeamId: set.slackTeamId,
      slackUserId: set.connectedBySlackUserId,
      channelId: null,
      threadTs: null,
      connectionId: connections[0]!.id,
    });
    notices.push({ tokenSetId: set.id, slackTeamId: set.slackTeamId, slackUserId: set.connectedBySlackUserId, tenantNames: connections.map((c) => c.tenantName), link, earlierAttemptAt, rejectedAt: set.rejectedAt ?? deps.now() });
  }
  return notices;
}

/** Records how delivering a notice went: done, offered again next run, or held until looked up. */
export async function settleReconnectNotice(deps: Pick<XeroConnectDeps, 'tokenSets' | 'now'>, notice: ReconnectNotice, delivery: NoticeDelivery): Promise<void> {
  if (delivery === 'sent' || delivery === 'found') await deps.tokenSets.markReconnectNoticeSent(notice.tokenSetId, deps.now());
  else if (delivery === 'refused') await deps.tokenSets.unclaimReconnectNotice(notice.tokenSetId);
}

export interface CallbackInput {
  state: string | undefined;
  code: string | undefined;
  /** Xero's error parameter, e.g. access_denied when the person declined. */
  error: string | undefined;
}

export type CallbackError =
  | 'xero_not_configured'
  | 'state_missing'
  | 'state_unknown'
  | 'state_expired'
  | 'state_used'
  | 'consent_declined'
  | 'xero_error'
  | 'code_missing'
  | 'code_rejected'
  | 'xero_unavailable'
  | 'no_organisations';

export interface ConnectOutcome {
  purpose: OAuthPurpose;
  slackTeamId: string;
  slackUserId: string;
  /** Where to report: the thread the link was asked for in, or null for the person's DM. */
  channelId: string | null;
  threadTs: string | null;
  tenantNames: string[];
  /** Failed exports of the reconnected organisations handed to the retry queue. */
  retriesQueued: number;
}

// Nonces are 32 random bytes in base64url; anything else was never ours.
const noncePattern = /^[A-Za-z0-9_-]{43}$/;

const stateError = (result: Exclude<ConsumeStateResult, { ok: true }>): CallbackError =>
  result.reason === 'unknown' ? 'state_unknown' : result.reason === 'expired' ? 'state_expired' : 'state_used';

/**
 * Xero's redirect back to us. Every refusal changes nothing stored; on success the token set is
 * stored once, every organisation Xero lists is recorded (moving any tenant connected through an
 * older set to this one), and a reconnect hands the organisations' failed exports to the retry queue.
 */
export async function completeConnect(deps: XeroConnectDeps, input: CallbackInput): Promise<Result<ConnectOutcome, CallbackError>> {
  const xero = deps.xero;
  if (!xero) return fail('xero_not_configured');
  if (!input.state) return fail('state_missing');
  if (!noncePattern.test(input.state)) return fail('state_unknown');
  if (input.error || !input.code) {
    // Look without using the link up, so a person who declined by mistake can open it again.
    const seen = await deps.oauthStates.inspect(input.state, deps.now());
    if (!seen.ok) return fail(stateError(seen));
    return fail(input.error === 'access_denied' ? 'consent_declined' : input.error ? 'xero_error' : 'code_missing');
  }
  const consumed = await deps.oauthStates.consume(input.state, deps.now());
  if (!consumed.ok) return fail(stateError(consumed));
  const state = consumed.state;

  let tokens;
  let tenants;
  try {
    tokens = await xero.exchangeCode({ code: input.code, state: input.state });
    tenants = await xero.listConnections(tokens.accessToken);
  } catch (error) {
    return fail(isXeroError(error) && error.code === 'code_rejected' ? 'code_rejected' : 'xero_unavailable');
  }
  if (tenants.length === 0) return fail('no_organisations');

  const identity = xero.identityOf(tokens);
  const now = deps.now();
  const set = await deps.tokenSets.create(
    {
      slackTeamId: state.slackTeamId,
      tokens,
      connectedBySlackUserId: state.slackUserId,
      connectedByXeroUserId: identity.userId ?? null,
      connectedByXeroEmail: identity.email ?? null,
      authEventId: tenants.find((t) => t.authEventId)?.authEventId ?? null,
    },
    now,
  );
  const replaced = new Set<string>();
  const recorded: XeroConnection[] = [];
  for (const tenant of tenants) {
    const before = await deps.xeroConnections.findByTenant(state.slackTeamId, tenant.tenantId);
    if (before && before.tokenSetId !== set.id) replaced.add(before.tokenSetId);
    recorded.push(
      await deps.xeroConnections.upsert(
        { slackTeamId: state.slackTeamId, tenantId: tenant.tenantId, tenantName: tenant.tenantName, tenantType: tenant.tenantType, xeroConnectionId: tenant.connectionId, tokenSetId: set.id },
        now,
      ),
    );
  }
  // An older authorization nobody uses any more would only be refreshed for nothing.
  for (const id of replaced) await deps.tokenSets.deleteIfUnused(id);

  let retriesQueued = 0;
  if (state.purpose === 'reconnect') {
    // Everything of these organisations that waits (failed, or needs_fix for want of a connection) goes out again now.
    const queued = await queueRetries(
      deps,
      { slackTeamId: state.slackTeamId, source: 'reconnect', slackUserId: state.slackUserId, channelId: state.channelId, threadTs: state.threadTs },
      { kind: 'connections', connectionIds: recorded.map((c) => c.id) },
    );
    if (queued.ok) {
      retriesQueued = queued.queued;
      deps.retryNow?.();
    }
  }
  await deps.audit.append({
    slackTeamId: state.slackTeamId,
    actor: state.slackUserId,
    action: state.purpose === 'connect' ? 'xero.connected' : 'xero.reconnected',
    target: set.id,
    details: { organisations: recorded.length, retriesQueued },
  });
  return ok({
    purpose: state.purpose,
    slackTeamId: state.slackTeamId,
    slackUserId: state.slackUserId,
    channelId: state.channelId,
    threadTs: state.threadTs,
    tenantNames: recorded.map((c) => c.tenantName),
    retriesQueued,
  });
}
