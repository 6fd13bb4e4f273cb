// Live health of one Xero connection: can we get a token, does Xero still list the organisation,
// does the API answer for it, how much of the rate limit is left, and what is stuck in the export
// queue. The verdict names the knowledge article that says what to do, and whether reconnecting
// is the fix. Each check is stored, so App Home, alerts and answers can reuse it without calling
// Xero again. Every Xero call has its own timeout; the whole check has a budget on top.
import type { ConnectionAccess } from './connection-access.ts';
import type { ConnectionStatus, HealthUpdate, XeroConnection } from './records.ts';
import { isXeroError, XeroError, type XeroErrorCode, type XeroGateway, type XeroRateHeadroom } from './xero-gateway.ts';

export type TokenState = 'valid' | 'expiring' | 'expired' | 'refresh_failed';

export type HealthVerdict =
  | 'healthy'
  /** The refresh token was refused (revoked, aged out): only a reconnect helps. */
  | 'authorisation_expired'
  /** Xero refused the access token itself (401). */
  | 'token_rejected'
  /** Xero no longer lists the organisation for this authorization. */
  | 'not_connected'
  /** Xero answers, but the organisation is not ACTIVE (subscription lapsed, read-only). */
  | 'organisation_inactive'
  | 'permission_denied'
  | 'rate_limited'
  /** 5xx, refused connections, or no answer within the budget. */
  | 'xero_unavailable'
  | 'unexpected';

export const verdictArticles: Record<HealthVerdict, string | null> = {
  healthy: null,
  authorisation_expired: 'XERO11',
  token_rejected: 'TOKEN_EXPIRED',
  not_connected: 'NOT_CONNECTED',
  organisation_inactive: 'ORG_SUBSCRIPTION_INACTIVE',
  permission_denied: 'PERMISSION_DENIED',
  rate_limited: 'RATE_LIMITED',
  xero_unavailable: 'XERO_OUTAGE',
  unexpected: 'UNEXPECTED_ERROR',
};

const reconnectFixes: ReadonlySet<HealthVerdict> = new Set(['authorisation_expired', 'token_rejected', 'not_connected', 'permission_denied']);

/** Xero could not be asked: these say nothing about the connection, so its stored status stays. */
const transientVerdicts: ReadonlySet<HealthVerdict> = new Set(['rate_limited', 'xero_unavailable']);

const brokenStatuses: ReadonlySet<ConnectionStatus> = new Set(['token_expired', 'needs_reconnect', 'disconnected', 'error']);

export function isBrokenStatus(status: ConnectionStatus): boolean {
  return brokenStatuses.has(status);
}

export function isTransientVerdict(verdict: HealthVerdict): boolean {
  return transientVerdicts.has(verdict);
}

export interface OrganisationHealth {
  name: string;
  status: string | null;
  subscriptionClass: string | null;
  isDemoCompany: boolean;
}

export interface HealthReport {
  connectionId: string;
  slackTeamId: string;
  tenantName: string;
  connectedBySlackUserId: string;
  connectedByXeroEmail: string | null;
  verdict: HealthVerdict;
  /** The knowledge article that says what to do; null when healthy. */
  articleId: string | null;
  /** Reconnecting is the fix. */
  reconnect: boolean;
  /** The stored status after this check is a broken one. */
  broken: boolean;
  status: ConnectionStatus;
  tokenState: TokenState | null;
  /** Whether GET /connections still lists the organisation; null when not asked. */
  listed: boolean | null;
  organisation: OrganisationHealth | null;
  headroom: XeroRateHeadroom | null;
  exports: { failed: number; queued: number };
  /** The XeroError code behind a bad verdict, or `organisation_status`. */
  problem: XeroErrorCode | 'organisation_status' | null;
  checkedAt: Date;
  /** When the status last changed: "expired 3 days ago". */
  since: Date;
  /** The token set's last rotation: it ages out after 60 days unused. */
  refreshTokenIssuedAt: Date;
}

export interface CheckConnectionDeps {
  connections: {
    get(id: string): Promise<XeroConnection | null>;
    updateHealth(id: string, update: HealthUpdate): Promise<XeroConnection | null>;
  };
  exports: { countByConnection(connectionId: string): Promise<{ failed: number; queued: number }> };
  xero: Pick<XeroGateway, 'listConnections' | 'getOrganisation'>;
  access: ConnectionAccess;
  now?: () => Date;
  /** The whole check, on top of each call's own timeout (default 8 s). */
  timeoutMs?: number;
}

export const defaultCheckTimeoutMs = 8_000;
/** An access token closer than this to lapsing counts as expiring. */
const expiringWithinMs = 5 * 60_000;

const errorVerdicts: Partial<Record<XeroErrorCode, HealthVerdict>> = {
  refresh_rejected: 'authorisation_expired',
  unauthorized: 'token_rejected',
  tenant_not_connected: 'not_connected',
  not_found: 'not_connected',
  forbidden: 'permission_denied',
  rate_limited: 'rate_limited',
  xero_unavailable: 'xero_unavailable',
  timeout: 'xero_unavailable',
};

const verdictStatus: Record<Exclude<HealthVerdict, 'rate_limited' | 'xero_unavailable'>, ConnectionStatus> = {
  healthy: 'connected',
  authorisation_expired: 'needs_reconnect',
  token_rejected: 'token_expired',
  not_connected: 'disconnected',
  organisation_inactive: 'error',
  permission_denied: 'error',
  unexpected: 'error',
};

