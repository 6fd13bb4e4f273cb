// Connecting Xero end to end: `/concierge connect` over signed requests, the consent link followed
// at the fake Xero (real xero-node underneath), the callback on the bot's port, the report in
// Slack; every bad callback input refused with its page and nothing stored; invalid_grant giving
// needs_reconnect on every tenant and exactly one reconnect DM however many instances run the job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXero } from '../../dev/fake-xero-api.ts';
import { callbackProblems } from '../../src/xero/callback-pages.ts';
import { actionIds } from '../../src/slack/ids.ts';
import { disconnectErrorText, text } from '../../src/slack/user-text.ts';
import { reconnectNoticeEventType } from '../../src/slack/xero-notices.ts';
import { reconnectNoticeLeaseMs } from '../../src/support/xero-connect.ts';
import { adminUser, blocksText, settle, startTestApp, type TestApp } from './test-app.ts';

let xero: FakeXero;
let t: TestApp;
let redirectUri: string;
/** The admin's DM channel, where reconnect links go (conversations.open in the fake). */
const adminDm = 'D0ADMIN001';

beforeAll(async () => {
  xero = await FakeXero.start({ organisations: [{ name: 'Demo Co' }, { name: 'Kiwi Travel Ltd' }] });
  // The redirect URI names the bot's port, which is only known once it listens: reserve one first.
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  redirectUri = `http://127.0.0.1:${port}/xero/callback`;
  t = await startTestApp({
    env: { PORT: String(port), XERO_CLIENT_ID: xero.clientId, XERO_CLIENT_SECRET: xero.clientSecret, XERO_REDIRECT_URI: redirectUri, XERO_IDENTITY_URL: xero.identityUrl, XERO_API_URL: xero.apiUrl },
  });
});
afterAll(async () => {
  await t?.close();
  expect(xero.unexpected).toEqual([]);
  await xero?.close();
});

async function askForLink(subcommand: 'connect' | 'reconnect', user = adminUser): Promise<string> {
  const { responseId } = await t.slack.command(subcommand, { user_id: user });
  const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
  expect(reply!.response_type).toBe('ephemeral');
  const url = /<(http[^|>]+)\|/.exec(String(reply!.text))?.[1];
  expect(url, String(reply!.text)).toBeDefined();
  return url!;
}

