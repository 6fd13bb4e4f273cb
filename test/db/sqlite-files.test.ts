// The SQLite files hold every case and audit entry: owner-only, created so and tightened when an
// earlier version left them readable by everyone; a path that cannot be a database says why.
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from './test-databases.ts';

const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** The default layout: the database inside the data folder, which does not exist yet. */
async function defaultLayout(): Promise<{ settings: DatabaseSettings; dataDir: string; file: string }> {
  const test = await createTestDatabase('sqlite');
  created.push(test);
  const dataDir = join(test.dir, 'data');
  const file = join(dataDir, 'concierge.db');
  return { settings: { ...test.settings, dataDir, database: { provider: 'sqlite', url: `file:${file}`, filePath: file } }, dataDir, file };
}

describe('SQLite file permissions', () => {
  it('creates the data folder 0700 and the database, its WAL and shared-memory files 0600', async () => {
    // Whatever the umask, which is what leaves files readable by everyone today.
    const umask = process.umask(0o022);
    try {
      const { settings, dataDir, file } = await defaultLayout();
      const db = await openDatabase(settings, { warn: () => {} });
      await db.audit.append({ actor: 'test', action: 'perm.check', details: {} });
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(mode(dataDir)).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect([path, mode(path)]).toEqual([path, 0o600]);
      await db.close();
    } finally {
      process.umask(umask);
    }
  });

  it('tightens a data folder and database files left readable by everyone', async () => {
    const { settings, dataDir, file } = await defaultLayout();
    await (await openDatabase(settings, { warn: () => {} })).close();
    chmodSync(dataDir, 0o755);
    chmodSync(file, 0o644);
    const db = await openDatabase(settings, { warn: () => {} });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    await db.close();
  });

  it('says so when the database path runs through a file', async () => {
    const test = await createTestDatabase('sqlite');
    created.push(test);
    mkdirSync(test.dir, { recursive: true });
    const readme = join(test.dir, 'README.md');
    writeFileSync(readme, '# not a folder\n');
    const file = join(readme, 'x.db');
    const err = await openDatabase({ ...test.settings, database: { provider: 'sqlite', url: `file:${file}`, filePath: file } }, { warn: () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DatabaseError', code: 'database_path_invalid', message: expect.stringContaining(`${readme} is a file, not a folder. Set DATABASE_URL`) });
  });
});
