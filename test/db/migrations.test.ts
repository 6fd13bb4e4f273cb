// Schema sources, committed migrations and start-up checks: drift between schema and migrations,
// and every "this database cannot be used" case stopping with a coded, actionable error.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase } from '../../src/db/index.ts';
import { schemaChangesSinceMigrations } from '../../src/db/migration-diff.ts';
import { readCommittedMigrations, toMigrationList } from '../../src/db/migrations.ts';
import { createClient } from '../../src/db/prisma-client.ts';
import { withSchemaEngine } from '../../src/db/schema-engine.ts';
import { SecretBox } from '../../src/db/secret-box.ts';
import { migrationsDir, providers, renderSchema, schemaPath } from '../../src/db/schema-files.ts';
import { createTestDatabase, newKey, postgresAvailable, postgresServerUrl, rawQuery, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();
const repoRoot = new URL('../../', import.meta.url).pathname;
const created: TestDatabase[] = [];
afterAll(async () => {
  for (const db of created) await db.drop();
});

async function testDatabase(provider: 'sqlite' | 'postgresql') {
  const db = await createTestDatabase(provider);
  created.push(db);
  return db;
}

async function openError(settings: Parameters<typeof openDatabase>[0]): Promise<DatabaseError> {
  const err = await openDatabase(settings, { warn: () => {} }).then(
    async (db) => {
      await db.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseError);
  return err as DatabaseError;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `concierge` binary with only the given variables set. */
function concierge(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/concierge.js'), ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('schema sources', () => {
  it.each(providers)('prisma/%s/schema.prisma is the rendering of prisma/models.prisma', (provider) => {
    expect(readFileSync(schemaPath(provider), 'utf8'), 'run `npm run db:migration -- <name>` after editing prisma/models.prisma').toBe(renderSchema(provider));
  });

  it('has the same migrations, by name, for both providers', () => {
    const names = providers.map((p) => readCommittedMigrations(p).map((m) => m.name));
    expect(names[0]!.length).toBeGreaterThan(0);
    expect(names[0]).toEqual(names[1]);
    for (const p of providers) expect(readFileSync(join(migrationsDir(p), 'migration_lock.toml'), 'utf8')).toContain(`provider = "${p}"`);
  });
});

for (const provider of providers) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`migrations on ${provider}`, () => {
    it('match the schema exactly (no drift)', async () => {
      const drift = await schemaChangesSinceMigrations(provider, { postgresUrl: postgresServerUrl });
      expect(drift, `the schema and prisma/${provider}/migrations differ; run \`npm run db:migration -- <name>\`:\n${drift}`).toBeNull();
    });

    it('are caught out by a schema change that no migration covers', async () => {
      const changed = `${readFileSync(schemaPath(provider), 'utf8')}\nmodel DriftProbe {\n  id String @id\n}\n`;
      expect(await schemaChangesSinceMigrations(provider, { postgresUrl: postgresServerUrl }, changed)).toContain('CREATE TABLE "DriftProbe"');
    });

    it('are applied by an explicit migrate when opening without migrating, and only once', async () => {
      const test = await testDatabase(provider);
      const db = await openDatabase(test.settings, { migrate: false, warn: () => {} });
      try {
        const committed = readCommittedMigrations(provider).map((m) => m.name);
        expect(await db.migrationStatus()).toEqual({ applied: [], pending: committed });
        expect(await db.migrate()).toEqual(committed);
        expect(await db.migrate()).toEqual([]);
        expect(await db.migrationStatus()).toEqual({ applied: committed, pending: [] });
      } finally {
        await db.close();
      }
    });

    it('move reporters\' notes out of escalation error texts stored before notes had a column', async () => {
      const test = await testDatabase(provider);
      // A database as the first release left it: only the initial migration applied.
      const [initial] = readCommittedMigrations(provider);
      const handle = await createClient(test.settings.database);
      try {
        await withSchemaEngine({ path: schemaPath(provider), content: readFileSync(schemaPath(provider), 'utf8') }, handle.adapterFactory(), (engine) =>
          engine.applyMigrations({ migrationsList: toMigrationList(provider, [initial!]), filters: { externalTables: [], externalEnums: [] } }),
        );
      } finally {
        await handle.prisma.$disconnect();
      }
      const legacy = (id: string, threadTs: string | null, errorText: string) =>
        rawQuery(
          test,
          `INSERT INTO "Escalation" ("id", "slackTeamId", "reporterSlackUserId", "channelId", "threadTs", "errorText", "reporterConfirmationTs", "updatedAt") ` +
            `VALUES ('${id}', 'T1', 'U1', 'C-thread', ${threadTs ? `'${threadTs}'` : 'NULL'}, '${errorText}', '1700000000.000900', CURRENT_TIMESTAMP)`,
        );
      await legacy('with-notes', '1700000000.000100', 'XERO11 on March travel\n\nNotes from the reporter:\nClose is Friday.\nCall me first.');
      await legacy('without-notes', null, 'Bill B-7 failed:\nNotes from the reporter: not a heading');

      const db = await openDatabase(test.settings, { warn: () => {} });
      try {
        expect(await db.escalations.get('with-notes')).toMatchObject({
          errorText: 'XERO11 on March travel',
          notes: 'Close is Friday.\nCall me first.',
          reporterConfirmation: { channelId: 'C-thread', ts: '1700000000.000900' },
        });
        // No thread: the confirmation went to a DM whose channel was never stored.
        expect(await db.escalations.get('without-notes')).toMatchObject({ errorText: 'Bill B-7 failed:\nNotes from the reporter: not a heading', notes: null, reporterConfirmation: null });
      } finally {
        await db.close();
      }
    });

    it('turn each connection stored with its own tokens into its own token set, tokens still readable', async () => {
      const test = await testDatabase(provider);
      // The schema as the release before token sets left it: every migration older than xero_token_sets.
      const before = readCommittedMigrations(provider).filter((m) => m.name < '20261130180114_xero_token_sets');
      const handle = await createClient(test.settings.database);
      try {
        await withSchemaEngine({ path: schemaPath(provider), content: readFileSync(schemaPath(provider), 'utf8') }, handle.adapterFactory(), (engine) =>
          engine.applyMigrations({ migrationsList: toMigrationList(provider, before), filters: { externalTables: [], externalEnums: [] } }),
        );
      } finally {
        await handle.prisma.$disconnect();
      }
      // Sealed with the test's key, as the previous release would have stored them.
      const box = new SecretBox(Buffer.from(test.settings.encryptionKey!, 'base64'));
      const sealed = (n: number) => box.sealJson({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, idToken: null });
      for (const n of [1, 2]) {
        await rawQuery(
          test,
          `INSERT INTO "XeroConnection" ("id", "slackTeamId", "tenantId", "tenantName", "tenantType", "xeroConnectionId", "tokensEncrypted", "accessTokenExpiresAt", "scopes", "refreshTokenRotatedAt", "status", "connectedBySlackUserId", "connectedByXeroEmail", "version", "updatedAt") ` +
            `VALUES ('conn-${n}', 'T1', 'tenant-${n}', 'Org ${n}', 'ORGANISATION', 'xc-${n}', '${sealed(n)}', CURRENT_TIMESTAMP, '["offline_access"]', CURRENT_TIMESTAMP, 'connected', 'U${n}', 'u${n}@example.com', 3, CURRENT_TIMESTAMP)`,
        );
      }

      const db = await openDatabase(test.settings, { warn: () => {} });
      try {
        const connections = await db.connections.listByTeam('T1');
        expect(connections.map((c) => [c.id, c.tokenSetId, c.connectedBySlackUserId, c.connectedByXeroEmail])).toEqual([
          ['conn-1', 'conn-1', 'U1', 'u1@example.com'],
          ['conn-2', 'conn-2', 'U2', 'u2@example.com'],
        ]);
        expect(await db.tokenSets.getWithTokens('conn-2')).toMatchObject({ version: 3, scopes: ['offline_access'], tokens: { accessToken: 'access-2', refreshToken: 'refresh-2' } });
      } finally {
        await db.close();
      }
    });

    it('keep only each person\'s latest vote per answer when votes become one per person', async () => {
      const test = await testDatabase(provider);
      // The schema as the release before one vote per person left it.
      const before = readCommittedMigrations(provider).filter((m) => m.name < '20261130195158_one_vote_per_person');
      const handle = await createClient(test.settings.database);
      try {
        await withSchemaEngine({ path: schemaPath(provider), content: readFileSync(schemaPath(provider), 'utf8') }, handle.adapterFactory(), (engine) =>
          engine.applyMigrations({ migrationsList: toMigrationList(provider, before), filters: { externalTables: [], externalEnums: [] } }),
        );
      } finally {
        await handle.prisma.$disconnect();
      }
      const bool = (b: boolean) => (provider === 'sqlite' ? (b ? '1' : '0') : b ? 'TRUE' : 'FALSE');
      const stamp = (minute: number) => `'2026-11-20T09:${String(minute).padStart(2, '0')}:00.000Z'`;
      const vote = (id: string, user: string, question: string, articleId: string | null, helpful: boolean, minute: number) =>
        rawQuery(
          test,
          `INSERT INTO "AnswerFeedback" ("id", "slackTeamId", "slackUserId", "question", "articleId", "helpful", "createdAt") ` +
            `VALUES ('${id}', 'T1', '${user}', '${question}', ${articleId ? `'${articleId}'` : 'NULL'}, ${bool(helpful)}, ${stamp(minute)})`,
        );
      // U1 pressed three times on one answer (last: not helpful); once on another; U2 once; U3 twice on a no-article reply.
      await vote('a', 'U1', 'XERO11 on my report', 'XERO11', true, 1);
      await vote('b', 'U1', 'XERO11 on my report', 'XERO11', false, 3);
      await vote('c', 'U1', 'XERO11 on my report', 'XERO11', true, 2);
      await vote('d', 'U1', 'sync failed', 'XERO11', true, 4);
      await vote('e', 'U2', 'XERO11 on my report', 'XERO11', true, 5);
      await vote('f', 'U3', 'sync failed', null, true, 6);
      await vote('g', 'U3', 'sync failed', null, false, 7);

      const db = await openDatabase(test.settings, { warn: () => {} });
      try {
        const rows = await rawQuery(test, `SELECT "id" FROM "AnswerFeedback" ORDER BY "id"`);
        expect(rows.map((r) => r.id)).toEqual(['b', 'd', 'e', 'g']);
        expect(await db.feedback.countsForArticle('XERO11')).toEqual({ helpful: 2, notHelpful: 1 });
        // The kept rows carry the key the application uses: U1 pressing again changes that vote.
        expect((await db.feedback.record({ slackTeamId: 'T1', slackUserId: 'U1', question: 'XERO11 on my report', articleId: 'XERO11', helpful: true })).outcome).toBe('changed');
        expect((await db.feedback.record({ slackTeamId: 'T1', slackUserId: 'U3', question: 'sync failed', articleId: null, helpful: false })).outcome).toBe('unchanged');
        expect(await db.feedback.countsForArticle('XERO11')).toEqual({ helpful: 3, notHelpful: 0 });
      } finally {
        await db.close();
      }
    });

    it('refuse a database whose history has a migration this version does not know', async () => {
      const test = await testDatabase(provider);
      await (await openDatabase(test.settings, { warn: () => {} })).close();
      await rawQuery(test, `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('x1', 'abc', '29990101000000_from_the_future', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`);
      const err = await openError(test.settings);
      expect(err.code).toBe('migration_history_mismatch');
      expect(err.message).toContain('29990101000000_from_the_future');
      expect(err.message).toMatch(/newer or different version/);
    });

    it('refuse a database where a committed migration was edited after it ran', async () => {
      const test = await testDatabase(provider);
      await (await openDatabase(test.settings, { warn: () => {} })).close();
      await rawQuery(test, `UPDATE _prisma_migrations SET checksum = 'edited'`);
      const err = await openError(test.settings);
      expect(err.code).toBe('migration_history_mismatch');
      expect(err.message).toMatch(/edited after it ran/);
    });

    it('refuse a database where a migration failed half-way, naming the way out', async () => {
      const test = await testDatabase(provider);
      await (await openDatabase(test.settings, { warn: () => {} })).close();
      await rawQuery(test, `UPDATE _prisma_migrations SET finished_at = NULL`);
      const err = await openError(test.settings);
      expect(err.code).toBe('migration_failed');
      expect(err.message).toMatch(/backup/);
    });

    it('refuse a database that already holds someone else\'s tables, changing nothing', async () => {
      const test = await testDatabase(provider);
      await rawQuery(test, 'CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
      const err = await openError(test.settings);
      expect(err.code).toBe('database_not_managed');
      expect(err.message).toContain('customers');
      const tables = await rawQuery<{ name: string }>(
        test,
        provider === 'sqlite' ? `SELECT name FROM sqlite_master WHERE type = 'table'` : `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`,
      );
      expect(tables.map((t) => t.name)).toEqual(['customers']);
    });
  });
}

describe('start-up failures', () => {
  it('stops on a corrupt SQLite file and leaves it untouched', async () => {
    const test = await testDatabase('sqlite');
    const path = test.settings.database.provider === 'sqlite' ? test.settings.database.filePath : '';
    const garbage = Buffer.from('definitely not a SQLite database; '.repeat(200));
    writeFileSync(path, garbage);
    const err = await openError(test.settings);
    expect(err.code).toBe('database_corrupt');
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/Restore it from a backup/);
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('creates the folder of a new SQLite database', async () => {
    const test = await testDatabase('sqlite');
    const filePath = join(test.dir, 'nested', 'deeper', 'app.db');
    const db = await openDatabase({ ...test.settings, database: { provider: 'sqlite', url: `file:${filePath}`, filePath } }, { warn: () => {} });
    await db.close();
    expect(statSync(filePath).size).toBeGreaterThan(0);
  });

  it('stops when PostgreSQL cannot be reached', async () => {
    const err = await openError({ database: { provider: 'postgresql', url: 'postgresql://postgres@127.0.0.1:1/concierge' }, dataDir: tmpdir(), encryptionKey: newKey(), oldEncryptionKeys: [] });
    expect(err.code).toBe('database_unreachable');
    expect(err.message).toContain('127.0.0.1:1');
    expect(err.message).toMatch(/DATABASE_URL/);
  });

  it.skipIf(!pgUp)('stops when the PostgreSQL database does not exist', async () => {
    const url = new URL(postgresServerUrl);
    url.pathname = '/concierge_no_such_database';
    const err = await openError({ database: { provider: 'postgresql', url: url.toString() }, dataDir: tmpdir(), encryptionKey: newKey(), oldEncryptionKeys: [] });
    expect(err.code).toBe('database_missing');
    expect(err.message).toMatch(/concierge_no_such_database.*does not exist/);
  });
});

describe('concierge db', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'concierge-cli-db-'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('creates and migrates ./data/concierge.db with no configuration, then finds it up to date', async () => {
    const first = await concierge(['db', 'migrate'], cwd);
    expect(first.stderr).toMatch(/CONCIERGE_ENCRYPTION_KEY is not set/);
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\) to SQLite database .*data\/concierge\.db/);
    expect(first.code).toBe(0);
    expect(existsSync(join(cwd, 'data', 'concierge.db'))).toBe(true);

    const second = await concierge(['db', 'migrate'], cwd);
    expect(second.stdout).toMatch(/is up to date/);
    const status = await concierge(['db', 'status'], cwd);
    expect(status.stdout).toMatch(/0 pending/);
    expect(status.code).toBe(0);
  });

  it('rejects an unsupported DATABASE_URL with what is accepted', async () => {
    const run = await concierge(['db', 'migrate'], cwd, { DATABASE_URL: 'mysql://root@127.0.0.1/concierge' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL.*must start with file:, postgres:\/\/ or postgresql:\/\//);
    expect(run.stderr).not.toContain('mysql://root');
  });

  it('exits 1 with the error code when the database is unreachable', async () => {
    const run = await concierge(['db', 'migrate'], cwd, { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/concierge', CONCIERGE_ENCRYPTION_KEY: newKey() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^concierge: database_unreachable: Cannot reach/);
  });

  it('rejects unknown subcommands as usage errors', async () => {
    const run = await concierge(['db', 'drop'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown db subcommand "drop"/);
  });

  it.each(providers.filter((p) => p === 'sqlite' || pgUp))('lets several instances migrate one new %s database at the same time', async (provider) => {
    const test = await testDatabase(provider);
    const env = { DATABASE_URL: test.settings.database.url, CONCIERGE_ENCRYPTION_KEY: newKey() };
    const runs = await Promise.all([1, 2, 3].map(() => concierge(['db', 'migrate'], cwd, env)));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(runs.filter((r) => r.stdout.startsWith('Applied'))).toHaveLength(1);
    expect(runs.filter((r) => r.stdout.includes('is up to date'))).toHaveLength(2);
    const history = await rawQuery(test, 'SELECT migration_name FROM _prisma_migrations');
    expect(history).toHaveLength(readCommittedMigrations(provider).length);
  });
});
