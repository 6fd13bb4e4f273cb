// Send to support and Edit under a collected case. Send stores the case before Slack is
// acknowledged (once: a second press, here or on another instance, is told it was sent), then
// publishes it and replaces the summary's buttons. Edit opens the escalation form prefilled.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { caseText, sendCaseErrorText } from '../../../copy/case-conversation-text.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { section } from '../../blocks/block-kit.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { openEscalationModal } from '../../open-escalation-modal.ts';
import { respondEphemeral, tellUser } from '../../reply.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { text } from '../../user-text.ts';
import { readButtonPress } from './button-context.ts';

export function registerCaseButtons(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(actionIds.sendCase, async ({ ack, body, action, context, respond }) => {
    const press = readButtonPress(body, action, context);
    const filed = await storeBeforeAck(deps.logger, ack, () => deps.support.sendCase(press.actor, press.value ?? ''));
    if (!filed.ok) {
      await respondEphemeral(respond, notice(filed.error === 'not_recorded' ? text.notRecorded : sendCaseErrorText[filed.error]), deps.logger);
      return;
    }
    if (respond) {
      // The summary stays readable; only its buttons go, so nobody presses Send again.
      const kept = (body.message?.blocks as { type: string }[] | undefined)?.filter((b) => b.type !== 'actions') ?? [];
      await respond({ replace_original: true, text: caseText.sentMessage, blocks: [...kept, section(caseText.sentMessage)] as never }).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'could not take the buttons off a sent case');
      });
    }
    await deps.postEscalation(filed.value);
  });

  app.action<BlockAction<ButtonAction>>(actionIds.editCase, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const press = readButtonPress(body, action, context);
    // The trigger expires within seconds of the press: read the stored case first (milliseconds).
    const found = await deps.support.caseForm(press.actor, press.value ?? '');
    if (!found.ok) return respondEphemeral(respond, notice(sendCaseErrorText[found.error]), deps.logger);
    const { form, conversation } = found.value;
    const opened = await openEscalationModal(deps, {
      client,
      triggerId: press.triggerId,
      teamId: press.actor.teamId,
      origin: { channelId: conversation.channelId, threadTs: conversation.threadTs, articleId: conversation.articleId, conversationId: conversation.id },
      reporterId: press.actor.userId,
      prefillError: form.errorText ?? '',
      prefill: { reportId: form.reportId, occurredAt: form.occurredAt, connectionId: form.connectionId },
    });
    if (!opened) await tellUser({ respond, client, userId: press.actor.userId }, notice(text.slackTrouble), deps.logger);
  });
}
