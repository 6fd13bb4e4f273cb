// When jobs run. Each job is an exec(deps) elsewhere in this folder; this only times them, never
// overlaps a run with the previous one, and logs outcomes.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.ts';

export interface JobSpec {
  name: string;
  /** Cron expression, e.g. "* * * * *" for every minute. */
  schedule: string;
  run: () => Promise<unknown>;
}

/** A cron expression for "every `seconds` seconds": under a minute, or whole minutes. */
export function everySeconds(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1 || (seconds >= 60 && seconds % 60 !== 0) || seconds > 3600) {
    throw new Error(`cannot schedule every ${seconds} seconds: use 1 to 59, or whole minutes up to 3600`);
  }
  if (seconds < 60) return `*/${seconds} * * * * *`;
  return seconds === 3600 ? '0 * * * *' : `*/${seconds / 60} * * * *`;
}

export interface RunningJobs {
  /** Stops scheduling and waits for runs in progress (up to `timeoutMs`). */
  stop(timeoutMs: number): Promise<void>;
}

export function scheduleJobs(jobs: readonly JobSpec[], logger: Logger): RunningJobs {
  const log = logger.child({ component: 'jobs' });
  const running = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        const run = job.run();
        running.add(run);
        try {
          const result = await run;
          log.debug({ job: job.name, result }, 'job finished');
        } catch (error) {
          log.error({ job: job.name, err: error }, 'job failed');
        } finally {
          running.delete(run);
        }
      },
      { name: job.name, noOverlap: true },
    ),
  );
  return {
    async stop(timeoutMs) {
      await Promise.all(tasks.map((t) => t.stop()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      await Promise.all(tasks.map((t) => t.destroy()));
    },
  };
}
