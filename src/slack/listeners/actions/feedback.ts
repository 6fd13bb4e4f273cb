// Helpful / Not helpful under every answer, stored as feedback and thanked privately.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAnswerRef } from '../../action-values.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { text } from '../../user-text.ts';
import { readButtonPress } from './button-context.ts';

export function registerFeedback(app: App, deps: ListenerDeps): void {
  for (const [actionId, helpful] of [
    [actionIds.feedbackHelpful, true],
    [actionIds.feedbackNotHelpful, false],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, context, respond }) => {
      await ack();
      const press = readButtonPress(body, action, context);
      const ref = decodeAnswerRef(press.value);
      if (!ref) return tellUser({ respond, client, userId: press.actor.userId }, notice(text.unknownAction), deps.logger);
      await deps.support.recordFeedback({
        slackTeamId: press.actor.teamId,
        slackUserId: press.actor.userId,
        question: ref.q,
        articleId: ref.a,
        helpful,
        channelId: press.channelId ?? null,
        messageTs: (body.message as { ts?: string } | undefined)?.ts ?? null,
      });
      await tellUser({ respond, client, userId: press.actor.userId }, notice(helpful ? text.feedbackThanksHelpful : text.feedbackThanksNotHelpful), deps.logger);
    });
  }
}
