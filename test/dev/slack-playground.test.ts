// The local Slack playground as a newcomer uses it, every part its own process: the fake Slack
// (`npm run slack:fake`), the bot started with the environment the fake prints, and
// `npm run slack:send` driving it; what the bot sends is read from the fake's output.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownActionIds } from '../../src/slack/ids.ts';
import { escalationText, fieldErrorText } from '../../src/slack/user-text.ts';
import { playground } from '../../dev/slack-playground.ts';

const script = (path: string) => new URL(path, import.meta.url).pathname;
const fakeScript = script('../../dev/slack-fake.ts');
const sendScript = script('../../dev/slack-send.ts');
const mainScript = script('../../src/main.ts');
// Only what Node needs from the parent: no Slack variables leak in from the machine.
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, args, { env: { ...baseEnv, ...env }, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until<T>(check: () => T, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let fake: Running;
let bot: Running;
let fakeUrl = '';
let botUrl = '';
const dataDir = mkdtempSync(join(tmpdir(), 'concierge-playground-test-'));

/** Runs `npm run slack:send -- <args>` against this test's bot and fake. */
async function send(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [sendScript, '--url', botUrl, '--fake', fakeUrl, ...args], { env: baseEnv, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

/** The fake's printed paragraphs, one per Web API call or response_url post. */
function printedCalls(): string[] {
  return fake.output().split('\n── ').slice(1);
}

beforeAll(async () => {
  fake = start([fakeScript, '--port', '0']);
  const startLine = await until(() => fake.output().split('\n').find((line) => line.trim().endsWith(' npm start')), 'the fake to print how to start the bot');
  fakeUrl = /Fake Slack Web API on (\S+)/.exec(fake.output())![1]!;
  // The bot gets exactly the variables the fake printed, plus a free port and its own data folder.
  const printedEnv = Object.fromEntries(
    startLine
      .trim()
      .replace(/ npm start$/, '')
      .split(' ')
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  expect(printedEnv.SLACK_API_URL).toBe(`${fakeUrl}/api/`);
  bot = start([mainScript], { ...printedEnv, PORT: '0', CONCIERGE_DATA_DIR: dataDir });
  const port = await until(() => /"port":(\d+),"msg":"xero-concierge is running"/.exec(bot.output())?.[1], 'the bot to start', 30_000);
  botUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const running of [bot, fake]) {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the Slack playground', () => {
  it('a mention is answered in its thread, shown in the fake with a command for each button', async () => {
    const sent = await send('mention', 'XERO11 on my report');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('HTTP 200');
    const ts = /ts=(\d+\.\d+)/.exec(sent.stdout)![1]!;
    const reply = await until(() => printedCalls().find((c) => c.startsWith('chat.postMessage') && c.includes(`thread_ts=${ts}`)), 'the answer in the thread');
    expect(reply).toContain(`channel=${playground.channelId}`);
    expect(reply).toContain('XERO11: the connection to Xero has expired');
    expect(reply).toContain('1. Ask an admin');
    expect(reply).toContain(`[Helpful] npm run slack:send -- --fake ${fakeUrl} action feedback_helpful '{"a":"XERO11","q":"XERO11 on my report"}'`);
  });

  it('/concierge help is answered in the acknowledgement, rendered as text', async () => {
    const sent = await send('command', 'help');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('HTTP 200 OK');
    expect(sent.stdout).toContain('/concierge status');
    expect(sent.stdout).toContain('/concierge escalate [error]');
  });

  it('the "Report a Xero error" shortcut opens the form, printed with its fields and the command that submits it', async () => {
    const sent = await send('shortcut', 'report-xero-error', 'Export failed: XERO11 on invoice INV-7', '--message-ts', '1700000700.000100');
    expect(sent.code).toBe(0);
    const form = await until(() => printedCalls().find((c) => c.startsWith('views.open') && c.includes('INV-7')), 'the escalation form');
    expect(form).toContain(`${escalationText.errorLabel}: Export failed: XERO11 on invoice INV-7`);
    expect(form).toContain(`${escalationText.occurredAtLabel}: `);
    expect(form).toContain("submit-escalation --error 'Export failed: XERO11 on invoice INV-7' --report 'March travel' --at now --thread-ts 1700000700.000100");
  });

  it('an escalation form with problems stays open with them listed', async () => {
    const sent = await send('submit-escalation', '--at', 'now');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('The form stays open with these errors:');
    expect(sent.stdout).toContain(fieldErrorText.error_text_missing);
  });

  it('a submitted escalation is posted to the support channel, and its printed Claim command works for an admin', async () => {
    const sent = await send('submit-escalation', '--error', 'XERO11 Sync Error: the connection to Xero has expired', '--report', 'March travel', '--at', 'now');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toContain('HTTP 200');
    const triage = await until(() => printedCalls().find((c) => c.startsWith('chat.postMessage') && c.includes(`channel=${playground.supportChannelId} `)), 'the case in the support channel');
    expect(triage).toContain('XERO11 Sync Error: the connection to Xero has expired');
    expect(triage).toContain('Report: March travel');
    const claim = /\[Claim\] npm run slack:send -- (.+)/.exec(triage)![1]!.split(' ');
    const claimed = await send(...claim, '--user', playground.adminUserId);
    expect(claimed.code).toBe(0);
    const update = await until(() => printedCalls().find((c) => c.startsWith('chat.update') && c.includes(`channel=${playground.supportChannelId} `)), 'the triage message to be updated');
    expect(update).toContain(`Claimed by @${playground.adminUserId}`);
  });

  it('an unknown request or flag prints the usage, with every action id, and exits 2', async () => {
    const unknown = await send('bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown request "bogus"');
    for (const id of knownActionIds) expect(unknown.stderr).toContain(id);
    const badFlag = await send('mention', 'hello', '--colour', 'red');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain("Unknown option '--colour'");
  });

  it('Ctrl-C stops the fake cleanly', async () => {
    fake.child.kill('SIGINT');
    expect(await fake.exited).toBe(0);
    expect(fake.output()).toContain('fake Slack stopped');
  });
});