function tokenStateAt(expiresAt: Date, now: Date): TokenState {
  const left = expiresAt.getTime() - now.getTime();
  return left <= 0 ? 'expired' : left < expiringWithinMs ? 'expiring' : 'valid';
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new XeroError('timeout', `the connection check took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Checks one connection against Xero now and stores the outcome. Null when the connection is gone. */
export async function checkConnection(deps: CheckConnectionDeps, connectionId: string): Promise<HealthReport | null> {
  const now = deps.now ?? (() => new Date());
  const connection = await deps.connections.get(connectionId);
  if (!connection) return null;
  const exports = deps.exports.countByConnection(connectionId);
  const found: { tokenState: TokenState | null; listed: boolean | null; organisation: OrganisationHealth | null; headroom: XeroRateHeadroom | null } = {
    tokenState: null,
    listed: null,
    organisation: null,
    headroom: null,
  };
  let verdict: HealthVerdict;
  let problem: HealthReport['problem'] = null;
  try {
    verdict = await withDeadline(askXero(deps, connection, found, now), deps.timeoutMs ?? defaultCheckTimeoutMs);
    if (verdict === 'organisation_inactive') problem = 'organisation_status';
  } catch (error) {
    if (!isXeroError(error)) throw error;
    problem = error.code;
    verdict = errorVerdicts[error.code] ?? 'unexpected';
    if (error.code === 'refresh_rejected') found.tokenState = 'refresh_failed';
    if (error.code === 'unauthorized' && found.tokenState !== 'expired') found.tokenState = 'expired';
    if (error.details.headroom) found.headroom = error.details.headroom;
  }
  const checkedAt = now();
  const status = isTransientVerdict(verdict) ? connection.status : verdictStatus[verdict as keyof typeof verdictStatus];
  const report = {
    connectionId,
    slackTeamId: connection.slackTeamId,
    tenantName: found.organisation?.name || connection.tenantName,
    connectedBySlackUserId: connection.connectedBySlackUserId,
    connectedByXeroEmail: connection.connectedByXeroEmail,
    verdict,
    articleId: verdictArticles[verdict],
    reconnect: reconnectFixes.has(verdict),
    broken: isBrokenStatus(status),
    status,
    ...found,
    exports: await exports,
    problem,
    checkedAt,
    since: checkedAt,
    refreshTokenIssuedAt: connection.refreshTokenIssuedAt,
  } satisfies HealthReport;
  const stored = await deps.connections.updateHealth(connectionId, { status, reason: problem, checkedAt, verdict, report: toStoredReport(report) });
  return { ...report, since: stored?.statusChangedAt ?? checkedAt };
}

async function askXero(
  deps: CheckConnectionDeps,
  connection: XeroConnection,
  found: { tokenState: TokenState | null; listed: boolean | null; organisation: OrganisationHealth | null; headroom: XeroRateHeadroom | null },
  now: () => Date,
): Promise<HealthVerdict> {
  let access = await deps.access.accessFor(connection.id);
  found.tokenState = tokenStateAt(access.expiresAt, now());
  let tenants;
  try {
    tenants = await deps.xero.listConnections(access.accessToken);
  } catch (error) {
    // Refused before it expired (revoked at Xero): one refresh tells a revoked authorization
    // (invalid_grant: needs reconnecting, and its owner is sent a link) from a revoked token.
    if (!isXeroError(error) || error.code !== 'unauthorized') throw error;
    access = await deps.access.accessFor(connection.id, { refused: access.accessToken });
    tenants = await deps.xero.listConnections(access.accessToken);
  }
  found.tokenState = tokenStateAt(access.expiresAt, now());
  found.listed = tenants.some((t) => t.tenantId === connection.tenantId);
  if (!found.listed) return 'not_connected';
  const { organisation, headroom } = await deps.xero.getOrganisation(access.accessToken, access.tenantId);
  found.headroom = headroom;
  found.organisation = {
    name: organisation.name,
    status: organisation.status ?? null,
    subscriptionClass: organisation.subscriptionClass ?? null,
    isDemoCompany: organisation.isDemoCompany,
  };
  // Xero: OrganisationStatus is ACTIVE whenever the API may work with the organisation.
  return organisation.status && organisation.status !== 'ACTIVE' ? 'organisation_inactive' : 'healthy';
}

/** Runs `work` over `items`, at most `concurrency` at a time, keeping the order of the results. */
export async function mapWithConcurrency<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

type StoredReport = Omit<HealthReport, 'checkedAt' | 'since' | 'refreshTokenIssuedAt'> & { checkedAt: string };

function toStoredReport(report: HealthReport): StoredReport {
  const { since: _since, refreshTokenIssuedAt: _rotated, checkedAt, ...rest } = report;
  return { ...rest, checkedAt: checkedAt.toISOString() };
}

/** The last check stored with the connection, or null when it was never checked live. */
export function storedHealth(
  connection: Pick<XeroConnection, 'healthReport' | 'tenantName' | 'status' | 'connectedBySlackUserId' | 'connectedByXeroEmail' | 'statusChangedAt' | 'refreshTokenIssuedAt'>,
): HealthReport | null {
  const stored = connection.healthReport as StoredReport | null;
  if (!stored || typeof stored !== 'object' || typeof stored.checkedAt !== 'string' || !stored.verdict) return null;
  return {
    ...stored,
    // Names and status may have changed since (a reconnect): the row is the truth for those.
    tenantName: connection.tenantName,
    status: connection.status,
    broken: isBrokenStatus(connection.status),
    connectedBySlackUserId: connection.connectedBySlackUserId,
    connectedByXeroEmail: connection.connectedByXeroEmail,
    checkedAt: new Date(stored.checkedAt),
    since: connection.statusChangedAt,
    refreshTokenIssuedAt: connection.refreshTokenIssuedAt,
  };
}
