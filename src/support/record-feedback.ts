// Helpful / Not helpful on an answer, kept so articles that do not help can be found and fixed.
import type { FeedbackStore, NewFeedback } from './stores.ts';

/** Questions are stored trimmed and capped: feedback is about the article, not a log of pastes. */
export const maxFeedbackQuestionChars = 1000;

export async function recordFeedback(deps: { feedback: FeedbackStore }, input: NewFeedback): Promise<void> {
  await deps.feedback.record({ ...input, question: input.question.trim().slice(0, maxFeedbackQuestionChars) });
}
