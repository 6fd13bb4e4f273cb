// When jobs run. Each job is an exec(deps) elsewhere in this folder; this only times them, never
// overlaps a run with the previous one, and logs outcomes. Given a run coordinator, each slot runs
// on one instance among all that share the database (node-cron's distributed mode).
import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.ts';
import type { JobRunOutcome } from './job-runs.ts';
import type { JobRunCoordinator } from './run-coordinator.ts';

export interface JobContext {
  /** The scheduled time of this run (absent when someone runs the job by hand). */
  slot?: Date;
}

export interface JobSpec {
  /** Also the coordination key's prefix, so the same on every instance; no ":". */
  name: string;
  /** Cron expression, e.g. "* * * * *" for every minute; undefined: not scheduled (switched off). */
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

export function scheduleJobs(jobs: readonly JobSpec[], logger: Logger, options: ScheduleOptions = {}): RunningJobs {
  const log = logger.child({ component: 'jobs' });
  const { coordinator } = options;
  const cronLog: CronLogger = {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message, err) => log.error({ err: err ?? message }, typeof message === 'string' ? message : 'node-cron error'),
    debug: (message) => log.debug(String(message)),
  };
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

  const tasks: ScheduledTask[] = [];
  for (const job of jobs) {
    if (job.name.includes(':')) throw new Error(`job name ${JSON.stringify(job.name)} must not contain ":" (it separates the name from the slot)`);
    if (job.schedule === undefined) {
      log.info({ job: job.name }, 'job switched off by configuration');
      continue;
    }
    tasks.push(
      cron.schedule(job.schedule, (context) => runScheduled(job, context.date), {
        name: job.name,
        noOverlap: true,
        logger: cronLog,
        ...(coordinator ? { distributed: true, runCoordinator: coordinator, ...(job.budgetMs ? { distributedLease: job.budgetMs } : {}) } : {}),
      }),
    );
  }

  return {
    async stop(timeoutMs) {
      await Promise.all(tasks.map((t) => t.stop()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        // A finished run is recorded by the coordinator just after it returns: wait for that too.
        Promise.allSettled([...running]).then(() => coordinator?.idle()),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
