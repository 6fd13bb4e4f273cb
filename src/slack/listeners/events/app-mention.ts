import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../../listener-deps.ts';
import { answerInThread, isFromPerson } from './answer-in-thread.ts';

export function registerAppMention(app: App, deps: ListenerDeps): void {
  app.event('app_mention', async ({ event, client, context }) => {
    if (!isFromPerson(event)) return;
    await answerInThread(deps, client, { channel: event.channel, ts: event.ts, threadTs: event.thread_ts, text: event.text, teamId: context.teamId, userId: event.user, inChannel: true }, context.botUserId);
  });
}
