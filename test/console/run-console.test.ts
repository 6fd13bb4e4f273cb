// The local console, in process with a real SQLite database: readable answers, the commands,
// and an escalation collected field by field and kept in the console's own database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { pressedButton, pressHint } from '../../src/console/console-buttons.ts';
import { consoleText, formatConsoleDate, parseConsoleDate } from '../../src/console/run-console.ts';
import { consoleActor } from '../../src/support/console-workspace.ts';
import { mrkdwnToText, renderBlocksAsText } from '../../src/console/render-blocks-as-text.ts';
import { createLogger } from '../../src/logger.ts';
import { escalationText, failedSyncErrorText, fieldErrorText, publishErrorText, text } from '../../src/slack/user-text.ts';
import { consoleSession, lines } from './console-session.ts';

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

function session(input: string): Promise<string> {
  return consoleSession({ CONCIERGE_DATA_DIR: dataDir }, input);
}

/** What the console user has filed, newest first. */
function filed() {
  return app.db.escalations.listByReporter(consoleActor.teamId, consoleActor.userId, { limit: 100 });
}

function yesterdayAt(time: string): string {
  const d = new Date(Date.now() - 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${time}`;
}

describe('the local console', () => {
  it('answers questions as readable text, with the buttons named', async () => {
    const out = await session('XERO11 on my report\n');
    expect(out).toContain('XERO11: the connection to Xero has expired');
    expect(out).toContain('What it means');
    expect(out).not.toContain('*What it means*');
    // No Xero here: Reconnect, Check connection and Retry could not work, so they are not offered.
    expect(out).toContain('\n[Escalate]\n');
    expect(out).not.toContain('[Reconnect Xero]');
    expect(out).not.toContain('[Retry failed exports]');
  });

  it('runs /concierge subcommands and explains unknown slash commands', async () => {
    const out = await session('/concierge status\n/concierge errors\n/concierge retry all\n/concierge reconnect\n/weather\n');
    expect(out).toContain(text.noConnections);
    expect(out).toContain(text.noFailedSyncs);
    expect(out).toContain(failedSyncErrorText.xero_not_configured);
    expect(out).toContain(text.xeroNotConfigured);
    expect(out).toContain(consoleText.unknownSlash('/weather'));
  });

  it('says under each reply how to press its buttons, and a typed number or name presses one', async () => {
    const question = 'XERO11 on the April report';
    const out = await session(lines(question, 'Helpful', '2', '3', '[Not helpful]'));
    expect(out).toContain('To press a button, type its number or its name: 1 Escalate · 2 Helpful · 3 Not helpful');
    // Four presses by one person on one answer: one vote, changed once.
    expect(out).toContain('Your vote was counted: Helpful. Thanks');
    expect(out).toContain('Your vote was already counted: Helpful. You have one vote per answer.');
    expect(out).toContain('Your vote was changed to Not helpful. You have one vote per answer.');
    expect(out).toContain('Your vote was already counted: Not helpful.');
  });

  it('presses the closest-article, article-action and Escalate buttons as Slack would', async () => {
    const out = await session(lines('sync failed', '3', 'Invoice # must be unique', 'Show failed exports', '/concierge status', 'sync failed', 'Escalate', 'cancel'));
    // 3 is the third closest article: its answer, with its own buttons listed.
    expect(out).toMatch(/Is it one of these\?[\s\S]*To press a button[^\n]*3 (?<title>[^·\n]+?) ·[\s\S]*\n\k<title>\n/);
    // Show failed exports, an action of the duplicate-number article, runs /concierge errors.
    expect(out).toContain(text.noFailedSyncs);
    // A reply without buttons leaves nothing to press: "Escalate" after it is pressed only from the next answer.
    expect(out).toContain(consoleText.escalateIntro);
    expect(out).toContain(consoleText.cancelled);
  });

  it('lists the closest others under an unsure ranked answer, and a typed number shows one of them', async () => {
    const out = await session(lines('Error: Account type is invalid for making a payment to/from', '2'));
    // The bank-account article with its Escalate button (1), then the two closest others (2 and 3); 2 answers with the first.
    expect(out).toContain(`${text.closestOthers}\n[`);
    expect(out).toMatch(/To press a button[^\n]*1 Escalate · 2 (?<title>[^·\n]+?) · 3 [\s\S]*\n\k<title>\n/);
  });

  it('does not take a question for a button press, and names buttons the console cannot press', async () => {
    const out = await session(lines('XERO11 on my report', '404 on every export'));
    expect(out).not.toContain(consoleText.slackOnly('Helpful'));
    // The second line was answered as a question: a second reply with its own buttons.
    expect(out.match(/To press a button/g)).toHaveLength(2);
    expect(pressedButton('12', [{ label: 'Helpful', press: { kind: 'feedback', helpful: true, ref: { a: null, q: 'x' } } }])).toBeNull();
    const retry = (id: string) => ({ label: 'Retry', press: { kind: 'command', command: { kind: 'retry', target: { kind: 'one', id } } } as const });
    expect(pressedButton('Retry', [retry('a'), retry('b')])).toBeNull();
    const claim = { label: 'Claim', press: { kind: 'slack_only' } as const };
    expect(pressHint([claim])).toBe('To press a button, type its number or its name: 1 Claim (in Slack only)');
  });

  it('collects an escalation field by field, re-asks bad answers with the reason and stores it', async () => {
    const out = await session(lines('/concierge escalate XERO11 on March travel', '', 'RPT-10442', 'yesterday-ish', '2999-01-01 10:00', yesterdayAt('09:30'), 'Close is Friday'));
    expect(out).toContain(escalationText.errorLabel);
    expect(out).toContain(consoleText.badDate);
    expect(out).toContain(fieldErrorText.occurred_at_in_future);
    const [stored] = await filed();
    expect(stored).toMatchObject({ reportId: 'RPT-10442', articleId: 'XERO11', postedAt: null, errorText: 'XERO11 on March travel', notes: 'Close is Friday' });
    expect(stored!.occurredAt!.getHours()).toBe(9);
    // The saved case is shown as support will read it, notes under their own heading.
    expect(out).toContain(`${escalationText.error}\n  │ XERO11 on March travel\n${escalationText.notes}\n  │ Close is Friday`);
    expect(out).toContain('Report: RPT-10442');
    // ...and the console says it stays here rather than promising to post it later.
    expect(out).toContain(consoleText.filed);
    expect(out).not.toContain(publishErrorText.slack_not_connected);
  });

  it('takes Enter after a refused date as "now" instead of keeping the refused date', async () => {
    const before = Date.now();
    const out = await session(lines('/concierge escalate', 'XERO11 on the April report', '', '2999-01-01 10:00', '', ''));
    expect(out).toContain(fieldErrorText.occurred_at_in_future);
    expect(out).toContain(consoleText.filed);
    const [stored] = await filed();
    expect(stored!.errorText).toBe('XERO11 on the April report');
    expect(stored!.occurredAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(stored!.occurredAt!.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('skips the optional fields on Enter and re-asks a missing error with the reason', async () => {
    const out = await session(lines('/concierge escalate', '', 'Invoice INV-7 was rejected by Xero', '', '', ''));
    expect(out).toContain(fieldErrorText.error_text_missing);
    const [stored] = await filed();
    expect(stored).toMatchObject({ errorText: 'Invoice INV-7 was rejected by Xero', reportId: null, notes: null });
  });

  it('cancels at every prompt, also after a refused answer, says nothing was filed and carries on', async () => {
    const start = '/concierge escalate XERO11 on March travel';
    const answersBeforeEachPrompt = [[], [''], ['', 'RPT-1'], ['', 'RPT-1', ''], ['', 'RPT-1', '2999-01-01 10:00']];
    for (const answers of answersBeforeEachPrompt) {
      const count = (await filed()).length;
      const out = await session(lines(start, ...answers, 'Cancel', 'XERO11'));
      expect(out).toContain(consoleText.cancelled);
      expect(out).toContain('XERO11: the connection to Xero has expired');
      expect(await filed()).toHaveLength(count);
    }
  });

  it('offers the report and the time read from the pasted error; Enter accepts them', async () => {
    const out = await session(lines('/concierge escalate XERO01 on report R00452 yesterday at 9:30', '', '', '', ''));
    expect(out).toContain('[R00452]');
    expect(out).toContain(`[${yesterdayAt('09:30')}]`);
    const [stored] = await filed();
    expect(stored).toMatchObject({ errorText: 'XERO01 on report R00452 yesterday at 9:30', reportId: 'R00452', codes: ['XERO01'] });
    expect(formatConsoleDate(stored!.occurredAt!)).toBe(yesterdayAt('09:30'));
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
