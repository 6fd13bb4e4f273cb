// Validly signed but hostile requests (an attacker who has the signing secret, or a Slack bug):
// every one gets an HTTP answer within Slack's 3 seconds, none gets a 5xx, and each refusal is
// logged at warn level with its reason. Timestamps are refused outside five minutes either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from '../../dev/slack-fuzz.ts';
import { escalationFormValues } from '../../dev/slack-requests.ts';
import { unknownActor } from '../../src/support/admin-access.ts';
import { escalationBlocks, viewIds } from '../../src/slack/ids.ts';
import { fieldErrorText } from '../../src/slack/user-text.ts';
import { settle, startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const form = 'application/x-www-form-urlencoded';

const send = (body: string, contentType: string, timestamp?: number) =>
  fetch(t.slack.url, { method: 'POST', headers: t.slack.signedHeaders(body, contentType, timestamp === undefined ? {} : { timestamp }), body, signal: AbortSignal.timeout(3_000) });
const warnings = (since: number) =>
  t.logs
    .slice(since)
    .map((line) => JSON.parse(line) as { level: number; msg: string; reason?: string; code?: string })
    .filter((line) => line.level === 40);

describe('bodies that are not objects', () => {
  it('answers a signed payload=null (and other non-objects) with 400 at once, and says why in a warning', async () => {
    const since = t.logs.length;
    for (const body of ['payload=null', 'payload=%5B%5D', 'payload=7', 'payload=%22text%22']) {
      const response = await send(body, form);
      expect(response.status, body).toBe(400);
    }
    for (const body of ['null', '[1]', '"text"']) expect((await send(body, 'application/json')).status, body).toBe(400);
    expect(warnings(since).filter((w) => w.code === 'slack_payload_malformed').map((w) => w.reason)).toContain('payload is JSON null, not an object');
  });
});

describe('timestamps', () => {
  const mention = () => JSON.stringify(t.slack.eventEnvelope({ type: 'app_mention', user: 'U0USER0001', text: 'XERO11', ts: '1700009000.000100', channel: 'C0FUTURE01' }));
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses a correctly signed request dated more than five minutes ahead', async () => {
    const since = t.logs.length;
    const response = await send(mention(), 'application/json', now() + 6 * 60);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'timestamp_in_future' });
    expect(warnings(since).some((w) => w.code === 'timestamp_in_future')).toBe(true);
    await settle(t.app);
    expect(t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0FUTURE01')).toHaveLength(0);
  });

  it('accepts a little clock skew either way', async () => {
    expect((await send(mention(), 'application/json', now() + 4 * 60)).status).toBe(200);
    expect((await send(mention(), 'application/json', now() - 4 * 60)).status).toBe(200);
  });
});

describe('payloads Bolt cannot route', () => {
  const cases: [string, () => Record<string, unknown>][] = [
    ['a button without a user', () => ({ ...t.slack.buttonPayload('feedback_helpful', '{}').payload, user: undefined })],
    ['a button with actions null', () => ({ ...t.slack.buttonPayload('feedback_helpful', '{}').payload, actions: null })],
    ['a modal submission without its view', () => ({ ...t.slack.viewSubmissionPayload('escalation_modal', {}, ''), view: undefined })],
    ['a message shortcut with channel null', () => ({ ...t.slack.messageShortcutPayload('report_xero_error', { ts: '1.2' }).payload, channel: null })],
    ['a global shortcut without team or user', () => ({ type: 'shortcut', callback_id: 'x', trigger_id: 't', team: null })],
  ];
  for (const [name, payload] of cases) {
    it(`answers ${name} with 400 and a warning, not 500`, async () => {
      const since = t.logs.length;
      const response = await send(new URLSearchParams({ payload: JSON.stringify(payload()) }).toString(), form);
      expect(response.status).toBe(400);
      expect(warnings(since).some((w) => w.code === 'slack_payload_malformed' && w.reason)).toBe(true);
    });
  }

  it('answers an event whose event is a string, and a command without a team, with 400', async () => {
    const event = { ...t.slack.eventEnvelope({ type: 'app_mention' }), event: 'app_mention' };
    expect((await send(JSON.stringify(event), 'application/json')).status).toBe(400);
    const { team_id: _dropped, ...command } = t.slack.commandFields('help');
    expect((await send(new URLSearchParams(command).toString(), form)).status).toBe(400);
  });
});

describe('values inside a well-formed payload', () => {
  it('refuses a date-time far outside any plausible range inline, and stores nothing', async () => {
    for (const seconds of [1e15, -1e15]) {
      const values = escalationFormValues({ error: 'XERO11 Sync Error', report: `far-date ${seconds}` });
      values[escalationBlocks.occurredAt] = { value: { type: 'datetimepicker', selected_date_time: seconds } };
      const response = await t.slack.viewSubmission(viewIds.escalationModal, values, '');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ response_action: 'errors', errors: { [escalationBlocks.occurredAt]: fieldErrorText.occurred_at_invalid } });
    }
    await settle(t.app);
    expect((await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 50 })).filter((e) => e.reportId?.startsWith('far-date'))).toEqual([]);
  });

  it('audits a refused admin attempt even when the request names no user', async () => {
    const result = await t.app.support.retryFailedSyncs({ teamId: t.fake.teamId, userId: undefined as unknown as string }, { kind: 'all' });
    expect(result).toEqual({ ok: false, error: 'not_authorized' });
    const audit = await t.app.db.audit.list({ action: 'failed_sync.retry' });
    expect(audit.find((e) => e.actor === unknownActor)).toMatchObject({ slackTeamId: t.fake.teamId, details: { outcome: 'denied' } });
  });
});

describe('a fixed-seed fuzz run', () => {
  it('answers 300 mutated, signed requests of every kind within 3 s each, never with a 5xx, and warns with reasons', async () => {
    const since = t.logs.length;
    const results = await runFuzz(t.slack, { seed: 7, count: 300, concurrency: 6, hugeBytes: 40_000 });
    await settle(t.app);
    expect(results.unanswered).toEqual([]);
    expect(results.serverErrors).toEqual([]);
    expect(results.byStatus.get(400)).toBeGreaterThan(50);
    expect(results.byStatus.get(401)).toBeGreaterThan(5);
    expect(results.byStatus.get(200)).toBeGreaterThan(10);
    expect(warnings(since).filter((w) => w.code === 'slack_payload_malformed').length).toBeGreaterThan(50);
    // Nothing got far enough to fail inside a listener.
    const errors = t.logs.slice(since).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
    // Still healthy afterwards.
    expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(200);
  }, 60_000);
});
