// Xero connections, one per (Slack workspace, Xero tenant). The tokens live in the tenant's token
// set (token-sets.ts), shared by every tenant of one consent; a connection only points at it, and
// a reconnect moves it to the new set.
import type { DbClient } from '../prisma-client.ts';
import type { ConnectionStatus, HealthUpdate, XeroConnection, XeroConnectionInput } from '../../support/records.ts';

export interface ConnectionRepository {
  /** Creates the connection for (slackTeamId, tenantId) or reconnects it: the given token set, status connected. */
  upsert(input: XeroConnectionInput, now?: Date): Promise<XeroConnection>;
  get(id: string): Promise<XeroConnection | null>;
  findByTenant(slackTeamId: string, tenantId: string): Promise<XeroConnection | null>;
  listByTeam(slackTeamId: string): Promise<XeroConnection[]>;
  listByTokenSet(tokenSetId: string): Promise<XeroConnection[]>;
  /** Every connection, in a stable order, a page at a time (`after` is the last id seen). */
  listAll(options?: { after?: string; limit?: number }): Promise<XeroConnection[]>;
  /** Records a health check; statusChangedAt moves only when the status changes. */
  updateHealth(id: string, update: HealthUpdate): Promise<XeroConnection | null>;
}

const withTokenSet = { tokenSet: true } as const;
type Row = Awaited<ReturnType<DbClient['xeroConnection']['findUniqueOrThrow']>> & {
  tokenSet: Awaited<ReturnType<DbClient['xeroTokenSet']['findUniqueOrThrow']>>;
};

function toConnection(row: Row): XeroConnection {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    tenantId: row.tenantId,
    tenantName: row.tenantName,
    tenantType: row.tenantType,
    xeroConnectionId: row.xeroConnectionId,
    tokenSetId: row.tokenSetId,
    accessTokenExpiresAt: row.tokenSet.accessTokenExpiresAt,
    scopes: row.tokenSet.scopes as string[],
    refreshTokenIssuedAt: row.tokenSet.refreshTokenIssuedAt,
    status: row.status as ConnectionStatus,
    statusReason: row.statusReason,
    statusChangedAt: row.statusChangedAt,
    lastCheckedAt: row.lastCheckedAt,
    lastHealthyAt: row.lastHealthyAt,
    healthVerdict: row.healthVerdict,
    healthReport: row.healthReport ?? null,
    connectedBySlackUserId: row.tokenSet.connectedBySlackUserId,
    connectedByXeroEmail: row.tokenSet.connectedByXeroEmail,
    connectedAt: row.connectedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createConnectionRepository(prisma: DbClient): ConnectionRepository {
  const get = async (id: string) => {
    const row = await prisma.xeroConnection.findUnique({ where: { id }, include: withTokenSet });
    return row ? toConnection(row) : null;
  };

  return {
    async upsert(input, now = new Date()) {
      const data = {
        tenantName: input.tenantName,
        tenantType: input.tenantType,
        xeroConnectionId: input.xeroConnectionId,
        tokenSetId: input.tokenSetId,
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
        update: data,
        include: withTokenSet,
      });
      return toConnection(row);
    },

    get,

    async findByTenant(slackTeamId, tenantId) {
      const row = await prisma.xeroConnection.findUnique({ where: { slackTeamId_tenantId: { slackTeamId, tenantId } }, include: withTokenSet });
      return row ? toConnection(row) : null;
    },

    async listByTeam(slackTeamId) {
      const rows = await prisma.xeroConnection.findMany({ where: { slackTeamId }, orderBy: [{ tenantName: 'asc' }, { id: 'asc' }], include: withTokenSet });
      return rows.map(toConnection);
    },

    async listAll(options = {}) {
      const rows = await prisma.xeroConnection.findMany({
        where: options.after ? { id: { gt: options.after } } : {},
        orderBy: { id: 'asc' },
        take: options.limit ?? 500,
        include: withTokenSet,
      });
      return rows.map(toConnection);
    },

    async listByTokenSet(tokenSetId) {
      const rows = await prisma.xeroConnection.findMany({ where: { tokenSetId }, orderBy: [{ tenantName: 'asc' }, { id: 'asc' }], include: withTokenSet });
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
  };
}
