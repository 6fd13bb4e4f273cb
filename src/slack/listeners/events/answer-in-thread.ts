// Mentions and direct messages get the answer in the thread of the message that asked.
import type { WebClient } from '@slack/web-api';
import { buildAnswerBlocks } from '../../blocks/answer-blocks.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { postMessage } from '../../reply.ts';
import { plainTextFromSlack } from '../../slack-text.ts';

export interface Asked {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
}

export async function answerInThread(deps: ListenerDeps, client: WebClient, asked: Asked, botUserId: string | undefined): Promise<void> {
  const reply = buildAnswerBlocks(deps.support.answer(plainTextFromSlack(asked.text, botUserId)), { capabilities: deps.capabilities });
  await postMessage(client, { channel: asked.channel, thread_ts: asked.threadTs ?? asked.ts, text: reply.text, blocks: reply.blocks }, deps.logger);
}

/** Bots (including this app) and edits, joins, deletions and other subtypes never get an answer. */
export function isFromPerson(event: { subtype?: string; bot_id?: string; bot_profile?: unknown }): boolean {
  return !event.subtype && !event.bot_id && !event.bot_profile;
}
