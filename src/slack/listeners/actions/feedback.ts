// Helpful / Not helpful under every answer: stored before Slack is acknowledged (an acknowledged
// vote is never lost), then thanked privately, saying the vote was counted (or changed: one vote
// per person per answer).
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAnswerRef } from '../../action-values.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { text } from '../../user-text.ts';
import { ok } from '../../../support/result.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { readButtonPress } from './button-context.ts';

export function registerFeedback(app: App, deps: ListenerDeps): void {
  for (const [actionId, helpful] of [
    [actionIds.feedbackHelpful, true],
    [actionIds.feedbackNotHelpful, false],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, context, respond }) => {
      const press = readButtonPress(body, action, context);
      const ref = decodeAnswerRef(press.value);
      const tell = (message: string) => tellUser({ respond, client, userId: press.actor.userId }, notice(message), deps.logger);
      if (!ref) {
        await ack();
        return tell(text.unknownAction);
      }
      const saved = await storeBeforeAck(deps.logger, ack, async () => {
        const outcome = await deps.support.recordFeedback({
          slackTeamId: press.actor.teamId,
          slackUserId: press.actor.userId,
          question: ref.q,
          articleId: ref.a,
          helpful,
          channelId: press.channelId ?? null,
          messageTs: (body.message as { ts?: string } | undefined)?.ts ?? null,
        });
        return ok(outcome);
      });
      await tell(saved.ok ? text.feedbackCounted(helpful, saved.value) : text.notRecorded);
    });
  }
}
