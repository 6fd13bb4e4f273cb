// Prisma's libSQL adapter with two of the libSQL driver's leaks worked around. Measured here
// (libsql 0.5.29, @libsql/client 0.17.4; see prisma/orm#30276 and tursodatabase/libsql-js#153):
// - every prepared statement keeps about 3.5 KB of native memory after it is garbage: an idle
//   bot, whose jobs read the database every minute, grew by about 8 MB an hour;
// - every transaction runs on a connection of its own that is never closed (about 75 KB each),
//   because the client hands its connection to the transaction and opens a new one.
// So each connection keeps its statements, one per SQL text (Prisma's SQL repeats), and a
// transaction runs on the client's one connection, which the adapter holds for it (the adapter
// lets one query or one transaction use its client at a time).
// The adapter is required (its CommonJS build) so that the libSQL client it loads can be trimmed:
// @libsql/client loads its remote clients (Hrana over WebSocket and over HTTP) with the local one,
// about 11 MB and 40-90 ms of start-up that a SQLite file never uses; they load if a URL needs them.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Client, Config, InStatement, ResultSet, Transaction, TransactionMode } from '@libsql/client';
import type * as LibsqlAdapter from '@prisma/adapter-libsql';
import { deferUntilUsed } from '../defer-module.ts';

const require = createRequire(import.meta.url);
const libsqlClientDir = dirname(require.resolve('@libsql/client'));
deferUntilUsed(require, join(libsqlClientDir, 'ws.js'));
deferUntilUsed(require, join(libsqlClientDir, 'http.js'));
const { PrismaLibSql } = require('@prisma/adapter-libsql') as typeof LibsqlAdapter;

/** Statements kept per connection; Prisma's queries come in a few dozen shapes, IN lists aside. */
const statementsPerConnection = 500;

type LibsqlStatement = object;
interface LibsqlDatabase {
  prepare(sql: string): LibsqlStatement;
}

let statementsReused = false;

/** Makes `prepare` on every libsql connection return the statement it prepared before for the same SQL. */
function reuseStatements(): void {
  if (statementsReused) return;
  statementsReused = true;
  // The same module @libsql/client opens its connections with.
  const Database = createRequire(join(libsqlClientDir, 'sqlite3.js'))('libsql') as { prototype: LibsqlDatabase };
  const prepare = Database.prototype.prepare;
  const kept = new WeakMap<LibsqlDatabase, Map<string, LibsqlStatement>>();
  Database.prototype.prepare = function prepareOnce(this: LibsqlDatabase, sql: string): LibsqlStatement {
    let statements = kept.get(this);
    if (!statements) kept.set(this, (statements = new Map()));
    const known = statements.get(sql);
    if (known) return known;
    const statement = prepare.call(this, sql);
    // The oldest goes first: a Map iterates in insertion order.
    if (statements.size >= statementsPerConnection) statements.delete(statements.keys().next().value!);
    statements.set(sql, statement);
    return statement;
  };
}

const beginFor: Record<TransactionMode, string> = { deferred: 'BEGIN DEFERRED', read: 'BEGIN DEFERRED', write: 'BEGIN IMMEDIATE' };

/** The client, with transactions on its own connection instead of a new one each. */
function withTransactionsOnOneConnection(client: Client): Client {
  const transaction = async (mode: TransactionMode = 'write'): Promise<Transaction> => {
    await client.execute(beginFor[mode]);
    let open = true;
    const finish = async (sql: 'COMMIT' | 'ROLLBACK') => {
      if (!open) return;
      try {
        await client.execute(sql);
        open = false;
      } catch (error) {
        // A COMMIT that failed leaves the transaction open on the shared connection: end it.
        if (sql === 'COMMIT') await client.execute('ROLLBACK').catch(() => {});
        open = false;
        throw error;
      }
    };
    const tx: Partial<Transaction> = {
      execute: (statement: InStatement) => client.execute(statement) as Promise<ResultSet>,
      executeMultiple: (sql: string) => client.executeMultiple(sql),
      commit: () => finish('COMMIT'),
      rollback: () => finish('ROLLBACK').catch(() => {}),
      close: () => void finish('ROLLBACK').catch(() => {}),
      get closed() {
        return !open;
      },
    };
    return tx as Transaction;
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** PrismaLibSql whose clients reuse statements and run transactions on their one connection. */
export class PrismaLibSqlWithoutLeaks extends PrismaLibSql {
  constructor(config: Config) {
    reuseStatements();
    super(config);
  }

  override createClient(config: Config): Client {
    return withTransactionsOnOneConnection(super.createClient(config));
  }
}
