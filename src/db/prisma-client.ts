// Builds the Prisma client for the configured provider on its driver adapter, and turns the
// driver's connection failures into DatabaseErrors that say what to do.
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DatabaseConfig } from '../config.ts';
import { DatabaseError } from './database-error.ts';
import type { PrismaClient } from './generated/sqlite/client.ts';
import { damagedSqliteDatabase, prepareSqliteFile } from './sqlite-files.ts';

/**
 * Both generated clients have the same models and methods; repositories are written once
 * against the SQLite client's type and receive either.
 */
export type DbClient = PrismaClient;

/** How long a SQLite statement waits for another process's write lock before giving up. */
export const sqliteBusyTimeoutMs = 10_000;
const pgConnectTimeoutMs = 5_000;

export interface ClientHandle {
  prisma: DbClient;
  /** A second factory on the same database, for the schema engine. */
  adapterFactory: () => SqlMigrationAwareDriverAdapterFactory;
}

export function describeDatabase(database: DatabaseConfig): string {
  if (database.provider === 'sqlite') return `SQLite database ${database.filePath}`;
  const u = new URL(database.url);
  return `PostgreSQL database "${decodeURIComponent(u.pathname.slice(1))}" at ${u.hostname}:${u.port || 5432}`;
}

function clientMissing(provider: DatabaseConfig['provider'], err: unknown): DatabaseError {
  return new DatabaseError('prisma_client_missing', `The Prisma client for ${provider} has not been generated. Run \`npm run db:generate\` (npm install does it too).`, { cause: err });
}

// Only the configured provider's client and driver are loaded (each client carries its own
// query compiler), and only when a database is opened, so other CLI commands stay quick.
export async function createClient(database: DatabaseConfig): Promise<ClientHandle> {
  if (database.provider === 'sqlite') {
    const { PrismaClient } = await import('./generated/sqlite/client.ts').catch((err: unknown) => {
      throw clientMissing('sqlite', err);
    });
    const { PrismaLibSqlWithoutLeaks } = await import('./libsql-without-leaks.ts');
    prepareSqliteFile(database.filePath);
    const adapterFactory = () => new PrismaLibSqlWithoutLeaks({ url: database.url, timeout: sqliteBusyTimeoutMs });
    return { prisma: new PrismaClient({ adapter: adapterFactory() }), adapterFactory };
  }
  const { PrismaClient } = await import('./generated/postgresql/client.ts').catch((err: unknown) => {
    throw clientMissing('postgresql', err);
  });
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapterFactory = () => new PrismaPg({ connectionString: database.url, connectionTimeoutMillis: pgConnectTimeoutMs });
  return { prisma: new PrismaClient({ adapter: adapterFactory() }) as unknown as DbClient, adapterFactory };
}

interface DriverFailure {
  kind?: string;
  extendedCode?: number;
  originalCode?: string;
  originalMessage?: string;
}

function driverFailure(err: unknown): DriverFailure | undefined {
  const meta = (err as { meta?: { driverAdapterError?: { cause?: DriverFailure } } } | undefined)?.meta;
  return meta?.driverAdapterError?.cause;
}

/** A DatabaseError for failures that mean "this database cannot be used as configured", else undefined. */
export function connectionProblem(err: unknown, database: DatabaseConfig): DatabaseError | undefined {
  if (err instanceof DatabaseError) return err;
  const where = describeDatabase(database);
  const failure = driverFailure(err);
  const message = err instanceof Error ? err.message : String(err);
  if (database.provider === 'sqlite') {
    const code = failure?.extendedCode !== undefined ? failure.extendedCode & 0xff : undefined;
    if (code === 11 || /SQLITE_CORRUPT/.test(failure?.originalMessage ?? message)) {
      return damagedSqliteDatabase(database.filePath, failure?.originalMessage ?? 'database disk image is malformed', err);
    }
    if (code === 26 || /SQLITE_NOTADB/.test(failure?.originalMessage ?? message)) {
      return new DatabaseError(
        'database_corrupt',
        `${where} is not a readable SQLite database (${failure?.originalMessage ?? 'corrupt file'}). Nothing was changed. ` +
          `Restore it from a backup, or move it aside to start with an empty database, or set DATABASE_URL to another file.`,
        { cause: err },
      );
    }
    if (/Unable to open connection|SQLITE_CANTOPEN|unable to open database/i.test(message + (failure?.originalMessage ?? ''))) {
      return new DatabaseError('database_unreachable', `Cannot open ${where}: check that its folder exists and this user may write there, or set DATABASE_URL to another file.`, { cause: err });
    }
    return undefined;
  }
  switch (failure?.kind) {
    case 'DatabaseNotReachable':
    case 'SocketTimeout':
    case 'TlsConnectionError':
      return new DatabaseError('database_unreachable', `Cannot reach ${where}. Check that the server is running and reachable, and that DATABASE_URL names the right host and port.`, { cause: err });
    case 'DatabaseDoesNotExist':
      return new DatabaseError('database_missing', `${where} does not exist. Create it (e.g. \`createdb\`, or CREATE DATABASE) or fix the database name in DATABASE_URL.`, { cause: err });
    case 'DatabaseAccessDenied':
    case 'AuthenticationFailed':
      return new DatabaseError('database_auth_failed', `${where} refused the login (${failure.originalMessage ?? 'access denied'}). Fix the user name and password in DATABASE_URL.`, { cause: err });
    default:
      return undefined;
  }
}
