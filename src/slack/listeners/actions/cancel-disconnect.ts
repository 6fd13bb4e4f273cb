// Cancel on the confirmation from `/concierge disconnect`: nothing changes, so nothing is stored.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeDisconnectRef } from '../../action-values.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { escapeMrkdwn } from '../../blocks/block-kit.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { respondEphemeral } from '../../reply.ts';
import { text } from '../../user-text.ts';

export function registerCancelDisconnect(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(actionIds.cancelDisconnect, async ({ ack, action, respond }) => {
    await ack();
    const ref = decodeDisconnectRef(action.value);
    await respondEphemeral(respond, notice(ref ? text.disconnectCancelled(escapeMrkdwn(ref.tenantName)) : text.unknownAction), deps.logger, true);
  });
}
