// The case conversation over signed Slack requests through the fake Slack: a pasted XERO01 gets
// its answer and one follow-up question for what is missing; the reporter's reply in the thread
// fills it; the summary's Send files the case once (also when pressed twice, and from two
// instances); the conversation survives a restart; times are read in the reporter's zone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caseText, sendCaseErrorText } from '../../src/copy/case-conversation-text.ts';
import { actionIds } from '../../src/slack/ids.ts';
import type { RecordedCall } from '../../dev/fake-slack-api.ts';
import { FakeXero } from '../../dev/fake-xero-api.ts';
import { escalationText, verdictText } from '../../src/slack/user-text.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { newKey } from '../db/test-databases.ts';
import { consentAndStore, redirectUri } from '../support/xero-health-fixture.ts';
import { addConnection, settle, startTestApp, supportChannel, type TestApp } from './test-app.ts';

const X01 = 'XERO01 Error: Unable to complete action to Xero. Please reach out to Concierge for additional assistance.';
const X11 = 'XERO11 Sync Error: The connection to Xero has expired. Please follow prompts in the Workspace to reconnect.';
const channel = 'C0CHAN0001';
const reporter = 'U0USER0001';
// Friday 20 November 2026, 10:30 in London (GMT).
const clock = new Date('2026-11-20T10:30:00Z');
const tsAt = (date: Date, micros = 100) => `${Math.floor(date.getTime() / 1000)}.${String(micros).padStart(6, '0')}`;

let seq = 0;
/** A thread ts no other test uses. */
function newThread(): string {
  seq += 1;
  return tsAt(new Date(clock.getTime() - 60_000), seq * 10);
}

async function mention(t: TestApp, text: string, ts: string): Promise<void> {
  const response = await t.slack.event({ type: 'app_mention', user: reporter, text: `<@U0BOT00001> ${text}`, ts, channel });
  expect(response.status).toBe(200);
  await settle(t.app);
}

async function reply(t: TestApp, text: string, threadTs: string, at = clock, user = reporter): Promise<void> {
  const response = await t.slack.event({ type: 'message', channel_type: 'channel', user, text, ts: tsAt(at, 900 + seq), channel, thread_ts: threadTs });
  expect(response.status).toBe(200);
  await settle(t.app);
}

function threadPosts(t: TestApp, threadTs: string): RecordedCall[] {
  return t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel && c.params.thread_ts === threadTs);
}

function lastThreadPost(t: TestApp, threadTs: string): RecordedCall {
  const posts = threadPosts(t, threadTs);
  return posts[posts.length - 1]!;
}

function sendButtonValue(call: RecordedCall): string {
  const blocks = call.params.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
  const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === actionIds.sendCase);
  if (!button) throw new Error(`no Send button in ${JSON.stringify(blocks)}`);
  return button.value;
}

function triagePosts(t: TestApp, text: string): RecordedCall[] {
  return t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === supportChannel && JSON.stringify(c.params.blocks).includes(text));
}

async function startApp(dataDir?: string, tz?: Record<string, string>): Promise<TestApp> {
  const t = await startTestApp({ now: () => clock, ...(dataDir ? { env: { CONCIERGE_DATA_DIR: dataDir } } : {}), fake: { userTimeZones: tz ?? {} } });
  if ((await t.app.db.connections.listByTeam(t.fake.teamId)).length === 0) await addConnection(t, { id: 'tenant-a', name: 'Acme Ltd' });
  return t;
}

