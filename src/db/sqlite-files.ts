// The SQLite file, its write-ahead log and shared-memory index hold every case and audit entry:
// only their owner may read them. SQLite gives the -wal and -shm files the mode of the database
// file, so creating that file 0600 (in a 0700 folder) before the driver opens it is enough.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError } from './database-error.ts';

const ownerOnlyDir = 0o700;
const ownerOnlyFile = 0o600;

function ownedByMe(path: string): boolean {
  return statSync(path).uid === process.getuid?.();
}

/** The nearest existing ancestor of `path` that is a file, if any: why a folder cannot be made there. */
function fileInTheWay(path: string): string | undefined {
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(dir)) return statSync(dir).isDirectory() ? undefined : dir;
  }
  return undefined;
}

function makeFolder(dir: string, what: string, variable: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: ownerOnlyDir });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw err;
    const file = existsSync(dir) && !statSync(dir).isDirectory() ? dir : fileInTheWay(dir);
    throw new DatabaseError(
      'database_path_invalid',
      `Cannot create the folder for ${what} (${dir}): ${file ?? 'a part of that path'} is a file, not a folder. Set ${variable} to a path inside a folder.`,
      { cause: err },
    );
  }
}

/** Tightens the data folder when an earlier version left it open to other users. */
export function tightenDataDir(dataDir: string): void {
  if (existsSync(dataDir) && statSync(dataDir).isDirectory() && (statSync(dataDir).mode & 0o077) !== 0 && ownedByMe(dataDir)) chmodSync(dataDir, ownerOnlyDir);
}

/** Creates the data folder owner-only, or tightens the existing one. */
export function secureDataDir(dataDir: string): void {
  makeFolder(dataDir, 'the data folder', 'CONCIERGE_DATA_DIR');
  tightenDataDir(dataDir);
}

/** Makes sure the database file exists owner-only before the driver opens it; existing ones are tightened. */
export function prepareSqliteFile(filePath: string): void {
  makeFolder(dirname(filePath), `SQLite database ${filePath}`, 'DATABASE_URL');
  if (existsSync(filePath) && statSync(filePath).isDirectory()) {
    throw new DatabaseError('database_path_invalid', `SQLite database ${filePath} is a folder. Set DATABASE_URL to file:<path of a file>, e.g. file:${filePath}/concierge.db.`);
  }
  // 'a' creates the file when missing (an empty file is an empty SQLite database) and never truncates.
  closeSync(openSync(filePath, 'a', ownerOnlyFile));
  for (const path of [filePath, `${filePath}-wal`, `${filePath}-shm`, `${filePath}-journal`]) {
    if (existsSync(path) && (statSync(path).mode & 0o077) !== 0 && ownedByMe(path)) chmodSync(path, ownerOnlyFile);
  }
}

/** A damaged (not foreign) database file: where it is, and the two ways back. */
export function damagedSqliteDatabase(filePath: string, detail: string, cause?: unknown): DatabaseError {
  return new DatabaseError(
    'database_corrupt',
    `SQLite database ${filePath} is damaged (${detail}). Nothing was changed. ` +
      `To recover, stop every process using it, then either restore ${filePath} from a backup, or salvage what is readable with ` +
      `\`sqlite3 ${filePath} ".recover" | sqlite3 ${filePath}.recovered\`, move ${filePath} aside (with any ${filePath}-wal and ${filePath}-shm) and put the recovered file in its place.`,
    cause === undefined ? undefined : { cause },
  );
}
