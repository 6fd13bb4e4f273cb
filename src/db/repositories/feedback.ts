// Whether an answer helped, per question and article, for tuning the knowledge base. One vote per
// person per answer: a second press changes the vote instead of adding one.
import { isUniqueViolation } from '../database-error.ts';
import type { DbClient } from '../prisma-client.ts';
import { feedbackAnswerKey, type AnswerFeedback, type AnswerFeedbackInput, type FeedbackOutcome } from '../../support/records.ts';

export interface FeedbackRepository {
  record(input: AnswerFeedbackInput, now?: Date): Promise<{ feedback: AnswerFeedback; outcome: FeedbackOutcome }>;
  /** Helpful / not helpful counts for one article. */
  countsForArticle(articleId: string): Promise<{ helpful: number; notHelpful: number }>;
}

export function createFeedbackRepository(prisma: DbClient): FeedbackRepository {
  return {
    async record(input, now = new Date()) {
      const key = {
        slackTeamId: input.slackTeamId,
        slackUserId: input.slackUserId,
        answerKey: feedbackAnswerKey(input.articleId, input.question),
      };
      const vote = { helpful: input.helpful, channelId: input.channelId ?? null, messageTs: input.messageTs ?? null, createdAt: now };
      // Read first only to say what the press did; the unique key keeps racing presses to one row.
      const before = await prisma.answerFeedback.findUnique({ where: { slackTeamId_slackUserId_answerKey: key }, select: { helpful: true } });
      const write = () =>
        prisma.answerFeedback.upsert({
          where: { slackTeamId_slackUserId_answerKey: key },
          create: { ...key, question: input.question, articleId: input.articleId, ...vote },
          update: vote,
        });
      // A press racing this one may create the row between our look-up and our insert; then ours updates it.
      const row = await write().catch((err: unknown) => {
        if (isUniqueViolation(err)) return write();
        throw err;
      });
      const outcome: FeedbackOutcome = !before ? 'counted' : before.helpful === input.helpful ? 'unchanged' : 'changed';
      return {
        outcome,
        feedback: {
          id: row.id,
          slackTeamId: row.slackTeamId,
          slackUserId: row.slackUserId,
          question: row.question,
          articleId: row.articleId,
          helpful: row.helpful,
          channelId: row.channelId,
          messageTs: row.messageTs,
          createdAt: row.createdAt,
        },
      };
    },

    async countsForArticle(articleId) {
      const [helpful, notHelpful] = await Promise.all([
        prisma.answerFeedback.count({ where: { articleId, helpful: true } }),
        prisma.answerFeedback.count({ where: { articleId, helpful: false } }),
      ]);
      return { helpful, notHelpful };
    },
  };
}
