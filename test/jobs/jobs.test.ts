// The jobs' exec functions against a real SQLite database, and the scheduler that runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { exec as pruneCaseConversations } from '../../src/jobs/prune-case-conversations.ts';
import { emptyCase } from '../../src/support/case-conversation.ts';
import { exec as pruneJobRuns, keepMs as keepRunsMs } from '../../src/jobs/prune-job-runs.ts';
import { exec as pruneSlackEvents, keepMs } from '../../src/jobs/prune-slack-events.ts';
import { createRunCoordinator } from '../../src/jobs/run-coordinator.ts';
import { scheduleJobs } from '../../src/jobs/schedule-jobs.ts';
import { createLogger } from '../../src/logger.ts';

let db: Database;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'concierge-jobs-test-'));
  db = await openDatabase(loadConfig({ CONCIERGE_DATA_DIR: dir }), { warn: () => {} });
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('prune-slack-events', () => {
  it('forgets event ids older than a day, so a late retry of a recent one is still dropped', async () => {
    const now = new Date('2026-01-02T12:00:00Z');
    await db.slackEvents.markProcessed('Ev-old', new Date(now.getTime() - keepMs - 60_000));
    await db.slackEvents.markProcessed('Ev-recent', new Date(now.getTime() - 60_000));
    expect(await pruneSlackEvents({ processedEvents: db.slackEvents, now: () => now })).toEqual({ pruned: 1 });
    expect(await db.slackEvents.markProcessed('Ev-recent')).toBe(false);
    expect(await db.slackEvents.markProcessed('Ev-old')).toBe(true);
  });
});

describe('prune-case-conversations', () => {
  it('deletes conversations and answered threads past their day, and keeps the ones still running', async () => {
    const now = new Date('2026-01-02T12:00:00Z');
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const conversation = (threadTs: string, expiresAt: Date) =>
      db.caseConversations.start({ slackTeamId: 'T1', channelId: 'C1', threadTs, reporterSlackUserId: 'U1', timeZone: 'UTC', articleId: null, fields: emptyCase, status: 'collecting', expiresAt });
    const expired = await conversation('1.1', at(-1));
    const running = await conversation('1.2', at(60));
    const thread = (threadTs: string, expiresAt: Date) =>
      db.answeredThreads.record({ slackTeamId: 'T1', channelId: 'C1', threadTs, askerSlackUserId: 'U1', question: 'XERO01', articleId: 'XERO01', askedAt: at(-1440), expiresAt });
    await thread('2.1', at(-1));
    await thread('2.2', at(60));

    expect(await pruneCaseConversations({ conversations: db.caseConversations, answeredThreads: db.answeredThreads, now: () => now })).toEqual({ conversations: 1, answeredThreads: 1 });
    expect(await db.caseConversations.get(expired.id)).toBeNull();
    expect(await db.caseConversations.get(running.id)).not.toBeNull();
    expect(await db.answeredThreads.find('T1', 'C1', '2.2', now)).not.toBeNull();
    expect(await db.answeredThreads.find('T1', 'C1', '2.1', at(-10))).toBeNull();
  });
});

describe('the escalation post claim (CONCIERGE_POST_CLAIM_SECONDS)', () => {
  it('defaults to five minutes and refuses impossible values with what would work', () => {
    expect(loadConfig({}).postClaimMs).toBe(300_000);
    expect(() => loadConfig({ CONCIERGE_POST_CLAIM_SECONDS: '5' })).toThrow(/CONCIERGE_POST_CLAIM_SECONDS="5" is invalid/);
  });
});

