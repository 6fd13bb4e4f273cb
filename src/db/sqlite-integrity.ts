// `PRAGMA quick_check` at start-up: a file damaged in the middle (a bad disk, a copy taken while
// it was written) otherwise opens fine and fails later, on whichever row sits on the bad page.
import type { DatabaseConfig } from '../config.ts';
import { DatabaseError } from './database-error.ts';
import { connectionProblem, type DbClient } from './prisma-client.ts';

/** How many of quick_check's findings the message quotes. */
const findingsShown = 3;

export async function checkSqliteIntegrity(prisma: DbClient, database: Extract<DatabaseConfig, { provider: 'sqlite' }>): Promise<void> {
  let rows: Record<string, unknown>[];
  try {
    rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>('PRAGMA quick_check');
  } catch (err) {
    throw connectionProblem(err, database) ?? err;
  }
  const findings = rows.map((row) => String(Object.values(row)[0]));
  if (findings.length === 1 && findings[0] === 'ok') return;
  const path = database.filePath;
  throw new DatabaseError(
    'database_corrupt',
    `SQLite database ${path} is damaged: its integrity check found ${findings.length} problem(s), e.g. ${findings.slice(0, findingsShown).join('; ')}. Nothing was changed. ` +
      `To recover, stop every process using it, then either restore ${path} from a backup, or salvage what is readable with ` +
      `\`sqlite3 ${path} ".recover" | sqlite3 ${path}.recovered\`, move ${path} aside (with any ${path}-wal and ${path}-shm) and put the recovered file in its place.`,
  );
}
