// Alerts for ALERTS_CHANNEL_ID, raised only on transitions: a connection going broken or healthy
// again, a token set about to age out, Xero unreachable for every connection of a workspace (and
// back). Each alert names the one before it about the same subject in its unique key, so however
// many instances notice one transition, one insert wins; a crash before the insert is repaired by
// the next sweep, which still sees the state differ from the last alert.
import type { HealthReport } from './check-connection.ts';
import type { FailedSync, HealthAlert, HealthAlertInput, SlackMessageRef } from './records.ts';

export interface HealthAlertStore {
  latest(subject: string): Promise<HealthAlert | null>;
  raise(input: HealthAlertInput, now?: Date): Promise<HealthAlert | null>;
  claimUnposted(owner: string, options: { limit: number; leaseMs: number; now: Date }): Promise<HealthAlert[]>;
  markAttempted(id: string, owner: string, leaseMs: number, now?: Date): Promise<boolean>;
  markPosted(id: string, owner: string, message: SlackMessageRef, now?: Date): Promise<boolean>;
  markNotPosted(id: string, owner: string, now?: Date): Promise<boolean>;
}

/** outcome_unknown: the request got no answer, so the post may exist; it is looked up before any retry. */
export type AlertPostError = 'slack_not_connected' | 'rate_limited' | 'slack_unavailable' | 'slack_refused' | 'outcome_unknown';

export interface AlertPublisher {
  /** Posts the alert with its id in the message metadata, never repeating the request by itself. */
  post(alert: HealthAlert): Promise<{ ok: true; message: SlackMessageRef } | { ok: false; error: AlertPostError }>;
  /** The message an attempt started at `attemptedAt` posted for this alert (by its metadata), or null. */
  findEarlier(alert: HealthAlert, attemptedAt: Date): Promise<{ ok: true; message: SlackMessageRef | null } | { ok: false; error: AlertPostError }>;
}

/** Xero drops a refresh token unused for 60 days; warn 10 days ahead. */
export const agingAfterMs = 50 * 24 * 60 * 60_000;
const dayMs = 24 * 60 * 60_000;

async function raiseOnChange(store: HealthAlertStore, now: Date, input: Omit<HealthAlertInput, 'dedupeKey'>, initialState: string): Promise<HealthAlert | null> {
  const latest = await store.latest(input.subject);
  if ((latest?.state ?? initialState) === input.state) return null;
  return store.raise({ ...input, dedupeKey: `${input.subject}:${input.state}:after:${latest?.id ?? 'start'}` }, now);
}

/** Raises what the reports' transitions call for; returns the alerts this call inserted. */
export async function raiseHealthAlerts(store: HealthAlertStore, reports: readonly HealthReport[], now: Date): Promise<HealthAlert[]> {
  const raised: HealthAlert[] = [];
  const keep = (alert: HealthAlert | null) => {
    if (alert) raised.push(alert);
  };
  for (const r of reports) {
    const about = { slackTeamId: r.slackTeamId, connectionId: r.connectionId };
    const details = {
      tenantName: r.tenantName,
      verdict: r.verdict,
      articleId: r.articleId,
      reconnect: r.reconnect,
      connectedBySlackUserId: r.connectedBySlackUserId,
      since: r.since.toISOString(),
    };
    // Rate limits and outages say nothing about the connection: its stored status stands.
    if (r.verdict !== 'rate_limited' && r.verdict !== 'xero_unavailable') {
      const state = r.broken ? 'broken' : 'healthy';
      keep(await raiseOnChange(store, now, { ...about, subject: `conn:${r.connectionId}`, kind: r.broken ? 'connection_broken' : 'connection_healthy', state, details }, 'healthy'));
    }
    const unusedMs = now.getTime() - r.refreshTokenIssuedAt.getTime();
    if (!r.broken && unusedMs >= agingAfterMs) {
      const rotated = r.refreshTokenIssuedAt.toISOString();
      keep(
        await store.raise(
          {
            ...about,
            dedupeKey: `aging:${r.connectionId}:${rotated}`,
            subject: `aging:${r.connectionId}`,
            kind: 'token_set_aging',
            state: rotated,
            details: { ...details, daysUnused: Math.floor(unusedMs / dayMs) },
          },
          now,
        ),
      );
    }
  }
  const byTeam = Map.groupBy(reports, (r) => r.slackTeamId);
  for (const [teamId, teamReports] of byTeam) {
    const unreachable = teamReports.every((r) => r.verdict === 'xero_unavailable');
    keep(
      await raiseOnChange(
        store,
        now,
        {
          subject: `team:${teamId}`,
          slackTeamId: teamId,
          connectionId: null,
          kind: unreachable ? 'xero_unreachable' : 'xero_reachable',
          state: unreachable ? 'unreachable' : 'reachable',
          details: { connections: teamReports.length },
        },
        'reachable',
      ),
    );
  }
  return raised;
}

