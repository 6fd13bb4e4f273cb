// Puts escalations in front of people: the triage message in SUPPORT_CHANNEL_ID and the reporter's
// confirmation (in their thread, or a DM when there is no thread or it is out of reach). Where
// each message went is stored, so later updates go straight there. Both messages carry the case id
// in their metadata, so an attempt whose outcome was lost can be found in Slack afterwards.
// Failures come back as codes; the escalation itself is already stored, so nothing here can lose a case.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { EscalationPublisher, PublishError } from '../support/escalate.ts';
import { fail, ok, type Result } from '../support/result.ts';
import type { EscalationMessage, EscalationRecord, SlackMessageRef } from '../support/stores.ts';
import { findEarlierMessage, markedMessage, type MessageMark } from './find-earlier-message.ts';
import { buildReporterConfirmation, buildTriageBlocks, triageFallbackText } from './blocks/escalation-blocks.ts';
import type { SlackClients } from './slack-clients.ts';
import { describeSlackError, slackErrorCode } from './web-api-errors.ts';

export interface PublisherOptions {
  clients: SlackClients;
  supportChannelId: string | undefined;
  logger: Logger;
  /** How long after its start an attempt may still land in Slack (the post claim's length). */
  attemptSpanMs: number;
}

/** The metadata event types of the two messages; their payload carries `escalation_id`. */
export const escalationEventTypes: Record<EscalationMessage, string> = {
  triage: 'escalation_triage_posted',
  confirmation: 'escalation_confirmation_posted',
};

function markOf(message: EscalationMessage, escalation: EscalationRecord): MessageMark {
  return { eventType: escalationEventTypes[message], key: 'escalation_id', value: escalation.id };
}

// Errors after which a thread is out of reach but the reporter's DM is not.
const threadUnreachable = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'thread_not_found', 'message_not_found']);

