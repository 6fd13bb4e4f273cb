// `node src/main.ts` as a newcomer runs it: the console without credentials, clear start-up
// failures, and a graceful SIGTERM that lets work in progress finish and exits 0 within 10 s.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../dev/fake-slack-api.ts';
import { SlackRequests } from '../dev/slack-requests.ts';

const mainPath = new URL('../src/main.ts', import.meta.url).pathname;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

function run(env: Record<string, string>, nodeArgs: string[] = []): Run {
  const dataDir = mkdtempSync(join(tmpdir(), 'concierge-main-test-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // Only what Node needs from the parent: no Slack variables leak in from the machine.
  const child = spawn(process.execPath, [...nodeArgs, mainPath], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CONCIERGE_DATA_DIR: dataDir, PORT: '0', ...env },
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('npm start', () => {
  it('without Slack credentials prints what is missing and answers typed questions and commands', async () => {
    const app = run({});
    app.child.stdin.end('XERO11 on my report\n/concierge help\n');
    const { code } = await app.exited;
    expect(code).toBe(0);
    expect(app.stderr()).toContain('no Slack credentials are set');
    expect(app.stderr()).toContain('SLACK_BOT_TOKEN and SLACK_APP_TOKEN');
    expect(app.stderr()).toContain('manifest.yml');
    expect(app.stdout()).toContain('XERO11: the connection to Xero has expired');
    expect(app.stdout()).toContain('1. Ask an admin');
    // No Xero credentials here, so Reconnect and Retry (nothing would send the exports) are not offered.
    expect(app.stdout()).toContain('\n[Escalate]\n');
    expect(app.stdout()).not.toContain('[Retry failed exports]');
    expect(app.stdout()).not.toContain('[Reconnect Xero]');
    expect(app.stdout()).toContain('/concierge status');
  });

  it('stops with a message naming every problem when the configuration is incomplete', async () => {
    const app = run({ SLACK_BOT_TOKEN: 'xoxb-only-a-token', PORT: 'eighty' });
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.stderr()).toContain('SLACK_SIGNING_SECRET missing');
    expect(app.stderr()).toContain('PORT="eighty"');
    expect(app.stderr()).not.toContain('xoxb-only-a-token');
  });

  it('stops with a clear message when Slack rejects the bot token', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const app = run({ SLACK_BOT_TOKEN: 'xoxb-revoked-token', SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789', SLACK_API_URL: fake.apiUrl });
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.stderr()).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
  });

  // What the bot needs in this set-up is all it loads: each of these costs memory and start-up time.
  it('over HTTP without Xero or OpenAI loads neither their SDKs nor code only Socket Mode, Express, OAuth installs or a remote libSQL database need, and makes no Intl date formatter', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const report = join(mkdtempSync(join(tmpdir(), 'concierge-loaded-')), 'report.json');
    cleanups.push(() => rmSync(dirname(report), { recursive: true, force: true }));
    const probe = new URL('./fixtures/loaded-code-probe.mjs', import.meta.url).pathname;
    const app = run({ SLACK_BOT_TOKEN: 'xoxb-test-bot-token', SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789', SLACK_API_URL: fake.apiUrl, LOADED_CODE_REPORT: report }, ['--import', probe]);
    await until(() => app.stdout().includes('xero-concierge is running'), 'the app to start');
    const port = Number(/"port":(\d+)/.exec(app.stdout())![1]);
    const slack = new SlackRequests(`http://127.0.0.1:${port}`, 'test-signing-secret-0123456789', (id) => fake.responseUrl(id));
    expect((await slack.command('XERO11 on my report')).response.status).toBe(200);
    app.child.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    const { packages, dateFormatters } = JSON.parse(readFileSync(report, 'utf8')) as { packages: string[]; dateFormatters: number };
    expect(packages).toContain('@slack/bolt');
    expect(packages).toContain('@prisma/client');
    for (const unused of ['xero-node', 'openai', 'chrono-node', 'undici', 'express', 'body-parser', 'node-cron', 'jsonwebtoken', '@libsql/hrana-client', 'ws']) expect(packages).not.toContain(unused);
    expect(dateFormatters).toBe(0);
  });

  it('on SIGTERM stops taking work, finishes the reply in progress and exits 0 within 10 s', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const secret = 'test-signing-secret-0123456789';
    const app = run({ SLACK_BOT_TOKEN: 'xoxb-test-bot-token', SLACK_SIGNING_SECRET: secret, SLACK_API_URL: fake.apiUrl });
    await until(() => app.stdout().includes('xero-concierge is running'), 'the app to start');
    const port = Number(/"port":(\d+)/.exec(app.stdout())![1]);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    fake.delay('chat.postMessage', 1_500);
    const slack = new SlackRequests(base, secret, (id) => fake.responseUrl(id));
    const ack = await slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700005000.000100', channel: 'C0SHUTDOWN' });
    expect(ack.status).toBe(200);
    await fake.waitFor(() => fake.callsOf('chat.postMessage').length);
    const sentAt = Date.now();
    app.child.kill('SIGTERM');
    const { code, at } = await app.exited;
    expect(code).toBe(0);
    expect(at - sentAt).toBeLessThan(10_000);
    // The reply Slack was slow to accept was waited for, not cut off.
    expect(at - sentAt).toBeGreaterThanOrEqual(1_000);
    expect(app.stdout()).toContain('"msg":"stopped"');
    expect(app.stdout()).not.toContain('cut off');
    expect(app.stdout()).not.toContain('xoxb-test-bot-token');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('at LOG_LEVEL=trace writes no configured secret, in any encoding', async () => {
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxb-main-trace-bot-token',
      SLACK_SIGNING_SECRET: 'main/trace+signing=secret-0123',
      CONCIERGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CONCIERGE_OLD_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
    };
    const app = run({ ...secrets, LOG_LEVEL: 'trace', SLACK_API_URL: fake.apiUrl });
    await until(() => app.stdout().includes('xero-concierge is running'), 'the app to start');
    const port = Number(/"port":(\d+)/.exec(app.stdout())![1]);
    const slack = new SlackRequests(`http://127.0.0.1:${port}`, secrets.SLACK_SIGNING_SECRET, (id) => fake.responseUrl(id));
    await slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700005100.000100', channel: 'C0TRACE001' });
    await fake.waitFor(() => fake.callsOf('chat.postMessage').length);
    app.child.kill('SIGTERM');
    await app.exited;
    const output = app.stdout() + app.stderr();
    expect(output).toMatch(/"level":(10|20)/);
    for (const value of Object.values(secrets)) {
      for (const form of [value, encodeURIComponent(value)]) expect(output).not.toContain(form);
    }
  });

  it('stops on a bad DATABASE_URL with what is wrong, no stack trace and no secret', async () => {
    const cases = [
      { url: 'postgresql://app:hunter2-db-pass@db.internal:99999/concierge', says: 'DATABASE_URL=<hidden> is invalid: the port after the host name must be a number between 1 and 65535' },
      { url: 'file:', says: 'the SQLite file path is missing after file:' },
      { url: `file:${mainPath}/x.db`, says: `${mainPath} is a file, not a folder. Set DATABASE_URL` },
    ];
    for (const { url, says } of cases) {
      // Connected to Slack: the console never opens DATABASE_URL (it keeps its own database).
      // The database is opened before Slack is called, so no fake Slack is needed.
      const app = run({ DATABASE_URL: url, SLACK_BOT_TOKEN: 'xoxb-main-test-token', SLACK_SIGNING_SECRET: 'main-test-signing-secret-0123', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
      app.child.stdin.end();
      const { code } = await app.exited;
      expect(code).toBe(1);
      expect(app.stderr()).toContain(says);
      expect(app.stderr()).not.toMatch(/^\s+at /m);
      expect(app.stderr()).not.toContain('hunter2');
    }
  }, 60_000);
});

