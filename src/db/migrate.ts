// Brings a database up to the committed migrations. Reading the history is a plain query, so
// an up-to-date database starts without loading the schema engine or taking a lock; only
// pending migrations do. A history that cannot be continued stops everything before any change.
import { readFileSync } from 'node:fs';
import type { DatabaseConfig } from '../config.ts';
import { DatabaseError } from './database-error.ts';
import { compareHistory, migrationTable, readCommittedMigrations, toMigrationList, type AppliedMigration, type MigrationStatus } from './migrations.ts';
import { connectionProblem, describeDatabase, type ClientHandle } from './prisma-client.ts';
import { withMigrationLock } from './migration-lock.ts';
import { schemaPath } from './schema-files.ts';

async function listTables(handle: ClientHandle, database: DatabaseConfig): Promise<string[]> {
  const rows =
    database.provider === 'sqlite'
      ? await handle.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      : await handle.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`);
  return rows.map((r) => r.name);
}

async function readHistory(handle: ClientHandle, database: DatabaseConfig): Promise<AppliedMigration[]> {
  let tables: string[];
  try {
    tables = await listTables(handle, database);
  } catch (err) {
    throw connectionProblem(err, database) ?? err;
  }
  if (!tables.includes(migrationTable)) {
    if (tables.length > 0) {
      throw new DatabaseError(
        'database_not_managed',
        `${describeDatabase(database)} already has tables (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''}) but no migration history, ` +
          `so it was not created by xero-concierge. Nothing was changed. Point DATABASE_URL at an empty or existing xero-concierge database.`,
      );
    }
    return [];
  }
  const rows = await handle.prisma.$queryRawUnsafe<{ name: string; checksum: string; finished: unknown; rolled_back: unknown }[]>(
    `SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM ${migrationTable} ORDER BY started_at`,
  );
  // SQLite answers the IS NOT NULL tests with 0/1, PostgreSQL with booleans.
  return rows.map((r) => ({ name: r.name, checksum: r.checksum, finished: Boolean(Number(r.finished)), rolledBack: Boolean(Number(r.rolled_back)) }));
}

async function readStatus(handle: ClientHandle, database: DatabaseConfig): Promise<MigrationStatus> {
  const committed = readCommittedMigrations(database.provider);
  return compareHistory(database.provider, committed, await readHistory(handle, database), describeDatabase(database));
}

export async function migrationStatus(handle: ClientHandle, database: DatabaseConfig): Promise<MigrationStatus> {
  try {
    return await readStatus(handle, database);
  } catch (err) {
    // An unfinished entry may be another instance migrating right now: ask again once it is done.
    if (err instanceof DatabaseError && err.code === 'migration_failed') return withMigrationLock(database, () => readStatus(handle, database));
    throw err;
  }
}

/** Applies pending migrations; returns their names (empty when the database was up to date). */
export async function applyPendingMigrations(handle: ClientHandle, database: DatabaseConfig): Promise<string[]> {
  // The common case, an up-to-date database, costs one query and no lock.
  if ((await migrationStatus(handle, database)).pending.length === 0) return [];
  return withMigrationLock(database, async () => {
    const before = await readStatus(handle, database);
    if (before.pending.length === 0) return [];
    const provider = database.provider;
    const schema = { path: schemaPath(provider), content: readFileSync(schemaPath(provider), 'utf8') };
    const migrationsList = toMigrationList(provider, readCommittedMigrations(provider));
    try {
      // Loaded only to apply something: an up-to-date start never touches the engine.
      const { withSchemaEngine } = await import('./schema-engine.ts');
      const result = await withSchemaEngine(schema, handle.adapterFactory(), (engine) =>
        engine.applyMigrations({ migrationsList, filters: { externalTables: [], externalEnums: [] } }),
      );
      return result.appliedMigrationNames;
    } catch (err) {
      const problem = connectionProblem(err, database);
      if (problem) throw problem;
      throw new DatabaseError(
        'migration_failed',
        `Applying migrations ${before.pending.join(', ')} to ${describeDatabase(database)} failed: ${(err as Error).message}. ` +
          `Fix the cause, restore a backup if the database was left half-migrated, then run \`npx concierge db migrate\`.`,
        { cause: err },
      );
    }
  });
}
