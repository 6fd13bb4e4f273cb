// Slack's assistant container: suggested prompts when a thread starts, a status while working,
// and the same answer as everywhere else. The status is the acknowledgement while the answer
// (with the model, when configured, reading the thread's stored history) is worked out.
import { Assistant } from '../../bolt.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { postMessage } from '../../reply.ts';
import { plainTextFromSlack } from '../../slack-text.ts';
import { text } from '../../user-text.ts';
import { isFromPerson } from './answer-in-thread.ts';
import { diagnosedAnswer } from '../../diagnosed-answer.ts';

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
      const reply = await diagnosedAnswer(deps, context.teamId, plainTextFromSlack(message.text, context.botUserId), { channel: message.channel, threadTs: message.thread_ts });
      // Posting directly (not say()) avoids a conversations.replies lookup per answer; posting clears the status.
      await postMessage(client, { channel: message.channel, thread_ts: message.thread_ts, text: reply.text, blocks: reply.blocks }, deps.logger);
    },
  });
}
