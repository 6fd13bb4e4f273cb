// What App Home shows one person: the workspace's Xero connections, failed syncs awaiting action,
// open escalations and that person's own recent escalations.
import type { FailureDiagnosis } from './diagnose-failure.ts';
import type { ConnectionRecord, ConnectionStore, EscalationRecord, EscalationStore, FailedSyncRecord, FailedSyncStore } from './stores.ts';

export interface HomeOverview {
  connections: ConnectionRecord[];
  failedSyncs: FailedSyncRecord[];
  moreFailedSyncs: boolean;
  /** The last stored diagnosis of the failures shown (no Xero call). */
  diagnoses?: FailureDiagnosis[];
  openEscalations: EscalationRecord[];
  myEscalations: EscalationRecord[];
}

export interface HomeOverviewDeps {
  connections: ConnectionStore;
  failedSyncs: FailedSyncStore;
  escalations: EscalationStore;
  diagnoses?: { listByFailedSyncs(ids: readonly string[]): Promise<FailureDiagnosis[]> };
}

/** Caps keep App Home well inside Slack's 100-block limit; the builder says when there are more. */
export const homeLimits = { connections: 10, failedSyncs: 10, openEscalations: 10, myEscalations: 5 } as const;

export async function loadHomeOverview(deps: HomeOverviewDeps, teamId: string, userId: string): Promise<HomeOverview> {
  const [connections, failedSyncs, openEscalations, myEscalations] = await Promise.all([
    deps.connections.listByTeam(teamId),
    deps.failedSyncs.listByTeam(teamId, { status: ['failed', 'needs_fix'], limit: homeLimits.failedSyncs + 1 }),
    deps.escalations.listOpen({ slackTeamId: teamId, limit: homeLimits.openEscalations }),
    deps.escalations.listByReporter(teamId, userId, { limit: homeLimits.myEscalations }),
  ]);
  const shown = failedSyncs.slice(0, homeLimits.failedSyncs);
  return {
    connections,
    failedSyncs: shown,
    diagnoses: deps.diagnoses ? await deps.diagnoses.listByFailedSyncs(shown.map((f) => f.id)) : [],
    moreFailedSyncs: failedSyncs.length > homeLimits.failedSyncs,
    openEscalations,
    myEscalations,
  };
}
