// Starting claim-worker.ts processes and filling the queue they drain; shared by the
// concurrency test and bench/db.ts.
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';
import { startJsonLineWorker, type JsonLineWorker } from '../json-line-worker.ts';

const workerScript = new URL('./claim-worker.ts', import.meta.url).pathname;

export interface WorkerEvent {
  ready?: true;
  /** With ready: how long openDatabase() took, and the time since the process started. */
  openMs?: number;
  sinceProcessStartMs?: number;
  claimed?: string[];
  held?: string[];
  leaseUntil?: number;
  done?: true;
  /** With done: how many jobs this worker completed. */
  count?: number;
  at?: number;
}

export type Worker = JsonLineWorker<WorkerEvent>;

export function startWorker(settings: DatabaseSettings, owner: string, slackTeamId: string, options: { batch: number; leaseMs: number; holdAfter?: number }): Worker {
  return startJsonLineWorker<WorkerEvent>(workerScript, { CLAIM_WORKER: JSON.stringify({ settings, owner, slackTeamId, ...options }) });
}

export async function seedQueue(settings: DatabaseSettings, slackTeamId: string, count: number): Promise<string[]> {
  const db = await openDatabase(settings, { warn: () => {} });
  try {
    const ids: string[] = [];
    // Small parallel groups: PostgreSQL inserts them concurrently, SQLite one after another.
    for (let i = 0; i < count; i += 50) {
      const group = await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, k) =>
          db.failedSyncs.create({ slackTeamId, externalReference: `EXP-${i + k}`, kind: 'invoice', payload: { n: i + k }, errorMessage: 'Xero returned 503', status: 'queued' }),
        ),
      );
      ids.push(...group.map((j) => j.id));
    }
    return ids;
  } finally {
    await db.close();
  }
}