describe('collecting a case in the thread', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers a pasted XERO01, asks only for the report and the time, reads the reply, and Send files the complete case', async () => {
    const thread = newThread();
    await mention(t, X01, thread);
    const posts = threadPosts(t, thread);
    expect(posts.length).toBe(2); // the answer, then the follow-up
    const question = posts[1]!;
    expect(question.params.text).toContain(X01);
    expect(question.params.text).toContain('Which report was it, and roughly when did it fail?');
    // One connected organisation: it is taken, not asked for.
    expect(question.params.text).not.toContain('organisation?');

    await reply(t, 'it was report R00452, today at 9:40', thread);
    const summary = lastThreadPost(t, thread);
    expect(summary.params.text).toContain(caseText.summaryIntro);
    expect(summary.params.text).toContain('R00452');
    expect(summary.params.text).toContain('20 Nov 2026, 09:40 Europe/London (20 Nov 2026, 09:40 UTC)');
    expect(summary.params.text).toContain('Acme Ltd');
    const conversationId = sendButtonValue(summary);
    expect(JSON.stringify(summary.params.blocks)).toContain(actionIds.editCase);

    const { response } = await t.slack.button(actionIds.sendCase, conversationId, { message: { ts: String(summary.params.ts ?? thread), thread_ts: thread, blocks: summary.params.blocks } });
    expect(response.status).toBe(200);
    await settle(t.app);
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 1 });
    expect(stored).toMatchObject({ reportId: 'R00452', articleId: 'XERO01', channelId: channel, threadTs: thread });
    expect(stored!.errorText).toBe(X01);
    expect(stored!.occurredAt?.toISOString()).toBe('2026-11-20T09:40:00.000Z');
    expect(stored!.connectionId).not.toBeNull();
    const [triage] = triagePosts(t, stored!.id);
    expect(triage).toBeDefined();
    const triageBlocks = JSON.stringify(triage!.params.blocks);
    expect(triageBlocks).toContain('R00452');
    expect(triageBlocks).toContain('Acme Ltd');
    expect(triageBlocks).toContain('Unable to complete action to Xero');
    // The structured fields: codes, the time in UTC and the reporter's zone, and the thread.
    expect(stored!.codes).toEqual(['XERO01']);
    expect(stored!.reporterTimeZone).toBe('Europe/London');
    expect(triageBlocks).toContain('*Codes*\\nXERO01');
    expect(triageBlocks).toContain('20 Nov 2026, 09:40 Europe/London (20 Nov 2026, 09:40 UTC)');
    // The thread's link is Slack's own permalink, on the workspace's domain.
    expect(t.fake.callsOf('chat.getPermalink').some((c) => c.params.channel === channel && c.params.message_ts === thread)).toBe(true);
    expect(triageBlocks).toContain(`<https://fake.slack.test/archives/${channel}/p${thread.replace('.', '')}|`);
    expect(triageBlocks).not.toContain('https://slack.com/archives');
    // The summary loses its buttons; the reporter is told in the thread.
    const replaced = t.fake.responses.find((r) => JSON.stringify(r.body).includes(caseText.sentMessage));
    expect(replaced).toBeDefined();
    expect(JSON.stringify(replaced!.body)).not.toContain(actionIds.sendCase);
  });

  it('pressing Send twice files one case and tells the second press it was already sent', async () => {
    const thread = newThread();
    await mention(t, `${X01} on report R00777 yesterday at 4pm`, thread);
    const summary = lastThreadPost(t, thread);
    const id = sendButtonValue(summary);
    const before = (await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 50 })).length;
    const press = () => t.slack.button(actionIds.sendCase, id, { message: { ts: String(summary.params.ts), thread_ts: thread } });
    await Promise.all([press(), press()]);
    await settle(t.app);
    const after = await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 50 });
    expect(after.length).toBe(before + 1);
    expect(triagePosts(t, 'R00777').length).toBe(1);
    expect(t.fake.responses.some((r) => JSON.stringify(r.body).includes(sendCaseErrorText.case_already_sent))).toBe(true);
  });

  it('"cancel" ends the conversation; later replies in the thread are left alone', async () => {
    const thread = newThread();
    await mention(t, X01, thread);
    await reply(t, 'cancel', thread);
    expect(lastThreadPost(t, thread).params.text).toBe(caseText.cancelled);
    const count = threadPosts(t, thread).length;
    await reply(t, 'report R00999 at 9am', thread);
    expect(threadPosts(t, thread).length).toBe(count);
  });

  it("ignores other people's replies in the reporter's thread, and does not let their mention take the case over", async () => {
    const thread = newThread();
    await mention(t, X01, thread);
    const count = threadPosts(t, thread).length;
    await reply(t, 'report R00123 at 9am', thread, clock, 'U0OTHER001');
    expect(threadPosts(t, thread).length).toBe(count);
    const other = await t.slack.event({ type: 'app_mention', user: 'U0OTHER001', text: `<@U0BOT00001> ${X01}`, ts: tsAt(clock, 700), thread_ts: thread, channel });
    expect(other.status).toBe(200);
    await settle(t.app);
    expect(threadPosts(t, thread).length).toBe(count + 1); // the answer, and no case of theirs
    await reply(t, 'report R00124 at 9am', thread);
    expect(lastThreadPost(t, thread).params.text).toContain('R00124');
  });

  it('an answer that needs no support starts no conversation', async () => {
    const thread = newThread();
    await mention(t, 'XERO11 Sync Error: The connection to Xero has expired. Please follow prompts in the Workspace to reconnect.', thread);
    expect(threadPosts(t, thread).length).toBe(1);
  });

  it('"it still fails" under an answer, without a mention, starts the case from the question; other replies are left alone', async () => {
    const thread = newThread();
    await mention(t, X11, thread);
    expect(threadPosts(t, thread).length).toBe(1);
    await reply(t, 'thanks, trying that now', thread);
    expect(threadPosts(t, thread).length).toBe(1);
    await reply(t, 'I reconnected and it still fails', thread);
    expect(threadPosts(t, thread).length).toBe(2);
    const question = lastThreadPost(t, thread);
    expect(question.params.text).toContain('The connection to Xero has expired');
    expect(question.params.text).toContain('Which report was it, and roughly when did it fail?');
    await reply(t, 'report R00321, today at 10:05', thread);
    const summary = lastThreadPost(t, thread);
    expect(summary.params.text).toContain('R00321');
    expect(sendButtonValue(summary)).toBeTruthy();
  });

  it('"it still fails" in a thread the bot never answered gets no reply', async () => {
    const thread = newThread();
    const before = t.fake.callsOf('chat.postMessage').length;
    await reply(t, 'it still fails', thread);
    expect(t.fake.callsOf('chat.postMessage').length).toBe(before);
  });
});

