// Buttons this version does not know (an old message, or a forged payload): acknowledged, so
// Slack shows no error, and answered with a clear note instead of silence.
import type { App, BlockAction } from '@slack/bolt';
import { notice } from '../../blocks/support-blocks.ts';
import { knownActionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { text } from '../../user-text.ts';

export function registerUnknownAction(app: App, deps: ListenerDeps): void {
  app.action<BlockAction>({ type: 'block_actions' }, async ({ ack, action, body, client, respond }) => {
    if (knownActionIds.has(action.action_id)) return;
    await ack();
    deps.logger.info({ actionId: action.action_id.slice(0, 100) }, 'unknown action id');
    await tellUser({ respond, client, userId: body.user.id }, notice(text.unknownAction), deps.logger);
  });
}
