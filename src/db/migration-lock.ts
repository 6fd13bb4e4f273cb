// One migrator at a time per database, across processes. Without it, an instance starting
// while another is half-way through a migration would read the unfinished history entry as a
// failed migration. PostgreSQL: a session advisory lock (distinct from the one the schema
// engine takes inside applyMigrations). SQLite: an exclusive lock file next to the database,
// taken over when the process that made it is gone.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseConfig } from '../config.ts';
import { DatabaseError } from './database-error.ts';

// "xcmg" in ASCII: any constant unlikely to collide with other applications' advisory locks.
const advisoryLockKey = 0x78636d67;
const lockWaitMs = 120_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withLockFile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (!Number.isInteger(holder) || holder <= 0 || !processAlive(holder)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new DatabaseError('migration_locked', `${path} has been held by process ${holder} for over ${lockWaitMs / 1000} s. If no migration is running, delete that file and start again.`, { cause: err });
      }
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}

async function withAdvisoryLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [advisoryLockKey]);
    return await work();
  } finally {
    // Closing the session releases the lock even if the unlock query fails.
    await client.query('SELECT pg_advisory_unlock($1)', [advisoryLockKey]).catch(() => {});
    await client.end();
  }
}

export function withMigrationLock<T>(database: DatabaseConfig, work: () => Promise<T>): Promise<T> {
  return database.provider === 'sqlite' ? withLockFile(`${database.filePath}.migrating`, work) : withAdvisoryLock(database.url, work);
}
