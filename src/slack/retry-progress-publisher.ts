// The Slack side of retry progress: the request's message is posted once (in the thread the retry
// was asked from, else the person's DM) and then edited in place with chat.update. How often is
// decided by the use-case (src/support/retry-progress.ts), not here.
import type { Logger } from '../logger.ts';
import type { RetryRequest } from '../support/records.ts';
import type { SlackClients } from './slack-clients.ts';
import { describeSlackError } from './web-api-errors.ts';

export interface RetryProgressPublisher {
  publish(request: RetryRequest, message: string): Promise<{ ts: string; channelId: string } | null>;
  timeZoneOf(request: RetryRequest): Promise<string | null>;
}

export function createRetryProgressPublisher(clients: SlackClients, logger: Logger): RetryProgressPublisher {
  const log = logger.child({ component: 'retry-progress' });
  // A message is edited every second or so: ask Slack for a person's time zone once an hour, not each time.
  const zones = new Map<string, { zone: string | null; until: number }>();
  return {
    async publish(request, message) {
      const client = await clients.forTeam(request.slackTeamId);
      if (!client) return null;
      if (request.messageTs && request.channelId) {
        try {
          await client.chat.update({ channel: request.channelId, ts: request.messageTs, text: message });
          return { ts: request.messageTs, channelId: request.channelId };
        } catch (error) {
          const { code, detail } = describeSlackError(error);
          log.warn({ code, slackError: detail, retryRequestId: request.id }, 'could not update a retry progress message');
          return null;
        }
      }
      const post = async (channel: string, threadTs: string | null) => {
        try {
          const posted = await client.chat.postMessage({ channel, text: message, unfurl_links: false, ...(threadTs ? { thread_ts: threadTs } : {}) });
          return posted.ts && posted.channel ? { ts: posted.ts, channelId: posted.channel } : null;
        } catch (error) {
          const { code, detail } = describeSlackError(error);
          log.info({ code, slackError: detail, channel }, 'could not post retry progress there; trying the person\'s DM');
          return null;
        }
      };
      // The bot may not be in the channel the command came from: the person's DM always works.
      return (request.channelId ? await post(request.channelId, request.threadTs) : null) ?? (request.slackUserId ? await post(request.slackUserId, null) : null);
    },

    async timeZoneOf(request) {
      if (!request.slackUserId) return null;
      const key = `${request.slackTeamId}:${request.slackUserId}`;
      const known = zones.get(key);
      if (known && known.until > Date.now()) return known.zone;
      const client = await clients.forTeam(request.slackTeamId);
      if (!client) return null;
      const info = await client.users.info({ user: request.slackUserId });
      const zone = info.user?.tz ?? null;
      zones.set(key, { zone, until: Date.now() + 60 * 60_000 });
      return zone;
    },
  };
}
