// The one "claim with a lease" primitive. A row is held while its owner column names someone
// and its until column lies in the future; an expired lease (a crashed holder) frees the row
// without anyone having to clean up. Every claimer (escalation posting, failed-sync retries,
// token refresh, and whatever queue or cron coordinator comes next) goes through here, so a
// fix to the protocol lands everywhere at once.
//
// Batch claims pick their rows once, in a CTE, and then update exactly those rows. The older
// `UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)` let PostgreSQL plan the
// subquery as the inner side of a nested-loop semi-join and run it again for every outer row,
// each run skipping the rows the statement had already taken, so one claim of 1 took 11 or 40
// rows. A CTE holding FOR UPDATE is never folded into the outer query: PostgreSQL evaluates it
// once and the UPDATE joins its result.
import { empty, join, raw, sqltag, type Sql } from '@prisma/client/runtime/client';
import type { DbClient } from './prisma-client.ts';
import type { DatabaseProvider } from './schema-files.ts';
import { skipLocked } from './skip-locked.ts';

/** Where a kind of lease lives: its table and columns, as SQL identifiers. */
export interface LeaseTable {
  table: Sql;
  id: Sql;
  owner: Sql;
  until: Sql;
  /** Stamped with the time of every lease change, when the table has such a column. */
  updatedAt: Sql | null;
}

const plainIdentifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Identifiers cannot be bound as parameters, so only constant, plain names are accepted.
function identifier(name: string): Sql {
  if (!plainIdentifier.test(name)) throw new Error(`lease_identifier_invalid: "${name}" is not a plain SQL identifier`);
  return raw(`"${name}"`);
}

/** Describes a lease; call it once per kind at module load, with constant names only. */
export function leaseTable(table: string, columns: { owner: string; until: string; id?: string; updatedAt?: string }): LeaseTable {
  return {
    table: identifier(table),
    id: identifier(columns.id ?? 'id'),
    owner: identifier(columns.owner),
    until: identifier(columns.until),
    updatedAt: columns.updatedAt ? identifier(columns.updatedAt) : null,
  };
}

export interface ClaimRequest {
  owner: string;
  /** Most rows to take. */
  limit: number;
  leaseMs: number;
  now: Date;
  /** Which rows are due, apart from the lease being free (e.g. status and time, a tenant filter). */
  due: Sql;
  /** ORDER BY list deciding which due rows go first; end it with the id so the order is total. */
  orderBy: Sql;
  /** Further assignments made with the lease, e.g. `"attempts" = "attempts" + 1`. */
  set?: Sql[];
}

export interface HolderChange {
  /** A further condition the row must meet (e.g. its status). */
  where?: Sql;
  /** Further assignments made in the same statement. */
  set?: Sql[];
  now?: Date;
}

export interface RowLeases {
  /** Takes up to `limit` due rows whose lease is free or expired; returns their ids. Never more than `limit`, never a row someone else holds. */
  claim(request: ClaimRequest): Promise<string[]>;
  /** Takes one row's lease when it is free, expired or already `owner`'s; false otherwise. */
  take(id: string, owner: string, leaseMs: number, change?: HolderChange): Promise<boolean>;
  /** Extends the lease to `now + leaseMs`; false unless `owner` holds it. */
  renew(id: string, owner: string, leaseMs: number, change?: HolderChange): Promise<boolean>;
  /** Frees the lease (with the change that finishes the work, if any); false unless `owner` holds it. */
  release(id: string, owner: string, change?: HolderChange): Promise<boolean>;
}

export function rowLeases(prisma: DbClient, provider: DatabaseProvider, lease: LeaseTable): RowLeases {
  const { table, id: idColumn, owner: ownerColumn, until: untilColumn } = lease;
  const free = (now: Date) => sqltag`(${untilColumn} IS NULL OR ${untilColumn} < ${now})`;
  const assignments = (now: Date, lead: Sql[], extra: Sql[] = []) =>
    join([...lead, ...(lease.updatedAt ? [sqltag`${lease.updatedAt} = ${now}`] : []), ...extra], ', ');
  const extraCondition = (where?: Sql) => (where ? sqltag`AND (${where})` : empty);
  const until = (now: Date, leaseMs: number) => new Date(now.getTime() + leaseMs);

  return {
    async claim(request) {
      if (!Number.isInteger(request.limit) || request.limit < 1) return [];
      const { owner, now } = request;
      const due = sqltag`(${request.due}) AND ${free(now)}`;
      const set = assignments(now, [sqltag`${ownerColumn} = ${owner}`, sqltag`${untilColumn} = ${until(now, request.leaseMs)}`], request.set);
      // The outer re-check costs nothing and keeps the statement safe should the CTE ever be
      // evaluated apart from the lock (on SQLite the single write lock covers the statement).
      const rows = await prisma.$queryRaw<{ id: string }[]>(sqltag`
        WITH "picked" AS (
          SELECT ${idColumn} AS "pickedId" FROM ${table}
          WHERE ${due}
          ORDER BY ${request.orderBy}
          LIMIT ${request.limit}
          ${skipLocked(provider)})
        UPDATE ${table} SET ${set}
        FROM "picked"
        WHERE ${table}.${idColumn} = "picked"."pickedId" AND ${due}
        RETURNING ${table}.${idColumn} AS "id"`);
      return rows.map((r) => r.id);
    },

    async take(id, owner, leaseMs, change = {}) {
      const now = change.now ?? new Date();
      const set = assignments(now, [sqltag`${ownerColumn} = ${owner}`, sqltag`${untilColumn} = ${until(now, leaseMs)}`], change.set);
      const count = await prisma.$executeRaw(sqltag`
        UPDATE ${table} SET ${set}
        WHERE ${idColumn} = ${id} AND (${free(now)} OR ${ownerColumn} = ${owner}) ${extraCondition(change.where)}`);
      return count === 1;
    },

    async renew(id, owner, leaseMs, change = {}) {
      const now = change.now ?? new Date();
      const set = assignments(now, [sqltag`${untilColumn} = ${until(now, leaseMs)}`], change.set);
      const count = await prisma.$executeRaw(sqltag`
        UPDATE ${table} SET ${set}
        WHERE ${idColumn} = ${id} AND ${ownerColumn} = ${owner} ${extraCondition(change.where)}`);
      return count === 1;
    },

    async release(id, owner, change = {}) {
      const now = change.now ?? new Date();
      const set = assignments(now, [sqltag`${ownerColumn} = NULL`, sqltag`${untilColumn} = NULL`], change.set);
      const count = await prisma.$executeRaw(sqltag`
        UPDATE ${table} SET ${set}
        WHERE ${idColumn} = ${id} AND ${ownerColumn} = ${owner} ${extraCondition(change.where)}`);
      return count === 1;
    },
  };
}