/**
 * Failed exports just taken in: one alert per organisation and cause (knowledge article) a day, the
 * first batch's count and first export named; `/concierge errors` lists the rest. The poster adds
 * what Xero shows now (live diagnosis) when it posts.
 */
export async function raiseExportFailureAlerts(store: HealthAlertStore, failures: readonly FailedSync[], tenantNames: ReadonlyMap<string, string>, now: Date): Promise<HealthAlert[]> {
  const day = now.toISOString().slice(0, 10);
  const groups = Map.groupBy(failures, (f) => JSON.stringify([f.slackTeamId, f.connectionId, f.errorCode]));
  const raised: HealthAlert[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const about = first.connectionId ?? `team-${first.slackTeamId}`;
    const cause = first.errorCode ?? 'unclassified';
    const alert = await store.raise(
      {
        dedupeKey: `exports:${about}:${cause}:${day}`,
        subject: `exports:${about}:${cause}`,
        kind: 'exports_failed',
        state: day,
        slackTeamId: first.slackTeamId,
        connectionId: first.connectionId,
        details: {
          tenantName: (first.connectionId && tenantNames.get(first.connectionId)) || null,
          articleId: first.errorCode,
          count: group.length,
          failedSyncId: first.id,
          reference: first.externalReference,
          exportKind: first.kind,
          errorMessage: first.errorMessage.slice(0, 300),
        },
      },
      now,
    );
    if (alert) raised.push(alert);
  }
  return raised;
}

/** The intake's hook (RecordSyncFailuresDeps.onStored): raises the alerts for what it just stored, then `raised` (to post them soon). */
export function alertOnNewFailures(deps: {
  alerts: HealthAlertStore;
  connections: { get(id: string): Promise<{ tenantName: string } | null> };
  now: () => Date;
  raised?: () => void;
}): (fresh: FailedSync[]) => Promise<void> {
  return async (fresh) => {
    const names = new Map<string, string>();
    for (const id of new Set(fresh.flatMap((f) => (f.connectionId ? [f.connectionId] : [])))) {
      const connection = await deps.connections.get(id);
      if (connection) names.set(id, connection.tenantName);
    }
    if ((await raiseExportFailureAlerts(deps.alerts, fresh, names, deps.now())).length) deps.raised?.();
  };
}

export interface PostAlertsResult {
  posted: number;
  failed: number;
  /** Posted by an earlier attempt whose outcome was never recorded (a crash, a lost answer): found in Slack and recorded. */
  found: number;
}

/** How long a poster holds an alert; also how long after an attempt its message may appear. */
export const alertPostLeaseMs = 60_000;

/**
 * Posts raised alerts once each: claimed, stamped as attempted, posted, recorded. An alert whose
 * earlier attempt never got an outcome recorded is first looked up in the alerts channel and
 * recorded when found; when Slack cannot say, it waits for the next run (a delay beats a duplicate).
 */
export async function postPendingAlerts(deps: { alerts: HealthAlertStore; publisher: AlertPublisher; owner: string; now: () => Date }, limit = 20): Promise<PostAlertsResult> {
  const result: PostAlertsResult = { posted: 0, failed: 0, found: 0 };
  const claimed = await deps.alerts.claimUnposted(deps.owner, { limit, leaseMs: alertPostLeaseMs, now: deps.now() });
  for (const alert of claimed) {
    if (alert.postAttemptedAt) {
      const earlier = await deps.publisher.findEarlier(alert, alert.postAttemptedAt);
      if (!earlier.ok) {
        result.failed++;
        continue;
      }
      if (earlier.message) {
        if (await deps.alerts.markPosted(alert.id, deps.owner, earlier.message, deps.now())) result.found++;
        continue;
      }
    }
    if (!(await deps.alerts.markAttempted(alert.id, deps.owner, alertPostLeaseMs, deps.now()))) continue;
    const sent = await deps.publisher.post(alert);
    if (sent.ok) {
      await deps.alerts.markPosted(alert.id, deps.owner, sent.message, deps.now());
      result.posted++;
    } else {
      result.failed++;
      // Slack answered with a refusal, so nothing was posted: offer it again next run. An unknown
      // outcome stays stamped as attempted; once the claim runs out it is looked up, then retried.
      if (sent.error !== 'outcome_unknown') await deps.alerts.markNotPosted(alert.id, deps.owner, deps.now());
    }
  }
  return result;
}
