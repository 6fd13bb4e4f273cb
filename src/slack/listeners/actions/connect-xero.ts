// Connect Xero in App Home: the consent link goes to the presser's DM (App Home has nowhere
// private to answer), and the outcome is reported there too. Stored before Slack is acknowledged.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { connectLinkReply } from '../../concierge-command.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { readButtonPress } from './button-context.ts';

export function registerConnectXero(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(actionIds.connectXero, async ({ ack, body, action, client, context }) => {
    const press = readButtonPress(body, action, context);
    const result = await storeBeforeAck(deps.logger, ack, () => deps.support.connectLink(press.actor, 'connect', { channelId: null, threadTs: null }));
    await tellUser({ respond: undefined, client, userId: press.actor.userId }, connectLinkReply(result, 'connect'), deps.logger);
  });
}
