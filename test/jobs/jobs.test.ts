// The jobs' exec functions against a real SQLite database, and the scheduler that runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { exec as pruneSlackEvents, keepMs } from '../../src/jobs/prune-slack-events.ts';
import { everySeconds, scheduleJobs } from '../../src/jobs/schedule-jobs.ts';
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

describe('the re-post cadence (CONCIERGE_REPOST_INTERVAL_SECONDS)', () => {
  it('becomes a cron schedule, and impossible values are refused with what would work', () => {
    expect(everySeconds(2)).toBe('*/2 * * * * *');
    expect(everySeconds(60)).toBe('*/1 * * * *');
    expect(everySeconds(3600)).toBe('0 * * * *');
    expect(loadConfig({}).repostIntervalSeconds).toBe(60);
    expect(loadConfig({ CONCIERGE_REPOST_INTERVAL_SECONDS: '0' }).repostIntervalSeconds).toBe(0);
    expect(() => loadConfig({ CONCIERGE_REPOST_INTERVAL_SECONDS: '90', CONCIERGE_POST_CLAIM_SECONDS: '5' })).toThrow(
      /CONCIERGE_REPOST_INTERVAL_SECONDS="90" is invalid: must be under 60 or a whole number of minutes[\s\S]*CONCIERGE_POST_CLAIM_SECONDS="5"/,
    );
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
