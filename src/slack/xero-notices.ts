// What the Xero use-cases owe people in Slack, posted here at the edge: the "Connected ..." report
// in the thread the link was asked for in (or the person's DM), and the reconnect link DM'd to
// whoever connected a token set Xero rejected. That DM is sent once: it carries the token set id
// in its metadata, goes out on a client that never repeats a request by itself, and an attempt
// whose outcome was lost is looked up in the DM before another is sent.
import type { Logger } from '../logger.ts';
import { reconnectNoticeLeaseMs, type ConnectOutcome, type NoticeDelivery, type ReconnectNotice } from '../support/xero-connect.ts';
import { findEarlierMessage, markedMessage, type MessageMark } from './find-earlier-message.ts';
import { postMessage } from './reply.ts';
import type { SlackClients } from './slack-clients.ts';
import { text } from './user-text.ts';
import { describeSlackError } from './web-api-errors.ts';

export interface XeroNotices {
  reportConnected(outcome: ConnectOutcome): Promise<boolean>;
  sendReconnectLink(notice: ReconnectNotice): Promise<NoticeDelivery>;
}

/** The metadata event type of reconnect DMs; their payload carries `token_set_id`. */
export const reconnectNoticeEventType = 'concierge_reconnect_notice';

function markOf(notice: ReconnectNotice): MessageMark {
  return { eventType: reconnectNoticeEventType, key: 'token_set_id', value: notice.tokenSetId };
}

export function createXeroNotices(clients: SlackClients, logger: Logger): XeroNotices {
  const log = logger.child({ component: 'xero-notices' });
  // Once-only too: a lost answer leaves the report unsent at worst, never posted twice.
  const post = async (teamId: string, channel: string, threadTs: string | null, message: string) => {
    const client = await clients.forTeam(teamId, { onceOnly: true });
    if (!client) return false;
    const ts = await postMessage(client, { channel, text: message, ...(threadTs ? { thread_ts: threadTs } : {}) }, logger);
    return ts !== undefined;
  };
  return {
    reportConnected: (outcome) => post(outcome.slackTeamId, outcome.channelId ?? outcome.slackUserId, outcome.threadTs, text.connected(outcome.tenantNames, outcome.purpose)),

    // A DM: the link lets whoever holds it connect their organisations to this workspace.
    async sendReconnectLink(notice) {
      const client = await clients.forTeam(notice.slackTeamId, { onceOnly: true });
      if (!client) return 'refused';
      let step: 'open' | 'find' | 'post' = 'open';
      try {
        const opened = await client.conversations.open({ users: notice.slackUserId });
        const dm = opened.channel?.id;
        if (!dm) throw new Error('conversations.open returned no channel');
        if (notice.earlierAttemptAt) {
          step = 'find';
          // From the rejection on, not just the last attempt: an attempt that could not look may have followed the one that posted.
          const window = { from: notice.rejectedAt, to: new Date(notice.earlierAttemptAt.getTime() + reconnectNoticeLeaseMs) };
          const found = await findEarlierMessage(client, { channel: dm }, markOf(notice), window);
          log.info({ tokenSetId: notice.tokenSetId, found: Boolean(found) }, 'looked for a reconnect DM an interrupted attempt may have sent');
          if (found) return 'found';
        }
        step = 'post';
        await client.chat.postMessage({ channel: dm, text: text.reconnectNeeded(notice.tenantNames, notice.link.url), ...markedMessage(markOf(notice)) });
        return 'sent';
      } catch (error) {
        const { code, detail } = describeSlackError(error);
        log.warn({ tokenSetId: notice.tokenSetId, step, code, slackError: detail }, 'could not send a reconnect link');
        // Nothing was sent before the post; a post with no answer (or a 5xx) may have been stored,
        // and an earlier DM Slack could not look up may exist: both wait to be looked up.
        if (step === 'find') return 'unknown';
        if (step === 'post' && (detail === 'request_failed' || code === 'slack_unavailable')) return 'unknown';
        // Refused outright: offered again next run, looked up first if an earlier attempt is pending.
        return notice.earlierAttemptAt ? 'unknown' : 'refused';
      }
    },
  };
}
