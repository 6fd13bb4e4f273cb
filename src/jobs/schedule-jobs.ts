// When jobs run. Each job is an exec(deps) elsewhere in this folder; this only times them (croner),
// never overlaps a run with the previous one, and logs outcomes. Given a run coordinator, each slot
// runs on one instance among all that share the database.
// croner rather than node-cron: without a time zone it does its date arithmetic with plain Date,
// while node-cron formats every date through Intl, which maps about 9 MB of ICU data into memory.
import { Cron } from 'croner';
import type { Logger } from '../logger.ts';
import type { JobRunOutcome } from './job-runs.ts';
import { runKey, type JobRunCoordinator } from './run-coordinator.ts';

export interface JobContext {
  /** The scheduled time of this run (absent when someone runs the job by hand). */
  slot?: Date;
}

export interface JobSpec {
  /** Also the coordination key's prefix, so the same on every instance; no ":". */
  name: string;
  /** Cron expression (5 fields, or 6 with seconds first), e.g. "* * * * *" for every minute; undefined: not scheduled (switched off). */
  schedule: string | undefined;
  /** A run taking longer is logged as job_overran; with a coordinator, the lease on the job's next slots. */
  budgetMs?: number;
  run: (context: JobContext) => Promise<unknown>;
}

export interface RunningJobs {
  /** Stops scheduling and waits for runs in progress (up to `timeoutMs`). */
  stop(timeoutMs: number): Promise<void>;
}

export interface ScheduleOptions {
  /** Omitted: every instance runs every slot (one process, or jobs that coordinate themselves). */
  coordinator?: JobRunCoordinator;
}

/** Errors that carry their own snake_case code keep it next to ours in the log. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Cron expressions as the jobs read them: 5 fields, or 6 with seconds first. */
export const cronMode = '5-or-6-parts';

/** Why `expression` is not a schedule, or undefined when it is one. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.split(/\s+/).filter(Boolean).length;
  if (fields !== 5 && fields !== 6) return `expected 5 or 6 fields but got ${fields}`;
  try {
    new Cron(expression, { mode: cronMode, paused: true }).stop();
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
  }
}

/** How long a coordinated run holds its slot when the job has no budget. */
const defaultLeaseMs = 30_000;

export function scheduleJobs(jobs: readonly JobSpec[], logger: Logger, options: ScheduleOptions = {}): RunningJobs {
  const log = logger.child({ component: 'jobs' });
  const { coordinator } = options;
  const running = new Set<Promise<unknown>>();

  async function runScheduled(job: JobSpec, slot: Date): Promise<void> {
    const started = Date.now();
    const overran =
      job.budgetMs === undefined
        ? undefined
        : setTimeout(() => log.warn({ code: 'job_overran', job: job.name, slot, budgetMs: job.budgetMs }, 'job is taking longer than its time budget'), job.budgetMs);
    overran?.unref();
    let outcome: JobRunOutcome = 'failed';
    // A job that throws before its first await is still a failed run, not a crashed scheduler.
    const run = Promise.resolve().then(() => job.run({ slot }));
    running.add(run);
    try {
      const result = await run;
      outcome = 'ok';
      log.debug({ job: job.name, slot, result, durationMs: Date.now() - started }, 'job finished');
    } catch (error) {
      log.error({ code: 'job_failed', errorCode: errorCode(error), job: job.name, slot, durationMs: Date.now() - started, err: error }, 'job failed');
    } finally {
      clearTimeout(overran);
      running.delete(run);
      coordinator?.noteOutcome(job.name, outcome);
    }
  }

  /** Asks the coordinator first: the slot runs here only if this instance is the first to record it. */
  async function runCoordinated(job: JobSpec, slot: Date, runs: JobRunCoordinator): Promise<void> {
    const key = runKey(job.name, slot);
    if (!(await runs.shouldRun(key, job.budgetMs ?? defaultLeaseMs))) return;
    try {
      await runScheduled(job, slot);
    } finally {
      await runs.onComplete(key);
    }
  }

  const tasks: Cron[] = [];
  for (const job of jobs) {
    if (job.name.includes(':')) throw new Error(`job name ${JSON.stringify(job.name)} must not contain ":" (it separates the name from the slot)`);
    if (job.schedule === undefined) {
      log.info({ job: job.name }, 'job switched off by configuration');
      continue;
    }
    const onFire = async (task: Cron) => {
      // croner fires a moment after the scheduled time; the slot is that time, the same on every instance.
      const slot = task.previousRuns(1, new Date())[0] ?? new Date();
      await (coordinator ? runCoordinated(job, slot, coordinator) : runScheduled(job, slot));
    };
    tasks.push(
      new Cron(
        job.schedule,
        {
          mode: cronMode,
          // A slot that comes while the previous run is still going is skipped, as with a coordinator.
          protect: () => log.info({ job: job.name }, 'job slot skipped: an earlier run is still running'),
          catch: (error) => log.error({ code: 'job_failed', job: job.name, err: error }, 'job scheduling failed'),
        },
        onFire,
      ),
    );
  }

  return {
    async stop(timeoutMs) {
      for (const task of tasks) task.stop();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        // A finished run is recorded by the coordinator just after it returns: wait for that too.
        Promise.allSettled([...running]).then(() => coordinator?.idle()),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
