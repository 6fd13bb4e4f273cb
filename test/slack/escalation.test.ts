// Escalation end to end: the modal opens first from every entry point, validation shows inline,
// a valid case is stored, posted to triage and confirmed to the reporter, claims and resolutions
// update both messages (admins only), and a failed post is stored and posted later by the job,
// once, even with two bot instances on one database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeModalOrigin } from '../../src/slack/blocks/escalation-blocks.ts';
import { actionIds, escalationBlocks, shortcutIds, viewIds } from '../../src/slack/ids.ts';
import { escalationText, fieldErrorText, publishErrorText, text } from '../../src/slack/user-text.ts';
import { jobName as postPendingJob, type PostPendingResult } from '../../src/jobs/post-pending-escalations.ts';
import { postLeaseMs } from '../../src/support/escalate.ts';
import type { RecordedCall } from '../../dev/fake-slack-api.ts';
import { escalationFormValues } from '../../dev/slack-requests.ts';
import { addConnection, adminUser, settle, startTestApp, supportChannel, type TestApp } from './test-app.ts';

let t: TestApp;
let clock = new Date();
let connectionId = '';

beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
  await addConnection(t, { id: 'tenant-a', name: 'Acme Ltd', connectionId: 'conn-a' });
  connectionId = (await t.app.db.connections.listByTeam(t.fake.teamId))[0]!.id;
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await settle(t.app);
  clock = new Date();
  t.fake.failChannel(supportChannel, null);
});

function callsAfter(index: number): RecordedCall[] {
  return t.fake.calls.slice(index);
}

type View = { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: Record<string, unknown> }[] };

describe('opening the modal', () => {
  it('the Escalate button opens it before any other call, prefilled, then adds the organisation picker', async () => {
    const start = t.fake.calls.length;
    const value = JSON.stringify({ a: 'XERO11', q: 'XERO11 Sync Error on March travel' });
    const { response, triggerId } = await t.slack.button(actionIds.escalate, value, { message: { ts: '1700000600.000200', thread_ts: '1700000600.000100' } });
    expect(response.status).toBe(200);
    await t.fake.waitFor(() => t.fake.callsOf('views.update').length > 0 && callsAfter(start).some((c) => c.method === 'views.update'));
    const calls = callsAfter(start);
    expect(calls[0]!.method).toBe('views.open');
    expect(calls[0]!.params.trigger_id).toBe(triggerId);
    const view = calls[0]!.params.view as View;
    expect(view.callback_id).toBe(viewIds.escalationModal);
    const error = view.blocks.find((b) => b.block_id === escalationBlocks.error)!;
    expect(error.element!.initial_value).toBe('XERO11 Sync Error on March travel');
    const when = view.blocks.find((b) => b.block_id === escalationBlocks.occurredAt)!;
    expect(when.element!.type).toBe('datetimepicker');
    expect(Math.abs(Number(when.element!.initial_date_time) - clock.getTime() / 1000)).toBeLessThan(2);
    expect(view.blocks.some((b) => b.block_id === escalationBlocks.notes)).toBe(true);
    expect(view.blocks.some((b) => b.block_id === escalationBlocks.connection)).toBe(false);
    expect(JSON.parse(view.private_metadata)).toEqual({ c: 'C0CHAN0001', t: '1700000600.000100', a: 'XERO11' });

    const update = calls.find((c) => c.method === 'views.update')!;
    const updated = update.params.view as View;
    const picker = updated.blocks.find((b) => b.block_id === escalationBlocks.connection)!;
    expect(JSON.stringify(picker.element!.options)).toContain('Acme Ltd');
    expect(update.params.view_id).toBeTruthy();
  });

  it('/concierge escalate opens it first, prefilled with the rest of the command', async () => {
    const start = t.fake.calls.length;
    const { triggerId } = await t.slack.command('escalate Sync failed: XERO11 for report 42');
    const open = await t.fake.waitFor(() => callsAfter(start)[0]);
    expect(open.method).toBe('views.open');
    expect(open.params.trigger_id).toBe(triggerId);
    const view = open.params.view as View;
    expect(view.blocks.find((b) => b.block_id === escalationBlocks.error)!.element!.initial_value).toBe('Sync failed: XERO11 for report 42');
  });

  it('the "Report a Xero error" message shortcut opens it first with the message text, for that thread', async () => {
    const start = t.fake.calls.length;
    await t.slack.messageShortcut(shortcutIds.reportXeroError, { ts: '1700000700.000100', text: 'Export failed: &lt;XERO11&gt; connection expired' });
    const open = await t.fake.waitFor(() => callsAfter(start)[0]);
    expect(open.method).toBe('views.open');
    const view = open.params.view as View;
    expect(view.blocks.find((b) => b.block_id === escalationBlocks.error)!.element!.initial_value).toBe('Export failed: <XERO11> connection expired');
    expect(JSON.parse(view.private_metadata)).toEqual({ c: 'C0CHAN0001', t: '1700000700.000100', a: null });
  });
});