describe('times in the reporter zone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(undefined, { [reporter]: 'America/New_York' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads "yesterday at 3pm" in the zone users.info gives, and shows it beside UTC', async () => {
    const thread = newThread();
    await mention(t, `${X01} report R00111`, thread);
    await reply(t, 'yesterday at 3pm', thread);
    const summary = lastThreadPost(t, thread);
    // Sent 05:30 in New York on the 20th: yesterday is the 19th, EST (UTC-5).
    expect(summary.params.text).toContain('19 Nov 2026, 15:00 America/New_York (19 Nov 2026, 20:00 UTC)');
    await t.slack.button(actionIds.sendCase, sendButtonValue(summary), { message: { ts: String(summary.params.ts), thread_ts: thread } });
    await settle(t.app);
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 1 });
    expect(stored!.occurredAt?.toISOString()).toBe('2026-11-19T20:00:00.000Z');
    expect(JSON.stringify(triagePosts(t, stored!.id)[0]!.params.blocks)).toContain('19 Nov 2026, 15:00 America/New_York (19 Nov 2026, 20:00 UTC)');
    expect(t.fake.callsOf('users.info').some((c) => c.params.user === reporter)).toBe(true);
  });
});

describe('across restarts and instances', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'concierge-case-conversation-'));
  const running: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.close()));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a restart in the middle of the conversation loses nothing: the reply after it completes the case', async () => {
    const thread = newThread();
    const first = await startApp(dataDir);
    await mention(first, X01, thread);
    expect(lastThreadPost(first, thread).params.text).toContain('Which report was it');
    await first.close();

    const second = await startApp(dataDir);
    running.push(second);
    await reply(second, 'report R00555 at 9:15 today', thread);
    const summary = lastThreadPost(second, thread);
    expect(summary.params.text).toContain('R00555');
    expect(summary.params.text).toContain(X01);
  });

  it('a thread answered before a restart still takes "it still fails" without a mention after it', async () => {
    const thread = newThread();
    const first = await startApp(dataDir);
    await mention(first, X11, thread);
    await first.close();

    const second = await startApp(dataDir);
    running.push(second);
    await reply(second, 'still failing after reconnecting, report R00666 at 10:10 today', thread);
    const summary = lastThreadPost(second, thread);
    expect(summary.params.text).toContain(caseText.summaryIntro);
    expect(summary.params.text).toContain('R00666');
    expect(summary.params.text).toContain('The connection to Xero has expired');
  });

  it('Send pressed on two instances at once files one case', async () => {
    const thread = newThread();
    const a = await startApp(dataDir);
    running.push(a);
    const b = await startApp(dataDir);
    running.push(b);
    await mention(a, `${X01} report R00888 at 8:05 today`, thread);
    const summary = lastThreadPost(a, thread);
    const id = sendButtonValue(summary);
    const press = (t: TestApp) => t.slack.button(actionIds.sendCase, id, { message: { ts: String(summary.params.ts), thread_ts: thread } });
    await Promise.all([press(a), press(b)]);
    await Promise.all([settle(a.app), settle(b.app)]);
    const filed = (await a.app.db.escalations.listByReporter(a.fake.teamId, reporter, { limit: 50 })).filter((e) => e.reportId === 'R00888');
    expect(filed.length).toBe(1);
    expect(triagePosts(a, 'R00888').length + triagePosts(b, 'R00888').length).toBe(1);
  });
});

