// Alerts raised but not yet posted to ALERTS_CHANNEL_ID (failed exports a `concierge failures
// import` stored while the bot ran elsewhere, a post Slack refused or whose answer was lost) are
// posted each minute, rather than waiting for the next connection sweep. Each alert is claimed
// before it is posted, so with several instances one posts it (see support/health-alerts.ts).
import { randomUUID } from 'node:crypto';
import { postPendingAlerts, type AlertPublisher, type HealthAlertStore, type PostAlertsResult } from '../support/health-alerts.ts';

export const jobName = 'post-pending-alerts';

export interface PostPendingAlertsDeps {
  alerts: HealthAlertStore;
  publisher: AlertPublisher;
  now?: () => Date;
}

export function exec(deps: PostPendingAlertsDeps): Promise<PostAlertsResult> {
  return postPendingAlerts({ alerts: deps.alerts, publisher: deps.publisher, owner: `${jobName}:${randomUUID()}`, now: deps.now ?? (() => new Date()) });
}
