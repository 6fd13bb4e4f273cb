// The "Report a Xero error" message shortcut: the modal opens prefilled with the message's text,
// and the confirmation goes to that message's thread.
import type { App, MessageShortcut } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { openEscalationModal } from '../../open-escalation-modal.ts';
import { shortcutIds } from '../../ids.ts';
import { plainTextFromSlack } from '../../slack-text.ts';

export function registerReportXeroError(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>({ callback_id: shortcutIds.reportXeroError, type: 'message_action' }, async ({ ack, shortcut, client, context }) => {
    await ack();
    await openEscalationModal(deps, {
      client,
      triggerId: shortcut.trigger_id,
      teamId: shortcut.team?.id ?? context.teamId ?? '',
      origin: { channelId: shortcut.channel.id, threadTs: shortcut.message.thread_ts ?? shortcut.message.ts, articleId: null },
      reporterId: shortcut.user.id,
      prefillError: plainTextFromSlack(shortcut.message.text ?? ''),
      // Read in the zone of whoever wrote the message, against when they sent it.
      extractFrom: {
        text: plainTextFromSlack(shortcut.message.text ?? ''),
        userId: shortcut.message.user ?? shortcut.user.id,
        sentAt: new Date(Math.round(Number(shortcut.message.ts) * 1000)),
      },
    });
  });
}
