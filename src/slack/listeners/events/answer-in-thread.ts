// Mentions and direct messages get the answer in the thread of the message that asked.
import type { WebClient } from '@slack/web-api';
import { buildAnswerBlocks, type AnswerMessage } from '../../blocks/answer-blocks.ts';
import { buildDiagnosisBlocks } from '../../blocks/health-blocks.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { postMessage } from '../../reply.ts';
import { plainTextFromSlack } from '../../slack-text.ts';
import { continueCaseInThread, offerCase } from '../../case-conversation-edge.ts';

export interface Asked {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: string;
  teamId: string | undefined;
  /** Who asked; the case conversation is theirs. */
  userId?: string | undefined;
}

/**
 * The answer, led by the live verdict of the workspace's connections when it is about a
 * connection problem. The verdict goes inside the one reply rather than a follow-up: it is what
 * the person needs first, a stored verdict costs no Xero call, and a live one is bounded (4 s).
 */
export async function diagnosedAnswer(deps: ListenerDeps, teamId: string | undefined, question: string): Promise<AnswerMessage> {
  const answer = deps.support.answer(question);
  const reports = teamId
    ? await deps.support.diagnose(teamId, answer).catch((error: unknown) => {
        deps.logger.warn({ err: error, code: 'diagnosis_failed' }, 'could not add the live connection verdict to an answer');
        return [];
      })
    : [];
  const lead = buildDiagnosisBlocks(reports, answer.article?.id ?? null, { now: deps.now(), getArticle: (id) => deps.support.getArticle(id) });
  return buildAnswerBlocks(answer, { lead, capabilities: deps.capabilities });
}

/**
 * A reply in a thread collecting a case goes to the case; anything else gets the answer, and an
 * answer that ends in "contact support" starts collecting the case in the same thread.
 */
export async function answerInThread(deps: ListenerDeps, client: WebClient, asked: Asked, botUserId: string | undefined): Promise<void> {
  const question = plainTextFromSlack(asked.text, botUserId);
  const threadTs = asked.threadTs ?? asked.ts;
  const message = { teamId: asked.teamId, channel: asked.channel, threadTs, userId: asked.userId, ts: asked.ts, text: question };
  if (asked.threadTs && (await continueCaseInThread(deps, client, message))) return;
  const reply = await diagnosedAnswer(deps, asked.teamId, question);
  await postMessage(client, { channel: asked.channel, thread_ts: threadTs, text: reply.text, blocks: reply.blocks }, deps.logger);
  await offerCase(deps, client, message, deps.support.answer(question));
}

/** Bots (including this app) and edits, joins, deletions and other subtypes never get an answer. */
export function isFromPerson(event: { subtype?: string; bot_id?: string; bot_profile?: unknown }): boolean {
  return !event.subtype && !event.bot_id && !event.bot_profile;
}
