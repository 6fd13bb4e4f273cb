// Multi-workspace install: /slack/install starts OAuth, /slack/oauth_redirect exchanges the code
// (oauth.v2.access on the fake), the installation lands in the database with its token
// encrypted, and requests from that workspace are answered with that workspace's token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPath, oauthRedirectPath } from '../../src/slack/create-slack-app.ts';
import { botScopes } from '../../src/slack/scopes.ts';
import { SlackRequests } from '../../dev/slack-requests.ts';
import { settle, signingSecret, startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: '1234567890.1234567890',
      SLACK_CLIENT_SECRET: 'client-secret-0123456789abcdef',
      SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
    },
  });
});
afterAll(async () => {
  await t?.close();
});

describe('OAuth install', () => {
  it('installs into a workspace, stores the installation and answers there with its own token', async () => {
    const install = await fetch(`${t.baseUrl}${installPath}`, { redirect: 'manual' });
    expect(install.status).toBe(200);
    const page = await install.text();
    const link = /href="(https:[^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&');
    expect(link).toBeDefined();
    const authorize = new URL(link!);
    expect(authorize.searchParams.get('client_id')).toBe('1234567890.1234567890');
    expect(authorize.searchParams.get('scope')?.split(',').sort()).toEqual([...botScopes].sort());
    const state = authorize.searchParams.get('state')!;
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;

    const callback = await fetch(`${t.baseUrl}${oauthRedirectPath}?code=fake-code&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(callback.status).toBe(200);
    const exchange = t.fake.callsOf('oauth.v2.access')[0]!;
    expect(exchange.params.code).toBe('fake-code');

    const stored = await t.app.db.installations.fetch({ teamId: 'T0INSTALL1' });
    expect(stored?.bot.token).toBe('xoxb-installed-workspace-token');

    const installed = new SlackRequests(t.baseUrl, signingSecret, (id) => t.fake.responseUrl(id), { teamId: 'T0INSTALL1', userId: 'U0USER0009', channelId: 'C0INSTALL1' });
    await installed.event({ type: 'app_mention', user: 'U0USER0009', text: '<@U0BOT00001> XERO11', ts: '1700004000.000100', channel: 'C0INSTALL1' });
    const reply = await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'C0INSTALL1'));
    expect(reply.token).toBe('xoxb-installed-workspace-token');
  });

  it('ignores events from a workspace that never installed the app', async () => {
    const stranger = new SlackRequests(t.baseUrl, signingSecret, (id) => t.fake.responseUrl(id), { teamId: 'T0STRANGER', userId: 'U0USER0008', channelId: 'C0STRANGE1' });
    const response = await stranger.event({ type: 'app_mention', user: 'U0USER0008', text: '<@U0BOT00001> XERO11', ts: '1700004100.000100', channel: 'C0STRANGE1' });
    expect(response.status).toBeLessThan(500);
    await settle(t.app);
    expect(t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0STRANGE1')).toHaveLength(0);
  });

  it('refuses a callback whose state was not issued here', async () => {
    const response = await fetch(`${t.baseUrl}${oauthRedirectPath}?code=fake-code&state=forged`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(t.fake.callsOf('oauth.v2.access')).toHaveLength(1);
  });
});
