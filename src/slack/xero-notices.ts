// What the Xero use-cases owe people in Slack, posted here at the edge: the "Connected ..." report
// in the thread the link was asked for in (or the person's DM), and the reconnect link DM'd to
// whoever connected a token set Xero rejected.
import type { Logger } from '../logger.ts';
import type { ConnectOutcome, ReconnectNotice } from '../support/xero-connect.ts';
import { postMessage } from './reply.ts';
import type { SlackClients } from './slack-clients.ts';
import { text } from './user-text.ts';

export interface XeroNotices {
  reportConnected(outcome: ConnectOutcome): Promise<boolean>;
  sendReconnectLink(notice: ReconnectNotice): Promise<boolean>;
}

export function createXeroNotices(clients: SlackClients, logger: Logger): XeroNotices {
  const post = async (teamId: string, channel: string, threadTs: string | null, message: string) => {
    const client = await clients.forTeam(teamId);
    if (!client) return false;
    const ts = await postMessage(client, { channel, text: message, ...(threadTs ? { thread_ts: threadTs } : {}) }, logger);
    return ts !== undefined;
  };
  return {
    reportConnected: (outcome) => post(outcome.slackTeamId, outcome.channelId ?? outcome.slackUserId, outcome.threadTs, text.connected(outcome.tenantNames, outcome.purpose)),
    // A DM: the link lets whoever holds it connect their organisations to this workspace.
    sendReconnectLink: (notice) => post(notice.slackTeamId, notice.slackUserId, null, text.reconnectNeeded(notice.tenantNames, notice.link.url)),
  };
}
