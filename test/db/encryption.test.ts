// Secrets at rest: tokens never appear in the database, a wrong key is named as such, retired
// keys keep working, and `keys rotate` moves everything to the current key.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase, type DatabaseSettings, type SlackInstallationInput, type XeroTokenSetInput } from '../../src/db/index.ts';
import { keyId, SecretBox } from '../../src/db/secret-box.ts';
import { createTestDatabase, newKey, postgresAvailable, rawQuery, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();
const repoRoot = new URL('../../', import.meta.url).pathname;
const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

const botToken = 'xoxb-1234567890-SECRET-BOT-TOKEN';
const accessToken = 'eyJhbGciOi.SECRET-XERO-ACCESS-TOKEN';
const refreshToken = 'SECRET-XERO-REFRESH-TOKEN-0123456789';

const installation: SlackInstallationInput = {
  teamId: 'T-enc',
  teamName: 'Encrypted Co',
  enterpriseId: null,
  enterpriseName: null,
  isEnterpriseInstall: false,
  appId: 'A1',
  bot: { id: 'B1', userId: 'UB', token: botToken, scopes: ['chat:write'], refreshToken: null, expiresAt: null },
  installer: { userId: 'U1', token: null, scopes: [], refreshToken: null },
};

const tokenSet: XeroTokenSetInput = {
  slackTeamId: 'T-enc',
  tokens: { accessToken, refreshToken, idToken: undefined, expiresAt: new Date(Date.now() + 1_800_000), scopes: ['offline_access'] },
  connectedBySlackUserId: 'U1',
  connectedByXeroEmail: 'owner@example.com',
};

async function seeded(provider: 'sqlite' | 'postgresql', overrides: Partial<DatabaseSettings> = {}) {
  const test = await createTestDatabase(provider, overrides);
  created.push(test);
  const db = await openDatabase(test.settings, { warn: () => {} });
  await db.installations.store(installation);
  const set = await db.tokenSets.create(tokenSet);
  await db.connections.upsert({ slackTeamId: 'T-enc', tenantId: 'tenant-enc', tenantName: 'Encrypted Co Ltd', tenantType: 'ORGANISATION', xeroConnectionId: 'xc-enc', tokenSetId: set.id });
  await db.close();
  return { test, connectionId: set.id };
}

async function readWith(settings: DatabaseSettings, connectionId: string) {
  const db = await openDatabase(settings, { warn: () => {} });
  try {
    return { installation: await db.installations.fetch({ teamId: 'T-enc' }), connection: await db.tokenSets.getWithTokens(connectionId) };
  } finally {
    await db.close();
  }
}

describe('SecretBox', () => {
  it('round-trips, and never produces the same ciphertext twice', () => {
    const box = new SecretBox(Buffer.from(newKey(), 'base64'));
    const a = box.seal('hello');
    expect(box.open(a)).toBe('hello');
    expect(box.seal('hello')).not.toBe(a);
    expect(SecretBox.keyIdOf(a)).toBe(box.currentKeyId);
  });

  it('names the unknown key instead of returning garbage', () => {
    const old = Buffer.from(newKey(), 'base64');
    const sealed = new SecretBox(old).seal('secret');
    const other = new SecretBox(Buffer.from(newKey(), 'base64'));
    expect(() => other.open(sealed)).toThrowError(expect.objectContaining({ code: 'encryption_key_unknown', message: expect.stringContaining(keyId(old)) }));
  });

  it('detects a tampered ciphertext', () => {
    const box = new SecretBox(Buffer.from(newKey(), 'base64'));
    const parts = box.seal('pay 100 to Alice').split('.');
    parts[3] = Buffer.from('pay 999 to Mallo').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrowError(expect.objectContaining({ code: 'secret_decrypt_failed' }));
  });
});

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`tokens at rest on ${provider}`, () => {
    it('are not readable in the stored rows', async () => {
      const { test } = await seeded(provider);
      const rows = [
        ...(await rawQuery(test, 'SELECT * FROM "SlackInstallation"')),
        ...(await rawQuery(test, 'SELECT * FROM "XeroConnection"')),
        ...(await rawQuery(test, 'SELECT * FROM "XeroTokenSet"')),
      ];
      const dump = JSON.stringify(rows);
      expect(dump).toContain('Encrypted Co Ltd');
      for (const secret of [botToken, accessToken, refreshToken, 'SECRET']) expect(dump).not.toContain(secret);
      if (provider === 'sqlite') {
        // The file itself and the write-ahead log beside it: the tenant name is there in clear, the tokens are not.
        const bytes = Buffer.concat(readdirSync(test.dir).filter((n) => n.startsWith('concierge.db')).map((n) => readFileSync(join(test.dir, n))));
        expect(bytes.includes('Encrypted Co Ltd')).toBe(true);
        expect(bytes.includes('SECRET')).toBe(false);
      }
    });

    it('are a clear error under the wrong key, and readable again with the right one as an old key', async () => {
      const { test, connectionId } = await seeded(provider);
      const wrong = { ...test.settings, encryptionKey: newKey() };
      const err = await readWith(wrong, connectionId).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err).toMatchObject({ code: 'encryption_key_unknown', message: expect.stringMatching(/CONCIERGE_OLD_ENCRYPTION_KEYS/) });

      const rotatedConfig = { ...test.settings, encryptionKey: newKey(), oldEncryptionKeys: [test.settings.encryptionKey!] };
      const read = await readWith(rotatedConfig, connectionId);
      expect(read.installation?.bot.token).toBe(botToken);
      expect(read.connection?.tokens).toMatchObject({ accessToken, refreshToken });
    });

    it('move to the current key with rotateKeys, after which the old key can go', async () => {
      const { test, connectionId } = await seeded(provider);
      const next = { ...test.settings, encryptionKey: newKey(), oldEncryptionKeys: [test.settings.encryptionKey!] };
      const db = await openDatabase(next, { warn: () => {} });
      const result = await db.rotateKeys();
      expect(result).toMatchObject({ reencrypted: { installations: 1, xeroTokenSets: 1 }, alreadyCurrent: 0 });
      expect((await db.rotateKeys()).alreadyCurrent).toBe(2);
      await db.close();

      const read = await readWith({ ...next, oldEncryptionKeys: [] }, connectionId);
      expect(read.installation?.bot.token).toBe(botToken);
      expect(read.connection?.tokens.refreshToken).toBe(refreshToken);
      const stored = await rawQuery<{ tokensEncrypted: string }>(test, 'SELECT "tokensEncrypted" FROM "XeroTokenSet"');
      expect(stored.map((r) => SecretBox.keyIdOf(r.tokensEncrypted))).toEqual([keyId(Buffer.from(next.encryptionKey, 'base64'))]);
    });
  });
}