describe('with Xero configured', () => {
  let xero: FakeXero;
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'concierge-case-verdict-'));
  beforeAll(async () => {
    xero = await FakeXero.start({ redirectUris: [redirectUri], organisations: [{ name: 'Demo Co' }] });
    const gateway = new XeroNodeGateway({ clientId: xero.clientId, clientSecret: xero.clientSecret, redirectUri, identityUrl: xero.identityUrl, apiUrl: xero.apiUrl, timeoutMs: 2_000 });
    t = await startTestApp({
      now: () => clock,
      env: {
        CONCIERGE_DATA_DIR: dir,
        CONCIERGE_ENCRYPTION_KEY: newKey(),
        XERO_CLIENT_ID: xero.clientId,
        XERO_CLIENT_SECRET: xero.clientSecret,
        XERO_REDIRECT_URI: redirectUri,
        XERO_IDENTITY_URL: xero.identityUrl,
        XERO_API_URL: xero.apiUrl,
      },
    });
    await consentAndStore(xero, gateway, t.app.db, t.fake.teamId);
  });
  afterAll(async () => {
    await t?.close();
    await xero?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the case carries the organisation and the connection's live verdict at report time", async () => {
    const thread = newThread();
    await mention(t, `${X01} report R00321 at 9:00 today`, thread);
    const summary = lastThreadPost(t, thread);
    expect(summary.params.text).toContain('Demo Co');
    await t.slack.button(actionIds.sendCase, sendButtonValue(summary), { message: { ts: String(summary.params.ts), thread_ts: thread } });
    await settle(t.app);
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 1 });
    expect(stored!.connectionVerdict).toBe('healthy');
    const blocks = JSON.stringify(triagePosts(t, stored!.id)[0]!.params.blocks);
    expect(blocks).toContain(escalationText.verdictAtReport);
    expect(blocks).toContain(verdictText.healthy('Demo Co', ''));
  });
});

