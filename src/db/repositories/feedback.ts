// Whether an answer helped, per question and article, for tuning the knowledge base.
import type { DbClient } from '../prisma-client.ts';
import type { AnswerFeedback, AnswerFeedbackInput } from '../../support/records.ts';

export interface FeedbackRepository {
  record(input: AnswerFeedbackInput, now?: Date): Promise<AnswerFeedback>;
  /** Helpful / not helpful counts for one article. */
  countsForArticle(articleId: string): Promise<{ helpful: number; notHelpful: number }>;
}

export function createFeedbackRepository(prisma: DbClient): FeedbackRepository {
  return {
    async record(input, now = new Date()) {
      const row = await prisma.answerFeedback.create({
        data: {
          slackTeamId: input.slackTeamId,
          slackUserId: input.slackUserId,
          question: input.question,
          articleId: input.articleId,
          helpful: input.helpful,
          channelId: input.channelId ?? null,
          messageTs: input.messageTs ?? null,
          createdAt: now,
        },
      });
      return {
        id: row.id,
        slackTeamId: row.slackTeamId,
        slackUserId: row.slackUserId,
        question: row.question,
        articleId: row.articleId,
        helpful: row.helpful,
        channelId: row.channelId,
        messageTs: row.messageTs,
        createdAt: row.createdAt,
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
