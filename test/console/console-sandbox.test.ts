// The console is a sandbox: what is filed there stays in its own database and never reaches a
// real workspace, even when the connected bot later runs on the same data folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleText } from '../../src/console/run-console.ts';
import * as postPendingEscalations from '../../src/jobs/post-pending-escalations.ts';
import { consoleActor } from '../../src/support/console-workspace.ts';
import { startTestApp, supportChannel, type TestApp } from '../slack/test-app.ts';
import { consoleSession, lines } from './console-session.ts';

let dataDir: string;
let bot: TestApp | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'concierge-console-sandbox-'));
});
afterEach(async () => {
  await bot?.close();
  bot = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** The connected bot on the console's data folder, its clock past any post claim the console left. */
async function startConnectedBot(): Promise<TestApp> {
  bot = await startTestApp({ env: { CONCIERGE_DATA_DIR: dataDir }, now: () => new Date(Date.now() + 60 * 60_000) });
  return bot;
}

const repost = (t: TestApp) => t.app.jobs[postPendingEscalations.jobName]!();

describe('the console sandbox', () => {
  it('never posts a case filed in the console once the bot runs connected on the same data folder', async () => {
    const out = await consoleSession({ CONCIERGE_DATA_DIR: dataDir }, lines('/concierge escalate XERO11 on March travel', '', '', '', ''));
    expect(out).toContain(consoleText.filed);
    expect(existsSync(join(dataDir, 'console.db'))).toBe(true);

    const t = await startConnectedBot();
    expect(await repost(t)).toEqual({ attempted: 0, posted: 0 });
    expect(t.fake.callsOf('chat.postMessage')).toEqual([]);
    expect(t.fake.callsOf('conversations.open')).toEqual([]);
  });

  it('skips console cases an older version left in the shared database, and still posts real ones', async () => {
    const t = await startConnectedBot();
    await t.app.db.escalations.create({ slackTeamId: consoleActor.teamId, reporterSlackUserId: consoleActor.userId, channelId: consoleActor.userId, errorText: 'filed in the console' });
    await t.app.db.escalations.create({ slackTeamId: t.fake.teamId, reporterSlackUserId: 'U0USER0001', channelId: 'C0CHAN0001', errorText: 'filed in Slack' });

    expect(await repost(t)).toEqual({ attempted: 1, posted: 1 });
    const posts = t.fake.callsOf('chat.postMessage');
    expect(posts.filter((c) => c.params.channel === supportChannel)).toHaveLength(1);
    expect(JSON.stringify(posts)).toContain('filed in Slack');
    expect(JSON.stringify(posts)).not.toContain('filed in the console');
    // A later run does not pick it up either.
    expect(await repost(t)).toEqual({ attempted: 0, posted: 0 });
  });

  it('keeps its own SQLite file and never opens DATABASE_URL', async () => {
    // Nothing listens on port 1: opening this database would stop the console at start.
    const env = { CONCIERGE_DATA_DIR: dataDir, DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/shared' };
    const out = await consoleSession(env, lines('/concierge escalate XERO11 on March travel', '', '', '', ''));
    expect(out).toContain(consoleText.filed);
    expect(existsSync(join(dataDir, 'console.db'))).toBe(true);
  });
});
