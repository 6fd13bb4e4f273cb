// One bot instance's scheduler, in its own process, for the distributed-jobs test: the real
// scheduleJobs and database run coordinator with a job "tick" every second that appends an
// audit event naming its slot. Reads its options from SCHEDULE_WORKER (JSON), prints one JSON
// line per event, starts on "go" and stops cleanly on "stop" (standard input).
//   hangOnFirstRun: the first slot it wins, it never finishes (the test kills it, as a crash would).
//   livenessMs: how long a run's lease lasts between renewals.
//   claimDelayMs: waits that long before each claim, so another worker wins the slot first.
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';
import { createRunCoordinator } from '../../src/jobs/run-coordinator.ts';
import { scheduleJobs, type RunningJobs } from '../../src/jobs/schedule-jobs.ts';
import { createLogger } from '../../src/logger.ts';

interface WorkerOptions {
  settings: DatabaseSettings;
  owner: string;
  budgetMs: number;
  livenessMs?: number;
  hangOnFirstRun?: boolean;
  claimDelayMs?: number;
}

export const tickJob = 'tick';
const options = JSON.parse(process.env.SCHEDULE_WORKER ?? '') as WorkerOptions;
const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);

const db = await openDatabase(options.settings, { warn: () => {} });
const logger = createLogger({ level: 'warn', destination: process.stderr });
const coordinator = createRunCoordinator(db.jobRuns, { logger, owner: options.owner, ...(options.livenessMs ? { livenessMs: options.livenessMs } : {}) });
const observed = {
  ...coordinator,
  async shouldRun(key: string, ttlMs: number) {
    if (options.claimDelayMs) await sleep(options.claimDelayMs);
    const allowed = await coordinator.shouldRun(key, ttlMs);
    say({ asked: key.slice(key.indexOf(':') + 1), allowed });
    return allowed;
  },
};

let jobs: RunningJobs | undefined;
let runs = 0;
say({ ready: true });
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'go') {
    jobs = scheduleJobs(
      [
        {
          name: tickJob,
          schedule: '* * * * * *',
          budgetMs: options.budgetMs,
          run: async ({ slot }) => {
            runs++;
            await db.audit.append({ actor: options.owner, action: tickJob, target: slot!.toISOString() });
            say({ ran: slot!.toISOString() });
            if (options.hangOnFirstRun && runs === 1) {
              say({ hanging: slot!.toISOString() });
              await new Promise(() => setInterval(() => {}, 60_000));
            }
          },
        },
      ],
      logger,
      { coordinator: observed },
    );
  }
  if (line === 'stop') {
    void (async () => {
      await jobs?.stop(2_000);
      await db.close();
      say({ stopped: true });
      process.exit(0);
    })();
  }
});
