// Committed migrations on disk, the history recorded in the database's `_prisma_migrations`
// table (the same table `prisma migrate deploy` keeps), and the check that the two agree.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationList } from './schema-engine.ts';
import { migrationsDir, type DatabaseProvider } from './schema-files.ts';
import { DatabaseError } from './database-error.ts';

export const migrationTable = '_prisma_migrations';

export interface CommittedMigration {
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/** The same checksum the schema engine records: SHA-256 of the script, hex. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export function readCommittedMigrations(provider: DatabaseProvider, dir = migrationsDir(provider)): CommittedMigration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

/** The shape the schema engine takes for `applyMigrations` and `diff`. */
export function toMigrationList(provider: DatabaseProvider, migrations: CommittedMigration[], dir = migrationsDir(provider)): MigrationList {
  const lockPath = join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: migrations.map((m) => ({
      path: m.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
    })),
  };
}

/**
 * Compares the database's history with the committed migrations. Throws when the database
 * cannot be brought up to date by applying what is pending: a migration that failed half-way,
 * one this version does not know, or one whose file changed after it was applied.
 */
export function compareHistory(
  provider: DatabaseProvider,
  committed: CommittedMigration[],
  applied: AppliedMigration[],
  where: string,
): MigrationStatus {
  const live = applied.filter((m) => !m.rolledBack);
  const failed = live.filter((m) => !m.finished);
  if (failed.length > 0) {
    const name = failed[0]!.name;
    throw new DatabaseError(
      'migration_failed',
      `Migration ${name} failed part-way on ${where}, so its schema is in an unknown state. ` +
        `Restore the database from a backup taken before the upgrade, or repair it by hand and mark the migration rolled back ` +
        `(UPDATE ${migrationTable} SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = '${name}'), ` +
        `then run \`npx concierge db migrate\`.`,
    );
  }
  const committedByName = new Map(committed.map((m) => [m.name, m]));
  const unknown = live.filter((m) => !committedByName.has(m.name)).map((m) => m.name);
  if (unknown.length > 0) {
    throw new DatabaseError(
      'migration_history_mismatch',
      `${where} has migrations that this version's prisma/${provider}/migrations does not contain (${unknown.join(', ')}): ` +
        `it was migrated by a newer or different version of xero-concierge. Run that version against it, ` +
        `or point DATABASE_URL at another database. Nothing was changed.`,
    );
  }
  const edited = live.filter((m) => committedByName.get(m.name)!.checksum !== m.checksum).map((m) => m.name);
  if (edited.length > 0) {
    throw new DatabaseError(
      'migration_history_mismatch',
      `The committed migration ${edited.join(', ')} differs from what was applied to ${where}: ` +
        `a migration file was edited after it ran. Restore prisma/${provider}/migrations/${edited[0]}/migration.sql ` +
        `to its released content and add a new migration instead (npm run db:migration -- <name>). Nothing was changed.`,
    );
  }
  const appliedNames = new Set(live.map((m) => m.name));
  return {
    applied: committed.filter((m) => appliedNames.has(m.name)).map((m) => m.name),
    pending: committed.filter((m) => !appliedNames.has(m.name)).map((m) => m.name),
  };
}