describe('scheduleJobs', () => {
  it('runs jobs on their schedule, logs failures without stopping, and stops cleanly', async () => {
    let runs = 0;
    const jobs = scheduleJobs(
      [
        { name: 'counter', schedule: '* * * * * *', run: async () => void runs++ },
        { name: 'broken', schedule: '* * * * * *', run: async () => Promise.reject(new Error('boom')) },
      ],
      createLogger({ level: 'silent' }),
    );
    const deadline = Date.now() + 4_000;
    while (runs < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await jobs.stop(1_000);
    expect(runs).toBeGreaterThanOrEqual(2);
    const after = runs;
    await new Promise((r) => setTimeout(r, 1_200));
    expect(runs).toBe(after);
  });
});

/** A logger whose JSON lines the test reads back. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('scheduleJobs logging and settings', () => {
  it('logs a failure with job_failed, the error code and the job name, and an overrun with job_overran', async () => {
    const { logger, lines } = capturedLogger();
    const jobs = scheduleJobs(
      [
        { name: 'coded', schedule: '* * * * * *', run: async () => Promise.reject(Object.assign(new Error('Slack said no'), { code: 'slack_unavailable' })) },
        { name: 'plain', schedule: '* * * * * *', run: async () => Promise.reject(new Error('boom')) },
        { name: 'slow', schedule: '* * * * * *', budgetMs: 100, run: () => new Promise((r) => setTimeout(r, 300)) },
      ],
      logger,
    );
    await until(() => ['coded', 'plain', 'slow'].every((job) => lines.some((l) => l.job === job && l.code)));
    await jobs.stop(1_000);
    expect(lines.find((l) => l.job === 'coded')).toMatchObject({ level: 50, code: 'job_failed', errorCode: 'slack_unavailable', msg: 'job failed' });
    const plain = lines.find((l) => l.job === 'plain')!;
    expect(plain).toMatchObject({ code: 'job_failed', msg: 'job failed' });
    expect(plain.errorCode).toBeUndefined();
    expect(lines.find((l) => l.job === 'slow')).toMatchObject({ level: 40, code: 'job_overran', budgetMs: 100 });
  });

  it('does not schedule a job switched off, and says so once', async () => {
    const { logger, lines } = capturedLogger();
    let runs = 0;
    const jobs = scheduleJobs([{ name: 'off', schedule: undefined, run: async () => void runs++ }], logger);
    await new Promise((r) => setTimeout(r, 1_300));
    await jobs.stop(1_000);
    expect(runs).toBe(0);
    expect(lines.filter((l) => l.job === 'off').map((l) => l.msg)).toEqual(['job switched off by configuration']);
  });

  it('records each coordinated run with its outcome in job_runs', async () => {
    const { logger } = capturedLogger();
    const coordinator = createRunCoordinator(db.jobRuns, { logger, owner: 'instance-1' });
    const jobs = scheduleJobs(
      [
        { name: 'fine', schedule: '* * * * * *', budgetMs: 5_000, run: async () => 'done' },
        { name: 'failing', schedule: '* * * * * *', budgetMs: 5_000, run: async () => Promise.reject(new Error('boom')) },
      ],
      logger,
      { coordinator },
    );
    const finished = async (job: string) => (await db.jobRuns.list({ job })).filter((r) => r.finishedAt);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && ((await finished('fine')).length === 0 || (await finished('failing')).length === 0)) await new Promise((r) => setTimeout(r, 100));
    await jobs.stop(2_000);
    const [fine] = await finished('fine');
    const [failing] = await finished('failing');
    expect(fine).toMatchObject({ owner: 'instance-1', outcome: 'ok' });
    expect(failing).toMatchObject({ owner: 'instance-1', outcome: 'failed' });
    expect(fine!.leaseUntil.getTime() - fine!.startedAt.getTime()).toBe(5_000);
    // Stopping waits for the run in progress to be recorded: nothing is left open.
    expect((await db.jobRuns.list({ job: 'fine' })).filter((r) => !r.finishedAt)).toEqual([]);
  });
});

describe('job runs', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, s));

  it('start a slot once; an unfinished run holds back later slots until its lease ends', async () => {
    const job = 'lease-demo';
    expect(await db.jobRuns.startSlot({ job, slot: at(0), owner: 'a', leaseMs: 10_000, now: at(0) })).toBe('started');
    expect(await db.jobRuns.startSlot({ job, slot: at(0), owner: 'b', leaseMs: 10_000, now: at(0) })).toBe('taken');
    expect(await db.jobRuns.startSlot({ job, slot: at(1), owner: 'b', leaseMs: 10_000, now: at(1) })).toBe('busy');
    // Its runner died: the slot itself is never started again, later ones are once the lease is over.
    expect(await db.jobRuns.startSlot({ job, slot: at(0), owner: 'b', leaseMs: 10_000, now: at(20) })).toBe('taken');
    expect(await db.jobRuns.startSlot({ job, slot: at(10), owner: 'b', leaseMs: 10_000, now: at(10) })).toBe('started');
    expect(await db.jobRuns.finish({ job, slot: at(10), owner: 'a', outcome: 'ok', now: at(11) })).toBe(false);
    expect(await db.jobRuns.finish({ job, slot: at(10), owner: 'b', outcome: 'ok', now: at(11) })).toBe(true);
    expect(await db.jobRuns.startSlot({ job, slot: at(12), owner: 'a', leaseMs: 10_000, now: at(12) })).toBe('started');
    // Other jobs are not held back by this one.
    expect(await db.jobRuns.startSlot({ job: 'other', slot: at(12), owner: 'a', leaseMs: 10_000, now: at(12) })).toBe('started');
    const runs = await db.jobRuns.list({ job });
    expect(runs.map((r) => [r.slot.getUTCSeconds(), r.owner, r.outcome])).toEqual([
      [12, 'a', null],
      [10, 'b', 'ok'],
      [0, 'a', null],
    ]);
  });

  it('are pruned after a few days by the prune-job-runs job', async () => {
    const now = new Date('2026-02-10T12:00:00Z');
    const old = new Date(now.getTime() - keepRunsMs - 1_000);
    const recent = new Date(now.getTime() - 60_000);
    await db.jobRuns.startSlot({ job: 'prune-demo', slot: old, owner: 'a', leaseMs: 1_000, now: old });
    await db.jobRuns.startSlot({ job: 'prune-demo', slot: recent, owner: 'a', leaseMs: 1_000, now: recent });
    const { pruned } = await pruneJobRuns({ jobRuns: db.jobRuns, now: () => now });
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect((await db.jobRuns.list({ job: 'prune-demo' })).map((r) => r.slot)).toEqual([recent]);
  });
});
