// Tokens that never lapse. A refresh runs at most once at a time per token set across every
// process (the set's row lease), is saved before anything uses it (version-checked), and after a
// timeout or a lost answer is retried with the SAME refresh token: Xero hands back the same new
// set within its grace window, so retrying never burns the authorization. invalid_grant marks the
// set and its connections needs_reconnect once and is never retried; sending the reconnect link
// is left to the edge (see takeReconnectNotices).
import { randomUUID } from 'node:crypto';
import type { ConnectionAccess, TenantAccess } from './connection-access.ts';
import type { ConnectionStatus, ListOptions, XeroConnection, XeroTokenSetRecord, XeroTokenSetWithTokens } from './records.ts';
import { XeroError, isXeroError, type XeroGateway, type XeroTokenSet } from './xero-gateway.ts';

export interface TokenSetStore {
  get(id: string): Promise<XeroTokenSetRecord | null>;
  getWithTokens(id: string): Promise<XeroTokenSetWithTokens | null>;
  claimRefreshLease(id: string, owner: string, leaseMs: number, now?: Date): Promise<XeroTokenSetWithTokens | null>;
  releaseRefreshLease(id: string, owner: string): Promise<boolean>;
  saveRotated(id: string, expectedVersion: number, tokens: XeroTokenSet, now?: Date): Promise<XeroTokenSetRecord | null>;
  reject(id: string, reason: string, now?: Date): Promise<string[]>;
  listDue(due: { accessBefore: Date; issuedBefore: Date }, options?: ListOptions): Promise<XeroTokenSetRecord[]>;
}

export interface ConnectionLookup {
  get(id: string): Promise<Pick<XeroConnection, 'id' | 'tenantId' | 'tokenSetId' | 'status'> | null>;
}

export interface TokenPolicy {
  /** Refresh when the access token has less than this left (default 5 minutes). */
  marginMs: number;
  /** Refresh when the refresh token is older than this, used or not (default 45 days of Xero's 60). */
  renewAfterMs: number;
  /** How long one refresher may hold a set (default 60 s); a crashed holder frees it after this. */
  leaseMs: number;
  /** Tries of one refresh with the same refresh token when Xero times out or drops the answer (default 3). */
  attempts: number;
  /** Pause before the first retry, doubled each time (default 250 ms). */
  retryDelayMs: number;
  /** How often a caller waiting for another process's refresh looks again (default 100 ms). */
  pollMs: number;
  /** How long a caller waits for another process's refresh before giving up with `timeout` (default 45 s). */
  waitMs: number;
}

export const defaultTokenPolicy: TokenPolicy = {
  marginMs: 5 * 60_000,
  renewAfterMs: 45 * 24 * 60 * 60_000,
  leaseMs: 60_000,
  attempts: 3,
  retryDelayMs: 250,
  pollMs: 100,
  waitMs: 45_000,
};