describe('every way into an escalation is prefilled from extraction', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(undefined, { [reporter]: 'America/New_York' });
  });
  afterAll(async () => {
    await t?.close();
  });

  type View = { private_metadata: string; blocks: { block_id?: string; element?: Record<string, unknown> }[] };
  const field = (view: View, block: string) => view.blocks.find((b) => b.block_id === block)?.element;

  async function updatedView(start: number): Promise<View> {
    const update = await t.fake.waitFor(() => t.fake.calls.slice(start).find((c) => c.method === 'views.update'));
    return update.params.view as View;
  }

  it('the Escalate button, /concierge escalate and the message shortcut fill report, time (in the user zone) and organisation', async () => {
    const pasted = 'XERO01 on report R00640 yesterday at 3pm';
    const yesterday3pmNewYork = Date.parse('2026-11-19T20:00:00Z') / 1000;

    let start = t.fake.calls.length;
    await t.slack.button(actionIds.escalate, JSON.stringify({ a: 'XERO01', q: pasted }), { message: { ts: newThread() } });
    let view = await updatedView(start);
    expect(t.fake.calls[start]!.method).toBe('views.open'); // the trigger is used first
    expect(field(view, 'escalation_report')!.initial_value).toBe('R00640');
    expect(field(view, 'escalation_occurred_at')!.initial_date_time).toBe(yesterday3pmNewYork);
    expect(JSON.stringify(field(view, 'escalation_connection')!.initial_option)).toContain('Acme Ltd');

    start = t.fake.calls.length;
    await t.slack.command(`escalate ${pasted}`);
    view = await updatedView(start);
    expect(field(view, 'escalation_report')!.initial_value).toBe('R00640');
    expect(field(view, 'escalation_occurred_at')!.initial_date_time).toBe(yesterday3pmNewYork);

    start = t.fake.calls.length;
    await t.slack.messageShortcut('report_xero_error', { ts: tsAt(clock), user: reporter, text: pasted });
    view = await updatedView(start);
    expect(field(view, 'escalation_report')!.initial_value).toBe('R00640');
    expect(field(view, 'escalation_occurred_at')!.initial_date_time).toBe(yesterday3pmNewYork);
  });

  it('a case filed from the form shows its time in the reporter zone (users.info) beside UTC', async () => {
    const start = t.fake.calls.length;
    await t.slack.command('escalate XERO01 on report R00660 today at 4am');
    const view = await updatedView(start);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ z: 'America/New_York' });
    const values = {
      escalation_error: { value: { type: 'plain_text_input', value: 'XERO01 Error: Unable to complete action to Xero.' } },
      escalation_report: { value: { type: 'plain_text_input', value: 'R00660' } },
      escalation_occurred_at: { value: { type: 'datetimepicker', selected_date_time: Date.parse('2026-11-20T09:00:00Z') / 1000 } },
    };
    expect((await t.slack.viewSubmission('escalation_modal', values, view.private_metadata)).status).toBe(200);
    await settle(t.app);
    const [stored] = (await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 50 })).filter((e) => e.reportId === 'R00660');
    expect(stored!.reporterTimeZone).toBe('America/New_York');
    const triage = JSON.stringify(triagePosts(t, 'R00660')[0]!.params.blocks);
    expect(triage).toContain('20 Nov 2026, 04:00 America/New_York (20 Nov 2026, 09:00 UTC)');
  });

  it('Edit opens the form with the collected case, and submitting it files that case once', async () => {
    const thread = newThread();
    await mention(t, `${X01} report R00650 at 5am today`, thread);
    const summary = lastThreadPost(t, thread);
    const id = sendButtonValue(summary);
    const start = t.fake.calls.length;
    await t.slack.button(actionIds.editCase, id, { message: { ts: String(summary.params.ts), thread_ts: thread } });
    const open = await t.fake.waitFor(() => t.fake.calls.slice(start).find((c) => c.method === 'views.open'));
    const view = open.params.view as View;
    expect(field(view, 'escalation_report')!.initial_value).toBe('R00650');
    expect(field(view, 'escalation_error')!.initial_value).toBe(X01);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ v: id, t: thread });

    const values = {
      escalation_error: { value: { type: 'plain_text_input', value: X01 } },
      escalation_report: { value: { type: 'plain_text_input', value: 'R00650-edited' } },
      escalation_occurred_at: { value: { type: 'datetimepicker', selected_date_time: Math.floor(clock.getTime() / 1000) - 3600 } },
    };
    const submit = () => t.slack.viewSubmission('escalation_modal', values, view.private_metadata);
    expect((await submit()).status).toBe(200);
    await settle(t.app);
    const second = await submit();
    expect(JSON.stringify(await second.json())).toContain(sendCaseErrorText.case_already_sent);
    await settle(t.app);
    const filed = (await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 50 })).filter((e) => e.reportId?.startsWith('R00650'));
    expect(filed.map((e) => e.reportId)).toEqual(['R00650-edited']);
  });
});

