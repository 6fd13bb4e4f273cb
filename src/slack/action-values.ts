// What buttons carry in their `value`, encoded small and parsed back with zod: a value is
// client-supplied data like any other input and may be stale, truncated or forged.
import { z } from 'zod';
import { recordIdSchema } from '../copy/concierge-grammar.ts';

/** Questions ride along in buttons (for Share, feedback and escalation prefill), clipped to fit. */
export const maxQuestionInValue = 1500;

const answerRefSchema = z.object({
  /** Article id, null when the answer named none. */
  a: z.string().max(100).nullable(),
  q: z.string().max(maxQuestionInValue),
});

export type AnswerRef = z.infer<typeof answerRefSchema>;

export function encodeAnswerRef(articleId: string | null, question: string): string {
  return JSON.stringify({ a: articleId, q: question.slice(0, maxQuestionInValue) });
}

export function decodeAnswerRef(value: string | undefined): AnswerRef | null {
  if (!value) return null;
  try {
    const parsed = answerRefSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Ids of our own records (escalations, failed syncs) as they appear in button values. */
export { recordIdSchema };

export function decodeRecordId(value: string | undefined): string | null {
  const parsed = recordIdSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const disconnectRefSchema = z.object({
  /** Connection id. */
  c: recordIdSchema,
  /** The organisation's name, for the reply to Cancel. */
  n: z.string().max(300),
  /** When the confirmation was asked for (epoch ms): it expires. */
  t: z.number().int().nonnegative(),
});

export interface DisconnectRef {
  connectionId: string;
  tenantName: string;
  requestedAt: Date;
}

export function encodeDisconnectRef(ref: DisconnectRef): string {
  return JSON.stringify({ c: ref.connectionId, n: ref.tenantName.slice(0, 300), t: ref.requestedAt.getTime() });
}

export function decodeDisconnectRef(value: string | undefined): DisconnectRef | null {
  if (!value) return null;
  try {
    const parsed = disconnectRefSchema.safeParse(JSON.parse(value));
    return parsed.success ? { connectionId: parsed.data.c, tenantName: parsed.data.n, requestedAt: new Date(parsed.data.t) } : null;
  } catch {
    return null;
  }
}
