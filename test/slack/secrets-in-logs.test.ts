// No configured secret reaches the log, at the most verbose level, in any Slack mode: the app is
// started as `npm start` would with every secret set, driven through a few requests (including
// an OAuth install whose exchange sends the client secret to oauth.v2.access), and every line it
// wrote is searched for each secret value, as written and as URL- or JSON-encoded.
import { afterAll, describe, expect, it } from 'vitest';
import { installPath, oauthRedirectPath } from '../../src/slack/create-slack-app.ts';
import { createTestDatabase, newKey, postgresAvailable, type TestDatabase } from '../db/test-databases.ts';
import { settle, startTestApp, type TestApp } from './test-app.ts';

const pgUp = await postgresAvailable();
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
});

// Shapes the token scrubbing by pattern would not catch: only the configured values identify them.
const common = {
  LOG_LEVEL: 'trace',
  SLACK_SIGNING_SECRET: 'signing/secret+value=0123456789',
  CONCIERGE_ENCRYPTION_KEY: newKey(),
  CONCIERGE_OLD_ENCRYPTION_KEYS: `${newKey()},${newKey()}`,
};

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)];
}

function expectNoSecret(t: TestApp, env: Record<string, string>, names: string[]): void {
  const log = t.logs.join('\n');
  // The test is only meaningful if the verbose lines are there.
  expect(t.logs.some((line) => line.includes('"level":10') || line.includes('"level":20'))).toBe(true);
  for (const name of names) {
    const values = name === 'CONCIERGE_OLD_ENCRYPTION_KEYS' ? env[name]!.split(',') : name === 'DATABASE_URL' ? [new URL(env[name]!).password] : [env[name]!];
    for (const value of values) {
      for (const form of forms(value)) expect(log.includes(form), `${name} appears in the log as ${JSON.stringify(form)}`).toBe(false);
    }
  }
}

describe('secrets in logs at LOG_LEVEL=trace', () => {
  it('HTTP mode with one bot token', async () => {
    const env = { ...common, SLACK_BOT_TOKEN: 'xoxb-http-bot-token-secret' };
    const t = await startTestApp({ env });
    try {
      await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700009000.000100', channel: 'C0LOGS0001' });
      await t.slack.command('status');
      await t.slack.command('XERO11');
      await settle(t.app);
      await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').length);
      expectNoSecret(t, { ...env }, ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'CONCIERGE_ENCRYPTION_KEY', 'CONCIERGE_OLD_ENCRYPTION_KEYS']);
    } finally {
      await t.close();
    }
  });

  it('Socket Mode', async () => {
    const env = { ...common, SLACK_BOT_TOKEN: 'xoxb-socket-bot-token-secret', SLACK_APP_TOKEN: 'xapp-1-A0APP00001-socket-app-secret', SLACK_SIGNING_SECRET: '' };
    const t = await startTestApp({ env });
    try {
      await t.fake.sendEnvelope('events_api', t.slack.eventEnvelope({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700009100.000100', channel: 'C0LOGS0002' }));
      await t.fake.sendEnvelope('slash_commands', t.slack.commandFields('help'));
      await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').length);
      await settle(t.app);
      expectNoSecret(t, env, ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'CONCIERGE_ENCRYPTION_KEY', 'CONCIERGE_OLD_ENCRYPTION_KEYS']);
    } finally {
      await t.close();
    }
  });

  it.skipIf(!pgUp)('OAuth multi-workspace install, on PostgreSQL with a password in DATABASE_URL', async () => {
    const db = await createTestDatabase('postgresql');
    databases.push(db);
    // The local server trusts local connections, so any password is accepted: it only has to be configured.
    const url = new URL(db.settings.database.url);
    url.password = 'db-password-S3cret/+';
    const env = {
      ...common,
      DATABASE_URL: url.toString(),
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: '1234567890.1234567890',
      SLACK_CLIENT_SECRET: 'client-secret/with+shape=9876543210',
      SLACK_STATE_SECRET: 'state-secret-0123456789abcdef-zz',
    };
    const t = await startTestApp({ env });
    try {
      const install = await fetch(`${t.baseUrl}${installPath}`);
      const link = /href="(https:[^"]+)"/.exec(await install.text())![1]!.replace(/&amp;/g, '&');
      const state = new URL(link).searchParams.get('state')!;
      const cookie = install.headers.get('set-cookie')!.split(';')[0]!;
      const callback = await fetch(`${t.baseUrl}${oauthRedirectPath}?code=fake-code&state=${encodeURIComponent(state)}`, { headers: { cookie } });
      expect(callback.status).toBe(200);
      expect(t.fake.callsOf('oauth.v2.access')).toHaveLength(1);
      await fetch(`${t.baseUrl}${oauthRedirectPath}?code=fake-code&state=forged`);
      await settle(t.app);
      expectNoSecret(t, env, ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET', 'DATABASE_URL', 'CONCIERGE_ENCRYPTION_KEY', 'CONCIERGE_OLD_ENCRYPTION_KEYS']);
    } finally {
      await t.close();
    }
  });
});
