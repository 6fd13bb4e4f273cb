// Concurrent claimers on PostgreSQL pass over rows another transaction has locked instead of
// queueing behind it; SQLite has one writer at a time, so the clause does not exist there.
import { empty, sqltag, type Sql } from '@prisma/client/runtime/client';
import type { DatabaseProvider } from './schema-files.ts';

export function skipLocked(provider: DatabaseProvider): Sql {
  return provider === 'postgresql' ? sqltag`FOR UPDATE SKIP LOCKED` : empty;
}
