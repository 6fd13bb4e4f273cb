// Buttons under an answer: the article's actions, Share in channel, Escalate.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAnswerRef, decodeRecordId } from '../../action-values.ts';
import { buildAnswerBlocks } from '../../blocks/answer-blocks.ts';
import { buildConnectionHealthReply } from '../../blocks/health-blocks.ts';
import { buildFailedSyncsReply, notice } from '../../blocks/support-blocks.ts';
import { connectLinkReply, failedSyncPageSize } from '../../concierge-command.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { openEscalationModal } from '../../open-escalation-modal.ts';
import { respondEphemeral, respondInChannel, tellUser } from '../../reply.ts';
import { failedSyncErrorText, text } from '../../user-text.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { readButtonPress } from './button-context.ts';

export function registerAnswerButtons(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(actionIds.escalate, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const press = readButtonPress(body, action, context);
    const ref = decodeAnswerRef(press.value);
    const opened = await openEscalationModal(deps, {
      client,
      triggerId: press.triggerId,
      teamId: press.actor.teamId,
      origin: { channelId: press.channelId ?? press.actor.userId, threadTs: press.threadTs, articleId: ref?.a ?? null },
      reporterId: press.actor.userId,
      prefillError: ref?.q ?? '',
      extractFrom: { text: ref?.q ?? '', userId: press.actor.userId, sentAt: deps.now() },
    });
    if (!opened) await tellUser({ respond, client, userId: press.actor.userId }, notice(text.slackTrouble), deps.logger);
  });

  app.action<BlockAction<ButtonAction>>(actionIds.shareAnswer, async ({ ack, body, action, context, respond }) => {
    await ack();
    const press = readButtonPress(body, action, context);
    const ref = decodeAnswerRef(press.value);
    if (!ref || !respond) return respondEphemeral(respond, notice(text.unknownAction), deps.logger);
    // Share what the person is looking at: the article the button carries (perhaps one they picked
    // from the closest), not whatever the question would find today.
    const again = deps.support.answer(ref.q);
    const shown = ref.a && again.article?.id !== ref.a ? deps.support.answerWithArticle(ref.a, ref.q) : again;
    if (!shown) return respondEphemeral(respond, notice(text.articleGone), deps.logger);
    const reply = buildAnswerBlocks(shown, { sharedBy: press.actor.userId, capabilities: deps.capabilities });
    if (!(await respondInChannel(respond, reply, deps.logger))) await respondEphemeral(respond, notice(text.slackTrouble), deps.logger);
  });

  app.action<BlockAction<ButtonAction>>(actionIds.reconnect, async ({ ack, body, action, client, context, respond }) => {
    const press = readButtonPress(body, action, context);
    // The link is for the presser only: ephemeral under the answer, or their DM from App Home. Its
    // state and the audit entry are stored before Slack is acknowledged. App Home's button names its connection.
    const request = { channelId: press.channelId ?? null, threadTs: press.threadTs, connectionId: decodeRecordId(press.value) };
    const result = await storeBeforeAck(deps.logger, ack, () => deps.support.connectLink(press.actor, 'reconnect', request));
    await tellUser({ respond, client, userId: press.actor.userId }, connectLinkReply(result, 'reconnect'), deps.logger);
  });

  app.action<BlockAction<ButtonAction>>(actionIds.checkConnection, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const press = readButtonPress(body, action, context);
    const view = await deps.support.connectionHealth(press.actor.teamId, { live: true });
    const reply = buildConnectionHealthReply(view, { now: deps.now(), getArticle: (id) => deps.support.getArticle(id) });
    await tellUser({ respond, client, userId: press.actor.userId }, reply, deps.logger);
  });

  app.action<BlockAction<ButtonAction>>(actionIds.retryFailed, async ({ ack, body, action, client, context, respond }) => {
    const press = readButtonPress(body, action, context);
    const origin = { source: 'button' as const, channelId: press.inAppHome ? null : (press.channelId ?? null), threadTs: press.threadTs, timeZone: null };
    const result = await storeBeforeAck(deps.logger, ack, () => deps.support.retryFailedSyncs(press.actor, { kind: 'all' }, origin));
    const message = result.ok
      ? text.retryQueued(result.value.queued)
      : result.error === 'not_authorized'
        ? text.notAuthorized
        : result.error === 'not_recorded'
          ? text.notRecorded
          : failedSyncErrorText[result.error];
    await tellUser({ respond, client, userId: press.actor.userId }, notice(message), deps.logger);
  });

  app.action<BlockAction<ButtonAction>>(actionIds.showFailedSyncs, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const press = readButtonPress(body, action, context);
    const page = await deps.support.listFailedSyncs(press.actor.teamId, failedSyncPageSize);
    await tellUser({ respond, client, userId: press.actor.userId }, buildFailedSyncsReply(page), deps.logger);
  });
}
