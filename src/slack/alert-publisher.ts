// Posts health alerts to ALERTS_CHANNEL_ID, each with its alert id in the message metadata so
// that a post whose record was lost (a crash in between, a lost answer) is found in the channel
// and recorded instead of posted again.
import type { Article } from '../knowledge/article.ts';
import type { Logger } from '../logger.ts';
import type { HealthAlert } from '../support/records.ts';
import { alertPostLeaseMs, type AlertPostError, type AlertPublisher } from '../support/health-alerts.ts';
import { alertMetadataType, buildAlertMessage } from './blocks/health-blocks.ts';
import { findEarlierMessage } from './find-earlier-message.ts';
import type { SlackClients } from './slack-clients.ts';
import { describeSlackError } from './web-api-errors.ts';

export interface AlertPublisherOptions {
  clients: SlackClients;
  channelId: string;
  logger: Logger;
  getArticle: (id: string) => Article | undefined;
  /** What Xero shows now about a failed export (live diagnosis), for export alerts; null when it cannot say. */
  describeFailure?: (failedSyncId: string) => Promise<string[] | null>;
  now: () => Date;
}

/** An export alert waits at most this long for Xero's side before it is posted without it. */
const diagnosisWaitMs = 10_000;

function publishError(code: string): AlertPostError {
  return code === 'rate_limited' ? 'rate_limited' : code === 'slack_unavailable' ? 'slack_unavailable' : code === 'slack_not_connected' ? 'slack_not_connected' : 'slack_refused';
}

export function createAlertPublisher(options: AlertPublisherOptions): AlertPublisher {
  const log = options.logger.child({ component: 'alert-publisher' });
  const describe = async (alert: HealthAlert): Promise<string[] | null> => {
    const id = alert.details.failedSyncId;
    if (alert.kind !== 'exports_failed' || typeof id !== 'string' || !options.describeFailure) return null;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), diagnosisWaitMs)));
    try {
      return await Promise.race([options.describeFailure(id).catch(() => null), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async post(alert) {
      const client = await options.clients.forTeam(alert.slackTeamId, { onceOnly: true });
      if (!client) return { ok: false, error: 'slack_not_connected' };
      const diagnosis = await describe(alert);
      const message = buildAlertMessage(alert, { now: options.now(), getArticle: options.getArticle, diagnosis });
      try {
        const posted = await client.chat.postMessage({ channel: options.channelId, ...message, unfurl_links: false, unfurl_media: false });
        if (!posted.ts) throw new Error('chat.postMessage returned no ts');
        log.info({ alertId: alert.id, kind: alert.kind }, 'health alert posted');
        return { ok: true, message: { channelId: posted.channel ?? options.channelId, ts: posted.ts } };
      } catch (error) {
        const { code, detail } = describeSlackError(error);
        log.warn({ alertId: alert.id, code, slackError: detail }, 'could not post a health alert');
        // No answer, or a 5xx (a proxy may answer so after Slack stored the message): it may
        // exist, so it is looked up before any new attempt.
        if (detail === 'request_failed' || code === 'slack_unavailable') return { ok: false, error: 'outcome_unknown' };
        return { ok: false, error: publishError(code) };
      }
    },

    async findEarlier(alert, attemptedAt) {
      const client = await options.clients.forTeam(alert.slackTeamId);
      if (!client) return { ok: false, error: 'slack_not_connected' };
      try {
        const found = await findEarlierMessage(
          client,
          { channel: options.channelId },
          { eventType: alertMetadataType, key: 'alert_id', value: alert.id },
          { from: attemptedAt, to: new Date(attemptedAt.getTime() + alertPostLeaseMs) },
        );
        log.info({ alertId: alert.id, found: Boolean(found) }, 'looked for a health alert an interrupted attempt may have posted');
        return { ok: true, message: found };
      } catch (error) {
        const { code, detail } = describeSlackError(error);
        log.warn({ alertId: alert.id, code, slackError: detail }, 'could not look for an earlier health alert; it is not posted again until Slack can say');
        return { ok: false, error: publishError(code) };
      }
    },
  };
}