describe('submitting', () => {
  it('shows field problems inline and stores nothing', async () => {
    const response = await t.slack.viewSubmission(
      viewIds.escalationModal,
      escalationFormValues({ error: '   ', when: new Date(clock.getTime() + 86_400_000), report: 'x'.repeat(201) }),
      encodeModalOrigin({ channelId: 'C0CHAN0001', threadTs: null, articleId: null }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({
      [escalationBlocks.error]: fieldErrorText.error_text_missing,
      [escalationBlocks.report]: fieldErrorText.report_id_too_long,
      [escalationBlocks.occurredAt]: fieldErrorText.occurred_at_in_future,
    });
    expect(await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0VALID001', { limit: 5 })).toEqual([]);
  });

  it('stores the case, posts it to the support channel with Claim and Resolve, and confirms in the reporter thread', async () => {
    const when = new Date(clock.getTime() - 3_600_000);
    const response = await t.slack.viewSubmission(
      viewIds.escalationModal,
      escalationFormValues({ error: 'XERO11 Sync Error: the connection to Xero has expired', report: 'March travel', when, connection: connectionId, notes: 'Finance close is Friday' }),
      encodeModalOrigin({ channelId: 'C0CHAN0001', threadTs: '1700000800.000100', articleId: 'XERO11' }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    await settle(t.app);
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    expect(stored).toMatchObject({ reportId: 'March travel', articleId: 'XERO11', connectionId, channelId: 'C0CHAN0001', threadTs: '1700000800.000100' });
    expect(stored!.errorText).toBe('XERO11 Sync Error: the connection to Xero has expired');
    expect(stored!.notes).toBe('Finance close is Friday');
    expect(stored!.occurredAt?.getTime()).toBe(Math.floor(when.getTime() / 1000) * 1000);
    expect(stored!.postedAt).not.toBeNull();

    const triage = t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === supportChannel && JSON.stringify(c.params.blocks).includes(stored!.id))!;
    const blocks = JSON.stringify(triage.params.blocks);
    expect(blocks).toContain('XERO11: the connection to Xero has expired');
    expect(blocks).toContain('<@U0USER0001>');
    expect(blocks).toContain('Acme Ltd');
    expect(blocks).toContain('March travel');
    expect(blocks).toContain(`*${escalationText.notes}*\\n>Finance close is Friday`);
    expect(blocks).toContain(actionIds.claimEscalation);
    expect(blocks).toContain(actionIds.resolveEscalation);
    expect(stored!.triageMessage).toEqual({ channelId: supportChannel, ts: expect.any(String) });

    const confirmation = t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'C0CHAN0001' && c.params.thread_ts === '1700000800.000100')!;
    expect(confirmation.params.text).toContain(escalationText.confirmPosted(stored!.id.replace(/-/g, '').slice(0, 8).toUpperCase()));
    expect(stored!.reporterConfirmation).toEqual({ channelId: 'C0CHAN0001', ts: expect.any(String) });
    expect(t.fake.calls.indexOf(triage)).toBeLessThan(t.fake.calls.indexOf(confirmation));
  });

  it('confirms by DM when the escalation came from a slash command (no thread)', async () => {
    const start = t.fake.calls.length;
    await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: 'Bill BILL-9 failed: tax rate missing', when: clock }), encodeModalOrigin({ channelId: 'C0CHAN0001', threadTs: null, articleId: null }));
    await settle(t.app);
    const dm = callsAfter(start).find((c) => c.method === 'chat.postMessage' && c.params.channel === 'D0USER0001');
    expect(dm?.params.text).toContain('Thanks, I sent this to the support team');
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    expect(stored!.articleId).not.toBeNull();
    expect(stored!.notes).toBeNull();
    expect(stored!.reporterConfirmation).toEqual({ channelId: 'D0USER0001', ts: expect.any(String) });
  });
});

