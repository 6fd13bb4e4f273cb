// The case conversation's rules without Slack: when a case is worth collecting, what is still
// missing, how replies fill it (times in the reporter's zone, across daylight-saving changes), and
// the store on both databases: one Send wins however many race, "cancel" ends it, a day ends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askFor } from '../../src/copy/case-conversation-text.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { emptyCase, isCancel, missingFields, needsSupport, newSendClaim, readInto, type NewCaseConversation } from '../../src/support/case-conversation.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../db/test-databases.ts';

const articles = loadKnowledge(new URL('../../knowledge', import.meta.url).pathname);
const engine = createAnswerEngine(articles);
const knownCodes = articles.flatMap((a) => a.codes);

describe('when a case is worth collecting', () => {
  const ask = (q: string) => needsSupport(engine.answer(q), q);
  it('XERO01, UNEXPECTED_ERROR, an unknown code and "it still fails" end in contact support; a fixable error does not', () => {
    expect(ask('XERO01 Error: Unable to complete action to Xero.')).toBe(true);
    expect(ask('UNEXPECTED_ERROR when exporting')).toBe(true);
    expect(ask('QBO99 on my report')).toBe(true);
    expect(ask('I reconnected as you said but the export still fails')).toBe(true);
    expect(ask('XERO11 Sync Error: The connection to Xero has expired.')).toBe(false);
  });
});

describe('reading replies into the case', () => {
  const orgs = ['Acme Ltd', 'Northwind Traders'];
  const read = (text: string, timeZone: string, sent: string, from = emptyCase) => readInto(from, text, { timeZone, sentAt: new Date(sent), organisations: orgs, knownCodes });

  it('asks only for what is missing, and for the organisation only when there are several', () => {
    const pasted = read('XERO01 Error: Unable to complete action to Xero.', 'Europe/London', '2026-11-20T10:30:00Z');
    expect(missingFields(pasted, orgs)).toEqual(['report', 'time', 'org']);
    expect(missingFields(pasted, ['Acme Ltd'])).toEqual(['report', 'time']);
    expect(askFor(['report', 'time'])).toBe('Which report was it, and roughly when did it fail?');
    const replied = read('report R00452 in Northwind Traders, 9:40 today', 'Europe/London', '2026-11-20T10:35:00Z', pasted);
    expect(replied).toMatchObject({ codes: ['XERO01'], message: 'XERO01 Error: Unable to complete action to Xero.', report: 'R00452', org: 'Northwind Traders', time: '2026-11-20T09:40:00+00:00' });
    expect(missingFields(replied, orgs)).toEqual([]);
  });

  it('reads the same words in each reporter zone', () => {
    expect(read('yesterday at 3pm', 'America/New_York', '2026-11-20T15:00:00Z').time).toBe('2026-11-19T15:00:00-05:00');
    expect(read('yesterday at 3pm', 'Australia/Sydney', '2026-11-20T15:00:00Z').time).toBe('2026-11-20T15:00:00+11:00');
    expect(read('yesterday at 3pm', 'Asia/Kolkata', '2026-11-20T15:00:00Z').time).toBe('2026-11-19T15:00:00+05:30');
  });

  it('crosses a daylight-saving change: the offset is the one in force at the failure, not when the reply was sent', () => {
    // London went back to GMT at 02:00 on Sunday 25 October 2026; the reply comes on Monday.
    expect(read('Saturday at 3pm', 'Europe/London', '2026-10-26T09:00:00Z').time).toBe('2026-10-24T15:00:00+01:00');
    expect(read('yesterday at 9am', 'Europe/London', '2026-10-26T09:00:00Z').time).toBe('2026-10-25T09:00:00+00:00');
    // New York moved to EDT at 02:00 on Sunday 8 March 2026.
    expect(read('yesterday at 1am', 'America/New_York', '2026-03-09T14:00:00Z').time).toBe('2026-03-08T01:00:00-05:00');
    expect(read('yesterday at 4am', 'America/New_York', '2026-03-09T14:00:00Z').time).toBe('2026-03-08T04:00:00-04:00');
  });

  it('"cancel" and its variants end it; a reply that merely mentions cancelling does not', () => {
    expect(isCancel('cancel')).toBe(true);
    expect(isCancel(' Never mind. ')).toBe(true);
    expect(isCancel('I had to cancel report R00452')).toBe(false);
  });
});

const pgUp = await postgresAvailable();
for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`the conversation store on ${provider}`, () => {
    let test: TestDatabase;
    let db: Database;
    const now = new Date('2026-11-20T10:30:00Z');
    const input = (threadTs: string): NewCaseConversation => ({
      slackTeamId: 'T1',
      channelId: 'C1',
      threadTs,
      reporterSlackUserId: 'U1',
      timeZone: 'Europe/London',
      articleId: 'XERO01',
      fields: { ...emptyCase, codes: ['XERO01'], report: 'R1' },
      status: 'confirming',
      expiresAt: new Date(now.getTime() + 86_400_000),
    });

    beforeAll(async () => {
      test = await createTestDatabase(provider);
      db = await openDatabase(test.settings, { warn: () => {} });
    });
    afterAll(async () => {
      await db?.close();
      await test?.drop();
    });

    it('of ten Sends racing, exactly one claims the conversation', async () => {
      const started = await db.caseConversations.start(input('1.1'));
      const wins = await Promise.all(Array.from({ length: 10 }, () => db.caseConversations.claimSend(started.id, newSendClaim(), now)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await db.caseConversations.get(started.id))!.status).toBe('sending');
    });

    it('keeps the fields across reads, ends on cancel and after a day, and a new start replaces an ended one', async () => {
      const started = await db.caseConversations.start(input('1.2'));
      expect((await db.caseConversations.findOpen('T1', 'C1', '1.2', now))!.fields.report).toBe('R1');
      expect(await db.caseConversations.findOpen('T1', 'C1', '1.2', new Date(now.getTime() + 86_400_001))).toBeNull();
      expect(await db.caseConversations.cancel(started.id)).toBe(true);
      expect(await db.caseConversations.findOpen('T1', 'C1', '1.2', now)).toBeNull();
      expect(await db.caseConversations.claimSend(started.id, newSendClaim(), now)).toBe(false);
      const again = await db.caseConversations.start(input('1.2'));
      expect((await db.caseConversations.findOpen('T1', 'C1', '1.2', now))!.id).toBe(again.id);
      expect(await db.caseConversations.prune(new Date(now.getTime() + 2 * 86_400_000))).toBeGreaterThanOrEqual(2);
    });
  });
}
