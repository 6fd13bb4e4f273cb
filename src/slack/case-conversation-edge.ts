// The Slack side of the case conversation: start it under an answer that ends in "contact
// support", and route the reporter's thread replies to it. The rules live in src/support.
import type { WebClient } from '@slack/web-api';
import type { Answer } from '../knowledge/answer.ts';
import { needsSupport } from '../support/case-conversation.ts';
import type { CaseStep } from '../support/collect-case.ts';
import { buildCaseStep } from './blocks/case-blocks.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { postMessage } from './reply.ts';
import { userTimeZone } from './user-time-zone.ts';

export interface ThreadMessage {
  teamId: string | undefined;
  channel: string;
  /** The thread the answer went to. */
  threadTs: string;
  userId: string | undefined;
  /** The message's own ts: when it was sent. */
  ts: string;
  text: string;
}

/** Slack's "1700000000.000100" as the instant it names. */
export function slackTime(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

/**
 * Under an answer that ends in "contact support": starts the case and returns what to ask for. It
 * runs alongside the answer, so the model reading the paste (with OPENAI_API_KEY) shares the
 * answer's wait; null when there is no case to collect or it could not start.
 */
export async function startCaseFor(deps: ListenerDeps, client: WebClient, asked: ThreadMessage, answer: Answer): Promise<CaseStep | null> {
  if (!deps.capabilities.escalation || !asked.teamId || !asked.userId || !needsSupport(answer, asked.text)) return null;
  try {
    const timeZone = await userTimeZone(client, asked.userId, deps.logger);
    return await deps.support.startCase({
      actor: { teamId: asked.teamId, userId: asked.userId },
      channelId: asked.channel,
      threadTs: asked.threadTs,
      timeZone,
      text: asked.text,
      sentAt: slackTime(asked.ts),
      articleId: answer.article?.id ?? null,
    });
  } catch (error) {
    deps.logger.error({ err: error, code: 'case_start_failed' }, 'could not start collecting a case; the answer stands and Escalate still works');
    return null;
  }
}

/** The case's first question (or its summary), in the thread under the answer. */
export async function postCaseStep(deps: ListenerDeps, client: WebClient, asked: ThreadMessage, step: CaseStep | null): Promise<void> {
  if (!step) return;
  const message = buildCaseStep(step);
  await postMessage(client, { channel: asked.channel, thread_ts: asked.threadTs, text: message.text, blocks: message.blocks }, deps.logger);
}

/** Remembers a channel thread the bot answered, so "it still fails" there needs no mention. */
export async function rememberAnsweredThread(deps: ListenerDeps, asked: ThreadMessage, answer: Answer): Promise<void> {
  if (!deps.capabilities.escalation || !asked.teamId || !asked.userId) return;
  try {
    await deps.support.recordAnsweredThread({
      actor: { teamId: asked.teamId, userId: asked.userId },
      channelId: asked.channel,
      threadTs: asked.threadTs,
      question: asked.text,
      articleId: answer.article?.id ?? null,
      askedAt: slackTime(asked.ts),
    });
  } catch (error) {
    deps.logger.error({ err: error, code: 'answered_thread_not_recorded' }, 'could not remember the answered thread; a reply there needs a mention to start a case');
  }
}

/**
 * A reply without a mention in a channel thread: it goes to the case under way, or, when it says
 * the fix did not help under one of the bot's answers, starts the case. Everything else is ignored.
 */
export async function followUpInChannelThread(deps: ListenerDeps, client: WebClient, reply: ThreadMessage): Promise<void> {
  // Without a support channel no case is ever started, so there is nothing to follow.
  if (!deps.capabilities.escalation || !reply.teamId || !reply.userId) return;
  const userId = reply.userId;
  const step = await deps.support.followUpInThread(
    { teamId: reply.teamId, channelId: reply.channel, threadTs: reply.threadTs, userId, text: reply.text, sentAt: slackTime(reply.ts) },
    () => userTimeZone(client, userId, deps.logger),
  );
  if (!step) return;
  const message = buildCaseStep(step);
  await postMessage(client, { channel: reply.channel, thread_ts: reply.threadTs, text: message.text, blocks: message.blocks }, deps.logger);
}

/** A reply in a thread collecting a case: true when it belonged to the case (and was answered). */
export async function continueCaseInThread(deps: ListenerDeps, client: WebClient, reply: ThreadMessage): Promise<boolean> {
  if (!reply.teamId || !reply.userId) return false;
  const step = await deps.support.continueCase({
    teamId: reply.teamId,
    channelId: reply.channel,
    threadTs: reply.threadTs,
    userId: reply.userId,
    text: reply.text,
    sentAt: slackTime(reply.ts),
  });
  if (!step) return false;
  const message = buildCaseStep(step);
  await postMessage(client, { channel: reply.channel, thread_ts: reply.threadTs, text: message.text, blocks: message.blocks }, deps.logger);
  return true;
}
