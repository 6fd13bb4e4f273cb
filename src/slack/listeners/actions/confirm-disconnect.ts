// Disconnect on the confirmation from `/concierge disconnect`: removed in Xero and marked here
// (with its audit entry) before Slack is acknowledged; the confirmation is then replaced by the outcome.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeDisconnectRef } from '../../action-values.ts';
import { escapeMrkdwn } from '../../blocks/block-kit.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { respondEphemeral } from '../../reply.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { disconnectErrorText, text } from '../../user-text.ts';
import { readButtonPress } from './button-context.ts';

export function registerConfirmDisconnect(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(actionIds.confirmDisconnect, async ({ ack, body, action, context, respond }) => {
    const press = readButtonPress(body, action, context);
    const ref = decodeDisconnectRef(press.value);
    if (!ref) {
      await ack();
      return respondEphemeral(respond, notice(text.unknownAction), deps.logger, true);
    }
    const result = await storeBeforeAck(deps.logger, ack, () => deps.support.confirmDisconnect(press.actor, ref.connectionId, ref.requestedAt));
    const message = result.ok
      ? text.disconnected(escapeMrkdwn(result.value.tenantName))
      : result.error === 'not_authorized'
        ? text.notAuthorized
        : result.error === 'not_recorded'
          ? text.notRecorded
          : disconnectErrorText[result.error];
    await respondEphemeral(respond, notice(message), deps.logger, true);
  });
}
