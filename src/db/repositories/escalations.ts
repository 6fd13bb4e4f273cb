// Escalations to the support team. State changes (claim, resolve, mark posted) are conditional
// updates that report whether they happened, so two people pressing "Claim" at once get one
// winner and one "already claimed".
//
// Posting the triage message and the reporter's confirmation is leased (see row-lease.ts): the
// lease is released only once both are done, so a poster that died half-way leaves its row to be
// claimed again, and several bot instances on one database never post the same escalation at once.
import { empty, join, sqltag } from '@prisma/client/runtime/client';
import { leaseTable, rowLeases } from '../row-lease.ts';
import type { DatabaseProvider } from '../schema-files.ts';
import type { DbClient } from '../prisma-client.ts';
import type { Escalation, EscalationInput, EscalationStatus, ListOptions, SlackMessageRef } from '../../support/records.ts';
import type { EscalationMessage } from '../../support/stores.ts';
import type { ClaimOptions } from './failed-syncs.ts';

export interface EscalationRepository {
  /** Stores a new escalation; with `input.postLease` it starts out claimed for posting by that owner. */
  create(input: EscalationInput, now?: Date): Promise<Escalation>;
  get(id: string): Promise<Escalation | null>;
  /** Not yet resolved (open or claimed), oldest first; optionally one workspace's. */
  listOpen(options?: ListOptions & { slackTeamId?: string }): Promise<Escalation[]>;
  /** One reporter's escalations, newest first. */
  listByReporter(slackTeamId: string, reporterSlackUserId: string, options?: ListOptions): Promise<Escalation[]>;
  /**
   * Takes up to `limit` unfinished escalations (never posted, or whose poster never released its
   * lease), oldest first, that nobody holds or whose post lease expired, for `owner` until
   * `now + leaseMs`. Two claimers never get the same one. Escalations of the workspaces in
   * `skipTeamIds` are left alone.
   */
  claimUnposted(owner: string, options?: ClaimOptions & { skipTeamIds?: readonly string[] }): Promise<Escalation[]>;
  /** Stamps the start of a send (triage post or confirmation); false unless `owner` holds the lease. */
  recordAttempt(id: string, owner: string, message: EscalationMessage, at?: Date): Promise<boolean>;
  /** Records the triage message, keeping the lease; false unless `owner` holds an unposted escalation. */
  markPosted(id: string, owner: string, triageMessage: SlackMessageRef, now?: Date): Promise<boolean>;
  /** Ends publishing: releases the lease; false unless `owner` held it. */
  releasePostLease(id: string, owner: string): Promise<boolean>;
  /** Where the reporter's confirmation went (their thread or their DM), for later updates. */
  recordReporterConfirmation(id: string, confirmation: SlackMessageRef): Promise<boolean>;
  /** open -> claimed by `assigneeSlackUserId`; false when it was not open. */
  claim(id: string, assigneeSlackUserId: string, now?: Date): Promise<boolean>;
  /** open or claimed -> resolved by `resolverSlackUserId`; false when it was already resolved. */
  resolve(id: string, resolverSlackUserId: string, now?: Date): Promise<boolean>;
}

const defaultLeaseMs = 5 * 60_000;
const postLeaseTable = leaseTable('Escalation', { owner: 'postLeaseOwner', until: 'postLeaseUntil', updatedAt: 'updatedAt' });

type Row = Awaited<ReturnType<DbClient['escalation']['findUniqueOrThrow']>>;

function messageRef(channelId: string | null, ts: string | null): SlackMessageRef | null {
  return channelId && ts ? { channelId, ts } : null;
}

