// Sending replies from listeners. Slack failures are logged with their code and never thrown at
// Bolt: the person has been acknowledged already, and one failed message must not look like a crash.
// A reply whose blocks Slack refuses is sent again as plain text, so every question gets an answer.
import type { RespondFn } from '@slack/bolt';
import { ErrorCode } from './bolt.ts';
import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { SlackReply } from './blocks/support-blocks.ts';
import { text } from './user-text.ts';
import { blocksRefusal, describeSlackError } from './web-api-errors.ts';

export async function postMessage(client: WebClient, message: ChatPostMessageArguments, log: Logger): Promise<string | undefined> {
  try {
    const posted = await client.chat.postMessage({ unfurl_links: false, unfurl_media: false, ...message });
    return posted.ts;
  } catch (error) {
    const { blocks, text: summary, ...rest } = message as ChatPostMessageArguments & { blocks?: unknown; text?: string };
    const reasons = blocks ? blocksRefusal(error) : null;
    if (reasons) {
      log.warn({ code: 'reply_blocks_refused', slackReasons: reasons, channel: message.channel }, 'Slack refused a reply\'s blocks; sending it as plain text');
      return postMessage(client, { ...rest, text: text.replyRefused(summary ?? '') } as ChatPostMessageArguments, log);
    }
    const { code, detail } = describeSlackError(error);
    log.warn({ code, slackError: detail, channel: message.channel }, 'could not post a reply');
    return undefined;
  }
}

export async function respondEphemeral(respond: RespondFn | undefined, reply: SlackReply, log: Logger, replaceOriginal = false): Promise<void> {
  if (!respond) return;
  try {
    await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, text: reply.text, ...(reply.blocks.length ? { blocks: reply.blocks } : {}) });
  } catch (error) {
    if (reply.blocks.length && refusedBody(error)) {
      log.warn({ code: 'reply_blocks_refused', slackReasons: ['http_400'] }, 'Slack refused a response\'s blocks; sending it as plain text');
      return respondEphemeral(respond, { text: text.replyRefused(reply.text), blocks: [] }, log, replaceOriginal);
    }
    log.warn({ err: error }, 'could not respond through response_url');
  }
}

/** Replaces a private answer with a public copy; false when Slack took neither it nor a plain-text fallback. */
export async function respondInChannel(respond: RespondFn, reply: SlackReply, log: Logger): Promise<boolean> {
  try {
    await respond({ response_type: 'in_channel', delete_original: true, text: reply.text, ...(reply.blocks.length ? { blocks: reply.blocks } : {}) });
    return true;
  } catch (error) {
    if (reply.blocks.length && refusedBody(error)) {
      log.warn({ code: 'reply_blocks_refused', slackReasons: ['http_400'] }, 'Slack refused a shared answer\'s blocks; sharing it as plain text');
      return respondInChannel(respond, { text: text.replyRefused(reply.text), blocks: [] }, log);
    }
    log.warn({ err: error }, 'could not share an answer in the channel');
    return false;
  }
}

/** A response_url answers a refused body with HTTP 400 and no reason Bolt passes on. */
function refusedBody(error: unknown): boolean {
  const e = error as { code?: string; statusCode?: number };
  return e.code === ErrorCode.RespondError && e.statusCode === 400;
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

/**
 * Replaces a message the app posted (the "Looking into it…" placeholder) with the reply. If Slack
 * refuses the blocks, the placeholder becomes the plain-text fallback; if the update fails
 * otherwise, the reply is posted as a new message so it is never lost.
 */
export async function replaceMessage(client: WebClient, message: { channel: string; ts: string; threadTs: string; text: string; blocks: SlackReply['blocks'] }, log: Logger): Promise<void> {
  try {
    await client.chat.update({ channel: message.channel, ts: message.ts, text: message.text, blocks: message.blocks });
    return;
  } catch (error) {
    const reasons = blocksRefusal(error);
    if (reasons) {
      log.warn({ code: 'reply_blocks_refused', slackReasons: reasons, channel: message.channel }, 'Slack refused a reply\'s blocks; sending it as plain text');
      try {
        await client.chat.update({ channel: message.channel, ts: message.ts, text: text.replyRefused(message.text), blocks: [] });
        return;
      } catch {
        // fall through to a new message
      }
    } else {
      const { code, detail } = describeSlackError(error);
      log.warn({ code, slackError: detail, channel: message.channel }, 'could not replace the placeholder; posting the reply instead');
    }
  }
  await postMessage(client, { channel: message.channel, thread_ts: message.threadTs, text: message.text, blocks: message.blocks }, log);
}
