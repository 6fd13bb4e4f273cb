// Drains the retry queue: claims due failures with the row lease (a killed worker's rows come back
// when its lease ends), retries several at once, and claims more as each finishes. Pacing is the
// rate limiter's job, so any number of workers in any number of processes may drain one queue.
import { randomUUID } from 'node:crypto';
import type { TenantAccess } from './connection-access.ts';
import type { FailedSync } from './records.ts';
import { retryExport, type RetryExportDeps, type RetryExportResult } from './retry-export.ts';

export interface RetryWorkerDeps extends RetryExportDeps {
  queue: { claimDue(owner: string, options: { limit: number; leaseMs: number; now: Date }): Promise<FailedSync[]> };
}

export interface DrainOptions {
  /** Names this worker in leases and permits (default: a random id). */
  owner?: string;
  /** Exports retried at once (default 10). */
  parallel?: number;
  /** How long a claim holds (default 60 s): a worker killed mid-retry frees its rows after this. */
  leaseMs?: number;
  /** Return once nothing is due (a scheduled run); otherwise keep polling until `signal` aborts. */
  stopWhenIdle?: boolean;
  /** Return after this long even if work is left (a scheduled run's budget). */
  budgetMs?: number;
  signal?: AbortSignal;
  /** Pause between looks at an empty queue (default 250 ms). */
  idlePollMs?: number;
  onResult?: (result: RetryExportResult) => void;
  onError?: (error: unknown) => void;
}

export interface DrainResult {
  retried: number;
  synced: number;
  needsFix: number;
  waiting: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

export async function drainRetryQueue(deps: RetryWorkerDeps, options: DrainOptions = {}): Promise<DrainResult> {
  const owner = options.owner ?? `retry-${randomUUID()}`;
  const parallel = options.parallel ?? 10;
  const leaseMs = options.leaseMs ?? 60_000;
  const idlePollMs = options.idlePollMs ?? 250;
  const started = Date.now();
  const result: DrainResult = { retried: 0, synced: 0, needsFix: 0, waiting: 0 };
  const inFlight = new Set<Promise<void>>();
  const outOfTime = () => options.signal?.aborted || (options.budgetMs !== undefined && Date.now() - started > options.budgetMs);

  const run = (failure: FailedSync) => {
    const task = retryExport(deps, failure, owner)
      .then((outcome) => {
        result.retried++;
        if (outcome.settlement.kind === 'synced') result.synced++;
        else if (outcome.settlement.kind === 'needs_fix') result.needsFix++;
        else result.waiting++;
        options.onResult?.(outcome);
      })
      // A database hiccup leaves the row claimed: its lease ends and another worker takes it.
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  while (!outOfTime()) {
    const free = parallel - inFlight.size;
    let claimed: FailedSync[] = [];
    if (free > 0) {
      try {
        claimed = await deps.queue.claimDue(owner, { limit: free, leaseMs, now: deps.now() });
      } catch (error) {
        options.onError?.(error);
      }
    }
    claimed.forEach(run);
    if (claimed.length > 0 && inFlight.size < parallel) continue;
    if (inFlight.size === 0) {
      if (options.stopWhenIdle) break;
      await sleep(idlePollMs, options.signal);
      continue;
    }
    // Wait for a slot, or look again soon when the queue was empty (new work may arrive).
    await Promise.race([...inFlight, ...(claimed.length === 0 && free > 0 ? [sleep(idlePollMs, options.signal)] : [])]);
  }
  await Promise.allSettled([...inFlight]);
  return result;
}

/**
 * The worker's deps with each connection's row and access token remembered for `ttlMs` (and a
 * token never past five minutes before it lapses): a drain of thousands of exports for a few
 * organisations then reads each once a while instead of twice per export.
 */
export function withCachedLookups<D extends RetryExportDeps>(deps: D, ttlMs = 15_000): D {
  const connections = new Map<string, { until: number; value: Promise<{ id: string; tenantId: string } | null> }>();
  const tokens = new Map<string, { until: number; value: Promise<TenantAccess> }>();
  const marginMs = 5 * 60_000;
  return {
    ...deps,
    connections: {
      get(id: string) {
        const now = deps.now().getTime();
        const hit = connections.get(id);
        if (hit && hit.until > now) return hit.value;
        const value = deps.connections.get(id);
        connections.set(id, { until: now + ttlMs, value });
        value.catch(() => connections.delete(id));
        return value;
      },
    },
    access: {
      accessFor(connectionId: string) {
        const now = deps.now().getTime();
        const hit = tokens.get(connectionId);
        if (hit && hit.until > now) return hit.value;
        const value = deps.access.accessFor(connectionId);
        tokens.set(connectionId, { until: now + ttlMs, value });
        value.then(
          (access) => tokens.set(connectionId, { until: Math.min(now + ttlMs, access.expiresAt.getTime() - marginMs), value }),
          () => tokens.delete(connectionId),
        );
        return value;
      },
    },
  };
}

export interface RetryRunner {
  /** Drains the queue in this process now, unless a drain is already running (then it runs once more after). */
  kick(): void;
  stop(): Promise<void>;
}

/** Re-sends queued exports as soon as someone asks, in the background of this process. */
export function createRetryRunner(deps: RetryWorkerDeps, options: Pick<DrainOptions, 'onError' | 'budgetMs'> = {}): RetryRunner {
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      await drainRetryQueue(deps, { ...options, stopWhenIdle: true, signal: stopping.signal });
    } while (again && !stopping.signal.aborted);
    running = undefined;
  };
  return {
    kick() {
      if (stopping.signal.aborted) return;
      if (running) {
        again = true;
        return;
      }
      running = loop().catch((error: unknown) => options.onError?.(error));
    },
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
