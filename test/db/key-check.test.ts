// The key check: a lost key file or a wrong CONCIERGE_ENCRYPTION_KEY stops start-up with the id
// of the key the data needs, instead of a bot that reports ready and cannot read its tokens.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase, type DatabaseSettings, type SlackInstallationInput } from '../../src/db/index.ts';
import { keyId } from '../../src/db/secret-box.ts';
import { createTestDatabase, newKey, postgresAvailable, rawQuery, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();
const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

const installation: SlackInstallationInput = {
  teamId: 'T-check',
  teamName: 'Checked Co',
  enterpriseId: null,
  enterpriseName: null,
  isEnterpriseInstall: false,
  appId: 'A1',
  bot: { id: 'B1', userId: 'UB', token: 'xoxb-key-check-token', scopes: ['chat:write'], refreshToken: null, expiresAt: null },
  installer: { userId: 'U1', token: null, scopes: [], refreshToken: null },
};

const idOf = (base64: string) => keyId(Buffer.from(base64, 'base64'));

async function fresh(provider: 'sqlite' | 'postgresql', overrides: Partial<DatabaseSettings> = {}, withInstallation = true): Promise<TestDatabase> {
  const test = await createTestDatabase(provider, overrides);
  created.push(test);
  const db = await openDatabase(test.settings, { warn: () => {} });
  if (withInstallation) await db.installations.store(installation);
  await db.close();
  return test;
}

async function openError(settings: DatabaseSettings): Promise<DatabaseError> {
  const result = await openDatabase(settings, { warn: () => {} }).then(
    async (db) => {
      await db.close();
      return undefined;
    },
    (err: unknown) => err,
  );
  expect(result).toBeInstanceOf(DatabaseError);
  return result as DatabaseError;
}

async function checkKeyIds(test: TestDatabase): Promise<string[]> {
  return (await rawQuery<{ keyId: string }>(test, 'SELECT "keyId" FROM "EncryptionKeyCheck" ORDER BY "keyId"')).map((r) => r.keyId);
}

describe('a missing generated key file (SQLite)', () => {
  for (const [what, withInstallation] of [
    ['next to stored tokens', true],
    ['of a database that has no token yet', false],
  ] as const) {
    it(`stops start-up ${what}, naming the key to restore, and generates no new key`, async () => {
      const test = await fresh('sqlite', { encryptionKey: undefined }, withInstallation);
      const keyFile = join(test.settings.dataDir, 'encryption.key');
      const lostKey = readFileSync(keyFile, 'utf8').trim();
      rmSync(keyFile);

      const err = await openError(test.settings);
      expect(err.code).toBe('encryption_key_missing');
      expect(err.message).toContain(idOf(lostKey));
      expect(err.message).toContain(keyFile);
      expect(err.message).toMatch(/Restore .*backup.*or set CONCIERGE_ENCRYPTION_KEY to the key with id/);
      expect(existsSync(keyFile)).toBe(false);

      // Setting the lost key as CONCIERGE_ENCRYPTION_KEY is the documented way back.
      const db = await openDatabase({ ...test.settings, encryptionKey: lostKey }, { warn: () => {} });
      if (withInstallation) expect((await db.installations.fetch({ teamId: 'T-check' }))?.bot.token).toBe('xoxb-key-check-token');
      await db.close();
    });
  }
});

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`the key check on ${provider}`, () => {
    it('refuses a wrong CONCIERGE_ENCRYPTION_KEY at start, naming the key expected and how to recover', async () => {
      const test = await fresh(provider, {}, false);
      const wrong = newKey();
      const err = await openError({ ...test.settings, encryptionKey: wrong });
      expect(err.code).toBe('encryption_key_unknown');
      expect(err.message).toContain(`secrets encrypted with key ${idOf(test.settings.encryptionKey!)}`);
      expect(err.message).toContain(`CONCIERGE_ENCRYPTION_KEY is key ${idOf(wrong)}`);
      expect(err.message).toMatch(/CONCIERGE_OLD_ENCRYPTION_KEYS/);
      expect(err.message).not.toContain(wrong);
      // Nothing was recorded for the wrong key.
      expect(await checkKeyIds(test)).toEqual([idOf(test.settings.encryptionKey!)]);
    });

    it('derives the check for a database written before it existed, after proving the key on a stored secret', async () => {
      const test = await fresh(provider);
      await rawQuery(test, 'DELETE FROM "EncryptionKeyCheck"');

      const err = await openError({ ...test.settings, encryptionKey: newKey() });
      expect(err.code).toBe('encryption_key_unknown');
      expect(err.message).toContain(idOf(test.settings.encryptionKey!));
      expect(await checkKeyIds(test)).toEqual([]);

      await (await openDatabase(test.settings, { warn: () => {} })).close();
      expect(await checkKeyIds(test)).toEqual([idOf(test.settings.encryptionKey!)]);
    });

    it('keeps needing a retired key until keys rotate, then only the new one', async () => {
      const test = await fresh(provider);
      const oldKey = test.settings.encryptionKey!;
      const next = { ...test.settings, encryptionKey: newKey(), oldEncryptionKeys: [oldKey] };
      await (await openDatabase(next, { warn: () => {} })).close();
      expect((await checkKeyIds(test)).sort()).toEqual([idOf(oldKey), idOf(next.encryptionKey)].sort());

      // Dropping the old key before rotating would strand the tokens sealed with it.
      const early = await openError({ ...next, oldEncryptionKeys: [] });
      expect(early).toMatchObject({ code: 'encryption_key_unknown', message: expect.stringContaining(idOf(oldKey)) });

      const db = await openDatabase(next, { warn: () => {} });
      await db.rotateKeys();
      await db.close();
      expect(await checkKeyIds(test)).toEqual([idOf(next.encryptionKey)]);
      const after = await openDatabase({ ...next, oldEncryptionKeys: [] }, { warn: () => {} });
      expect((await after.installations.fetch({ teamId: 'T-check' }))?.bot.token).toBe('xoxb-key-check-token');
      await after.close();
    });

    it('reports a check that stops opening later through checkKeys (what /readyz shows)', async () => {
      const test = await fresh(provider, {}, false);
      const db = await openDatabase(test.settings, { warn: () => {} });
      try {
        await expect(db.checkKeys()).resolves.toBeUndefined();
        // A backup written under another key restored underneath the running bot.
        const other = await fresh(provider, {}, false);
        const [row] = await rawQuery<{ keyId: string; sealed: string }>(other, 'SELECT "keyId", "sealed" FROM "EncryptionKeyCheck"');
        await rawQuery(test, `UPDATE "EncryptionKeyCheck" SET "keyId" = '${row!.keyId}', "sealed" = '${row!.sealed}'`);
        await expect(db.checkKeys()).rejects.toMatchObject({ code: 'encryption_key_unknown', message: expect.stringContaining(row!.keyId) });
      } finally {
        await db.close();
      }
    });
  });
}

describe('concierge keys id', () => {
  it('prints the id start-up errors name, for each key on standard input', async () => {
    const keys = [newKey(), newKey()];
    const run = spawnSync(process.execPath, [new URL('../../bin/concierge.js', import.meta.url).pathname, 'keys', 'id'], {
      input: `${keys[0]}\n\nnot-a-key\n${keys[1]}\n`,
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(run.stdout).toBe(`${idOf(keys[0]!)}\n${idOf(keys[1]!)}\n`);
    expect(run.stderr).toContain('line 3 is not a key');
    expect(run.stderr).not.toContain('not-a-key');
    expect(run.status).toBe(1);
  });
});