/** What a browser does: consent at the fake Xero, then follow the redirect to our callback. */
async function consentAndCallback(link: string): Promise<{ status: number; body: string; callback: URL }> {
  const consent = await fetch(link, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location') ?? '');
  const page = await fetch(callback);
  return { status: page.status, body: await page.text(), callback };
}

async function stored() {
  const connections = await t.app.db.connections.listByTeam(t.fake.teamId);
  return connections.map((c) => [c.tenantName, c.tokenSetId, c.status]);
}

describe('connect', () => {
  it('refuses non-admins and posts the link only to the admin who asked', async () => {
    const { responseId } = await t.slack.command('connect', { user_id: 'U0SOMEONE1' });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.text).toBe(text.notAuthorized);
    const link = await askForLink('connect');
    expect(new URL(link).origin).toBe(xero.identityUrl);
    expect(t.fake.callsOf('chat.postMessage')).toEqual([]);
  });

  it('stores one token set for both organisations and reports "Connected Demo Co (and 1 more)" where it was asked', async () => {
    const link = await askForLink('connect');
    const { status, body } = await consentAndCallback(link);
    expect(status).toBe(200);
    expect(body).toContain('Demo Co');
    const connections = await t.app.db.connections.listByTeam(t.fake.teamId);
    expect(connections.map((c) => c.tenantName)).toEqual(['Demo Co', 'Kiwi Travel Ltd']);
    expect(new Set(connections.map((c) => c.tokenSetId)).size).toBe(1);
    expect(connections[0]).toMatchObject({ status: 'connected', connectedBySlackUserId: adminUser, connectedByXeroEmail: 'finance@demo.example' });
    const [post] = await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').length && t.fake.callsOf('chat.postMessage'));
    expect(post!.params).toMatchObject({ channel: 'C0CHAN0001', text: 'Connected Demo Co (and 1 more).' });
    // The access token works for each organisation through ConnectionAccess.
    for (const c of connections) expect((await t.app.xeroAccess.accessFor(c.id)).tenantId).toBe(c.tenantId);
  });

  it('answers every bad callback with its page and changes nothing', async () => {
    const before = await stored();
    const posts = t.fake.callsOf('chat.postMessage').length;
    const call = async (query: string) => {
      const response = await fetch(`${redirectUri}${query}`);
      return { status: response.status, body: await response.text() };
    };
    const expectPage = (page: { status: number; body: string }, problem: keyof typeof callbackProblems) => {
      expect(page.status).toBe(callbackProblems[problem].status);
      expect(page.body).toContain(callbackProblems[problem].title);
    };
    expectPage(await call(''), 'state_missing');
    expectPage(await call('?state=made-up&code=x'), 'state_unknown');
    expectPage(await call(`?state=${'A'.repeat(43)}&code=x`), 'state_unknown');

    // Declined at Xero: the same link still works afterwards.
    const declinedLink = await askForLink('connect');
    xero.setConsent({ decline: true });
    expectPage(await consentAndCallback(declinedLink), 'consent_declined');
    xero.setConsent({ decline: false });

    // A tampered state (one character changed) is unknown; the untouched one is then used once.
    const { callback } = await (async () => {
      const consent = await fetch(declinedLink, { redirect: 'manual' });
      return { callback: new URL(consent.headers.get('location') ?? '') };
    })();
    const state = callback.searchParams.get('state')!;
    const tampered = new URL(callback);
    tampered.searchParams.set('state', (state[0] === 'A' ? 'B' : 'A') + state.slice(1));
    expectPage(await call(tampered.search), 'state_unknown');
    const badCode = new URL(callback);
    badCode.searchParams.set('code', 'not-a-code');
    expectPage(await call(badCode.search), 'code_rejected');
    expectPage(await call(callback.search), 'state_used');

    // Expired: the link is older than 10 minutes when it comes back.
    const lateLink = await askForLink('connect');
    const lateState = new URL(lateLink).searchParams.get('state')!;
    const consent = await fetch(lateLink, { redirect: 'manual' });
    const lateCallback = new URL(consent.headers.get('location') ?? '');
    expect(lateCallback.searchParams.get('state')).toBe(lateState);
    await expiredNow(lateState);
    expectPage(await call(lateCallback.search), 'state_expired');

    expect(await stored()).toEqual(before);
    await settle(t.app);
    expect(t.fake.callsOf('chat.postMessage')).toHaveLength(posts);
  });
});

async function expiredNow(nonce: string): Promise<void> {
  // Ten minutes pass for this one link: its stored expiry moves into the past.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update(nonce).digest('hex');
  const { createClient } = await import('../../src/db/prisma-client.ts');
  const handle = await createClient(t.app.config.database);
  try {
    await handle.prisma.oAuthState.update({ where: { nonceHash: hash }, data: { expiresAt: new Date(Date.now() - 1000) } });
  } finally {
    await handle.prisma.$disconnect();
  }
}

