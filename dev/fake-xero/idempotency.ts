// Idempotency-Key replay, per organisation: a write sent again with a key seen before gets the
// first answer again and changes nothing. Xero forgets keys after some minutes (ttlMs), which is
// why the bot must not rely on keys alone. Keys over 128 characters are refused, as Xero does;
// reusing a key for a different request is refused too (the fake is strict so such a bug shows).
import { createHash } from 'node:crypto';

interface Answer {
  status: number;
  body: unknown;
  note?: string | undefined;
}

interface Remembered {
  fingerprint: string;
  answer: Answer;
  expiresAt: number;
}

export class IdempotencyStore {
  private entries = new Map<string, Remembered>();
  private readonly ttlMs: number;

  constructor(ttlMs: number) {
    this.ttlMs = ttlMs;
  }

  /** `work`'s answer, or the remembered one for this key; 5xx answers are not remembered (nothing was done). */
  run(tenantId: string, key: string, request: string, now: number, work: () => Answer): { answer: Answer; replayed: boolean } {
    if (key.length > 128) {
      const message = 'The Idempotency-Key header must be 128 characters or fewer.';
      return { answer: { status: 400, body: { ErrorNumber: 10, Type: 'ValidationException', Message: message, Elements: [{ ValidationErrors: [{ Message: message }] }] }, note: 'idempotency key too long' }, replayed: false };
    }
    const id = `${tenantId}\u0000${key}`;
    const fingerprint = createHash('sha256').update(request).digest('hex');
    const seen = this.entries.get(id);
    if (seen && seen.expiresAt > now) {
      if (seen.fingerprint === fingerprint) return { answer: seen.answer, replayed: true };
      const message = `The Idempotency-Key ${key} was already used for a different request.`;
      return { answer: { status: 400, body: { ErrorNumber: 10, Type: 'ValidationException', Message: message, Elements: [{ ValidationErrors: [{ Message: message }] }] }, note: 'idempotency key reused' }, replayed: false };
    }
    const answer = work();
    if (answer.status < 500) this.entries.set(id, { fingerprint, answer, expiresAt: now + this.ttlMs });
    if (this.entries.size > 50_000) {
      for (const [k, v] of this.entries) if (v.expiresAt <= now) this.entries.delete(k);
    }
    return { answer, replayed: false };
  }
}
