// Replies in channel threads (message.channels, message.groups, message.mpim): only the replies
// of a reporter whose case is being collected in that thread, and "it still fails" under one of
// the bot's answers, are read; every other channel message is left alone. Mentions of the bot arrive as app_mention too and are handled there.
import type { App } from '@slack/bolt';
import { followUpInChannelThread } from '../../case-conversation-edge.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { plainTextFromSlack } from '../../slack-text.ts';
import { isFromPerson } from './answer-in-thread.ts';

export function registerCaseReply(app: App, deps: ListenerDeps): void {
  app.message(async ({ message, client, context }) => {
    if (message.subtype !== undefined || message.channel_type === 'im' || !isFromPerson(message)) return;
    if (!message.thread_ts || message.thread_ts === message.ts || !message.text) return;
    if (context.botUserId && message.text.includes(`<@${context.botUserId}>`)) return;
    await followUpInChannelThread(deps, client, {
      teamId: context.teamId,
      channel: message.channel,
      threadTs: message.thread_ts,
      userId: message.user,
      ts: message.ts,
      text: plainTextFromSlack(message.text, context.botUserId),
    });
  });
}
