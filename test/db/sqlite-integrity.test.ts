// A SQLite file damaged in the middle (not the header, which SQLite itself rejects) stops
// start-up with where the file is and how to recover, instead of failing later on a bad page.
import { existsSync, openSync, closeSync, statSync, writeSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { createTestDatabase, rawQuery, type TestDatabase } from './test-databases.ts';

const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

describe('SQLite integrity check at start-up', () => {
  it('refuses a file damaged in the middle, saying where it is and how to recover', async () => {
    const test = await createTestDatabase('sqlite');
    created.push(test);
    const db = await openDatabase(test.settings, { warn: () => {} });
    await db.audit.append({ actor: 'test', action: 'fill', details: {} });
    await db.close();
    // Enough rows that the middle of the file is audit data, far from the schema and migration pages.
    await rawQuery(
      test,
      `INSERT INTO "AuditEvent" ("actor", "action", "target", "details") WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) SELECT 'test', 'fill', 'row-' || i, '{"text":"' || hex(randomblob(100)) || '"}' FROM n`,
    );
    // Everything into the main file, so the damage below is what the next start reads.
    await rawQuery(test, 'PRAGMA wal_checkpoint(TRUNCATE)');
    const { filePath } = test.settings.database as { filePath: string };
    const size = statSync(filePath).size;
    expect(size).toBeGreaterThan(1024 * 1024);

    // A clean file passes.
    await (await openDatabase(test.settings, { warn: () => {} })).close();

    // Overwrite one page in the middle (pages are 4096 bytes; page 1 holds the header).
    const fd = openSync(filePath, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);

    const err = await openDatabase(test.settings, { warn: () => {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'DatabaseError', code: 'database_corrupt' });
    const { message } = err as Error;
    expect(message).toContain(`SQLite database ${filePath} is damaged`);
    expect(message).toContain('restore');
    expect(message).toContain(`sqlite3 ${filePath} ".recover"`);
    expect(message).toContain('Nothing was changed');
    expect(existsSync(filePath)).toBe(true);
  });
});