describe('a token set Xero rejects', () => {
  it('marks every tenant of the set needs_reconnect and DMs whoever connected it exactly once', async () => {
    const [first] = await t.app.db.connections.listByTeam(t.fake.teamId);
    const set = (await t.app.db.tokenSets.get(first!.tokenSetId))!;
    xero.revokeTokens(set.authEventId!);
    // Make the access token due, so the job refreshes and meets invalid_grant.
    const { createClient } = await import('../../src/db/prisma-client.ts');
    const handle = await createClient(t.app.config.database);
    await handle.prisma.xeroTokenSet.update({ where: { id: set.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    await handle.prisma.$disconnect();

    const dmsBefore = t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === adminDm).length;
    const run = t.app.jobs['refresh-xero-tokens']!;
    const results = await Promise.all([run(), run(), run()]);
    await run();
    expect(results.map((r) => (r as { rejected: number }).rejected).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect((await t.app.db.connections.listByTeam(t.fake.teamId)).map((c) => c.status)).toEqual(['needs_reconnect', 'needs_reconnect']);
    await settle(t.app);
    const dms = t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === adminDm);
    expect(dms).toHaveLength(dmsBefore + 1);
    expect(String(dms.at(-1)!.params.text)).toContain('Demo Co, Kiwi Travel Ltd');
    // Never retried in a loop: one refresh attempt reached Xero for this set.
    expect(xero.callsTo('token').filter((c) => c.grantType === 'refresh_token' && c.authEventId === set.authEventId)).toHaveLength(1);
    await expect(t.app.xeroAccess.accessFor(first!.id)).rejects.toMatchObject({ code: 'refresh_rejected' });

    // The DM's link reconnects both, onto a new token set, and reports in the DM.
    const link = /<(http[^|>]+)\|/.exec(String(dms.at(-1)!.params.text))![1]!;
    expect((await consentAndCallback(link)).status).toBe(200);
    const after = await t.app.db.connections.listByTeam(t.fake.teamId);
    expect(after.map((c) => c.status)).toEqual(['connected', 'connected']);
    expect(after[0]!.tokenSetId).not.toBe(set.id);
    expect(await t.app.db.tokenSets.get(set.id)).toBeNull();
    await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').some((c) => c.params.text === 'Reconnected Demo Co (and 1 more).'));
  });

  it('never writes a token into the logs', () => {
    const dump = t.logs.join('\n');
    expect(dump).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    expect(dump).not.toMatch(/refresh_token"\s*:\s*"[^"[]/);
  });
});

describe('disconnect', () => {
  async function command(subcommandText: string, user = adminUser) {
    const { responseId } = await t.slack.command(subcommandText, { user_id: user });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.response_type).toBe('ephemeral');
    return reply!;
  }
  /** The Disconnect / Cancel values of a confirmation. */
  function buttonsOf(reply: Record<string, unknown>): Record<string, string> {
    const block = (reply.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions');
    return Object.fromEntries((block?.elements ?? []).map((e) => [e.action_id, e.value]));
  }
  async function press(actionId: string, value: string, user = adminUser) {
    const { responseId } = await t.slack.button(actionId, value, { ephemeral: true, userId: user });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    return reply!;
  }
  const statuses = async () => Object.fromEntries((await t.app.db.connections.listByTeam(t.fake.teamId)).map((c) => [c.tenantName, c.status]));

  it('refuses non-admins, audited, and answers an unknown name with the connected organisations', async () => {
    expect((await command('disconnect Demo Co', 'U0SOMEONE1')).text).toBe(text.notAuthorized);
    const [denied] = await t.app.db.audit.list({ slackTeamId: t.fake.teamId, action: 'xero.disconnect_request' });
    expect(denied).toMatchObject({ actor: 'U0SOMEONE1', details: { outcome: 'denied' } });

    const unknown = await command('disconnect Nope Ltd');
    expect(unknown.text).toBe(text.disconnectWhich('Nope Ltd', 'unknown', ['Demo Co', 'Kiwi Travel Ltd']));
    expect(buttonsOf(unknown)).toEqual({});
    expect(xero.callsTo('delete_connection')).toEqual([]);
  });

  it('disconnects here when Xero says the connection is already gone, and the other organisation keeps working', async () => {
    const demoAtXero = xero.connectionsOf().find((c) => c.tenantName === 'Demo Co')!;
    const confirmation = await command(`disconnect ${demoAtXero.tenantId}`);
    expect(confirmation.text).toBe(text.disconnectConfirm('Demo Co'));
    // Someone removes the app for Demo Co in Xero between the question and the confirmation.
    xero.revokeConnection(demoAtXero.id);
    const done = await press(actionIds.confirmDisconnect, buttonsOf(confirmation)[actionIds.confirmDisconnect]!);
    expect(done).toMatchObject({ text: text.disconnected('Demo Co'), replace_original: true });
    expect(xero.callsTo('delete_connection').map((c) => c.status)).toEqual([404]);
    // The row and its history stay; the other organisation of the same consent keeps working.
    expect(await statuses()).toEqual({ 'Demo Co': 'disconnected', 'Kiwi Travel Ltd': 'connected' });
    const [demo, kiwi] = await t.app.db.connections.listByTeam(t.fake.teamId);
    await expect(t.app.xeroAccess.accessFor(demo!.id)).rejects.toMatchObject({ code: 'tenant_not_connected' });
    expect((await t.app.xeroAccess.accessFor(kiwi!.id)).tenantId).toBe(kiwi!.tenantId);
    const [audited] = await t.app.db.audit.list({ slackTeamId: t.fake.teamId, action: 'xero.disconnect' });
    expect(audited).toMatchObject({ actor: adminUser, target: demo!.id, details: { outcome: 'ok' } });
  });

  it('asks first; Cancel, a non-admin and an expired confirmation change nothing; Disconnect removes it in Xero', async () => {
    const before = await statuses();
    const confirmation = await command('disconnect kiwi travel LTD');
    expect(confirmation.text).toBe(text.disconnectConfirm('Kiwi Travel Ltd'));
    const buttons = buttonsOf(confirmation);
    const confirm = buttons[actionIds.confirmDisconnect]!;

    expect((await press(actionIds.cancelDisconnect, buttons[actionIds.cancelDisconnect]!)).text).toBe(text.disconnectCancelled('Kiwi Travel Ltd'));
    expect((await press(actionIds.confirmDisconnect, confirm, 'U0SOMEONE1')).text).toBe(text.notAuthorized);
    const [denied] = await t.app.db.audit.list({ slackTeamId: t.fake.teamId, action: 'xero.disconnect' });
    expect(denied).toMatchObject({ actor: 'U0SOMEONE1', details: { outcome: 'denied' } });
    // Eleven minutes old: refused politely.
    const stale = JSON.stringify({ ...JSON.parse(confirm), t: Date.now() - 11 * 60_000 });
    expect((await press(actionIds.confirmDisconnect, stale)).text).toBe(disconnectErrorText.confirmation_expired);
    expect(await statuses()).toEqual(before);
    expect(xero.callsTo('delete_connection')).toHaveLength(1);

    expect((await press(actionIds.confirmDisconnect, confirm)).text).toBe(text.disconnected('Kiwi Travel Ltd'));
    expect(xero.callsTo('delete_connection').at(-1)!.status).toBe(204);
    expect(xero.connectionsOf()).toEqual([]);
    expect(await statuses()).toEqual({ 'Demo Co': 'disconnected', 'Kiwi Travel Ltd': 'disconnected' });

    // Pressing again does nothing more, and nothing is left to name.
    expect((await press(actionIds.confirmDisconnect, confirm)).text).toBe(disconnectErrorText.already_disconnected);
    expect((await command('disconnect Kiwi Travel Ltd')).text).toBe(text.disconnectWhich('Kiwi Travel Ltd', 'unknown', []));
    expect(xero.callsTo('delete_connection')).toHaveLength(2);
  });

  it('the last disconnect revokes the token set at Xero and retires it: tokens wiped, never refreshed again', async () => {
    const [demo, kiwi] = await t.app.db.connections.listByTeam(t.fake.teamId);
    expect(demo!.tokenSetId).toBe(kiwi!.tokenSetId);
    const set = (await t.app.db.tokenSets.get(kiwi!.tokenSetId))!;
    // Revoked once, when Kiwi (the last live one) went; not when Demo Co went before it.
    expect(xero.callsTo('revocation').map((c) => [c.status, c.authEventId])).toEqual([[200, set.authEventId]]);
    expect(set.retiredAt).not.toBeNull();
    expect(await t.app.db.tokenSets.getWithTokens(set.id)).toBeNull();

    // Even due on both counts, the refresh job leaves it alone.
    const { createClient } = await import('../../src/db/prisma-client.ts');
    const handle = await createClient(t.app.config.database);
    try {
      await handle.prisma.xeroTokenSet.update({ where: { id: set.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000), refreshTokenIssuedAt: new Date(Date.now() - 50 * 86_400_000) } });
    } finally {
      await handle.prisma.$disconnect();
    }
    const tokenCalls = xero.callsTo('token').length;
    expect(await t.app.jobs['refresh-xero-tokens']!()).toMatchObject({ due: 0, refreshed: 0 });
    expect(xero.callsTo('token')).toHaveLength(tokenCalls);
  });
});

describe('App Home', () => {
  let homes = 0;
  async function openHome(user: string) {
    const before = t.fake.callsOf('views.publish').filter((c) => c.params.user_id === user).length;
    await t.slack.event({ type: 'app_home_opened', user, channel: 'D0HOME0001', tab: 'home', event_ts: `1700000600.${String(++homes).padStart(6, '0')}` });
    const published = await t.fake.waitFor(() => {
      const calls = t.fake.callsOf('views.publish').filter((c) => c.params.user_id === user);
      return calls.length > before && calls.at(-1);
    });
    return (published.params.view as { blocks: Array<Record<string, unknown>> }).blocks;
  }
  async function dmAfter(pressing: () => Promise<unknown>): Promise<string> {
    const before = t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === adminUser).length;
    await pressing();
    const dms = await t.fake.waitFor(() => {
      const calls = t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === adminUser);
      return calls.length > before && calls;
    });
    return String(dms.at(-1)!.params.text);
  }
  const linkIn = (message: string) => /<(http[^|>]+)\|/.exec(message)?.[1];

  it('shows admins a Connect Xero button whose link arrives by DM and connects', async () => {
    expect(blocksText(await openHome('U0USER0001'))).not.toContain(actionIds.connectXero);
    expect(blocksText(await openHome(adminUser))).toContain(actionIds.connectXero);

    // Someone else pressing it (from a stale view) gets the refusal in their DM, and no link.
    await t.slack.button(actionIds.connectXero, 'connect', { inHome: true, userId: 'U0SOMEONE1' });
    const refusal = await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'U0SOMEONE1'));
    expect(refusal.params.text).toBe(text.notAuthorized);

    const message = await dmAfter(() => t.slack.button(actionIds.connectXero, 'connect', { inHome: true, userId: adminUser }));
    const link = linkIn(message);
    expect(link, message).toBeDefined();
    expect((await consentAndCallback(link!)).status).toBe(200);
    expect((await t.app.db.connections.listByTeam(t.fake.teamId)).map((c) => c.status)).toEqual(['connected', 'connected']);
    await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').some((c) => c.params.channel === adminUser && c.params.text === 'Connected Demo Co (and 1 more).'));
  });

  it('puts a Reconnect button on a connection that needs one, for admins, and it reconnects that organisation', async () => {
    const [demo, kiwi] = await t.app.db.connections.listByTeam(t.fake.teamId);
    await t.app.db.connections.updateHealth(kiwi!.id, { status: 'needs_reconnect', reason: 'refresh_rejected' });
    const reconnectButtons = (blocks: Array<Record<string, unknown>>) =>
      blocks.flatMap((b) => {
        const accessory = b.accessory as { action_id?: string; value?: string } | undefined;
        return accessory?.action_id === actionIds.reconnect ? [accessory.value] : [];
      });
    expect(reconnectButtons(await openHome(adminUser))).toEqual([kiwi!.id]);
    expect(reconnectButtons(await openHome('U0USER0001'))).toEqual([]);

    const link = linkIn(await dmAfter(() => t.slack.button(actionIds.reconnect, kiwi!.id, { inHome: true, userId: adminUser })));
    expect((await consentAndCallback(link!)).status).toBe(200);
    expect((await t.app.db.connections.get(kiwi!.id))!.status).toBe('connected');
    expect((await t.app.db.connections.get(demo!.id))!.status).toBe('connected');
    expect(reconnectButtons(await openHome(adminUser))).toEqual([]);
  });
});

