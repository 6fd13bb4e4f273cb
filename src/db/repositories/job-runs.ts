// Scheduled runs, one row per (job, slot). Inserting the row is the whole election: the primary
// key lets exactly one instance's insert through, whatever the number of instances or providers.
import { isUniqueViolation } from '../database-error.ts';
import type { DbClient } from '../prisma-client.ts';
import type { JobRun, JobRunOutcome, JobRunStore } from '../../jobs/job-runs.ts';

export type JobRunRepository = JobRunStore;

type Row = Awaited<ReturnType<DbClient['jobRun']['findUniqueOrThrow']>>;

function toRun(row: Row): JobRun {
  return { ...row, outcome: row.outcome as JobRunOutcome | null };
}

export function createJobRunRepository(prisma: DbClient): JobRunRepository {
  return {
    async startSlot({ job, slot, owner, leaseMs, now }) {
      // Racing this check only lets two different slots start together, which needs instances
      // whose clocks disagree by more than the cadence; the same slot is still started once.
      const holding = await prisma.jobRun.findFirst({ where: { job, slot: { lt: slot }, finishedAt: null, leaseUntil: { gt: now } }, select: { slot: true } });
      if (holding) return 'busy';
      try {
        await prisma.jobRun.create({ data: { job, slot, owner, startedAt: now, leaseUntil: new Date(now.getTime() + leaseMs) } });
        return 'started';
      } catch (err) {
        if (isUniqueViolation(err)) return 'taken';
        throw err;
      }
    },

    async renew({ job, slot, owner, leaseUntil }) {
      const { count } = await prisma.jobRun.updateMany({ where: { job, slot, owner, finishedAt: null }, data: { leaseUntil } });
      return count === 1;
    },

    async finish({ job, slot, owner, outcome, now }) {
      const { count } = await prisma.jobRun.updateMany({ where: { job, slot, owner, finishedAt: null }, data: { finishedAt: now, outcome } });
      return count === 1;
    },

    async list(options = {}) {
      const rows = await prisma.jobRun.findMany({
        where: options.job ? { job: options.job } : {},
        orderBy: [{ slot: 'desc' }, { job: 'asc' }],
        take: options.limit ?? 100,
      });
      return rows.map(toRun);
    },

    async prune(before) {
      const { count } = await prisma.jobRun.deleteMany({ where: { slot: { lt: before } } });
      return count;
    },
  };
}
