// Sending replies from listeners. Slack failures are logged with their code and never thrown at
// Bolt: the person has been acknowledged already, and one failed message must not look like a crash.
import type { RespondFn } from '@slack/bolt';
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { SlackReply } from './blocks/support-blocks.ts';
import { describeSlackError } from './web-api-errors.ts';

export async function postMessage(client: WebClient, message: ChatPostMessageArguments, log: Logger): Promise<string | undefined> {
  try {
    const posted = await client.chat.postMessage({ unfurl_links: false, unfurl_media: false, ...message });
    return posted.ts;
  } catch (error) {
    const { code, detail } = describeSlackError(error);
    log.warn({ code, slackError: detail, channel: message.channel }, 'could not post a reply');
    return undefined;
  }
}

export async function respondEphemeral(respond: RespondFn | undefined, reply: SlackReply, log: Logger, replaceOriginal = false): Promise<void> {
  if (!respond) return;
  try {
    await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, text: reply.text, blocks: reply.blocks });
  } catch (error) {
    log.warn({ err: error }, 'could not respond through response_url');
  }
}

/**
 * Tells the person who pressed a button. Messages have a response_url; App Home does not, so
 * there the note goes to the person's DM with the app.
 */
export async function tellUser(
  args: { respond: RespondFn | undefined; client: WebClient; userId: string },
  reply: SlackReply,
  log: Logger,
): Promise<void> {
  if (args.respond) return respondEphemeral(args.respond, reply, log);
  await postMessage(args.client, { channel: args.userId, text: reply.text, blocks: reply.blocks }, log);
}