describe('a reconnect DM whose answer was lost', () => {
  it('is looked up by its metadata once the claim runs out and recorded, never sent twice', async () => {
    const [first] = await t.app.db.connections.listByTeam(t.fake.teamId);
    const set = (await t.app.db.tokenSets.get(first!.tokenSetId))!;
    xero.revokeTokens(set.authEventId!);
    const { createClient } = await import('../../src/db/prisma-client.ts');
    const handle = await createClient(t.app.config.database);
    try {
      await handle.prisma.xeroTokenSet.update({ where: { id: set.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
      const reconnectDms = () => t.fake.messagesIn(adminDm).filter((m) => m.metadata?.event_type === reconnectNoticeEventType && m.metadata.event_payload.token_set_id === set.id);
      // Slack stores the DM, then the answer is lost (a 503 from a proxy).
      t.fake.failNext('chat.postMessage', { answerLost: 'status' });
      const run = t.app.jobs['refresh-xero-tokens']!;
      expect(await run()).toMatchObject({ rejected: 1, noticesSent: 0 });
      expect(reconnectDms()).toHaveLength(1);
      expect((await t.app.db.tokenSets.get(set.id))!.reconnectNoticeSentAt).toBeNull();
      // Within the claim nobody touches it.
      await run();
      expect(reconnectDms()).toHaveLength(1);
      // The claim has run out: the next run finds the DM and records it instead of sending another.
      const claimedAt = (await t.app.db.tokenSets.get(set.id))!.reconnectNoticeClaimedAt!;
      await handle.prisma.xeroTokenSet.update({ where: { id: set.id }, data: { reconnectNoticeClaimedAt: new Date(claimedAt.getTime() - reconnectNoticeLeaseMs - 1_000) } });
      await run();
      await run();
      expect(reconnectDms()).toHaveLength(1);
      expect((await t.app.db.tokenSets.get(set.id))!.reconnectNoticeSentAt).not.toBeNull();
      expect(t.logs.some((l) => l.includes('looked for a reconnect DM') && l.includes('"found":true'))).toBe(true);
    } finally {
      await handle.prisma.$disconnect();
    }
  });
});
