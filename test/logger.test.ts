import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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
});
