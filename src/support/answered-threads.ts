// Channel threads the bot answered. Nobody has to mention the bot again to say "it still fails"
// under its answer: such a reply starts collecting the case, read from the original question and
// the reply. Every other reply in those threads is left alone.
import type { Actor } from './admin-access.ts';
import { saysStillFailing } from './case-conversation.ts';
import { continueCase, startCase, type CaseStep, type CollectCaseDeps, type ThreadReply } from './collect-case.ts';

export interface AnsweredThread {
  slackTeamId: string;
  channelId: string;
  threadTs: string;
  askerSlackUserId: string;
  question: string;
  articleId: string | null;
  askedAt: Date;
  expiresAt: Date;
}

/** Stored (shared by every instance, kept across restarts); rows past expiresAt are ignored and pruned. */
export interface AnsweredThreadStore {
  /** Records (or refreshes) the thread's latest answered question. */
  record(thread: AnsweredThread): Promise<void>;
  find(slackTeamId: string, channelId: string, threadTs: string, now: Date): Promise<AnsweredThread | null>;
  /** Deletes threads that expired before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

/** An answered thread is followed for a day, like the case conversation it may start. */
export const answeredThreadLifetimeMs = 24 * 60 * 60_000;

export interface AnsweredQuestion {
  actor: Actor;
  channelId: string;
  threadTs: string;
  question: string;
  articleId: string | null;
  askedAt: Date;
}

export async function recordAnsweredThread(store: AnsweredThreadStore, asked: AnsweredQuestion, now: Date): Promise<void> {
  await store.record({
    slackTeamId: asked.actor.teamId,
    channelId: asked.channelId,
    threadTs: asked.threadTs,
    askerSlackUserId: asked.actor.userId,
    question: asked.question,
    articleId: asked.articleId,
    askedAt: asked.askedAt,
    expiresAt: new Date(now.getTime() + answeredThreadLifetimeMs),
  });
}

export interface FollowUpDeps extends CollectCaseDeps {
  answeredThreads: AnsweredThreadStore;
}

/**
 * A reply in a channel thread without a mention: the case under way takes it; otherwise, when it
 * says the fix did not help under one of the bot's answers, the case starts from the question
 * (read first, so the error pasted there is kept) and the reply. Null: not the bot's business.
 */
export async function followUpInThread(deps: FollowUpDeps, reply: ThreadReply, timeZoneOf: () => Promise<string>): Promise<CaseStep | null> {
  const continued = await continueCase(deps, reply);
  if (continued || !saysStillFailing(reply.text)) return continued;
  const answered = await deps.answeredThreads.find(reply.teamId, reply.channelId, reply.threadTs, deps.now());
  if (!answered) return null;
  const timeZone = await timeZoneOf();
  const started = await startCase(deps, {
    actor: { teamId: reply.teamId, userId: reply.userId },
    channelId: reply.channelId,
    threadTs: reply.threadTs,
    timeZone,
    // Someone else's question is not theirs to report: only their own reply is read then.
    text: answered.askerSlackUserId === reply.userId ? answered.question : reply.text,
    sentAt: answered.askerSlackUserId === reply.userId ? answered.askedAt : reply.sentAt,
    articleId: answered.articleId,
  });
  if (!started || answered.askerSlackUserId !== reply.userId || started.kind !== 'asking') return started;
  return (await continueCase(deps, reply)) ?? started;
}
