// Starting claim-worker.ts processes and filling the queue they drain; shared by the
// concurrency test and bench/db.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';

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

export interface Worker {
  child: ChildProcess;
  events: WorkerEvent[];
  /** Resolves with the first event that matches. */
  next(match: (e: WorkerEvent) => boolean): Promise<WorkerEvent>;
  exited: Promise<number | null>;
}

export function startWorker(settings: DatabaseSettings, owner: string, slackTeamId: string, options: { batch: number; leaseMs: number; holdAfter?: number }): Worker {
  const child = spawn(process.execPath, [workerScript], {
    env: { PATH: process.env.PATH ?? '', CLAIM_WORKER: JSON.stringify({ settings, owner, slackTeamId, ...options }) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const events: WorkerEvent[] = [];
  const waiters: { match: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as WorkerEvent;
    events.push(event);
    for (const w of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(event);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    events,
    exited,
    next: (match) => {
      const seen = events.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
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

