// Xero connections, one per (Slack workspace, Xero tenant). Token refresh is guarded twice:
// a lease (one refresher at a time, across processes; see row-lease.ts) and a version (a save
// based on stale tokens is refused). Both are single conditional UPDATEs, atomic on SQLite and
// PostgreSQL.
import type { DbClient } from '../prisma-client.ts';
import { leaseTable, rowLeases } from '../row-lease.ts';
import type { DatabaseProvider } from '../schema-files.ts';
import type { ConnectionStatus, HealthUpdate, ListOptions, XeroConnection, XeroConnectionInput, XeroConnectionWithTokens, XeroTokenSet } from '../../support/records.ts';
import type { SecretBox } from '../secret-box.ts';

export interface ConnectionRepository {
  /** Creates the connection for (slackTeamId, tenantId) or reconnects it: new tokens, status connected. */
  upsert(input: XeroConnectionInput): Promise<XeroConnection>;
  get(id: string): Promise<XeroConnection | null>;
  getWithTokens(id: string): Promise<XeroConnectionWithTokens | null>;
  findByTenant(slackTeamId: string, tenantId: string): Promise<XeroConnection | null>;
  listByTeam(slackTeamId: string): Promise<XeroConnection[]>;
  /** Every connection, in a stable order, a page at a time (`after` is the last id seen). */
  listAll(options?: { after?: string; limit?: number }): Promise<XeroConnection[]>;
  /** Connections whose access token expires before `before` and that a refresh may help. */
  listDueForRefresh(before: Date, options?: ListOptions): Promise<XeroConnection[]>;
  /** Records a health check; statusChangedAt moves only when the status changes. */
  updateHealth(id: string, update: HealthUpdate): Promise<XeroConnection | null>;
  /**
   * Takes the refresh lease when it is free, expired or already ours; null when another
   * holder has it. The returned tokens and version are the ones to refresh from.
   */
  claimRefreshLease(id: string, owner: string, leaseMs: number, now?: Date): Promise<XeroConnectionWithTokens | null>;
  releaseRefreshLease(id: string, owner: string): Promise<boolean>;
  /**
   * Saves a refreshed token set if the connection is still at `expectedVersion`, marks it
   * connected and frees the lease. Null when someone saved newer tokens first: reload them.
   */
  saveRotatedTokens(id: string, expectedVersion: number, tokens: XeroTokenSet, now?: Date): Promise<XeroConnection | null>;
}

type Row = Awaited<ReturnType<DbClient['xeroConnection']['findUniqueOrThrow']>>;

/** Statuses a token refresh can repair; needs_reconnect and disconnected need the user. */
const refreshable: ConnectionStatus[] = ['connected', 'expiring', 'token_expired', 'error'];
const refreshLeaseTable = leaseTable('XeroConnection', { owner: 'refreshLeaseOwner', until: 'refreshLeaseUntil', updatedAt: 'updatedAt' });

