// Slack's assistant container: suggested prompts when a thread starts, a status while working,
// and the same answer as everywhere else. Thread context is not used, so it is not stored.
import { Assistant } from '@slack/bolt';
import { buildAnswerBlocks } from '../../blocks/answer-blocks.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { postMessage } from '../../reply.ts';
import { plainTextFromSlack } from '../../slack-text.ts';
import { text } from '../../user-text.ts';
import { isFromPerson } from './answer-in-thread.ts';

export const suggestedPrompts = [
  { title: 'An error code', message: 'XERO11 on my report' },
  { title: 'Exports stopped', message: 'My exports to Xero stopped working' },
  { title: 'Reconnect', message: 'How do I reconnect Xero?' },
];

export function createAssistant(deps: ListenerDeps): Assistant {
  return new Assistant({
    threadStarted: async ({ say, setSuggestedPrompts }) => {
      await say(text.assistantGreeting);
      await setSuggestedPrompts({ title: text.assistantPromptsTitle, prompts: suggestedPrompts });
    },
    threadContextChanged: async () => {},
    userMessage: async ({ message, client, context, setStatus }) => {
      if (message.subtype !== undefined || !isFromPerson(message) || !message.text || !message.thread_ts) return;
      await setStatus(text.working).catch((error: unknown) => deps.logger.debug({ err: error }, 'could not set the assistant status'));
      const reply = buildAnswerBlocks(deps.support.answer(plainTextFromSlack(message.text, context.botUserId)), { capabilities: deps.capabilities });
      // Posting directly (not say()) avoids a conversations.replies lookup per answer; posting clears the status.
      await postMessage(client, { channel: message.channel, thread_ts: message.thread_ts, text: reply.text, blocks: reply.blocks }, deps.logger);
    },
  });
}
