// Answers are a pure function of the question and the knowledge base, and people paste the same
// error codes and messages again and again; remembering recent answers keeps the engine off the
// acknowledgement path for repeats. Long pastes are rarely repeated and are not kept.
import type { Answer } from '../knowledge/answer.ts';

export const answerCacheSize = 500;
export const maxCachedQuestionChars = 500;

export function cachedAnswers(answer: (question: string) => Answer, size = answerCacheSize): (question: string) => Answer {
  const recent = new Map<string, Answer>();
  return (question) => {
    const key = question.trim();
    if (key.length > maxCachedQuestionChars) return answer(question);
    const hit = recent.get(key);
    if (hit) {
      // Refresh its place: the Map's insertion order is the eviction order.
      recent.delete(key);
      recent.set(key, hit);
      return hit;
    }
    const fresh = answer(key);
    recent.set(key, fresh);
    if (recent.size > size) recent.delete(recent.keys().next().value!);
    return fresh;
  };
}