describe('claim and resolve', () => {
  it('are admin-only, update the triage message and the reporter confirmation, and are audited', async () => {
    await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: 'Invoice INV-7 failed: XERO11', when: clock }), encodeModalOrigin({ channelId: 'C0CHAN0002', threadTs: '1700000900.000100', articleId: null }));
    await settle(t.app);
    const [escalation] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });

    const refused = await t.slack.button(actionIds.claimEscalation, escalation!.id, { message: { ts: escalation!.triageMessage!.ts } });
    const [refusal] = await t.fake.waitFor(() => t.fake.responsesTo(refused.responseId).length && t.fake.responsesTo(refused.responseId));
    expect(refusal!.text).toBe(text.notAuthorized);
    expect((await t.app.db.escalations.get(escalation!.id))!.status).toBe('open');

    const start = t.fake.calls.length;
    await t.slack.button(actionIds.claimEscalation, escalation!.id, { userId: adminUser, message: { ts: escalation!.triageMessage!.ts } });
    await settle(t.app);
    const updates = callsAfter(start).filter((c) => c.method === 'chat.update');
    const triageUpdate = updates.find((c) => c.params.channel === supportChannel && c.params.ts === escalation!.triageMessage!.ts)!;
    expect(JSON.stringify(triageUpdate.params.blocks)).toContain(escalationText.statusClaimed(adminUser));
    expect(JSON.stringify(triageUpdate.params.blocks)).not.toContain(actionIds.claimEscalation);
    const confirmationUpdate = updates.find((c) => c.params.channel === 'C0CHAN0002' && c.params.ts === escalation!.reporterConfirmation!.ts)!;
    expect(confirmationUpdate.params.text).toContain(escalationText.claimedNotice(adminUser));
    expect((await t.app.db.escalations.get(escalation!.id))!.status).toBe('claimed');

    const resolveStart = t.fake.calls.length;
    await t.slack.button(actionIds.resolveEscalation, escalation!.id, { userId: adminUser, message: { ts: escalation!.triageMessage!.ts } });
    await settle(t.app);
    const resolved = callsAfter(resolveStart).filter((c) => c.method === 'chat.update');
    const triageResolved = JSON.stringify(resolved.find((c) => c.params.channel === supportChannel)!.params.blocks);
    expect(triageResolved).toContain(escalationText.statusResolved(adminUser));
    expect(triageResolved).not.toContain(actionIds.resolveEscalation);
    expect(resolved.find((c) => c.params.channel === 'C0CHAN0002')!.params.text).toContain(escalationText.resolvedNotice(adminUser));
    expect(await t.app.db.escalations.get(escalation!.id)).toMatchObject({ status: 'resolved', resolvedBySlackUserId: adminUser });

    const audit = await t.app.db.audit.list({ slackTeamId: t.fake.teamId });
    const forThis = audit.filter((a) => a.target === escalation!.id).map((a) => `${a.action}:${a.details.outcome}:${a.actor}`);
    expect(forThis).toEqual([`escalation.resolve:ok:${adminUser}`, `escalation.claim:ok:${adminUser}`, 'escalation.claim:denied:U0USER0001']);
  });
});

describe('a reporter thread the app cannot reach', () => {
  it('confirms by DM instead, and later updates that DM', async () => {
    t.fake.failChannel('C0PRIVATE1', 'not_in_channel');
    await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: 'Bill B-77: XERO11', when: clock }), encodeModalOrigin({ channelId: 'C0PRIVATE1', threadTs: '1700000950.000100', articleId: null }));
    await settle(t.app);
    const [escalation] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    const dm = t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'D0USER0001' && c.params.text?.toString().includes('Thanks'));
    expect(dm).toBeDefined();
    expect(escalation!.reporterConfirmation).toEqual({ channelId: 'D0USER0001', ts: expect.any(String) });

    // Every later update goes straight to the DM it was recorded in; the thread is not tried again.
    for (const [actionId, notice] of [
      [actionIds.claimEscalation, escalationText.claimedNotice(adminUser)],
      [actionIds.resolveEscalation, escalationText.resolvedNotice(adminUser)],
    ] as const) {
      const start = t.fake.calls.length;
      await t.slack.button(actionId, escalation!.id, { userId: adminUser });
      await settle(t.app);
      const updates = callsAfter(start).filter((c) => c.method === 'chat.update' && c.params.channel !== supportChannel);
      expect(updates.map((c) => `${String(c.params.channel)}/${String(c.params.ts)}`)).toEqual([`D0USER0001/${escalation!.reporterConfirmation!.ts}`]);
      expect(updates[0]!.params.text).toContain(notice);
      expect(callsAfter(start).some((c) => c.method === 'conversations.open')).toBe(false);
    }
    t.fake.failChannel('C0PRIVATE1', null);
  });
});

