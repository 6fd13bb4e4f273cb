// A Slack thread's earlier questions and replies, so a follow-up ("still failing after that") is
// read in context by the model. Stored (it survives a restart and is shared by instances),
// redacted like everything the model sees, and bounded: a few recent turns, each clipped, for a day.
import { redactForModel } from './redact-for-model.ts';
import type { ThreadTurn } from './support-model.ts';

export interface ThreadKey {
  teamId: string;
  channel: string;
  threadTs: string;
}

export interface ThreadHistoryStore {
  /** The thread's turns since `since`, oldest first, at most `limit` (the most recent ones). */
  recent(key: ThreadKey, since: Date, limit: number): Promise<ThreadTurn[]>;
  /** Appends turns and forgets the thread's turns beyond the newest `keep`. */
  append(key: ThreadKey, turns: ThreadTurn[], at: Date, keep: number): Promise<void>;
  /** Forgets every turn older than `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

export const threadHistoryLimits = {
  turns: 6,
  turnChars: 1500,
  ttlMs: 24 * 60 * 60 * 1000,
} as const;

export function historyTurn(role: ThreadTurn['role'], text: string): ThreadTurn {
  const clean = redactForModel(text.trim());
  return { role, text: clean.length > threadHistoryLimits.turnChars ? `${clean.slice(0, threadHistoryLimits.turnChars - 1)}…` : clean };
}

export async function readThreadHistory(store: ThreadHistoryStore, key: ThreadKey, now: Date): Promise<ThreadTurn[]> {
  return store.recent(key, new Date(now.getTime() - threadHistoryLimits.ttlMs), threadHistoryLimits.turns);
}

export async function recordThreadTurns(store: ThreadHistoryStore, key: ThreadKey, turns: ThreadTurn[], now: Date): Promise<void> {
  await store.append(key, turns, now, threadHistoryLimits.turns);
}
