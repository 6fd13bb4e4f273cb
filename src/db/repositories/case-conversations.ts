// Thread state of the conversations that collect a case (src/support/case-conversation.ts). The
// unique thread key keeps one per thread; the Send claim is a conditional update, so of two
// presses (or two instances) exactly one files the case.
import type { CaseConversationRecord, CaseConversationStatus, CaseConversationStore, CollectedCase } from '../../support/case-conversation.ts';
import { emptyCase } from '../../support/case-conversation.ts';
import type { DbClient } from '../prisma-client.ts';

export type CaseConversationRepository = CaseConversationStore;

interface Row {
  id: string;
  slackTeamId: string;
  channelId: string;
  threadTs: string;
  reporterSlackUserId: string;
  timeZone: string;
  articleId: string | null;
  fields: string;
  status: string;
  escalationId: string | null;
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const statuses: readonly CaseConversationStatus[] = ['collecting', 'confirming', 'sending', 'sent', 'cancelled'];

function toRecord(row: Row): CaseConversationRecord {
  let fields: CollectedCase = emptyCase;
  try {
    fields = { ...emptyCase, ...(JSON.parse(row.fields) as Partial<CollectedCase>) };
  } catch {
    // A row written by a newer version with another shape: start from nothing rather than fail.
  }
  const status = statuses.find((s) => s === row.status) ?? 'cancelled';
  return { ...row, fields, status };
}

export function createCaseConversationRepository(prisma: DbClient): CaseConversationRepository {
  const open = { in: ['collecting', 'confirming', 'sending'] };
  return {
    async findOpen(slackTeamId, channelId, threadTs, now) {
      const row = await prisma.caseConversation.findFirst({ where: { slackTeamId, channelId, threadTs, status: open, expiresAt: { gt: now } } });
      return row ? toRecord(row) : null;
    },

    async get(id) {
      const row = await prisma.caseConversation.findUnique({ where: { id } });
      return row ? toRecord(row) : null;
    },

    async start(input) {
      const data = { ...input, fields: JSON.stringify(input.fields), sendClaim: null, escalationId: null };
      const row = await prisma.caseConversation.upsert({
        where: { slackTeamId_channelId_threadTs: { slackTeamId: input.slackTeamId, channelId: input.channelId, threadTs: input.threadTs } },
        create: data,
        update: data,
      });
      return toRecord(row);
    },

    async update(id, change) {
      const { count } = await prisma.caseConversation.updateMany({
        where: { id, status: { in: ['collecting', 'confirming'] } },
        data: { fields: JSON.stringify(change.fields), status: change.status },
      });
      return count === 1;
    },

    async claimSend(id, owner, now) {
      const { count } = await prisma.caseConversation.updateMany({
        where: { id, status: 'confirming', expiresAt: { gt: now } },
        data: { status: 'sending', sendClaim: owner },
      });
      return count === 1;
    },

    async reclaimSend(id, owner, staleBefore) {
      const { count } = await prisma.caseConversation.updateMany({
        where: { id, status: 'sending', escalationId: null, updatedAt: { lt: staleBefore } },
        data: { sendClaim: owner },
      });
      return count === 1;
    },

    async releaseSend(id, owner) {
      const { count } = await prisma.caseConversation.updateMany({ where: { id, status: 'sending', sendClaim: owner }, data: { status: 'confirming', sendClaim: null } });
      return count === 1;
    },

    async finishSend(id, owner, escalationId) {
      const { count } = await prisma.caseConversation.updateMany({ where: { id, status: 'sending', sendClaim: owner }, data: { status: 'sent', escalationId } });
      return count === 1;
    },

    async cancel(id) {
      const { count } = await prisma.caseConversation.updateMany({ where: { id, status: { in: ['collecting', 'confirming'] } }, data: { status: 'cancelled' } });
      return count === 1;
    },

    async prune(before) {
      const { count } = await prisma.caseConversation.deleteMany({ where: { expiresAt: { lt: before } } });
      return count;
    },
  };
}