describe('when posting to Slack fails', () => {
  it('joins a public support channel it is not in, then posts', async () => {
    t.fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    const start = t.fake.calls.length;
    await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: 'Payment failed: XERO11', when: clock }), encodeModalOrigin({ channelId: 'C0CHAN0003', threadTs: '1700001000.000100', articleId: null }));
    await settle(t.app);
    const methods = callsAfter(start).map((c) => `${c.method}${c.params.channel === supportChannel ? '@support' : ''}`);
    expect(methods).toEqual(expect.arrayContaining(['chat.postMessage@support', 'conversations.join@support']));
    expect(methods.filter((m) => m === 'chat.postMessage@support')).toHaveLength(2);
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    expect(stored!.postedAt).not.toBeNull();
  });

  it('keeps the case, tells the reporter why, and the job posts it later', async () => {
    t.fake.failChannel(supportChannel, 'channel_not_found');
    await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: 'Credit note CN-3 failed: XERO11', when: clock }), encodeModalOrigin({ channelId: 'C0CHAN0004', threadTs: '1700001100.000100', articleId: null }));
    await settle(t.app);
    let [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    expect(stored!.errorText).toBe('Credit note CN-3 failed: XERO11');
    expect(stored!.postedAt).toBeNull();
    // The failed request left its claim to run out.
    expect(stored!.postLease?.owner).toMatch(/^submit:/);
    const confirmation = t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'C0CHAN0004')!;
    expect(confirmation.params.text).toContain(publishErrorText.channel_not_found);
    expect(t.logs.some((l) => l.includes('"code":"channel_not_found"'))).toBe(true);

    // Still claimed by the request that created it: the job waits for that claim to run out.
    t.fake.failChannel(supportChannel, null);
    const runJob = t.app.jobs[postPendingJob]!;
    expect(await runJob()).toEqual({ attempted: 0, posted: 0 });

    clock = new Date(clock.getTime() + postLeaseMs + 1_000);
    const start = t.fake.calls.length;
    expect(await runJob()).toEqual({ attempted: 1, posted: 1 });
    [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    expect(stored!.postedAt).not.toBeNull();
    const calls = callsAfter(start);
    expect(calls.some((c) => c.method === 'chat.postMessage' && c.params.channel === supportChannel && JSON.stringify(c.params.blocks).includes(stored!.id))).toBe(true);
    const refreshed = calls.find((c) => c.method === 'chat.update' && c.params.channel === 'C0CHAN0004');
    expect(refreshed?.params.text).toContain('Thanks, I sent this to the support team');
    expect(stored!.postLease).toBeNull();
    expect(await runJob()).toEqual({ attempted: 0, posted: 0 });
  });

  it('the job leaves alone a case whose request is still posting it, however long that takes', async () => {
    t.fake.delay('chat.postMessage', 400);
    try {
      const start = t.fake.calls.length;
      await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: 'Invoice INV-55 failed: XERO11', when: clock }), encodeModalOrigin({ channelId: 'C0CHAN0005', threadTs: '1700001150.000100', articleId: null }));
      // The request's post to the support channel is under way...
      await t.fake.waitFor(() => callsAfter(start).some((c) => c.method === 'chat.postMessage' && c.params.channel === supportChannel));
      // ...when the job runs, even minutes later by the clock.
      clock = new Date(clock.getTime() + 3 * 60_000);
      expect(await t.app.jobs[postPendingJob]!()).toEqual({ attempted: 0, posted: 0 });
      await settle(t.app);
      expect(callsAfter(start).filter((c) => c.method === 'chat.postMessage' && c.params.channel === supportChannel)).toHaveLength(1);
      const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
      expect(stored).toMatchObject({ postedAt: expect.any(Date), postLease: null });
    } finally {
      t.fake.delay('chat.postMessage', 0);
    }
  });

  it('names the resolver when a case resolved before it reached triage is finally posted', async () => {
    t.fake.failChannel(supportChannel, 'channel_not_found');
    await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: 'Payment P-8 failed: XERO11', when: clock }), encodeModalOrigin({ channelId: 'C0CHAN0006', threadTs: '1700001160.000100', articleId: null }));
    await settle(t.app);
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    expect(stored!.postedAt).toBeNull();
    // Resolved from App Home while the support channel was unreachable.
    await t.slack.button(actionIds.resolveEscalation, stored!.id, { userId: adminUser });
    await settle(t.app);

    t.fake.failChannel(supportChannel, null);
    clock = new Date(clock.getTime() + postLeaseMs + 1_000);
    const start = t.fake.calls.length;
    expect(await t.app.jobs[postPendingJob]!()).toEqual({ attempted: 1, posted: 1 });
    const triage = callsAfter(start).find((c) => c.method === 'chat.postMessage' && c.params.channel === supportChannel)!;
    expect(JSON.stringify(triage.params.blocks)).toContain(escalationText.statusResolved(adminUser));
    const confirmation = callsAfter(start).find((c) => c.method === 'chat.update' && c.params.channel === 'C0CHAN0006')!;
    expect(confirmation.params.text).toContain(escalationText.resolvedNotice(adminUser));
  });

  it('waits out a rate limit (Retry-After), then posts', async () => {
    t.fake.failNext('chat.postMessage', { rateLimitSeconds: 1 });
    const started = Date.now();
    await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700001200.000100', channel: 'C0LIMITED1' });
    const inChannel = () => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0LIMITED1');
    const posts = await t.fake.waitFor(() => inChannel().length === 2 && inChannel());
    expect(posts[1]!.params.thread_ts).toBe('1700001200.000100');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(t.logs.some((l) => l.includes('rate limiting'))).toBe(true);
  });

  it('retries 5xx answers, and reports (without crashing) when Slack stays down', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 }, 2);
    await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700001300.000100', channel: 'C0FLAKY001' });
    const flaky = () => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0FLAKY001');
    await t.fake.waitFor(() => flaky().length === 3);
    await settle(t.app);

    t.fake.failNext('chat.postMessage', { status: 500 }, 3);
    await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700001301.000100', channel: 'C0DOWN0001' });
    await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0DOWN0001').length === 3);
    await settle(t.app);
    expect(t.logs.some((l) => l.includes('"code":"slack_unavailable"') && l.includes('C0DOWN0001'))).toBe(true);
    // Still serving.
    const health = await fetch(`${t.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('two bot instances on one database', () => {
  let dir: string;
  let a: TestApp;
  let b: TestApp;
  let sharedClock = new Date();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'concierge-two-instances-'));
    // The test runs the re-post jobs itself: the schedule's own run at a minute boundary would post one of them uncounted.
    const env = { DATABASE_URL: `file:${join(dir, 'shared.db')}`, CONCIERGE_ENCRYPTION_KEY: randomBytes(32).toString('base64'), CONCIERGE_JOB_POST_PENDING_ESCALATIONS_SCHEDULE: 'off' };
    [a, b] = await Promise.all([startTestApp({ env, now: () => sharedClock }), startTestApp({ env, now: () => sharedClock })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('post each pending escalation to triage exactly once when their jobs run at the same time', async () => {
    a.fake.failChannel(supportChannel, 'channel_not_found');
    const count = 6;
    for (let i = 0; i < count; i++) {
      await a.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: `Bill B-${i} failed: XERO11`, when: sharedClock }), encodeModalOrigin({ channelId: 'C0CHAN0001', threadTs: `17000020${i}0.000100`, articleId: null }));
    }
    await settle(a.app);
    const pending = await a.app.db.escalations.listByReporter(a.fake.teamId, 'U0USER0001', { limit: count });
    expect(pending).toHaveLength(count);
    expect(pending.every((e) => e.postedAt === null)).toBe(true);

    a.fake.failChannel(supportChannel, null);
    sharedClock = new Date(sharedClock.getTime() + postLeaseMs + 1_000);
    const runs = (await Promise.all([a, b, a, b].map((instance) => instance.app.jobs[postPendingJob]!()))) as PostPendingResult[];
    expect(runs.reduce((sum, r) => sum + r.posted, 0)).toBe(count);

    const triagePosts = [...a.fake.callsOf('chat.postMessage'), ...b.fake.callsOf('chat.postMessage')].filter((c) => c.params.channel === supportChannel);
    for (const e of pending) {
      const posts = triagePosts.filter((c) => JSON.stringify(c.params.blocks).includes(e.id));
      // The request's failed attempt, then exactly one successful post by one of the instances.
      expect(posts, `escalation ${e.id} was posted ${posts.length} times`).toHaveLength(2);
      const stored = await b.app.db.escalations.get(e.id);
      expect(stored).toMatchObject({ postedAt: expect.any(Date), postLease: null });
    }
    expect([...a.fake.calls, ...b.fake.calls].some((c) => c.method === 'chat.delete')).toBe(false);
  });
});
