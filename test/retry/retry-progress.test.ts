// What the person who asked for a retry reads, from real rows in a real SQLite database: one
// message per request, updated at most once a second even with two instances reporting, the
// counts of a bulk retry, a single export's outcome with its Xero link or its article, and the
// next attempt in the person's own time zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { queueRetries } from '../../src/support/retry-requests.ts';
import { formatAttemptTime, retryProgressText, reportRetryProgress, type RetryProgressDeps } from '../../src/support/retry-progress.ts';
import type { RetryRequest } from '../../src/support/records.ts';
import { createTestDatabase, type TestDatabase } from '../db/test-databases.ts';

const teamId = 'T0PROGRESS1';

describe('retry progress messages', () => {
  let test: TestDatabase;
  let dbs: Database[];
  const posts: { requestId: string; text: string; at: number; update: boolean }[] = [];

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    dbs = [await openDatabase(test.settings, { warn: () => {} })];
    dbs.push(await openDatabase(test.settings, { warn: () => {}, migrate: false }));
  }, 60_000);
  afterAll(async () => {
    await Promise.all((dbs ?? []).map((db) => db.close()));
    await test?.drop();
  });

  const deps = (db: Database, now = () => new Date()): RetryProgressDeps => ({
    retryRequests: db.retryRequests,
    publish: async (request: RetryRequest, text: string) => {
      posts.push({ requestId: request.id, text, at: Date.now(), update: request.messageTs !== null });
      return { ts: request.messageTs ?? `1700000000.${posts.length}`, channelId: request.channelId ?? 'D0DM' };
    },
    timeZoneOf: async () => 'Pacific/Auckland',
    articleTitle: (id) => (id === 'XERO_ACCOUNT_CODE' ? 'Invalid account code' : undefined),
    now,
  });

  async function seed(db: Database, count: number, prefix: string) {
    const created = await db.failedSyncs.createMany(
      Array.from({ length: count }, (_, i) => ({ slackTeamId: teamId, externalReference: `${prefix}-${i}`, kind: 'invoice', payload: { InvoiceNumber: `${prefix}-${i}` }, errorMessage: 'timed out', idempotencyKey: `${prefix}-${i}` })),
    );
    return created.map((c) => c.id);
  }

  /** Works one claimed row to an outcome, as the worker would. */
  async function settleOne(db: Database, outcome: 'synced' | 'needs_fix') {
    const [row] = await db.failedSyncs.claimDue('worker', { limit: 1, leaseMs: 60_000 });
    if (!row) throw new Error('nothing to claim');
    await db.failedSyncs.settle(row.id, 'worker',
      outcome === 'synced'
        ? { kind: 'synced', xeroId: `xero-${row.externalReference}`, found: false }
        : { kind: 'needs_fix', reconnect: false, outcomeUnknown: false, errorCode: 'XERO_ACCOUNT_CODE', errorMessage: "Account code '999' is not a valid code for this document.", validationMessages: [] });
  }

  it('a bulk retry keeps one message, updated at most once a second across two instances, until it is done', async () => {
    const [db] = dbs;
    await seed(db!, 5, 'BULK');
    const result = await queueRetries({ failedSyncs: db!.failedSyncs, retryRequests: db!.retryRequests }, { slackTeamId: teamId, source: 'command', slackUserId: 'U0ADMIN001', channelId: 'C0FINANCE1', threadTs: null }, { kind: 'all' });
    expect(result).toMatchObject({ ok: true, queued: 5 });
    const id = result.ok ? result.request.id : '';
    const mine = () => posts.filter((p) => p.requestId === id);

    await Promise.all(dbs.map((d) => reportRetryProgress(deps(d))));
    expect(mine()).toHaveLength(1);
    expect(mine()[0]).toMatchObject({ update: false });
    expect(mine()[0]!.text).toBe('Retrying failed exports: 0 of 5 re-sent, sending now.');

    await settleOne(db!, 'synced');
    await settleOne(db!, 'synced');
    await settleOne(db!, 'needs_fix');
    // Both instances keep looking several times a second: Slack still hears at most one update a second.
    const until = Date.now() + 2300;
    while (Date.now() < until) {
      await Promise.all(dbs.map((d) => reportRetryProgress(deps(d))));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const times = mine().map((p) => p.at);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(mine().at(-1)!.text).toBe('Retrying failed exports: 2 of 5 re-sent, 1 needs a fix, sending now.');
    expect(mine().slice(1).every((p) => p.update)).toBe(true);

    await settleOne(db!, 'synced');
    await settleOne(db!, 'synced');
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await Promise.all(dbs.map((d) => reportRetryProgress(deps(d))));
    expect(mine().at(-1)!.text).toBe('Retry finished: 4 of 5 re-sent, 1 needs a fix. `/concierge errors` lists the ones that need a fix.');
    expect((await db!.retryRequests.get(id))?.finishedAt).not.toBeNull();
    const count = mine().length;
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await reportRetryProgress(deps(db!));
    expect(mine()).toHaveLength(count);
  });

  it("a single export's message ends with its Xero link, or with why it failed again and the article", async () => {
    const [db] = dbs;
    const [syncedId, fixId] = await seed(db!, 2, 'ONE');
    const one = (id: string) =>
      queueRetries({ failedSyncs: db!.failedSyncs, retryRequests: db!.retryRequests }, { slackTeamId: teamId, source: 'button', slackUserId: 'U0ADMIN001', channelId: null, threadTs: null }, { kind: 'one', id });
    const first = await one(syncedId!);
    await settleOne(db!, 'synced');
    const second = await one(fixId!);
    await settleOne(db!, 'needs_fix');
    const diagnosed: string[] = [];
    const diagnose = async (id: string) => (diagnosed.push(id), ['Account code `999` does not exist in Xero.']);
    await reportRetryProgress({ ...deps(db!), diagnose });
    const textOf = (r: Awaited<ReturnType<typeof one>>) => posts.filter((p) => r.ok && p.requestId === r.request.id).at(-1)?.text;
    expect(textOf(first)).toBe('The invoice *ONE-0* is in Xero now (Xero id xero-ONE-0): <https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=xero-ONE-0|open it in Xero>.');
    expect(textOf(second)).toContain("The invoice *ONE-1* failed again: Account code '999' is not a valid code for this document.");
    expect(textOf(second)).toContain('*Invalid account code*');
    // What Xero holds now, read once for the export that failed again (not for the one that synced).
    expect(textOf(second)).toContain('What Xero shows now: Account code `999` does not exist in Xero.');
    expect(diagnosed).toEqual([fixId]);
  });

  it('posts nothing for a reconnect that found nothing waiting (no "0 of 0" message)', async () => {
    const [db] = dbs;
    const before = posts.length;
    const result = await queueRetries(
      { failedSyncs: db!.failedSyncs, retryRequests: db!.retryRequests },
      { slackTeamId: 'T0NOTHING01', source: 'reconnect', slackUserId: 'U0ADMIN001', channelId: 'C0FINANCE1', threadTs: null },
      { kind: 'connections', connectionIds: ['no-such-connection'] },
    );
    expect(result).toEqual({ ok: false, error: 'nothing_to_retry' });
    expect((await db!.retryRequests.listOpen(50)).filter((r) => r.slackTeamId === 'T0NOTHING01')).toEqual([]);
    await reportRetryProgress(deps(db!));
    expect(posts.slice(before).some((p) => /0 of 0/.test(p.text))).toBe(false);
  });

  it('says "sending now" while exports are due, and the next batch\'s time once they wait out a limit', () => {
    const now = new Date('2026-11-30T01:00:00Z');
    const progress = { total: 40, synced: 18, needsFix: 2, failed: 0, waiting: 20, item: null };
    const title = { articleTitle: () => undefined };
    expect(retryProgressText({ timeZone: 'Pacific/Auckland' }, { ...progress, nextAttemptAt: new Date('2026-11-30T01:05:00Z') }, title, now)).toBe(
      'Retrying failed exports: 18 of 40 re-sent, 2 need a fix, next batch at 14:05.',
    );
    expect(retryProgressText({ timeZone: 'Pacific/Auckland' }, { ...progress, nextAttemptAt: new Date('2026-11-30T00:59:58Z') }, title, now)).toBe(
      'Retrying failed exports: 18 of 40 re-sent, 2 need a fix, sending now.',
    );
    const single = (status: 'queued' | 'retrying', nextAttemptAt: Date) => ({
      total: 1, synced: 0, needsFix: 0, failed: 0, waiting: 1, nextAttemptAt,
      item: { id: 'f1', externalReference: 'TRIP-1', kind: 'invoice', status, xeroId: null, errorCode: null, errorMessage: 'timed out', nextAttemptAt, lastOutcome: 'transient' as const },
    });
    expect(retryProgressText({ timeZone: 'Pacific/Auckland' }, single('queued', new Date('2026-11-30T01:05:00Z')), title, now)).toBe('Re-sending the invoice *TRIP-1* to Xero: next attempt at 14:05.');
    expect(retryProgressText({ timeZone: 'Pacific/Auckland' }, single('queued', new Date('2026-11-30T00:59:00Z')), title, now)).toBe('Re-sending the invoice *TRIP-1* to Xero: next attempt shortly.');
    expect(retryProgressText({ timeZone: 'Pacific/Auckland' }, single('retrying', new Date('2026-11-30T00:59:00Z')), title, now)).toBe('Re-sending the invoice *TRIP-1* to Xero now.');
  });

  it('says when the next attempt is in the requester\'s own time zone', () => {
    const now = new Date('2026-11-30T01:00:00Z');
    expect(formatAttemptTime(new Date('2026-11-30T01:05:00Z'), 'Pacific/Auckland', now)).toBe('14:05');
    expect(formatAttemptTime(new Date('2026-11-30T01:05:00Z'), 'Europe/London', now)).toBe('01:05');
    expect(formatAttemptTime(new Date('2026-11-30T01:05:00Z'), 'Not/AZone', now)).toBe('01:05 UTC');
    expect(formatAttemptTime(new Date('2026-12-01T01:05:00Z'), 'Europe/London', now)).toBe('Tue 1 Dec 01:05');
  });
});
