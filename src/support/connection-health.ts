// Connection health for people: every connection of a workspace with its verdict (live, or as
// last stored when Xero is not configured), and the live diagnosis an answer about a connection
// problem leads with. Answers about anything else never reach this far, so they cost no Xero call.
import type { Answer } from '../knowledge/answer.ts';
import { mapWithConcurrency, storedHealth, type HealthReport } from './check-connection.ts';
import type { ConnectionRecord, ConnectionStore } from './stores.ts';

export interface HealthChecker {
  /** Checks and stores one connection; `timeoutMs` bounds this check. */
  check(connectionId: string, options?: { timeoutMs?: number }): Promise<HealthReport | null>;
}

export interface ConnectionHealthDeps {
  connections: ConnectionStore;
  /** Undefined when Xero is not configured: only stored statuses can be shown. */
  health: HealthChecker | undefined;
  now?: () => Date;
}

export interface ConnectionHealthEntry {
  connection: ConnectionRecord;
  /** The live check, or the last stored one; null when never checked live. */
  health: HealthReport | null;
}

export interface ConnectionHealthView {
  xeroConfigured: boolean;
  entries: ConnectionHealthEntry[];
}

/** Checks at once per request: a workspace has a handful of organisations, Xero allows 5 calls in flight per organisation. */
const liveConcurrency = 4;
/** A stored verdict this recent answers a question without asking Xero again. */
export const diagnosisFreshMs = 2 * 60_000;
/** The most a live check may add to an answer. */
export const diagnosisTimeoutMs = 4_000;

export async function connectionHealth(deps: ConnectionHealthDeps, teamId: string, options: { live: boolean }): Promise<ConnectionHealthView> {
  const connections = await deps.connections.listByTeam(teamId);
  const checker = options.live ? deps.health : undefined;
  const entries = await mapWithConcurrency(connections, liveConcurrency, async (connection) => ({
    connection,
    health: (checker ? await checker.check(connection.id) : null) ?? storedHealth(connection),
  }));
  return { xeroConfigured: deps.health !== undefined, entries };
}

/** True when an answer is about a connection problem, so a live verdict belongs in it. */
export function wantsDiagnosis(answer: Answer): boolean {
  return answer.article?.category === 'connection';
}

/**
 * The verdicts for a connection answer: a fresh stored one where there is one, else a check
 * bounded by diagnosisTimeoutMs. Empty when the answer is not about connections, Xero is not
 * configured or the workspace has no connection.
 */
export async function diagnoseAnswer(deps: ConnectionHealthDeps, teamId: string, answer: Answer): Promise<HealthReport[]> {
  if (!wantsDiagnosis(answer) || !deps.health) return [];
  const health = deps.health;
  const now = (deps.now ?? (() => new Date()))();
  const connections = await deps.connections.listByTeam(teamId);
  const reports = await mapWithConcurrency(connections, liveConcurrency, async (connection) => {
    const stored = storedHealth(connection);
    if (stored && now.getTime() - stored.checkedAt.getTime() < diagnosisFreshMs) return stored;
    return (await health.check(connection.id, { timeoutMs: diagnosisTimeoutMs })) ?? stored;
  });
  return reports.filter((r): r is HealthReport => r !== null);
}