function toEscalation(row: Row): Escalation {
  return {
    id: row.id,
    slackTeamId: row.slackTeamId,
    reporterSlackUserId: row.reporterSlackUserId,
    channelId: row.channelId,
    threadTs: row.threadTs,
    errorText: row.errorText,
    notes: row.notes,
    reportId: row.reportId,
    occurredAt: row.occurredAt,
    connectionId: row.connectionId,
    articleId: row.articleId,
    codes: row.codes ? row.codes.split(',') : [],
    reporterTimeZone: row.reporterTimeZone,
    connectionVerdict: row.connectionVerdict,
    connectionCheckedAt: row.connectionCheckedAt,
    status: row.status as EscalationStatus,
    assigneeSlackUserId: row.assigneeSlackUserId,
    resolvedBySlackUserId: row.resolvedBySlackUserId,
    triageMessage: messageRef(row.triageChannelId, row.triageMessageTs),
    reporterConfirmation: messageRef(row.reporterConfirmationChannelId, row.reporterConfirmationTs),
    postedAt: row.postedAt,
    postLease: row.postLeaseOwner && row.postLeaseUntil ? { owner: row.postLeaseOwner, until: row.postLeaseUntil } : null,
    postAttemptAt: row.postAttemptAt,
    confirmationAttemptAt: row.confirmationAttemptAt,
    claimedAt: row.claimedAt,
    resolvedAt: row.resolvedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createEscalationRepository(prisma: DbClient, provider: DatabaseProvider): EscalationRepository {
  const postLease = rowLeases(prisma, provider, postLeaseTable);

  return {
    async create(input, now = new Date()) {
      const row = await prisma.escalation.create({
        data: {
          slackTeamId: input.slackTeamId,
          reporterSlackUserId: input.reporterSlackUserId,
          channelId: input.channelId,
          threadTs: input.threadTs ?? null,
          errorText: input.errorText,
          notes: input.notes ?? null,
          reportId: input.reportId ?? null,
          occurredAt: input.occurredAt ?? null,
          connectionId: input.connectionId ?? null,
          articleId: input.articleId ?? null,
          codes: input.codes?.length ? input.codes.join(',') : null,
          reporterTimeZone: input.reporterTimeZone ?? null,
          connectionVerdict: input.connectionVerdict ?? null,
          connectionCheckedAt: input.connectionCheckedAt ?? null,
          postLeaseOwner: input.postLease?.owner ?? null,
          postLeaseUntil: input.postLease?.until ?? null,
          createdAt: now,
        },
      });
      return toEscalation(row);
    },

    async get(id) {
      const row = await prisma.escalation.findUnique({ where: { id } });
      return row ? toEscalation(row) : null;
    },

    async listOpen(options = {}) {
      const rows = await prisma.escalation.findMany({
        where: { status: { in: ['open', 'claimed'] }, ...(options.slackTeamId ? { slackTeamId: options.slackTeamId } : {}) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: options.limit ?? 50,
      });
      return rows.map(toEscalation);
    },

    async listByReporter(slackTeamId, reporterSlackUserId, options = {}) {
      const rows = await prisma.escalation.findMany({
        where: { slackTeamId, reporterSlackUserId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: options.limit ?? 20,
      });
      return rows.map(toEscalation);
    },

    async claimUnposted(owner, options = {}) {
      const skipTeamIds = options.skipTeamIds ?? [];
      const ids = await postLease.claim({
        owner,
        limit: options.limit ?? 10,
        leaseMs: options.leaseMs ?? defaultLeaseMs,
        now: options.now ?? new Date(),
        // Unfinished: never posted, or posted by someone who died before releasing the lease.
        due: sqltag`("postedAt" IS NULL OR "postLeaseOwner" IS NOT NULL) ${skipTeamIds.length ? sqltag`AND "slackTeamId" NOT IN (${join([...skipTeamIds])})` : empty}`,
        orderBy: sqltag`"createdAt", "id"`,
      });
      if (ids.length === 0) return [];
      const rows = await prisma.escalation.findMany({ where: { id: { in: ids } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toEscalation);
    },

    async recordAttempt(id, owner, message, at = new Date()) {
      const { count } = await prisma.escalation.updateMany({
        where: { id, postLeaseOwner: owner },
        data: message === 'triage' ? { postAttemptAt: at } : { confirmationAttemptAt: at },
      });
      return count === 1;
    },

    async markPosted(id, owner, triageMessage, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({
        where: { id, postedAt: null, postLeaseOwner: owner },
        data: { postedAt: now, triageChannelId: triageMessage.channelId, triageMessageTs: triageMessage.ts },
      });
      return count === 1;
    },

    releasePostLease(id, owner) {
      return postLease.release(id, owner);
    },

    async recordReporterConfirmation(id, confirmation) {
      const { count } = await prisma.escalation.updateMany({
        where: { id },
        data: { reporterConfirmationChannelId: confirmation.channelId, reporterConfirmationTs: confirmation.ts },
      });
      return count === 1;
    },

    async claim(id, assigneeSlackUserId, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({ where: { id, status: 'open' }, data: { status: 'claimed', assigneeSlackUserId, claimedAt: now } });
      return count === 1;
    },

    async resolve(id, resolverSlackUserId, now = new Date()) {
      const { count } = await prisma.escalation.updateMany({
        where: { id, status: { in: ['open', 'claimed'] } },
        data: { status: 'resolved', resolvedBySlackUserId: resolverSlackUserId, resolvedAt: now },
      });
      return count === 1;
    },
  };
}
