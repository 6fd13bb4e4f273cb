// Posts health alerts to ALERTS_CHANNEL_ID, each with its alert id in the message metadata so
// that a post whose record was lost (a crash in between) can be matched to its alert later.
import type { Article } from '../knowledge/article.ts';
import type { Logger } from '../logger.ts';
import type { AlertPublisher } from '../support/health-alerts.ts';
import { buildAlertMessage } from './blocks/health-blocks.ts';
import type { SlackClients } from './slack-clients.ts';
import { describeSlackError } from './web-api-errors.ts';

export interface AlertPublisherOptions {
  clients: SlackClients;
  channelId: string;
  logger: Logger;
  getArticle: (id: string) => Article | undefined;
  now: () => Date;
}

export function createAlertPublisher(options: AlertPublisherOptions): AlertPublisher {
  const log = options.logger.child({ component: 'alert-publisher' });
  return {
    async post(alert) {
      const client = await options.clients.forTeam(alert.slackTeamId);
      if (!client) return { ok: false, error: 'slack_not_connected' };
      const message = buildAlertMessage(alert, { now: options.now(), getArticle: options.getArticle });
      try {
        const posted = await client.chat.postMessage({ channel: options.channelId, ...message, unfurl_links: false, unfurl_media: false });
        if (!posted.ts) throw new Error('chat.postMessage returned no ts');
        log.info({ alertId: alert.id, kind: alert.kind }, 'health alert posted');
        return { ok: true, message: { channelId: posted.channel ?? options.channelId, ts: posted.ts } };
      } catch (error) {
        const { code, detail } = describeSlackError(error);
        log.warn({ alertId: alert.id, code, slackError: detail }, 'could not post a health alert');
        // A request that got no answer may still have posted: say so instead of posting again.
        if (detail === 'request_failed') return { ok: false, error: 'outcome_unknown' };
        return { ok: false, error: code === 'rate_limited' ? 'rate_limited' : code === 'slack_unavailable' ? 'slack_unavailable' : code === 'slack_not_connected' ? 'slack_not_connected' : 'slack_refused' };
      }
    },
  };
}
