// Checks every Xero connection on a cadence, stores each verdict, and raises and posts the alerts
// the transitions call for (see support/health-alerts.ts). Checks run a few at a time so one slow
// organisation cannot hold the sweep, and a failed check is counted, not fatal to the rest.
// Scheduling lives in schedule-jobs.ts; tests call exec directly with their own clock.
import { randomUUID } from 'node:crypto';
import { mapWithConcurrency, type HealthReport } from '../support/check-connection.ts';
import { postPendingAlerts, raiseHealthAlerts, type AlertPublisher, type HealthAlertStore, type PostAlertsResult } from '../support/health-alerts.ts';

export const jobName = 'sweep-connection-health';

export interface SweepDeps {
  connections: { listAll(options?: { after?: string; limit?: number }): Promise<Array<{ id: string }>> };
  check(connectionId: string): Promise<HealthReport | null>;
  /** Absent when ALERTS_CHANNEL_ID is not set: health is still checked and stored. */
  alerts: { store: HealthAlertStore; publisher: AlertPublisher } | undefined;
  /** Told about a check that failed outside Xero (the database, a bug), so it can be logged. */
  onCheckFailed?: (connectionId: string, error: unknown) => void;
  /** Checks in flight at once (default 8). */
  concurrency?: number;
  now?: () => Date;
}

export interface SweepResult {
  checked: number;
  broken: number;
  failedChecks: number;
  alertsRaised: number;
  alerts: PostAlertsResult | null;
}

const pageSize = 500;

export async function exec(deps: SweepDeps): Promise<SweepResult> {
  const now = deps.now ?? (() => new Date());
  const reports: HealthReport[] = [];
  let failedChecks = 0;
  let after: string | undefined;
  for (;;) {
    const page = await deps.connections.listAll({ ...(after ? { after } : {}), limit: pageSize });
    if (!page.length) break;
    const checked = await mapWithConcurrency(page, deps.concurrency ?? 8, (c) =>
      deps.check(c.id).catch((error: unknown) => {
        failedChecks++;
        deps.onCheckFailed?.(c.id, error);
        return null;
      }),
    );
    for (const report of checked) if (report) reports.push(report);
    after = page.at(-1)!.id;
    if (page.length < pageSize) break;
  }
  let alertsRaised = 0;
  let alerts: PostAlertsResult | null = null;
  if (deps.alerts) {
    alertsRaised = (await raiseHealthAlerts(deps.alerts.store, reports, now())).length;
    alerts = await postPendingAlerts({ alerts: deps.alerts.store, publisher: deps.alerts.publisher, owner: `sweep:${randomUUID()}`, now });
  }
  return { checked: reports.length, broken: reports.filter((r) => r.broken).length, failedChecks, alertsRaised, alerts };
}
