// State for Xero connect / reconnect links. Only a hash of the nonce is stored, so a database
// reader cannot forge a callback; consuming it is one conditional UPDATE, so a link works once.
import { createHash, randomBytes } from 'node:crypto';
import type { DbClient } from '../prisma-client.ts';
import type { ConsumeStateResult, OAuthPurpose, OAuthState, OAuthStateInput } from '../../support/records.ts';

export interface OAuthStateRepository {
  /** Stores a new state; `nonce` goes into the authorisation link and is not kept. */
  create(input: OAuthStateInput, now?: Date): Promise<{ nonce: string; state: OAuthState }>;
  /** Marks the state used if it exists, is unused and unexpired; says which of those failed otherwise. */
  consume(nonce: string, now?: Date): Promise<ConsumeStateResult>;
  /** The verdict consume would give, without using the state up. */
  inspect(nonce: string, now?: Date): Promise<ConsumeStateResult>;
  /** Deletes states that expired before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}

const defaultTtlMs = 10 * 60_000;

type Row = Awaited<ReturnType<DbClient['oAuthState']['findUniqueOrThrow']>>;

function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce).digest('hex');
}

function toState(row: Row): OAuthState {
  return {
    id: row.id,
    purpose: row.purpose as OAuthPurpose,
    slackTeamId: row.slackTeamId,
    slackUserId: row.slackUserId,
    channelId: row.channelId,
    threadTs: row.threadTs,
    connectionId: row.connectionId,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    createdAt: row.createdAt,
  };
}

export function createOAuthStateRepository(prisma: DbClient): OAuthStateRepository {
  return {
    async create(input, now = new Date()) {
      const nonce = randomBytes(32).toString('base64url');
      const row = await prisma.oAuthState.create({
        data: {
          nonceHash: hashNonce(nonce),
          purpose: input.purpose,
          slackTeamId: input.slackTeamId,
          slackUserId: input.slackUserId,
          channelId: input.channelId ?? null,
          threadTs: input.threadTs ?? null,
          connectionId: input.connectionId ?? null,
          expiresAt: new Date(now.getTime() + (input.ttlMs ?? defaultTtlMs)),
          createdAt: now,
        },
      });
      return { nonce, state: toState(row) };
    },

    async consume(nonce, now = new Date()) {
      const nonceHash = hashNonce(nonce);
      const { count } = await prisma.oAuthState.updateMany({ where: { nonceHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
      const row = await prisma.oAuthState.findUnique({ where: { nonceHash } });
      if (count === 1 && row) return { ok: true, state: toState(row) };
      if (!row) return { ok: false, reason: 'unknown' };
      return { ok: false, reason: row.usedAt ? 'already_used' : 'expired' };
    },

    async inspect(nonce, now = new Date()) {
      const row = await prisma.oAuthState.findUnique({ where: { nonceHash: hashNonce(nonce) } });
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.usedAt) return { ok: false, reason: 'already_used' };
      if (row.expiresAt <= now) return { ok: false, reason: 'expired' };
      return { ok: true, state: toState(row) };
    },

    async deleteExpired(before) {
      const { count } = await prisma.oAuthState.deleteMany({ where: { expiresAt: { lt: before } } });
      return count;
    },
  };
}
