// Xero token sets, one per authorization. A refresh is guarded twice: a lease (one refresher at
// a time, across processes; see row-lease.ts) and a version (a save based on stale tokens is
// refused). Both are single conditional UPDATEs, atomic on SQLite and PostgreSQL. A rejected set
// carries a marker that exactly one sender claims before the reconnect link goes out.
import type { DbClient } from '../prisma-client.ts';
import { leaseTable, rowLeases } from '../row-lease.ts';
import type { DatabaseProvider } from '../schema-files.ts';
import type { SecretBox } from '../secret-box.ts';
import type { ConnectionStatus, ListOptions, XeroTokenSet, XeroTokenSetInput, XeroTokenSetRecord, XeroTokenSetWithTokens } from '../../support/records.ts';

export interface TokenSetRepository {
  create(input: XeroTokenSetInput, now?: Date): Promise<XeroTokenSetRecord>;
  get(id: string): Promise<XeroTokenSetRecord | null>;
  getWithTokens(id: string): Promise<XeroTokenSetWithTokens | null>;
  /** Takes the refresh lease when it is free, expired or already ours; null when another holder has it. */
  claimRefreshLease(id: string, owner: string, leaseMs: number, now?: Date): Promise<XeroTokenSetWithTokens | null>;
  releaseRefreshLease(id: string, owner: string): Promise<boolean>;
  /**
   * Saves a refreshed set if it is still at `expectedVersion` and frees the lease; connections
   * that were only waiting for fresh tokens become connected. Null when someone saved first.
   */
  saveRotated(id: string, expectedVersion: number, tokens: XeroTokenSet, now?: Date): Promise<XeroTokenSetRecord | null>;
  /** Xero refused the refresh token: marks the set and every live connection of it needs_reconnect. Returns those connections' ids. */
  reject(id: string, reason: string, now?: Date): Promise<string[]>;
  /**
   * True for exactly one caller per rejection and attempt: that caller sends the reconnect link.
   * `previous` is the claim the caller saw (an earlier attempt that never finished), or null.
   */
  claimReconnectNotice(id: string, now?: Date, previous?: Date | null): Promise<boolean>;
  /** Gives the claim back when Slack refused the link (nothing was sent), so a later run tries again. */
  unclaimReconnectNotice(id: string): Promise<boolean>;
  /** The link's DM is in Slack (sent, or found after an attempt of unknown outcome): nothing more is owed. */
  markReconnectNoticeSent(id: string, now?: Date): Promise<boolean>;
  /** Rejected sets whose reconnect DM is not known to be sent, and nobody holds (claims last `leaseMs`). */
  listAwaitingReconnectNotice(options?: ListOptions & { now?: Date; leaseMs?: number }): Promise<XeroTokenSetRecord[]>;
  /** Sets with a live connection whose access token expires before `accessBefore` or whose refresh token was issued before `issuedBefore`. */
  listDue(due: { accessBefore: Date; issuedBefore: Date }, options?: ListOptions): Promise<XeroTokenSetRecord[]>;
  /**
   * Retires a set none of whose connections is live any more (all disconnected): its tokens are
   * wiped, and it is never read or refreshed again. False when a connection still uses it.
   */
  retire(id: string, now?: Date): Promise<boolean>;
  /** Deletes the set when no connection uses it any more; true if it went. */
  deleteIfUnused(id: string): Promise<boolean>;
}

type Row = Awaited<ReturnType<DbClient['xeroTokenSet']['findUniqueOrThrow']>>;

/** How long a reconnect notice's sender holds it before another may look for its DM and take over. */
const defaultNoticeLeaseMs = 2 * 60_000;

/** Connection statuses a refresh serves; needs_reconnect and disconnected need a person. */
export const refreshableStatuses: ConnectionStatus[] = ['connected', 'expiring', 'token_expired', 'error'];
const refreshLeaseTable = leaseTable('XeroTokenSet', { owner: 'refreshLeaseOwner', until: 'refreshLeaseUntil', updatedAt: 'updatedAt' });

