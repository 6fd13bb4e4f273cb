// Classifies a failed export from Xero's own validation messages (or, without a Xero body, the
// product's text) to a knowledge article, through the answer engine's patterns. Pure.
import type { AnswerEngine } from '../knowledge/answer-engine.ts';

export interface Classification {
  /** Knowledge article id, or null when no article matches confidently. */
  errorCode: string | null;
  /** Xero's ValidationErrors messages found in a raw body, in order, without repeats. */
  validationMessages: string[];
}

/** Collects every ValidationErrors[].Message in a Xero error body (any depth: Elements, Payments, ...). */
export function xeroValidationMessages(body: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 8 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, depth + 1));
    for (const [key, child] of Object.entries(value)) {
      if (key === 'ValidationErrors' && Array.isArray(child)) {
        for (const item of child) {
          const message = (item as { Message?: unknown } | null)?.Message;
          if (typeof message === 'string' && message.trim()) found.push(message.trim());
        }
      } else walk(child, depth + 1);
    }
  };
  walk(body, 0);
  return [...new Set(found)];
}

export function classifyFailure(engine: AnswerEngine, error: { message: string; xeroBody?: unknown }): Classification {
  const validationMessages = error.xeroBody === undefined ? [] : xeroValidationMessages(error.xeroBody);
  // Xero's first message names the cause it stopped on; the product's text is the fallback.
  const candidates = [...validationMessages, error.message];
  for (const text of candidates) {
    const article = engine.answer(text).article;
    if (article) return { errorCode: article.id, validationMessages };
  }
  return { errorCode: null, validationMessages };
}