export interface XeroTokenDeps {
  tokenSets: TokenSetStore;
  xero: Pick<XeroGateway, 'refresh'>;
  now: () => Date;
  /** Names this process in refresh leases (default: a random id). */
  owner?: string;
  policy?: Partial<TokenPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True when the set should be refreshed now: its access token is about to lapse, or its refresh token is getting old. */
export function refreshDue(set: Pick<XeroTokenSetRecord, 'accessTokenExpiresAt' | 'refreshTokenIssuedAt'>, now: Date, policy: TokenPolicy = defaultTokenPolicy): boolean {
  return set.accessTokenExpiresAt.getTime() - now.getTime() < policy.marginMs || now.getTime() - set.refreshTokenIssuedAt.getTime() > policy.renewAfterMs;
}

const rejected = () => new XeroError('refresh_rejected', 'Xero no longer accepts this authorization; the organisation has to be reconnected');

/**
 * The set's current tokens, refreshed first when due. At most one process refreshes a set at a
 * time; the others wait for its result instead of refreshing again.
 */
/**
 * A usable token set, refreshed first when due. `refused`: an access token Xero answered 401 to
 * although it had not expired (access revoked at Xero): refreshed then too, unless the stored
 * token already differs (another process refreshed meanwhile).
 */
export async function freshTokens(deps: XeroTokenDeps, tokenSetId: string, options: { refused?: string } = {}): Promise<XeroTokenSet> {
  const basePolicy = { ...defaultTokenPolicy, ...deps.policy };
  const refusedNow = (set: XeroTokenSetWithTokens) => options.refused !== undefined && set.tokens.accessToken === options.refused;
  // Due as well when the stored access token is the one Xero refused.
  const policy = { ...basePolicy, due: (set: XeroTokenSetWithTokens, at: Date) => refusedNow(set) || refreshDue(set, at, basePolicy) };
  const sleep = deps.sleep ?? defaultSleep;
  const owner = deps.owner ?? `refresh-${randomUUID()}`;
  const started = Date.now();
  for (;;) {
    // Reading first keeps the common case (a fresh token) free of writes.
    const current = await deps.tokenSets.getWithTokens(tokenSetId);
    if (!current) throw new XeroError('not_found', `token set ${tokenSetId} does not exist`);
    if (current.rejectedAt) throw rejected();
    if (!policy.due(current, deps.now())) return current.tokens;
    const held = await deps.tokenSets.claimRefreshLease(tokenSetId, owner, policy.leaseMs, deps.now());
    if (held) return refreshHeld(deps, policy, sleep, owner, held);
    // Someone else is refreshing: their saved result is ours too.
    if (Date.now() - started > policy.waitMs) throw new XeroError('timeout', 'another process is still refreshing this token set');
    await sleep(policy.pollMs);
  }
}

async function refreshHeld(
  deps: XeroTokenDeps,
  policy: TokenPolicy & { due: (set: XeroTokenSetWithTokens, at: Date) => boolean },
  sleep: (ms: number) => Promise<void>,
  owner: string,
  held: XeroTokenSetWithTokens,
): Promise<XeroTokenSet> {
  try {
    if (held.rejectedAt) throw rejected();
    // A refresh that finished while we waited for the lease made ours unnecessary.
    if (!policy.due(held, deps.now())) return held.tokens;
    let rotated: XeroTokenSet | undefined;
    for (let attempt = 1; !rotated; attempt++) {
      try {
        rotated = await deps.xero.refresh(held.tokens);
      } catch (error) {
        if (isXeroError(error) && error.code === 'refresh_rejected') {
          await deps.tokenSets.reject(held.id, 'refresh_rejected', deps.now());
          throw error;
        }
        // Xero may have rotated before the answer was lost: the same refresh token gets the same set back.
        if (!isXeroError(error) || !error.transient || attempt >= policy.attempts) throw error;
        await sleep(policy.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    if (await deps.tokenSets.saveRotated(held.id, held.version, rotated, deps.now())) return rotated;
    // Our lease ran out and another process saved first: theirs is the set Xero now honours.
    const current = await deps.tokenSets.getWithTokens(held.id);
    if (!current || current.rejectedAt) throw rejected();
    return current.tokens;
  } finally {
    await deps.tokenSets.releaseRefreshLease(held.id, owner);
  }
}

export interface ConnectionAccessDeps extends XeroTokenDeps {
  connections: ConnectionLookup;
}

const needsPerson: ConnectionStatus[] = ['needs_reconnect', 'disconnected'];

/** ConnectionAccess on stored token sets: what health checks and retries ask for a token. */
export function createConnectionAccess(deps: ConnectionAccessDeps): ConnectionAccess {
  return {
    async accessFor(connectionId, options = {}): Promise<TenantAccess> {
      const connection = await deps.connections.get(connectionId);
      if (!connection) throw new XeroError('not_found', `connection ${connectionId} does not exist`);
      if (needsPerson.includes(connection.status)) {
        throw connection.status === 'disconnected' ? new XeroError('tenant_not_connected', 'this organisation was disconnected') : rejected();
      }
      const tokens = await freshTokens(deps, connection.tokenSetId, options);
      return { accessToken: tokens.accessToken, tenantId: connection.tenantId, expiresAt: tokens.expiresAt };
    },
  };
}

export interface RefreshSweepResult {
  due: number;
  refreshed: number;
  rejected: number;
  failed: number;
}

/** Refreshes every set that is due (access token lapsing within the margin, or refresh token older than renewAfterMs). */
export async function refreshDueTokenSets(deps: XeroTokenDeps, options: { limit: number }): Promise<RefreshSweepResult> {
  const policy = { ...defaultTokenPolicy, ...deps.policy };
  const now = deps.now();
  const due = await deps.tokenSets.listDue(
    { accessBefore: new Date(now.getTime() + policy.marginMs), issuedBefore: new Date(now.getTime() - policy.renewAfterMs) },
    { limit: options.limit },
  );
  const result: RefreshSweepResult = { due: due.length, refreshed: 0, rejected: 0, failed: 0 };
  for (const set of due) {
    try {
      await freshTokens(deps, set.id);
      result.refreshed++;
    } catch (error) {
      if (isXeroError(error) && error.code === 'refresh_rejected') result.rejected++;
      else result.failed++;
    }
  }
  return result;
}
