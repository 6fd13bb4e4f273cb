// The libSQL adapter as the app opens it (src/db/libsql-without-leaks.ts): transactions run on the
// client's one connection and statements are kept per connection, so what a transaction leaves
// behind, and what a statement run again reads, must be exactly what SQLite holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { PrismaLibSqlWithoutLeaks } from '../../src/db/libsql-without-leaks.ts';
import { createClient, type ClientHandle } from '../../src/db/prisma-client.ts';
import { createTestDatabase, type TestDatabase } from './test-databases.ts';

let test: TestDatabase;
let handle: ClientHandle;

beforeAll(async () => {
  test = await createTestDatabase('sqlite');
  await (await openDatabase(test.settings, { warn: () => {} })).close();
  handle = await createClient(test.settings.database);
});
afterAll(async () => {
  await handle?.prisma.$disconnect();
  await test?.drop();
});

const eventIds = async (prisma: ClientHandle['prisma']) => (await prisma.processedSlackEvent.findMany({ orderBy: { eventId: 'asc' } })).map((e) => e.eventId);

describe('the SQLite driver', () => {
  it('rolls a failed transaction back and leaves its connection outside any transaction, so later writes are committed', async () => {
    const { prisma } = handle;
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.processedSlackEvent.create({ data: { eventId: 'E-rolled-back' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await prisma.processedSlackEvent.create({ data: { eventId: 'E-plain' } });
    await prisma.$transaction(async (tx) => {
      await tx.processedSlackEvent.create({ data: { eventId: 'E-in-transaction' } });
    });
    // A second connection sees what was committed; a write stuck in an open transaction would be missing.
    const other = await createClient(test.settings.database);
    try {
      expect(await eventIds(other.prisma)).toEqual(['E-in-transaction', 'E-plain']);
    } finally {
      await other.prisma.$disconnect();
    }
  });

  it('runs a statement it has run before against the current data, and the same query with other values', async () => {
    const { prisma } = handle;
    const find = (eventId: string) => prisma.processedSlackEvent.findUnique({ where: { eventId } });
    expect(await find('E-later')).toBeNull();
    await prisma.processedSlackEvent.create({ data: { eventId: 'E-later' } });
    expect((await find('E-later'))?.eventId).toBe('E-later');
    expect((await find('E-plain'))?.eventId).toBe('E-plain');
    await prisma.processedSlackEvent.delete({ where: { eventId: 'E-later' } });
    expect(await find('E-later')).toBeNull();
  });

  it('turns a constraint violation inside a transaction into a refusal and keeps working', async () => {
    const { prisma } = handle;
    await expect(prisma.$transaction([prisma.processedSlackEvent.create({ data: { eventId: 'E-dup' } }), prisma.processedSlackEvent.create({ data: { eventId: 'E-dup' } })])).rejects.toMatchObject({
      code: 'P2002',
    });
    expect(await prisma.processedSlackEvent.findUnique({ where: { eventId: 'E-dup' } })).toBeNull();
    await prisma.processedSlackEvent.create({ data: { eventId: 'E-dup' } });
    expect((await prisma.processedSlackEvent.findUnique({ where: { eventId: 'E-dup' } }))?.eventId).toBe('E-dup');
  });

  // libsql 0.5.29 kept every transaction's connection (about 75 KB each): 2,000 transactions
  // through Prisma's adapter grew the process by about 160 MB.
  it('does not grow by a connection per transaction', async () => {
    const adapter = await new PrismaLibSqlWithoutLeaks({ url: test.settings.database.url }).connect();
    const transactions = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const tx = await adapter.startTransaction();
        await tx.queryRaw({ sql: 'SELECT eventId FROM ProcessedSlackEvent WHERE eventId = ?', args: [`E-${i % 10}`], argTypes: [{ scalarType: 'string', arity: 'scalar' }] });
        await tx.commit();
      }
    };
    try {
      await transactions(200);
      const before = process.memoryUsage.rss();
      await transactions(2_000);
      expect((process.memoryUsage.rss() - before) / 1024 / 1024).toBeLessThan(40);
    } finally {
      await adapter.dispose();
    }
  });
});
