// What the answer engine returns. Pure data: the Slack layer, the CLI and the LLM adapter render it.
import type { Article, ArticleAction, ArticleSummary } from './article.ts';

/** How the article was found: an exact code, a known error string, full-text ranking, or not at all. */
export type MatchKind = 'code' | 'pattern' | 'search' | 'none';

/** Why no article was returned. */
export type NoAnswerReason = 'empty_question' | 'unknown_code' | 'low_confidence' | 'out_of_scope';

export interface Alternative extends ArticleSummary {
  confidence: number;
}

export interface Answer {
  question: string;
  /** The best article, or null when the engine is not confident enough to name one. */
  article: Article | null;
  /** Calibrated 0..1; answers below the engine's threshold carry article: null. */
  confidence: number;
  matchedBy: MatchKind;
  /** The code or known error string found in the question, when matchedBy is 'code' or 'pattern'. */
  matchedCode: string | null;
  /** A code-like token (e.g. "QBO01") that no article knows; offered back with escalation. */
  unknownCode: string | null;
  reason: NoAnswerReason | null;
  /** Up to three other candidates, best first (when article is null: the closest ones). */
  alternatives: Alternative[];
  /** What the user may do next: the article's actions, or escalate when there is no article. */
  actions: ArticleAction[];
}

/**
 * Below this, an article found by ranking alone is wrong often enough on text nobody tuned on (about 4 in
 * 10 on the held-out sets, against 1 in 5 between 0.6 and 0.8) that the reply also offers the runners-up.
 */
export const UNSURE_ANSWER_BELOW = 0.6;

/**
 * The closest other articles a reply offers as buttons: up to three when no article is named; up to two
 * under an article found by ranking alone with less than UNSURE_ANSWER_BELOW; none under a code or a
 * known error string, or a surer answer.
 */
export function closestToOffer(answer: Answer): Alternative[] {
  if (!answer.article) return answer.alternatives.slice(0, 3);
  if (answer.matchedBy === 'search' && answer.confidence < UNSURE_ANSWER_BELOW) return answer.alternatives.slice(0, 2);
  return [];
}