describe('key configuration', () => {
  it('generates an owner-only key file for SQLite when no key is set, and warns', async () => {
    const test = await createTestDatabase('sqlite', { encryptionKey: undefined });
    created.push(test);
    const warnings: string[] = [];
    const db = await openDatabase(test.settings, { warn: (m) => warnings.push(m) });
    await db.installations.store(installation);
    await db.close();
    const keyFile = join(test.settings.dataDir, 'encryption.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(warnings.join('\n')).toMatch(/CONCIERGE_ENCRYPTION_KEY is not set.*encryption\.key/);

    // The same generated key is used on the next start, so the data stays readable.
    const again = await openDatabase(test.settings, { warn: () => {} });
    expect((await again.installations.fetch({ teamId: 'T-enc' }))?.bot.token).toBe(botToken);
    await again.close();
    expect(readFileSync(keyFile, 'utf8')).not.toContain(botToken);
  });

  it('refuses to start on PostgreSQL without a key, before connecting', async () => {
    const err = await openDatabase(
      { database: { provider: 'postgresql', url: 'postgresql://postgres@127.0.0.1:1/none' }, dataDir: tmpdir(), encryptionKey: undefined, oldEncryptionKeys: [] },
      { warn: () => {} },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'encryption_key_missing', message: expect.stringMatching(/openssl rand -base64 32/) });
  });
});

describe('concierge keys rotate', () => {
  it('re-encrypts under the new key and records it in the audit log', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'concierge-cli-keys-'));
    try {
      const oldKey = newKey();
      const newKeyValue = newKey();
      const filePath = join(cwd, 'app.db');
      const settings: DatabaseSettings = { database: { provider: 'sqlite', url: `file:${filePath}`, filePath }, dataDir: join(cwd, 'data'), encryptionKey: oldKey, oldEncryptionKeys: [] };
      const db = await openDatabase(settings, { warn: () => {} });
      await db.installations.store(installation);
      await db.close();

      const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(repoRoot, 'bin/concierge.js'), 'keys', 'rotate'], {
          cwd,
          env: { PATH: process.env.PATH ?? '', DATABASE_URL: `file:${filePath}`, CONCIERGE_ENCRYPTION_KEY: newKeyValue, CONCIERGE_OLD_ENCRYPTION_KEYS: oldKey },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/Re-encrypted 1 Slack installation\(s\) and 0 Xero token set\(s\)/);
      expect(run.stdout).toMatch(/CONCIERGE_OLD_ENCRYPTION_KEYS can be removed/);
      expect(run.code).toBe(0);

      const after = await openDatabase({ ...settings, encryptionKey: newKeyValue }, { warn: () => {} });
      expect((await after.installations.fetch({ teamId: 'T-enc' }))?.bot.token).toBe(botToken);
      expect(await after.audit.list({ action: 'keys.rotated' })).toEqual([expect.objectContaining({ actor: 'cli', details: expect.objectContaining({ installations: 1 }) })]);
      await after.close();
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
