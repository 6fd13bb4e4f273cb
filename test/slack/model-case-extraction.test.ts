// Reading a pasted case with the model, over signed Slack requests, the fake Slack and the real
// `openai` client against the fake OpenAI API. The deterministic extractor misses a report named in
// words ("the Q3 board pack"); the model finds it, so the thread's follow-up does not ask for it and
// the escalation modal is prefilled with it. A stalled model falls back to the deterministic fields,
// and the modal still opens at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI, playgroundModel, type FakeBehaviour, type FakeChatRequest } from '../../dev/fake-openai-api.ts';
import { caseText } from '../../src/copy/case-conversation-text.ts';
import type { RecordedCall } from '../../dev/fake-slack-api.ts';
import { addConnection, settle, startTestApp, type TestApp } from './test-app.ts';

const pasted =
  'XERO01 Error: Unable to complete action to Xero. Please reach out to Concierge for additional assistance. It happened on the Q3 board pack export yesterday at 3pm';
const channel = 'C0CHAN0001';
const reporter = 'U0USER0001';
const clock = new Date('2026-11-20T10:30:00Z');
const timeoutMs = 800;

let t: TestApp;
let openai: FakeOpenAI;
let seq = 0;

/** The model finds the report in words; everything else as a well-behaved model does. */
function findsReport(request: FakeChatRequest): FakeBehaviour {
  if (request.schemaName !== 'case_fields') return playgroundModel(request);
  return { kind: 'json', content: { errorCode: null, errorMessage: null, report: 'Q3 board pack', time: null, timeText: null, organisation: null } };
}

function stallsOnCases(request: FakeChatRequest): FakeBehaviour {
  return request.schemaName === 'case_fields' ? { kind: 'stall' } : playgroundModel(request);
}

function newThread(): string {
  seq += 1;
  return `${Math.floor(clock.getTime() / 1000) - 60}.${String(seq * 10).padStart(6, '0')}`;
}

const threadPosts = (threadTs: string): RecordedCall[] => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel && c.params.thread_ts === threadTs);

type View = { blocks: { block_id?: string; element?: Record<string, unknown> }[] };
const field = (view: View, block: string) => view.blocks.find((b) => b.block_id === block)?.element;

beforeAll(async () => {
  openai = await FakeOpenAI.start();
  t = await startTestApp({
    now: () => clock,
    env: { OPENAI_API_KEY: 'sk-test-0123456789abcdefghijklmnop', OPENAI_BASE_URL: openai.baseUrl, OPENAI_TIMEOUT_MS: String(timeoutMs) },
    fake: { userTimeZones: { [reporter]: 'Europe/London' } },
  });
  await addConnection(t, { id: 'tenant-a', name: 'Acme Ltd' });
});
afterAll(async () => {
  await t?.close();
  await openai?.close();
});
afterEach(() => {
  expect(openai.unexpected).toEqual([]);
  openai.requests.length = 0;
});

describe('a pasted case read with the model', () => {
  it('the model adds the report the extractor missed, so the thread goes straight to the summary', async () => {
    openai.script = findsReport;
    const thread = newThread();
    await t.slack.event({ type: 'app_mention', user: reporter, text: `<@U0BOT00001> ${pasted}`, ts: thread, channel });
    await settle(t.app);
    const summary = threadPosts(thread).at(-1)!;
    expect(summary.params.text).toContain(caseText.summaryIntro);
    expect(summary.params.text).toContain('Q3 board pack');
    expect(summary.params.text).not.toContain('Which report');
    // Only the fields the extractor left empty were asked for: the code, message and time it had.
    const asked = openai.requests.find((r) => r.schemaName === 'case_fields')!;
    expect(asked.input).toMatchObject({ wanted: ['report', 'organisation'], timeZone: 'Europe/London' });
  });

  it('a stalled model leaves the deterministic fields: the answer comes at once and the follow-up asks for the report', async () => {
    openai.script = stallsOnCases;
    const thread = newThread();
    const sent = performance.now();
    await t.slack.event({ type: 'app_mention', user: reporter, text: `<@U0BOT00001> ${pasted}`, ts: thread, channel });
    // The answer is not held up by the stalled reading of the case.
    await t.fake.waitFor(() => t.fake.callsOf('chat.update').find((c) => c.params.channel === channel && JSON.stringify(c.params.blocks).includes('XERO01')));
    expect(performance.now() - sent).toBeLessThan(timeoutMs);
    await settle(t.app);
    const question = threadPosts(thread).at(-1)!;
    expect(question.params.text).toContain('Which report was it (its name or ID)?');
  });

  it('/concierge escalate opens the modal first and then fills in the report the model found', async () => {
    openai.script = findsReport;
    const start = t.fake.calls.length;
    await t.slack.command(`escalate ${pasted}`);
    const update = await t.fake.waitFor(() => t.fake.calls.slice(start).find((c) => c.method === 'views.update'));
    expect(t.fake.calls[start]!.method).toBe('views.open');
    const view = update.params.view as View;
    expect(field(view, 'escalation_report')!.initial_value).toBe('Q3 board pack');
    expect(field(view, 'escalation_occurred_at')!.initial_date_time).toBe(Date.parse('2026-11-19T15:00:00Z') / 1000);
  });

  it('with a stalled model the modal opens at once and keeps the deterministic prefill', async () => {
    openai.script = stallsOnCases;
    const start = t.fake.calls.length;
    const sent = performance.now();
    await t.slack.messageShortcut('report_xero_error', { ts: `${Math.floor(clock.getTime() / 1000)}.000500`, user: reporter, text: pasted });
    await t.fake.waitFor(() => t.fake.calls.slice(start).find((c) => c.method === 'views.open'));
    expect(performance.now() - sent).toBeLessThan(timeoutMs);
    const update = await t.fake.waitFor(() => t.fake.calls.slice(start).find((c) => c.method === 'views.update'));
    const view = update.params.view as View;
    expect(field(view, 'escalation_report')!.initial_value).toBeUndefined();
    expect(field(view, 'escalation_occurred_at')!.initial_date_time).toBe(Date.parse('2026-11-19T15:00:00Z') / 1000);
  });
});