function toConnection(row: Row): XeroConnection {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    tenantType: row.tenantType,
    xeroConnectionId: row.xeroConnectionId,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    scopes: row.scopes as string[],
    refreshTokenRotatedAt: row.refreshTokenRotatedAt,
    status: row.status as ConnectionStatus,
    statusReason: row.statusReason,
    statusChangedAt: row.statusChangedAt,
    lastCheckedAt: row.lastCheckedAt,
    lastHealthyAt: row.lastHealthyAt,
    healthVerdict: row.healthVerdict,
    healthReport: row.healthReport ?? null,
    connectedBySlackUserId: row.connectedBySlackUserId,
    connectedByXeroEmail: row.connectedByXeroEmail,
    connectedAt: row.connectedAt,
    refreshLease: row.refreshLeaseOwner && row.refreshLeaseUntil ? { owner: row.refreshLeaseOwner, until: row.refreshLeaseUntil } : null,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

interface SealedTokens {
  accessToken: string;
  refreshToken: string;
  idToken: string | null;
}

export function createConnectionRepository(prisma: DbClient, provider: DatabaseProvider, box: SecretBox): ConnectionRepository {
  const refreshLease = rowLeases(prisma, provider, refreshLeaseTable);
  const sealTokens = (tokens: XeroTokenSet) =>
    box.sealJson({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, idToken: tokens.idToken } satisfies SealedTokens);

  const withTokens = (row: Row): XeroConnectionWithTokens => {
    const sealed = box.openJson<SealedTokens>(row.tokensEncrypted);
    return { ...toConnection(row), tokens: { ...sealed, expiresAt: row.accessTokenExpiresAt, scopes: row.scopes as string[] } };
  };

  const get = async (id: string) => {
    const row = await prisma.xeroConnection.findUnique({ where: { id } });
    return row ? toConnection(row) : null;
  };

  return {
    async upsert(input) {
      const now = new Date();
      const data = {
        tenantName: input.tenantName,
        tenantType: input.tenantType,
        xeroConnectionId: input.xeroConnectionId,
        connectedBySlackUserId: input.connectedBySlackUserId,
        connectedByXeroEmail: input.connectedByXeroEmail,
        tokensEncrypted: sealTokens(input.tokens),
        accessTokenExpiresAt: input.tokens.expiresAt,
        scopes: input.tokens.scopes,
        refreshTokenRotatedAt: now,
        status: 'connected',
        statusReason: null,
        statusChangedAt: now,
        lastCheckedAt: now,
        lastHealthyAt: now,
        connectedAt: now,
      };
      const row = await prisma.xeroConnection.upsert({
        where: { slackTeamId_tenantId: { slackTeamId: input.slackTeamId, tenantId: input.tenantId } },
        create: { slackTeamId: input.slackTeamId, tenantId: input.tenantId, ...data },
        update: { ...data, refreshLeaseOwner: null, refreshLeaseUntil: null, version: { increment: 1 } },
      });
      return toConnection(row);
    },

    get,

    async getWithTokens(id) {
      const row = await prisma.xeroConnection.findUnique({ where: { id } });
      return row ? withTokens(row) : null;
    },

    async findByTenant(slackTeamId, tenantId) {
      const row = await prisma.xeroConnection.findUnique({ where: { slackTeamId_tenantId: { slackTeamId, tenantId } } });
      return row ? toConnection(row) : null;
    },

    async listByTeam(slackTeamId) {
      const rows = await prisma.xeroConnection.findMany({ where: { slackTeamId }, orderBy: [{ tenantName: 'asc' }, { id: 'asc' }] });
      return rows.map(toConnection);
    },

    async listAll(options = {}) {
      const rows = await prisma.xeroConnection.findMany({
        where: options.after ? { id: { gt: options.after } } : {},
        orderBy: { id: 'asc' },
        take: options.limit ?? 500,
      });
      return rows.map(toConnection);
    },

    async listDueForRefresh(before, options = {}) {
      const rows = await prisma.xeroConnection.findMany({
        where: { accessTokenExpiresAt: { lt: before }, status: { in: refreshable } },
        orderBy: { accessTokenExpiresAt: 'asc' },
        take: options.limit ?? 100,
      });
      return rows.map(toConnection);
    },

    async updateHealth(id, update) {
      const checkedAt = update.checkedAt ?? new Date();
      const data = {
        status: update.status,
        statusReason: update.reason ?? null,
        lastCheckedAt: checkedAt,
        ...(update.status === 'connected' ? { lastHealthyAt: checkedAt } : {}),
        ...(update.verdict === undefined ? {} : { healthVerdict: update.verdict }),
        ...(update.report === undefined ? {} : { healthReport: update.report as object }),
      };
      // Two conditional updates rather than read-then-write: the first applies only on a change.
      const changed = await prisma.xeroConnection.updateMany({ where: { id, status: { not: update.status } }, data: { ...data, statusChangedAt: checkedAt } });
      if (changed.count === 0) await prisma.xeroConnection.updateMany({ where: { id }, data });
      return get(id);
    },

    async claimRefreshLease(id, owner, leaseMs, now = new Date()) {
      if (!(await refreshLease.take(id, owner, leaseMs, { now }))) return null;
      const row = await prisma.xeroConnection.findUnique({ where: { id } });
      return row ? withTokens(row) : null;
    },

    releaseRefreshLease(id, owner) {
      return refreshLease.release(id, owner);
    },

    async saveRotatedTokens(id, expectedVersion, tokens, now = new Date()) {
      const data = {
        tokensEncrypted: sealTokens(tokens),
        accessTokenExpiresAt: tokens.expiresAt,
        scopes: tokens.scopes,
        refreshTokenRotatedAt: now,
        version: { increment: 1 },
        refreshLeaseOwner: null,
        refreshLeaseUntil: null,
        status: 'connected',
        statusReason: null,
        lastCheckedAt: now,
        lastHealthyAt: now,
      };
      // Both updates check the version, so exactly one writer of that version succeeds; the
      // first also records a status change when the connection was not healthy before.
      let { count } = await prisma.xeroConnection.updateMany({ where: { id, version: expectedVersion, status: { not: 'connected' } }, data: { ...data, statusChangedAt: now } });
      if (count === 0) ({ count } = await prisma.xeroConnection.updateMany({ where: { id, version: expectedVersion }, data }));
      return count === 1 ? get(id) : null;
    },
  };
}
