// Real databases for the database tests: a SQLite file in a temporary folder, and a uniquely
// named database on the local PostgreSQL, created per test file and dropped afterwards.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseSettings } from '../../src/db/index.ts';
import { pgConfigFromUrl } from '../../src/db/migration-diff.ts';
import type { DatabaseProvider } from '../../src/db/schema-files.ts';

/** Any database on the PostgreSQL server the tests may use; they create their own next to it. */
export const postgresServerUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  provider: DatabaseProvider;
  settings: DatabaseSettings;
  /** A folder for anything else the test writes (key files, data dirs). */
  dir: string;
  drop(): Promise<void>;
}

export function newKey(): string {
  return randomBytes(32).toString('base64');
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ ...pgConfigFromUrl(postgresServerUrl), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Whether the PostgreSQL suites run. Under CI they always do: an unreachable server fails the
 * run instead of skipping it. Elsewhere they are skipped with a note when no server answers.
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await adminQuery('SELECT 1');
    return true;
  } catch (err) {
    if (process.env.CI) throw new Error(`CI is set but PostgreSQL at ${postgresServerUrl} is unreachable: ${(err as Error).message}`, { cause: err });
    console.warn(`PostgreSQL at ${postgresServerUrl} is unreachable (${(err as Error).message}); its database tests are skipped outside CI.`);
    return false;
  }
}

export async function createTestDatabase(provider: DatabaseProvider, overrides: Partial<DatabaseSettings> = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'concierge-db-test-'));
  const common = { dataDir: join(dir, 'data'), encryptionKey: newKey(), oldEncryptionKeys: [] };
  if (provider === 'sqlite') {
    const filePath = join(dir, 'concierge.db');
    return {
      provider,
      dir,
      settings: { database: { provider, url: `file:${filePath}`, filePath }, ...common, ...overrides },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `concierge_test_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(postgresServerUrl);
  url.pathname = `/${name}`;
  return {
    provider,
    dir,
    settings: { database: { provider, url: url.toString() }, ...common, ...overrides },
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one statement on a test database outside the app's code, as an operator or attacker would. */
export async function rawQuery<T = Record<string, unknown>>(db: TestDatabase, sql: string): Promise<T[]> {
  if (db.settings.database.provider === 'postgresql') {
    const client = new pg.Client({ connectionString: db.settings.database.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const { createClient } = await import('@libsql/client');
  const client = createClient({ url: db.settings.database.url });
  try {
    return (await client.execute(sql)).rows as unknown as T[];
  } finally {
    client.close();
  }
}
