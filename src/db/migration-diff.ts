// What the committed migrations lack compared with the schema, as SQL: the next migration's
// content when the schema changed, null when they agree. Used by `npm run db:migration` and
// by the drift test. The engine applies the migrations to a scratch database (a temporary
// SQLite file, or a temporary database created and dropped on a PostgreSQL server) and
// compares what they built with the schema.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaLibSql } from '@prisma/adapter-libsql';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { readCommittedMigrations, toMigrationList } from './migrations.ts';
import { withSchemaEngine } from './schema-engine.ts';
import { prismaDir, schemaPath, type DatabaseProvider } from './schema-files.ts';

const filters = { externalTables: [], externalEnums: [] };

export interface DiffOptions {
  /** A PostgreSQL server (any database on it) where a scratch database may be created. */
  postgresUrl: string;
}

/** True when a generated script holds nothing but comments and blank lines. */
export function isEmptyScript(sql: string): boolean {
  return sql.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));
}

/** Connection fields from a URL, for adapters that must override the database name. */
export function pgConfigFromUrl(url: string, database?: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password) || undefined,
    database: database ?? (decodeURIComponent(u.pathname.slice(1)) || 'postgres'),
  };
}

interface Scratch {
  factory: SqlMigrationAwareDriverAdapterFactory;
  cleanup(): Promise<void>;
}

/**
 * A pool that reports PostgreSQL's internal one-byte "char" columns (pg_catalog's relkind,
 * contype...) as text: adapter-pg refuses that type, and the engine's schema description
 * reads such columns.
 */
function poolReadingCharAsText(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  pool.query = (async (...args: unknown[]) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (field.dataTypeID === charOid) field.dataTypeID = textOid;
    return result;
  }) as typeof pool.query;
  return pool;
}
const charOid = 18;
const textOid = 25;

/** An empty database the engine can migrate and describe, with a way to throw it away. */
async function scratchDatabase(provider: DatabaseProvider, options: DiffOptions): Promise<Scratch> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'concierge-diff-'));
    return {
      factory: new PrismaLibSql({ url: `file:${join(dir, 'scratch.db')}` }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new pg.Client(pgConfigFromUrl(options.postgresUrl));
  await admin.connect();
  const name = `concierge_diff_${randomUUID().replaceAll('-', '')}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  return {
    factory: new PrismaPg(poolReadingCharAsText(pgConfigFromUrl(options.postgresUrl, name)), { disposeExternalPool: true }),
    cleanup: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function schemaChangesSinceMigrations(provider: DatabaseProvider, options: DiffOptions, schemaText?: string): Promise<string | null> {
  const schema = { path: schemaPath(provider), content: schemaText ?? readFileSync(schemaPath(provider), 'utf8') };
  const committed = readCommittedMigrations(provider);
  const scratch = await scratchDatabase(provider, options);
  try {
    return await withSchemaEngine(schema, scratch.factory, async (engine) => {
      // The engine's own replay (a diff "from migrations") runs only the first statement of each
      // script on SQLite; applying the migrations, then describing the result, is exact.
      await engine.applyMigrations({ migrationsList: toMigrationList(provider, committed), filters });
      const result = await engine.diff({
        from: { tag: 'schemaDatasource', files: [schema], configDir: prismaDir },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: null,
        filters,
      });
      const sql = result.stdout ?? '';
      return isEmptyScript(sql) ? null : sql;
    });
  } finally {
    await scratch.cleanup();
  }
}
