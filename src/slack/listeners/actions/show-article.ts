// "Is it one of these?": the person picked one of the closest articles; answer with that article.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAnswerRef } from '../../action-values.ts';
import { buildAnswerBlocks } from '../../blocks/answer-blocks.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { closestArticleActionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { postMessage, respondEphemeral, tellUser } from '../../reply.ts';
import { text } from '../../user-text.ts';
import { readButtonPress } from './button-context.ts';

export function registerShowArticle(app: App, deps: ListenerDeps): void {
  // The candidates differ only in their position, so one handler serves each of their ids.
  for (const actionId of closestArticleActionIds) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, context, respond }) => {
      await ack();
      const press = readButtonPress(body, action, context);
      const ref = decodeAnswerRef(press.value);
      const answer = ref?.a ? deps.support.answerWithArticle(ref.a, ref.q) : null;
      if (!answer) return tellUser({ respond, client, userId: press.actor.userId }, notice(text.articleGone), deps.logger);
      const reply = buildAnswerBlocks(answer, { shareable: press.isEphemeral, capabilities: deps.capabilities });
      if (press.isEphemeral || !press.channelId || !press.threadTs) return respondEphemeral(respond, reply, deps.logger, true);
      await postMessage(client, { channel: press.channelId, thread_ts: press.threadTs, text: reply.text, blocks: reply.blocks }, deps.logger);
    });
  }
}
