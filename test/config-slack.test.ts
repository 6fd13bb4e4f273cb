// The Slack, HTTP and admin variables: which combinations choose which mode, and how partial or
// invalid settings are reported (all at once, secrets never echoed).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const bot = { SLACK_BOT_TOKEN: 'xoxb-1-2-secretvalue' };

describe('Slack configuration', () => {
  it('runs the local console when no Slack credentials are set, on port 3000', () => {
    const config = loadConfig({});
    expect(config.slack.mode).toBe('console');
    expect(config.port).toBe(3000);
    expect(config.adminUserIds).toEqual([]);
  });

  it('chooses HTTP with a bot token and signing secret, Socket Mode with an app token', () => {
    expect(loadConfig({ ...bot, SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' }).slack.mode).toBe('http');
    expect(loadConfig({ ...bot, SLACK_APP_TOKEN: 'xapp-1-A1-123-abc' }).slack.mode).toBe('socket');
  });

  it('reads OAuth, the API URL, the support channel and admins', () => {
    const config = loadConfig({
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'client-secret-0123456789',
      SLACK_STATE_SECRET: 'state-secret-0123456789',
      SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      PORT: '8080',
      SUPPORT_CHANNEL_ID: 'C0123456789',
      CONCIERGE_ADMIN_USER_IDS: 'U0123456789, W0987654321',
      CONCIERGE_ADMIN_USERGROUP_ID: 'S0123456789',
    });
    expect(config.slack.oauth).toEqual({ clientId: '1234567890.0987654321', clientSecret: 'client-secret-0123456789', stateSecret: 'state-secret-0123456789' });
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.port).toBe(8080);
    expect(config.supportChannelId).toBe('C0123456789');
    expect(config.adminUserIds).toEqual(['U0123456789', 'W0987654321']);
    expect(config.adminUsergroupId).toBe('S0123456789');
  });

  it('names what is missing from a partial OAuth set', () => {
    const problems = problemsOf({ SLACK_CLIENT_ID: '1234567890.0987654321', SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef' });
    expect(problems).toEqual([expect.stringContaining('SLACK_CLIENT_SECRET, SLACK_STATE_SECRET missing')]);
  });

  it('needs a signing secret for HTTP, and a token source', () => {
    expect(problemsOf(bot)).toEqual([expect.stringContaining('SLACK_SIGNING_SECRET missing')]);
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1-A1-123-abc' })).toEqual([expect.stringContaining('SLACK_BOT_TOKEN missing')]);
  });

  it('refuses a bot token together with OAuth', () => {
    const problems = problemsOf({
      ...bot,
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'client-secret-0123456789',
      SLACK_STATE_SECRET: 'state-secret-0123456789',
      SLACK_APP_TOKEN: 'xapp-1-A1-123-abc',
    });
    expect(problems).toEqual([expect.stringContaining('both set')]);
  });

  it('lists every malformed value at once, without echoing secrets', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_SIGNING_SECRET: 'short',
      PORT: '70000',
      SUPPORT_CHANNEL_ID: '#support',
      CONCIERGE_ADMIN_USER_IDS: 'alice,bob',
      SLACK_API_URL: 'ftp://example.com',
    });
    const all = problems.join('\n');
    for (const name of ['SLACK_BOT_TOKEN=<hidden>', 'SLACK_SIGNING_SECRET=<hidden>', 'PORT="70000"', 'SUPPORT_CHANNEL_ID="#support"', 'CONCIERGE_ADMIN_USER_IDS="alice,bob"', 'SLACK_API_URL="ftp://example.com"']) {
      expect(all).toContain(name);
    }
    expect(all).toContain('C0123456789');
    expect(all).not.toContain('xoxp-user-token-secret');
    expect(all).not.toContain('"short"');
  });
});