export function createEscalationPublisher(options: PublisherOptions): EscalationPublisher {
  const log = options.logger.child({ component: 'escalation-publisher' });

  function failure(action: string, escalation: EscalationRecord, error: unknown): Result<never, PublishError> {
    const { code, detail } = describeSlackError(error);
    log.warn({ escalationId: escalation.id, action, code, slackError: detail }, 'could not update Slack for an escalation');
    return fail(code);
  }

  /** `onceOnly` for the posts: the client must not repeat them by itself (see SlackClients). */
  async function clientFor(escalation: EscalationRecord, use: { onceOnly?: boolean } = {}): Promise<WebClient | null> {
    return options.clients.forTeam(escalation.slackTeamId, use);
  }

  async function dmChannel(client: WebClient, userId: string): Promise<string> {
    const opened = await client.conversations.open({ users: userId });
    if (!opened.channel?.id) throw new Error('conversations.open returned no channel');
    return opened.channel.id;
  }

  /** The thread's permalink as Slack gives it (workspace domain included); null when Slack refuses. */
  async function threadPermalink(client: WebClient, escalation: EscalationRecord): Promise<string | null> {
    if (!escalation.threadTs) return null;
    try {
      const found = await client.chat.getPermalink({ channel: escalation.channelId, message_ts: escalation.threadTs });
      return found.permalink ?? null;
    } catch (error) {
      const { code, detail } = describeSlackError(error);
      log.warn({ escalationId: escalation.id, code, slackError: detail }, 'no permalink for the thread; the case names the channel instead');
      return null;
    }
  }

  return {
    async postToTriage(details) {
      const { escalation } = details;
      const client = await clientFor(escalation, { onceOnly: true });
      if (!client) return fail('slack_not_connected');
      const channel = options.supportChannelId;
      if (!channel) return fail('support_channel_not_configured');
      const message = {
        channel,
        text: triageFallbackText(details),
        blocks: buildTriageBlocks(details, await threadPermalink(client, escalation)),
        unfurl_links: false,
        unfurl_media: false,
        ...markedMessage(markOf('triage', escalation)),
      };
      try {
        let posted;
        try {
          posted = await client.chat.postMessage(message);
        } catch (error) {
          // A public channel the app was never added to: join it once and try again.
          if (slackErrorCode(error) !== 'not_in_channel') throw error;
          await client.conversations.join({ channel });
          posted = await client.chat.postMessage(message);
        }
        if (!posted.ts) throw new Error('chat.postMessage returned no ts');
        log.info({ escalationId: escalation.id, channel }, 'escalation posted to triage');
        return ok({ channelId: posted.channel ?? channel, ts: posted.ts });
      } catch (error) {
        return failure('post_triage', escalation, error);
      }
    },

    async confirmToReporter(details, delivery) {
      const { escalation } = details;
      const client = await clientFor(escalation, { onceOnly: true });
      if (!client) return fail('slack_not_connected');
      const { text, blocks } = buildReporterConfirmation(escalation, delivery);
      const { metadata } = markedMessage(markOf('confirmation', escalation));
      try {
        if (escalation.threadTs) {
          try {
            const posted = await client.chat.postMessage({ channel: escalation.channelId, thread_ts: escalation.threadTs, text, blocks, metadata });
            if (posted.ts) return ok({ channelId: posted.channel ?? escalation.channelId, ts: posted.ts });
          } catch (error) {
            if (!threadUnreachable.has(slackErrorCode(error) ?? '')) throw error;
          }
        }
        const dm = await dmChannel(client, escalation.reporterSlackUserId);
        const posted = await client.chat.postMessage({ channel: dm, text, blocks, metadata });
        if (!posted.ts) throw new Error('chat.postMessage returned no ts');
        return ok({ channelId: posted.channel ?? dm, ts: posted.ts });
      } catch (error) {
        return failure('confirm_reporter', escalation, error);
      }
    },

    async refreshMessages(details) {
      const { escalation } = details;
      const client = await clientFor(escalation);
      if (!client) return fail('slack_not_connected');
      let result: Result<void, PublishError> = ok(undefined);
      if (escalation.triageMessage) {
        try {
          await client.chat.update({
            channel: escalation.triageMessage.channelId,
            ts: escalation.triageMessage.ts,
            text: triageFallbackText(details),
            blocks: buildTriageBlocks(details, await threadPermalink(client, escalation)),
          });
        } catch (error) {
          result = failure('update_triage', escalation, error);
        }
      }
      if (escalation.reporterConfirmation) {
        const { text, blocks } = buildReporterConfirmation(escalation, null);
        try {
          await client.chat.update({ channel: escalation.reporterConfirmation.channelId, ts: escalation.reporterConfirmation.ts, text, blocks });
        } catch (error) {
          result = failure('update_confirmation', escalation, error);
        }
      }
      return result;
    },

    async findEarlierMessage(message, details, attemptedAt) {
      const { escalation } = details;
      const client = await clientFor(escalation);
      if (!client) return fail('slack_not_connected');
      const mark = markOf(message, escalation);
      const window = { from: attemptedAt, to: new Date(attemptedAt.getTime() + options.attemptSpanMs) };
      try {
        let found: SlackMessageRef | null = null;
        if (message === 'triage') {
          const channel = options.supportChannelId;
          if (!channel) return fail('support_channel_not_configured');
          found = await findEarlierMessage(client, { channel }, mark, window);
        } else {
          // Where confirmToReporter may have put it: the reporter's thread, else their DM.
          if (escalation.threadTs) {
            try {
              found = await findEarlierMessage(client, { channel: escalation.channelId, threadTs: escalation.threadTs }, mark, window);
            } catch (error) {
              if (!threadUnreachable.has(slackErrorCode(error) ?? '')) throw error;
            }
          }
          found ??= await findEarlierMessage(client, { channel: await dmChannel(client, escalation.reporterSlackUserId) }, mark, window);
        }
        log.info({ escalationId: escalation.id, message, found: Boolean(found) }, 'looked for a message an interrupted attempt may have posted');
        return ok(found);
      } catch (error) {
        return failure(`find_${message}`, escalation, error);
      }
    },
  };
}
