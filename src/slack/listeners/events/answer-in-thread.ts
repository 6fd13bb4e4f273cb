// Mentions and direct messages get the answer in the thread of the message that asked.
import type { WebClient } from '@slack/web-api';
import { diagnosedAnswer } from '../../diagnosed-answer.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { postMessage, replaceMessage } from '../../reply.ts';
import { plainTextFromSlack } from '../../slack-text.ts';
import { text } from '../../user-text.ts';
import { continueCaseInThread, postCaseStep, rememberAnsweredThread, startCaseFor } from '../../case-conversation-edge.ts';

export interface Asked {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  teamId: string | undefined;
  /** Who asked; the case conversation is theirs. */
  userId?: string | undefined;
  /** A channel (not a DM): the thread is remembered, so "it still fails" there needs no mention. */
  inChannel?: boolean;
}

/**
 * A reply in a thread collecting a case goes to the case; anything else gets the answer, and an
 * answer that ends in "contact support" starts collecting the case in the same thread.
 */
export async function answerInThread(deps: ListenerDeps, client: WebClient, asked: Asked, botUserId: string | undefined): Promise<void> {
  const threadTs = asked.threadTs ?? asked.ts;
  const question = plainTextFromSlack(asked.text, botUserId);
  const message = { teamId: asked.teamId, channel: asked.channel, threadTs, userId: asked.userId, ts: asked.ts, text: question };
  if (asked.threadTs && (await continueCaseInThread(deps, client, message))) return;
  // The model can take seconds: the person sees at once that the question arrived.
  const placeholder = deps.support.usesModel ? await postMessage(client, { channel: asked.channel, thread_ts: threadTs, text: text.lookingIntoIt }, deps.logger) : undefined;
  // The case (when the answer ends in "contact support") is read while the answer is written; its question follows the answer.
  const answer = deps.support.answer(question);
  const caseStep = startCaseFor(deps, client, message, answer);
  const reply = await diagnosedAnswer(deps, asked.teamId, question, { channel: asked.channel, threadTs });
  if (placeholder) await replaceMessage(client, { channel: asked.channel, ts: placeholder, threadTs, text: reply.text, blocks: reply.blocks }, deps.logger);
  else await postMessage(client, { channel: asked.channel, thread_ts: threadTs, text: reply.text, blocks: reply.blocks }, deps.logger);
  if (asked.inChannel) await rememberAnsweredThread(deps, message, answer);
  await postCaseStep(deps, client, message, await caseStep);
}

/** Bots (including this app) and edits, joins, deletions and other subtypes never get an answer. */
export function isFromPerson(event: { subtype?: string; bot_id?: string; bot_profile?: unknown }): boolean {
  return !event.subtype && !event.bot_id && !event.bot_profile;
}
