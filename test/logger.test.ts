import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLogger, scrubSecrets } from '../src/logger.ts';

describe('logger', () => {
  it('writes JSON lines and removes secrets by field name and by shape', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info({ botToken: 'plain-secret-value', headers: { authorization: 'Bearer abc' }, nested: { clientSecret: 's3cret' } }, 'posting with xoxb-1234-5678-abcdef');
    logger.error({ err: new Error('failed for token xapp-1-A1-99-zz') }, 'boom');
    const all = lines.join('');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(all).not.toContain('plain-secret-value');
    expect(all).not.toContain('Bearer abc');
    expect(all).not.toContain('s3cret');
    expect(all).not.toContain('xoxb-1234');
    expect(all).not.toContain('xapp-1-A1');
    expect(all).toContain('xoxb-[redacted]');
  });

  it('scrubs Xero tokens by field name and JWTs by shape', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXBhcnQ';
    expect(scrubSecrets(`refresh failed with ${jwt} attached`)).toBe('refresh failed with [redacted-jwt] attached');
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    createLogger({ level: 'info', destination }).info({ tokens: { refresh_token: 'opaque-refresh-value', idToken: 'opaque-id-value' } }, 'stored');
    expect(lines.join('')).not.toMatch(/opaque-(refresh|id)-value/);
  });

  it('scrubs every kind of Slack token', () => {
    expect(scrubSecrets('a xoxp-1-2 b xoxe.xoxb-1-abc c xoxr-9')).toBe('a xoxp-[redacted] b xoxe.xoxb-[redacted] c xoxr-[redacted]');
  });

  it('scrubs every configured secret value, whatever field or encoding carries it', () => {
    const config = loadConfig({
      SLACK_CLIENT_ID: '1234567890.1234567890',
      SLACK_CLIENT_SECRET: 'client/secret+value=42-abcdef',
      SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
      SLACK_SIGNING_SECRET: 'signing-secret-0123456789abcdef',
      DATABASE_URL: 'postgresql://app:p%40ss%2Fword@db.internal:5432/concierge',
    });
    expect(config.secrets).toEqual(expect.arrayContaining(['client/secret+value=42-abcdef', 'state-secret-0123456789abcdef', 'signing-secret-0123456789abcdef', 'p@ss/word']));
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'trace', secrets: config.secrets, destination });
    logger.trace(`http request body: client_id=1234567890.1234567890&client_secret=${encodeURIComponent('client/secret+value=42-abcdef')}&code=abc`);
    logger.debug({ body: JSON.stringify({ client_secret: 'client/secret+value=42-abcdef' }) }, 'sent');
    logger.info({ url: 'postgresql://app:p%40ss%2Fword@db.internal:5432/concierge' }, 'connecting with p@ss/word');
    logger.warn({ any: { field: 'state-secret-0123456789abcdef' } }, 'signing-secret-0123456789abcdef');
    const all = lines.join('');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const leak of ['client/secret', 'client%2Fsecret', 'p%40ss', 'p@ss/word', 'state-secret-0123', 'signing-secret-0123']) expect(all).not.toContain(leak);
    expect(all).toContain('client_secret=[redacted]&code=abc');
    expect(all).toContain('1234567890.1234567890');
  });
});
