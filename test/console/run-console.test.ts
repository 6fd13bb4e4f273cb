// The local console, in process with a real SQLite database: readable answers, the commands,
// and an escalation collected field by field and stored for posting once Slack is connected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { consoleActor, consoleText, parseConsoleDate } from '../../src/console/run-console.ts';
import { mrkdwnToText, renderBlocksAsText } from '../../src/console/render-blocks-as-text.ts';
import { createLogger } from '../../src/logger.ts';
import { escalationText, fieldErrorText, publishErrorText, text } from '../../src/slack/user-text.ts';

let app: Application;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'concierge-console-test-'));
  const config = loadConfig({ CONCIERGE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
  app = await createApplication(config, { logger: createLogger({ level: 'silent' }) });
});
afterAll(async () => {
  await app?.stop(1_000);
  rmSync(dataDir, { recursive: true, force: true });
});

async function session(input: string): Promise<string> {
  let output = '';
  const stdin = new PassThrough();
  const stdout = new Writable({
    write(chunk: Buffer, _e, done) {
      output += chunk.toString();
      done();
    },
  });
  const config = loadConfig({ CONCIERGE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
  const consoleApp = await createApplication(config, { logger: createLogger({ level: 'silent' }), stdin, stdout });
  try {
    stdin.end(input);
    await consoleApp.runConsole();
  } finally {
    await consoleApp.stop(1_000);
  }
  return output;
}

describe('the local console', () => {
  it('answers questions as readable text, with the buttons named', async () => {
    const out = await session('XERO11 on my report\n');
    expect(out).toContain('XERO11: the connection to Xero has expired');
    expect(out).toContain('What it means');
    expect(out).not.toContain('*What it means*');
    expect(out).toContain('[Reconnect Xero] [Check connection] [Retry failed exports] [Escalate]');
  });

  it('runs /concierge subcommands and explains unknown slash commands', async () => {
    const out = await session('/concierge status\n/concierge errors\n/concierge retry all\n/concierge reconnect\n/weather\n');
    expect(out).toContain(text.noConnections);
    expect(out).toContain(text.noFailedSyncs);
    expect(out).toContain('There are no failed exports waiting to be retried.');
    expect(out).toContain(text.xeroNotConfigured);
    expect(out).toContain(consoleText.unknownSlash('/weather'));
  });

  it('collects an escalation field by field, re-asks bad answers and stores it', async () => {
    const d = new Date(Date.now() - 86_400_000);
    const yesterday = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} 09:30`;
    const out = await session(['/concierge escalate XERO11 on March travel', '', 'RPT-10442', 'yesterday-ish', '2999-01-01 10:00', 'Close is Friday', yesterday, ''].join('\n'));
    expect(out).toContain(escalationText.errorLabel);
    expect(out).toContain(consoleText.badDate);
    expect(out).toContain(fieldErrorText.occurred_at_in_future);
    expect(out).toContain(publishErrorText.slack_not_connected);
    const [stored] = await app.db.escalations.listByReporter(consoleActor.teamId, consoleActor.userId, { limit: 1 });
    expect(stored).toMatchObject({ reportId: 'RPT-10442', articleId: 'XERO11', postedAt: null, errorText: 'XERO11 on March travel', notes: 'Close is Friday' });
    // The saved case is shown as support will read it, notes under their own heading.
    expect(out).toContain(`${escalationText.error}\n  │ XERO11 on March travel\n${escalationText.notes}\n  │ Close is Friday`);
    expect(out).toContain('Report: RPT-10442');
  });

  it('cancels an escalation when the input ends half way', async () => {
    const out = await session('/concierge escalate\nSomething broke\n');
    expect(out).toContain(consoleText.cancelled);
  });
});

describe('text rendering', () => {
  it('turns mrkdwn links, dates, mentions, quotes and entities into plain text', () => {
    expect(mrkdwnToText('*Bold* see <https://x.test|docs> at <!date^1700000000^{date_short_pretty}|2023-11-14 22:13 UTC> by <@U1> &lt;ok&gt;')).toBe(
      'Bold see docs (https://x.test) at 2023-11-14 22:13 UTC by @U1 <ok>',
    );
    expect(mrkdwnToText('>quoted\n>lines')).toBe('  │ quoted\n  │ lines');
    expect(mrkdwnToText('>_Notes from the reporter:_ call me')).toBe('  │ Notes from the reporter: call me');
  });

  it('renders headers, fields, context and buttons', () => {
    const out = renderBlocksAsText([
      { type: 'header', text: { type: 'plain_text', text: 'Title' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Report*\nR-1' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'small print' }] },
      { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Go' } }] },
      { type: 'divider' },
    ]);
    expect(out).toBe('TITLE\nReport: R-1\n  small print\n[Go]\n────────────────────────────────');
  });

  it('reads console dates', () => {
    expect(parseConsoleDate('2025-06-01 09:30')?.getHours()).toBe(9);
    expect(parseConsoleDate('not a date')).toBeNull();
  });
});
