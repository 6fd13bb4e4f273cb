// The HTTP receiver's edges (signatures, timestamps, malformed and oversized bodies, unknown ids),
// health endpoints, and the buttons under an answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIds } from '../../src/slack/ids.ts';
import { failedSyncErrorText, healthText, text } from '../../src/slack/user-text.ts';
import { slackSignature } from '../../dev/slack-requests.ts';
import { adminUser, botToken, settle, signingSecret, startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const answerRef = (a: string | null, q: string) => JSON.stringify({ a, q });

describe('requests that are not from Slack', () => {
  const mention = () => JSON.stringify(t.slack.eventEnvelope({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700002000.000100', channel: 'C0FORGED01' }));

  it('rejects a forged signature with 401 and does nothing', async () => {
    const response = await t.slack.raw(mention(), 'application/json', { secret: 'not-the-signing-secret-at-all' });
    expect(response.status).toBe(401);
  });

  it('rejects a correctly signed request older than five minutes', async () => {
    const response = await t.slack.raw(mention(), 'application/json', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(response.status).toBe(401);
  });

  it('rejects a request without signature headers', async () => {
    const response = await fetch(t.slack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: mention() });
    expect(response.status).toBe(401);
    await settle(t.app);
    expect(t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0FORGED01')).toHaveLength(0);
  });

  it('answers malformed JSON and form bodies with 400, even when signed', async () => {
    expect((await t.slack.raw('{"type": "event_callback", ', 'application/json')).status).toBe(400);
    expect((await t.slack.raw('payload=%7Bnot-json', 'application/x-www-form-urlencoded')).status).toBe(400);
  });

  it("answers Slack's unsigned certificate check with 200, and an unsigned command with 401", async () => {
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const check = await fetch(t.slack.url, form({ ssl_check: '1', token: 'unused' }));
    expect(check.status).toBe(200);
    expect(await check.text()).toBe('');
    const command = await fetch(t.slack.url, form({ command: '/concierge', text: 'XERO11', team_id: 'T0TEAM0001', user_id: 'U0USER0001', channel_id: 'C0FORGED01' }));
    expect(command.status).toBe(401);
  });

  it('refuses bodies over 1 MB with 413', async () => {
    const response = await t.slack.raw(`payload=${'a'.repeat(1_100_000)}`, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(413);
  });

  it('answers Slack URL verification with the challenge', async () => {
    const response = await t.slack.raw(JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'c-123' }), 'application/json');
    expect(await response.json()).toEqual({ challenge: 'c-123' });
  });

  it('only accepts POST on /slack/events; other paths are 404', async () => {
    expect((await fetch(t.slack.url)).status).toBe(405);
    expect((await fetch(`${t.baseUrl}/nope`)).status).toBe(404);
  });

  it('keeps serving after all of the above', async () => {
    const health = await fetch(`${t.baseUrl}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true }, migrations: { ok: true } } });
  });

  it('never writes the bot token or the signing secret to the log', () => {
    const all = t.logs.join('\n');
    expect(all).not.toContain(botToken);
    expect(all).not.toContain(signingSecret);
  });
});

describe('payloads the app does not know', () => {
  it('acknowledges an unknown action id and tells the person', async () => {
    const { response, responseId } = await t.slack.button('some_old_button', 'x');
    expect(response.status).toBe(200);
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.text).toBe(text.unknownAction);
  });

  it('treats a button with a forged or truncated value as unknown rather than failing', async () => {
    const { responseId } = await t.slack.button(actionIds.feedbackHelpful, '{"a": 12');
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.text).toBe(text.unknownAction);
  });

  it('acknowledges unknown shortcuts and modal submissions with 200', async () => {
    expect((await t.slack.messageShortcut('no_such_shortcut', { ts: '1700002100.000100', text: 'x' })).response.status).toBe(200);
    const response = await t.slack.viewSubmission('no_such_view', {}, '');
    expect(response.status).toBe(200);
  });

  it('answers a malformed escalation submission with inline errors instead of failing', async () => {
    const response = await t.slack.viewSubmission('escalation_modal', { escalation_error: { value: { value: 42 } } }, '{broken');
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors)).toEqual(['escalation_error', 'escalation_occurred_at']);
  });
});

describe('buttons under an answer', () => {
  it('Helpful and Not helpful are stored as feedback, one vote per person per answer, and the reply says the vote was counted', async () => {
    const press = async (actionId: string, question: string) => {
      const { responseId } = await t.slack.button(actionId, answerRef('XERO11', question), { message: { ts: '1700002200.000100' } });
      const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
      expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      return reply!.text;
    };
    expect(await press(actionIds.feedbackHelpful, 'XERO11 on my report')).toBe(text.feedbackCounted(true, 'counted'));
    expect(await press(actionIds.feedbackHelpful, 'XERO11 on my report')).toMatch(/already counted: \*Helpful\*\. You have one vote per answer/);
    expect(await t.app.db.feedback.countsForArticle('XERO11')).toEqual({ helpful: 1, notHelpful: 0 });
    expect(await press(actionIds.feedbackNotHelpful, 'XERO11 on my report')).toMatch(/changed to \*Not helpful\*\./);
    expect(await t.app.db.feedback.countsForArticle('XERO11')).toEqual({ helpful: 0, notHelpful: 1 });
    expect(await press(actionIds.feedbackHelpful, 'XERO11 again')).toMatch(/^Your vote was counted: \*Helpful\*\. Thanks/);
    await settle(t.app);
    expect(await t.app.db.feedback.countsForArticle('XERO11')).toEqual({ helpful: 1, notHelpful: 1 });
  });

  it('Share in channel posts the answer publicly with who shared it and removes the private copy', async () => {
    const { responseId } = await t.slack.button(actionIds.shareAnswer, answerRef('XERO11', 'XERO11 on my report'), { ephemeral: true });
    const [shared] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(shared).toMatchObject({ response_type: 'in_channel', delete_original: true });
    const blocks = JSON.stringify(shared!.blocks);
    expect(blocks).toContain('XERO11: the connection to Xero has expired');
    expect(blocks).toContain(text.sharedBy('U0USER0001'));
    expect(blocks).not.toContain(actionIds.shareAnswer);
  });

  it('Share in channel shares the article the person picked, not a fresh answer to the question', async () => {
    // "sync failed" alone is too vague for an article; the person picked TOKEN_EXPIRED from the closest.
    const { responseId } = await t.slack.button(actionIds.shareAnswer, answerRef('TOKEN_EXPIRED', 'sync failed'), { ephemeral: true });
    const [shared] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(shared).toMatchObject({ response_type: 'in_channel', delete_original: true });
    const blocks = JSON.stringify(shared!.blocks);
    expect(blocks).toContain('TOKEN_EXPIRED');
    expect(blocks).not.toContain(text.lowConfidence);
  });

  it('the third closest-article button answers with its article privately under a private answer', async () => {
    const { responseId } = await t.slack.button(actionIds.showArticle3, answerRef('XERO11', 'sync failed'), { ephemeral: true });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(JSON.stringify(reply!.blocks)).toContain('XERO11: the connection to Xero has expired');
  });

  it('a closest-article button posts that article in the thread', async () => {
    await t.slack.button(actionIds.showArticle, answerRef('TOKEN_EXPIRED', 'my token thing'), { message: { ts: '1700002300.000200', thread_ts: '1700002300.000100' } });
    const post = await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').find((c) => c.params.thread_ts === '1700002300.000100'));
    expect(post.params.channel).toBe('C0CHAN0001');
    expect(JSON.stringify(post.params.blocks)).toContain('TOKEN_EXPIRED');
  });

  it('Check connection says live checks are not configured and shows the stored status', async () => {
    const { responseId } = await t.slack.button(actionIds.checkConnection, answerRef('XERO11', 'x'));
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(JSON.stringify(reply!.blocks)).toContain(healthText.xeroNotConfigured);
  });

  it('Retry failed exports (from a message sent before Xero was switched off) is refused to non-admins and explained to admins', async () => {
    const refused = await t.slack.button(actionIds.retryFailed, answerRef('XERO11', 'x'));
    const [no] = await t.fake.waitFor(() => t.fake.responsesTo(refused.responseId).length && t.fake.responsesTo(refused.responseId));
    expect(no!.text).toBe(text.notAuthorized);
    await t.app.db.failedSyncs.create({ slackTeamId: t.fake.teamId, externalReference: 'R-1', kind: 'bill', payload: {}, errorMessage: 'expired' });
    const allowed = await t.slack.button(actionIds.retryFailed, answerRef('XERO11', 'x'), { userId: adminUser });
    const [yes] = await t.fake.waitFor(() => t.fake.responsesTo(allowed.responseId).length && t.fake.responsesTo(allowed.responseId));
    expect(yes!.text).toBe(failedSyncErrorText.xero_not_configured);
    expect(await t.app.db.failedSyncs.listByTeam(t.fake.teamId, { status: 'queued' })).toEqual([]);
  });

  it('Archive in App Home archives for admins, tells them by DM and refreshes the Home tab', async () => {
    const sync = await t.app.db.failedSyncs.create({ slackTeamId: t.fake.teamId, externalReference: 'Hand-entered bill', kind: 'bill', payload: {}, errorMessage: 'duplicate' });
    const start = t.fake.calls.length;
    await t.slack.button(actionIds.archiveSync, sync.id, { inHome: true, userId: adminUser });
    await settle(t.app);
    const calls = t.fake.calls.slice(start);
    expect(calls.find((c) => c.method === 'chat.postMessage' && c.params.channel === adminUser)?.params.text).toBe(text.archived('Hand-entered bill'));
    expect(calls.some((c) => c.method === 'views.publish' && c.params.user_id === adminUser)).toBe(true);
    expect((await t.app.db.failedSyncs.get(sync.id))!.status).toBe('archived');
  });
});

describe('signature helper sanity', () => {
  it('matches Slack documented example', () => {
    // From Slack's "Verifying requests" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });
});