describe('a Send interrupted by a crash', () => {
  let t: TestApp;
  let ahead = 0;
  beforeAll(async () => {
    t = await startTestApp({ now: () => new Date(Date.now() + ahead) });
    await addConnection(t, { id: 'tenant-a', name: 'Acme Ltd' });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function confirmingCase(report: string): Promise<{ id: string; thread: string; summary: RecordedCall }> {
    const thread = tsAt(new Date(), 500 + (seq += 1));
    const response = await t.slack.event({ type: 'app_mention', user: reporter, text: `<@U0BOT00001> ${X01} report ${report} at 00:01 today`, ts: thread, channel });
    expect(response.status).toBe(200);
    await settle(t.app);
    const summary = lastThreadPost(t, thread);
    return { id: sendButtonValue(summary), thread, summary };
  }

  it('a later press files the case that a dead instance claimed but never stored', async () => {
    ahead = 0;
    const { id, thread, summary } = await confirmingCase('R00901');
    // The instance that won the Send died before filing: the claim is all that is left.
    expect(await t.app.db.caseConversations.claimSend(id, 'send:dead-instance', new Date())).toBe(true);
    await t.slack.button(actionIds.sendCase, id, { message: { ts: String(summary.params.ts), thread_ts: thread } });
    await settle(t.app);
    expect(t.fake.responses.some((r) => JSON.stringify(r.body).includes(sendCaseErrorText.case_already_sent))).toBe(true);
    // Once the dead claim is older than the Send lease, the next press takes it over.
    ahead = 3 * 60_000;
    await t.slack.button(actionIds.sendCase, id, { message: { ts: String(summary.params.ts), thread_ts: thread } });
    await settle(t.app);
    const filed = (await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 50 })).filter((e) => e.reportId === 'R00901');
    expect(filed).toHaveLength(1);
    expect((await t.app.db.caseConversations.get(id))).toMatchObject({ status: 'sent', escalationId: filed[0]!.id });
  });

  it('a later press records, and does not repeat, a case the dead instance stored before it died', async () => {
    ahead = 0;
    const { id, thread, summary } = await confirmingCase('R00902');
    expect(await t.app.db.caseConversations.claimSend(id, 'send:dead-instance', new Date())).toBe(true);
    const stored = await t.app.support.fileEscalation({
      actor: { teamId: t.fake.teamId, userId: reporter },
      channelId: channel,
      threadTs: thread,
      articleId: 'XERO01',
      form: { errorText: X01, reportId: 'R00902', occurredAt: new Date(), connectionId: undefined, notes: undefined },
    });
    ahead = 3 * 60_000;
    await t.slack.button(actionIds.sendCase, id, { message: { ts: String(summary.params.ts), thread_ts: thread } });
    await settle(t.app);
    const filed = (await t.app.db.escalations.listByReporter(t.fake.teamId, reporter, { limit: 50 })).filter((e) => e.reportId === 'R00902');
    expect(filed.map((e) => e.id)).toEqual([stored.escalation.id]);
    expect(await t.app.db.caseConversations.get(id)).toMatchObject({ status: 'sent', escalationId: stored.escalation.id });
  });
});
