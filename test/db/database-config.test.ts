// The database and key variables of loadConfig: what each value selects, and what a bad one says.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { newKey } from './test-databases.ts';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('database configuration', () => {
  it('defaults to SQLite at ./data/concierge.db under the current directory', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ provider: 'sqlite', url: `file:${join(process.cwd(), 'data/concierge.db')}`, filePath: join(process.cwd(), 'data/concierge.db') });
    expect(config.dataDir).toBe(join(process.cwd(), 'data'));
    expect(config.encryptionKey).toBeUndefined();
    expect(config.oldEncryptionKeys).toEqual([]);
  });

  it('keeps the default database in CONCIERGE_DATA_DIR when that is set', () => {
    expect(loadConfig({ CONCIERGE_DATA_DIR: '/srv/concierge' }).database).toMatchObject({ provider: 'sqlite', filePath: '/srv/concierge/concierge.db' });
  });

  it('takes file: URLs, relative or absolute, as SQLite files', () => {
    expect(loadConfig({ DATABASE_URL: 'file:./var/app.db' }).database).toMatchObject({ provider: 'sqlite', filePath: join(process.cwd(), 'var/app.db') });
    expect(loadConfig({ DATABASE_URL: 'file:/tmp/app.db' }).database).toEqual({ provider: 'sqlite', url: 'file:/tmp/app.db', filePath: '/tmp/app.db' });
    expect(loadConfig({ DATABASE_URL: 'file:///tmp/app.db' }).database).toMatchObject({ filePath: '/tmp/app.db' });
  });

  it('takes postgres:// and postgresql:// URLs as PostgreSQL', () => {
    for (const url of ['postgres://app:pw@db.internal:5432/concierge', 'postgresql://app@127.0.0.1/concierge']) {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ provider: 'postgresql', url });
    }
  });

  it('rejects other URLs, saying what is accepted without echoing the value', () => {
    const text = problems({ DATABASE_URL: 'mysql://root:hunter2@127.0.0.1/concierge' });
    expect(text).toMatch(/DATABASE_URL.*must start with file:, postgres:\/\/ or postgresql:\/\//);
    expect(text).not.toContain('hunter2');
  });

  it('accepts a 32-byte base64 key and a comma-separated list of old ones', () => {
    const [current, old1, old2] = [newKey(), newKey(), newKey()];
    const config = loadConfig({ CONCIERGE_ENCRYPTION_KEY: current, CONCIERGE_OLD_ENCRYPTION_KEYS: `${old1}, ${old2}` });
    expect(config.encryptionKey).toBe(current);
    expect(config.oldEncryptionKeys).toEqual([old1, old2]);
  });

  it('rejects keys that are not 32 bytes of base64, without echoing them', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const text = problems({ CONCIERGE_ENCRYPTION_KEY: short, CONCIERGE_OLD_ENCRYPTION_KEYS: `${newKey()},not-a-key` });
    expect(text).toMatch(/CONCIERGE_ENCRYPTION_KEY.*32 bytes encoded as base64.*openssl rand -base64 32/);
    expect(text).toMatch(/CONCIERGE_OLD_ENCRYPTION_KEYS.*each 32 bytes encoded as base64/);
    expect(text).not.toContain(short);
    expect(text).not.toContain('not-a-key');
  });

  it('says when the port of a PostgreSQL URL is not a port, without echoing the URL', () => {
    for (const url of ['postgresql://app:hunter2@db.internal:99999/concierge', 'postgres://app:hunter2@db.internal:54x2/concierge', 'postgresql://app:hunter2@db.internal:0/concierge']) {
      const text = problems({ DATABASE_URL: url });
      expect(text).toMatch(/^DATABASE_URL=<hidden> is invalid: the port after the host name must be a number between 1 and 65535 \(expected .*postgresql:\/\/user:password@host:5432\/database/);
      expect(text).not.toContain('hunter2');
    }
    expect(problems({ DATABASE_URL: 'postgresql://app:hunter2@:5432/concierge' })).toMatch(/DATABASE_URL.*the host name is missing/);
  });

  it('says when a file: URL names no file', () => {
    for (const url of ['file:', 'file:?mode=ro']) expect(problems({ DATABASE_URL: url })).toMatch(/^DATABASE_URL=<hidden> is invalid: the SQLite file path is missing after file: \(expected file:<path>/);
  });
});

