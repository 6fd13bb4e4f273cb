// `PRAGMA quick_check` at start-up: a file damaged in the middle (a bad disk, a copy taken while
// it was written) otherwise opens fine and fails later, on whichever row sits on the bad page.
import type { DatabaseConfig } from '../config.ts';
import { connectionProblem, type DbClient } from './prisma-client.ts';
import { damagedSqliteDatabase } from './sqlite-files.ts';

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
  throw damagedSqliteDatabase(database.filePath, `the integrity check found ${findings.length} problem(s), e.g. ${findings.slice(0, findingsShown).join('; ')}`);
}
