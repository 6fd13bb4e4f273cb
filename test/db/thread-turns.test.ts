// The thread history the model reads for follow-ups, on a real SQLite file and a real PostgreSQL
// database: oldest first, bounded per thread, separate per thread, pruned after its time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`thread turns on ${provider}`, () => {
    let test: TestDatabase;
    let db: Database;
    beforeAll(async () => {
      test = await createTestDatabase(provider);
      db = await openDatabase(test.settings, { warn: () => {} });
    });
    afterAll(async () => {
      await db?.close();
      await test?.drop();
    });

    const thread = { teamId: 'T1', channel: 'D1', threadTs: '1700000000.000100' };
    const at = new Date('2026-11-20T10:00:00Z');

    it('keeps the newest turns of a thread in the order they were said, apart from other threads', async () => {
      for (let i = 0; i < 5; i++) {
        await db.threadTurns.append(thread, [{ role: 'user', text: `question ${i}` }, { role: 'assistant', text: `answer ${i}` }], new Date(at.getTime() + i * 1000), 4);
      }
      await db.threadTurns.append({ ...thread, threadTs: 'other' }, [{ role: 'user', text: 'elsewhere' }], at, 4);
      expect(await db.threadTurns.recent(thread, new Date(0), 10)).toEqual([
        { role: 'user', text: 'question 3' },
        { role: 'assistant', text: 'answer 3' },
        { role: 'user', text: 'question 4' },
        { role: 'assistant', text: 'answer 4' },
      ]);
      expect(await db.threadTurns.recent(thread, new Date(0), 2)).toEqual([
        { role: 'user', text: 'question 4' },
        { role: 'assistant', text: 'answer 4' },
      ]);
      expect(await db.threadTurns.recent(thread, new Date(at.getTime() + 4000), 10)).toHaveLength(2);
    });

    it('prunes turns older than the cut-off in every thread', async () => {
      expect(await db.threadTurns.prune(new Date(at.getTime() + 4000))).toBe(3);
      expect(await db.threadTurns.recent({ ...thread, threadTs: 'other' }, new Date(0), 10)).toEqual([]);
      expect(await db.threadTurns.recent(thread, new Date(0), 10)).toHaveLength(2);
    });
  });
}