interface SealedTokens {
  accessToken: string;
  refreshToken: string;
  idToken: string | null;
}

function toRecord(row: Row): XeroTokenSetRecord {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    scopes: row.scopes as string[],
    refreshTokenIssuedAt: row.refreshTokenIssuedAt,
    refreshLease: row.refreshLeaseOwner && row.refreshLeaseUntil ? { owner: row.refreshLeaseOwner, until: row.refreshLeaseUntil } : null,
    version: row.version,
    connectedBySlackUserId: row.connectedBySlackUserId,
    connectedByXeroUserId: row.connectedByXeroUserId,
    connectedByXeroEmail: row.connectedByXeroEmail,
    authEventId: row.authEventId,
    rejectedAt: row.rejectedAt,
    reconnectNoticeClaimedAt: row.reconnectNoticeClaimedAt,
    reconnectNoticeSentAt: row.reconnectNoticeSentAt,
    retiredAt: row.retiredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createTokenSetRepository(prisma: DbClient, provider: DatabaseProvider, box: SecretBox): TokenSetRepository {
  const refreshLease = rowLeases(prisma, provider, refreshLeaseTable);
  const seal = (tokens: XeroTokenSet) =>
    box.sealJson({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, idToken: tokens.idToken ?? null } satisfies SealedTokens);
  const withTokens = (row: Row): XeroTokenSetWithTokens => {
    const sealed = box.openJson<SealedTokens>(row.tokensEncrypted);
    const record = toRecord(row);
    return { ...record, tokens: { accessToken: sealed.accessToken, refreshToken: sealed.refreshToken, idToken: sealed.idToken ?? undefined, expiresAt: record.accessTokenExpiresAt, scopes: record.scopes } };
  };
  const find = (id: string) => prisma.xeroTokenSet.findUnique({ where: { id } });

  return {
    async create(input, now = new Date()) {
      const row = await prisma.xeroTokenSet.create({
        data: {
          slackTeamId: input.slackTeamId,
          tokensEncrypted: seal(input.tokens),
          accessTokenExpiresAt: input.tokens.expiresAt,
          scopes: input.tokens.scopes,
          refreshTokenIssuedAt: now,
          connectedBySlackUserId: input.connectedBySlackUserId,
          connectedByXeroUserId: input.connectedByXeroUserId ?? null,
          connectedByXeroEmail: input.connectedByXeroEmail ?? null,
          authEventId: input.authEventId ?? null,
          createdAt: now,
        },
      });
      return toRecord(row);
    },

    async get(id) {
      const row = await find(id);
      return row ? toRecord(row) : null;
    },

    async getWithTokens(id) {
      const row = await find(id);
      return row && !row.retiredAt ? withTokens(row) : null;
    },

    async claimRefreshLease(id, owner, leaseMs, now = new Date()) {
      if (!(await refreshLease.take(id, owner, leaseMs, { now }))) return null;
      const row = await find(id);
      return row && !row.retiredAt ? withTokens(row) : null;
    },

    releaseRefreshLease(id, owner) {
      return refreshLease.release(id, owner);
    },

    async saveRotated(id, expectedVersion, tokens, now = new Date()) {
      const { count } = await prisma.xeroTokenSet.updateMany({
        where: { id, version: expectedVersion, rejectedAt: null, retiredAt: null },
        data: {
          tokensEncrypted: seal(tokens),
          accessTokenExpiresAt: tokens.expiresAt,
          scopes: tokens.scopes,
          refreshTokenIssuedAt: now,
          version: { increment: 1 },
          refreshLeaseOwner: null,
          refreshLeaseUntil: null,
        },
      });
      if (count !== 1) return null;
      await prisma.xeroConnection.updateMany({
        where: { tokenSetId: id, status: { in: ['expiring', 'token_expired'] } },
        data: { status: 'connected', statusReason: null, statusChangedAt: now, lastCheckedAt: now, lastHealthyAt: now },
      });
      const row = await find(id);
      return row ? toRecord(row) : null;
    },

    async reject(id, reason, now = new Date()) {
      // Each statement is idempotent, so two instances rejecting at once end in the same state.
      await prisma.xeroTokenSet.updateMany({ where: { id, rejectedAt: null }, data: { rejectedAt: now } });
      await prisma.xeroConnection.updateMany({
        where: { tokenSetId: id, status: { notIn: ['disconnected', 'needs_reconnect'] } },
        data: { status: 'needs_reconnect', statusReason: reason, statusChangedAt: now, lastCheckedAt: now },
      });
      const affected = await prisma.xeroConnection.findMany({ where: { tokenSetId: id, status: 'needs_reconnect' }, select: { id: true }, orderBy: { id: 'asc' } });
      return affected.map((c) => c.id);
    },

    async claimReconnectNotice(id, now = new Date(), previous = null) {
      // Compare-and-set on the claim seen: of several callers taking over one attempt, one wins.
      const { count } = await prisma.xeroTokenSet.updateMany({
        where: { id, rejectedAt: { not: null }, reconnectNoticeSentAt: null, reconnectNoticeClaimedAt: previous },
        data: { reconnectNoticeClaimedAt: now },
      });
      return count === 1;
    },

    async unclaimReconnectNotice(id) {
      const { count } = await prisma.xeroTokenSet.updateMany({ where: { id, reconnectNoticeSentAt: null, reconnectNoticeClaimedAt: { not: null } }, data: { reconnectNoticeClaimedAt: null } });
      return count === 1;
    },

    async markReconnectNoticeSent(id, now = new Date()) {
      const { count } = await prisma.xeroTokenSet.updateMany({ where: { id, reconnectNoticeSentAt: null }, data: { reconnectNoticeSentAt: now } });
      return count === 1;
    },

    async listAwaitingReconnectNotice(options = {}) {
      const heldSince = new Date((options.now ?? new Date()).getTime() - (options.leaseMs ?? defaultNoticeLeaseMs));
      const rows = await prisma.xeroTokenSet.findMany({
        where: { rejectedAt: { not: null }, reconnectNoticeSentAt: null, OR: [{ reconnectNoticeClaimedAt: null }, { reconnectNoticeClaimedAt: { lt: heldSince } }] },
        orderBy: [{ rejectedAt: 'asc' }, { id: 'asc' }],
        take: options.limit ?? 100,
      });
      return rows.map(toRecord);
    },

    async listDue(due, options = {}) {
      const rows = await prisma.xeroTokenSet.findMany({
        where: {
          rejectedAt: null,
          retiredAt: null,
          OR: [{ accessTokenExpiresAt: { lt: due.accessBefore } }, { refreshTokenIssuedAt: { lt: due.issuedBefore } }],
          connections: { some: { status: { in: refreshableStatuses } } },
        },
        orderBy: [{ accessTokenExpiresAt: 'asc' }, { id: 'asc' }],
        take: options.limit ?? 100,
      });
      return rows.map(toRecord);
    },

    async retire(id, now = new Date()) {
      const { count } = await prisma.xeroTokenSet.updateMany({
        where: { id, retiredAt: null, connections: { none: { status: { not: 'disconnected' } } } },
        data: {
          retiredAt: now,
          tokensEncrypted: seal({ accessToken: '', refreshToken: '', idToken: undefined, expiresAt: now, scopes: [] }),
          version: { increment: 1 },
          refreshLeaseOwner: null,
          refreshLeaseUntil: null,
        },
      });
      return count === 1;
    },

    async deleteIfUnused(id) {
      const { count } = await prisma.xeroTokenSet.deleteMany({ where: { id, connections: { none: {} } } });
      return count === 1;
    },
  };
}
