// Messages in the app's DM. Replies inside assistant threads are the Assistant's (assistant.ts);
// Bolt routes those there before this listener sees them.
import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { answerInThread, isFromPerson } from './answer-in-thread.ts';

export function registerDirectMessage(app: App, deps: ListenerDeps): void {
  app.message(async ({ message, client, context }) => {
    if (message.subtype !== undefined || message.channel_type !== 'im' || !isFromPerson(message) || !message.text) return;
    await answerInThread(deps, client, { channel: message.channel, ts: message.ts, threadTs: message.thread_ts, text: message.text, teamId: context.teamId, userId: message.user }, context.botUserId);
  });
}
