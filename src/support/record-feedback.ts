// Helpful / Not helpful on an answer, kept so articles that do not help can be found and fixed.
// One vote per person per answer: pressing again changes the vote, never adds a second one.
import type { FeedbackOutcome } from './records.ts';
import type { FeedbackStore, NewFeedback } from './stores.ts';

/** Questions are stored trimmed and capped: feedback is about the article, not a log of pastes. */
export const maxFeedbackQuestionChars = 1000;

export async function recordFeedback(deps: { feedback: FeedbackStore }, input: NewFeedback): Promise<FeedbackOutcome> {
  const { outcome } = await deps.feedback.record({ ...input, question: input.question.trim().slice(0, maxFeedbackQuestionChars) });
  return outcome;
}
