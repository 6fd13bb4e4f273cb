// Before every scheduled fire the scheduler (schedule-jobs.ts) asks a run coordinator whether this
// instance should run it: shouldRun(key, ttlMs) with key "<job name>:<slot as ISO 8601>" and
// ttlMs the job's budget, then onComplete(key) once the run is over (failed or not).
// This coordinator answers from the shared database (JobRunStore.startSlot), so every slot runs
// on exactly one instance. Running a job by hand (app.jobs) does not consult it.
// A run's lease is short and renewed while its instance lives, up to the job's time budget: a
// SIGKILLed instance holds the job back for `livenessMs` at most, a hung one for the budget.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { JobRunOutcome, JobRunStore } from './job-runs.ts';

export interface RunCoordinator {
  /** True when this instance is to run the slot named by `key`, holding it for at most `ttlMs`. Never throws. */
  shouldRun(key: string, ttlMs: number): Promise<boolean>;
  /** The run of `key` is over (failed or not). Never throws. */
  onComplete(key: string): Promise<void>;
}

export interface JobRunCoordinator extends RunCoordinator {
  /** Who this instance is in the job_runs table. */
  readonly owner: string;
  /** The scheduler reports each run's outcome before it calls onComplete for it. */
  noteOutcome(job: string, outcome: JobRunOutcome): void;
  /** Resolves once every slot this instance started has been recorded as finished. */
  idle(): Promise<void>;
}

export function newRunnerId(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

/** A slot's key; job names never contain ":" (scheduleJobs checks). */
export function runKey(job: string, slot: Date): string {
  return `${job}:${slot.toISOString()}`;
}

/** Splits a slot's key back into the job and the slot. */
export function parseRunKey(key: string): { job: string; slot: Date } {
  const at = key.indexOf(':');
  const slot = new Date(key.slice(at + 1));
  if (at <= 0 || Number.isNaN(slot.getTime())) throw new Error(`unexpected run key: ${key}`);
  return { job: key.slice(0, at), slot };
}

/** How long a started run holds the job without its instance renewing the lease. */
export const defaultLivenessMs = 30_000;

export interface RunCoordinatorOptions {
  logger: Logger;
  owner?: string;
  now?: () => Date;
  /** How long a run's lease lasts between renewals (default defaultLivenessMs); never beyond the budget. */
  livenessMs?: number;
}

export function createRunCoordinator(store: JobRunStore, options: RunCoordinatorOptions): JobRunCoordinator {
  const log = options.logger.child({ component: 'jobs' });
  const owner = options.owner ?? newRunnerId();
  const now = options.now ?? (() => new Date());
  const livenessMs = options.livenessMs ?? defaultLivenessMs;
  // One run per job at a time on this instance (noOverlap), so the job name identifies it.
  const outcomes = new Map<string, JobRunOutcome>();
  const open = new Set<string>();
  const renewals = new Map<string, NodeJS.Timeout>();
  let wake: (() => void) | undefined;

  function keepAlive(key: string, job: string, slot: Date, startedAt: Date, budgetMs: number): void {
    const budgetEnd = startedAt.getTime() + budgetMs;
    const timer = setInterval(() => {
      const leaseUntil = new Date(Math.min(now().getTime() + livenessMs, budgetEnd));
      if (leaseUntil.getTime() >= budgetEnd) clearInterval(timer);
      store.renew({ job, slot, owner, leaseUntil }).catch((error: unknown) => {
        // The lease then runs out early and another instance may start the next slot: logged, not fatal.
        log.warn({ code: 'job_lease_renewal_failed', job, slot, err: error }, 'could not renew a job run lease');
      });
    }, Math.max(1, Math.floor(livenessMs / 3)));
    timer.unref();
    renewals.set(key, timer);
  }

  return {
    owner,
    async shouldRun(key, ttlMs) {
      const { job, slot } = parseRunKey(key);
      try {
        const startedAt = now();
        const leaseMs = Math.min(ttlMs, livenessMs);
        const claim = await store.startSlot({ job, slot, owner, leaseMs, now: startedAt });
        if (claim === 'busy') log.info({ job, slot }, 'job slot skipped: an earlier run is still running');
        if (claim === 'started') {
          open.add(key);
          if (leaseMs < ttlMs) keepAlive(key, job, slot, startedAt, ttlMs);
        }
        return claim === 'started';
      } catch (error) {
        // Not knowing who runs the slot, nobody here runs it: a missed slot beats a doubled one.
        log.error({ code: 'job_coordination_failed', job, slot, err: error }, 'job slot skipped: could not record the run');
        return false;
      }
    },
    async onComplete(key) {
      const { job, slot } = parseRunKey(key);
      clearInterval(renewals.get(key));
      renewals.delete(key);
      const outcome = outcomes.get(job) ?? 'failed';
      outcomes.delete(job);
      try {
        await store.finish({ job, slot, owner, outcome, now: now() });
      } catch (error) {
        // The row stays unfinished; its lease running out releases the job's next slots.
        log.error({ code: 'job_coordination_failed', job, slot, err: error }, 'could not record the end of a job run');
      } finally {
        open.delete(key);
        if (open.size === 0) wake?.();
      }
    },
    noteOutcome(job, outcome) {
      outcomes.set(job, outcome);
    },
    idle() {
      if (open.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const previous = wake;
        wake = () => {
          wake = undefined;
          previous?.();
          resolve();
        };
      });
    },
  };
}
