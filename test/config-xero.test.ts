import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a configuration error');
}

const clientId = 'ABCDEF0123456789ABCDEF0123456789';
const clientSecret = 'super-secret-value-0123456789abcdefghijkl';

describe('Xero configuration', () => {
  it('is off with no variables, and defaults to Xero with the callback on PORT', () => {
    expect(loadConfig({}).xero).toEqual({
      credentials: undefined,
      redirectUri: 'http://localhost:3000/xero/callback',
      identityUrl: 'https://identity.xero.com',
      apiUrl: 'https://api.xero.com',
      webhookKey: undefined,
      rateTimeScale: 1,
    });
    expect(loadConfig({ PORT: '8080' }).xero.redirectUri).toBe('http://localhost:8080/xero/callback');
  });

  it('is configured with a client id and secret; base URLs lose a trailing slash', () => {
    const xero = loadConfig({ XERO_CLIENT_ID: clientId, XERO_CLIENT_SECRET: clientSecret, XERO_IDENTITY_URL: 'http://127.0.0.1:3102/', XERO_API_URL: 'http://127.0.0.1:3102', XERO_REDIRECT_URI: 'https://bot.example.com/xero/callback' }).xero;
    expect(xero).toEqual({ credentials: { clientId, clientSecret }, redirectUri: 'https://bot.example.com/xero/callback', identityUrl: 'http://127.0.0.1:3102', apiUrl: 'http://127.0.0.1:3102', webhookKey: undefined, rateTimeScale: 1 });
  });

  it('takes XERO_WEBHOOK_KEY as a secret: refused when too short, never echoed', () => {
    const key = 'xero-webhook-key-0123456789abcdefABCDEF+/==';
    expect(loadConfig({ XERO_WEBHOOK_KEY: key }).xero.webhookKey).toBe(key);
    expect(loadConfig({ XERO_WEBHOOK_KEY: key }).secrets).toContain(key);
    const problems = problemsOf({ XERO_WEBHOOK_KEY: 'short' });
    expect(problems).toEqual([expect.stringMatching(/^XERO_WEBHOOK_KEY/)]);
    expect(problems.join(' ')).not.toContain('short');
  });

  it('takes a rate-limit time scale for a fake Xero on a scaled clock, and refuses one outside (0, 1]', () => {
    expect(loadConfig({ XERO_RATE_TIME_SCALE: '0.01' }).xero.rateTimeScale).toBe(0.01);
    for (const bad of ['0', '2', 'fast']) expect(problemsOf({ XERO_RATE_TIME_SCALE: bad }).join('\n')).toContain(`XERO_RATE_TIME_SCALE="${bad}"`);
  });

  it('names the missing half of the credentials', () => {
    expect(problemsOf({ XERO_CLIENT_ID: clientId })).toEqual([expect.stringMatching(/^XERO_CLIENT_SECRET missing/)]);
    expect(problemsOf({ XERO_CLIENT_SECRET: clientSecret })).toEqual([expect.stringMatching(/^XERO_CLIENT_ID missing/)]);
  });

  it('lists every bad Xero variable at once and never echoes the secret', () => {
    const problems = problemsOf({ XERO_CLIENT_ID: 'not an id', XERO_CLIENT_SECRET: 'short secret', XERO_API_URL: 'ftp://api.example.com', XERO_IDENTITY_URL: 'identity', XERO_REDIRECT_URI: 'callback' });
    const text = problems.join('\n');
    for (const expected of ['XERO_CLIENT_ID="not an id"', 'XERO_CLIENT_SECRET=<hidden>', 'XERO_API_URL="ftp://api.example.com"', 'XERO_IDENTITY_URL="identity"', 'XERO_REDIRECT_URI="callback"']) expect(text).toContain(expected);
    expect(text).not.toContain('short secret');
  });
});
