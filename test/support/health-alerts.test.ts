// Health alerts on the real databases: a transition noticed by two instances at the same moment
// is raised once; a token set about to age out is raised once per rotation; posting never
// repeats a post whose outcome is unknown (it is looked up first), and retries one Slack refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import type { HealthReport } from '../../src/support/check-connection.ts';
import { postPendingAlerts, raiseExportFailureAlerts, raiseHealthAlerts, type AlertPublisher } from '../../src/support/health-alerts.ts';
import type { FailedSync } from '../../src/support/records.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../db/test-databases.ts';

const day = 24 * 60 * 60_000;

function report(overrides: Partial<HealthReport> = {}): HealthReport {
  const now = new Date();
  return {
    connectionId: 'c-1',
    slackTeamId: 'T1',
    tenantName: 'Demo Co',
    connectedBySlackUserId: 'U1',
    connectedByXeroEmail: null,
    verdict: 'healthy',
    articleId: null,
    reconnect: false,
    broken: false,
    status: 'connected',
    tokenState: 'valid',
    listed: true,
    organisation: null,
    headroom: null,
    exports: { failed: 0, queued: 0 },
    problem: null,
    checkedAt: now,
    since: now,
    refreshTokenIssuedAt: now,
    ...overrides,
  };
}

const broken = (id: string) => report({ connectionId: id, verdict: 'not_connected', articleId: 'NOT_CONNECTED', reconnect: true, broken: true, status: 'disconnected' });

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !(await postgresAvailable()))(`health alerts on ${provider}`, () => {
    let testDb: TestDatabase;
    let one: Database;
    let two: Database;
    beforeAll(async () => {
      testDb = await createTestDatabase(provider);
      one = await openDatabase(testDb.settings, { warn: () => {} });
      two = await openDatabase(testDb.settings, { warn: () => {} });
    });
    afterAll(async () => {
      await one?.close();
      await two?.close();
      await testDb?.drop();
    });

    it('two instances raising the same transitions at once insert each alert once', async () => {
      const now = new Date();
      for (let i = 0; i < 10; i++) {
        const reports = [broken(`race-${i}`)];
        const raised = await Promise.all([raiseHealthAlerts(one.healthAlerts, reports, now), raiseHealthAlerts(two.healthAlerts, reports, now)]);
        // The workspace stays reachable, so the only alert of each round is the broken connection.
        expect(raised.flat().filter((a) => a.kind === 'connection_broken')).toHaveLength(1);
      }
      // The same state again raises nothing; healthy again raises once more.
      expect(await raiseHealthAlerts(one.healthAlerts, [broken('race-0')], now)).toEqual([]);
      const healed = await Promise.all([raiseHealthAlerts(one.healthAlerts, [report({ connectionId: 'race-0' })], now), raiseHealthAlerts(two.healthAlerts, [report({ connectionId: 'race-0' })], now)]);
      expect(healed.flat().map((a) => a.kind)).toEqual(['connection_healthy']);
    });

    it('a token set unused for 50 days is announced once per rotation', async () => {
      const now = new Date();
      const aging = report({ connectionId: 'aging-1', slackTeamId: 'T2', refreshTokenIssuedAt: new Date(now.getTime() - 51 * day) });
      const first = await raiseHealthAlerts(one.healthAlerts, [aging], now);
      expect(first.map((a) => [a.kind, a.details.daysUnused])).toEqual([['token_set_aging', 51]]);
      expect(await raiseHealthAlerts(two.healthAlerts, [aging], now)).toEqual([]);
      const young = report({ connectionId: 'aging-2', slackTeamId: 'T2', refreshTokenIssuedAt: new Date(now.getTime() - 49 * day) });
      expect(await raiseHealthAlerts(one.healthAlerts, [young], now)).toEqual([]);
    });

    it('failed exports raise one alert per organisation and cause a day, however many batches or instances report them', async () => {
      const now = new Date('2026-11-30T09:00:00Z');
      const failure = (id: string, connectionId: string | null, errorCode: string | null): FailedSync => ({
        id, slackTeamId: 'T3', connectionId, externalReference: `REF-${id}`, kind: 'invoice', payload: {}, errorCode, errorMessage: 'refused', validationMessages: [],
        occurredAt: now, status: 'failed', attempts: 0, nextAttemptAt: null, idempotencyKey: id, lease: null, xeroId: null, syncedAt: null, sendKey: null,
        sendStartedAt: null, lastOutcome: null, retryRequestId: null, createdAt: now, updatedAt: now,
      });
      const batch = [failure('a', 'conn-x', 'CONTACT_NOT_FOUND'), failure('b', 'conn-x', 'CONTACT_NOT_FOUND'), failure('c', 'conn-x', 'PERIOD_LOCKED'), failure('d', null, null)];
      const names = new Map([['conn-x', 'Demo Co']]);
      const raised = await Promise.all([raiseExportFailureAlerts(one.healthAlerts, batch, names, now), raiseExportFailureAlerts(two.healthAlerts, batch, names, now)]);
      const announced = raised.flat().map((a) => [a.details.articleId, a.details.count, a.details.reference, a.details.tenantName]);
      expect(announced).toHaveLength(3);
      expect(announced).toEqual(
        expect.arrayContaining([
          ['CONTACT_NOT_FOUND', 2, 'REF-a', 'Demo Co'],
          ['PERIOD_LOCKED', 1, 'REF-c', 'Demo Co'],
          [null, 1, 'REF-d', null],
        ]),
      );
      // A later batch the same day is listed by /concierge errors, not announced again; the next day it is.
      expect(await raiseExportFailureAlerts(one.healthAlerts, [failure('e', 'conn-x', 'CONTACT_NOT_FOUND')], names, new Date('2026-11-30T17:00:00Z'))).toEqual([]);
      expect(await raiseExportFailureAlerts(one.healthAlerts, [failure('f', 'conn-x', 'CONTACT_NOT_FOUND')], names, new Date('2026-12-01T08:00:00Z'))).toHaveLength(1);
    });

    it('posts each alert once: a refusal is retried; an unknown outcome is looked up, recorded when found, posted when not', async () => {
      const now = () => new Date();
      await raiseHealthAlerts(one.healthAlerts, [broken('post-1'), broken('post-2'), broken('post-3')], new Date());
      // The channel as Slack holds it; a lost answer may or may not have left a message there.
      const channel: Array<{ alertId: string; ts: string }> = [];
      const answers: Record<string, Array<'ok' | 'refused' | 'lost-after-storing' | 'lost-before-storing'>> = {};
      const store = (alertId: string) => {
        const ts = `${channel.length + 1}.0`;
        channel.push({ alertId, ts });
        return { channelId: 'C1', ts };
      };
      const publisher: AlertPublisher = {
        async post(alert) {
          const next = answers[alert.connectionId ?? '']?.shift() ?? 'ok';
          if (next === 'ok') return { ok: true, message: store(alert.id) };
          if (next === 'refused') return { ok: false, error: 'slack_refused' };
          if (next === 'lost-after-storing') store(alert.id);
          return { ok: false, error: 'outcome_unknown' };
        },
        async findEarlier(alert) {
          const found = channel.find((m) => m.alertId === alert.id);
          return { ok: true, message: found ? { channelId: 'C1', ts: found.ts } : null };
        },
      };
      answers['post-1'] = ['refused'];
      answers['post-2'] = ['lost-after-storing'];
      answers['post-3'] = ['lost-before-storing'];
      // Two instances at once; what earlier tests raised is drained with them.
      await Promise.all([
        postPendingAlerts({ alerts: one.healthAlerts, publisher, owner: 'a', now }, 100),
        postPendingAlerts({ alerts: two.healthAlerts, publisher, owner: 'b', now }, 100),
      ]);
      const again = await postPendingAlerts({ alerts: one.healthAlerts, publisher, owner: 'c', now }, 100);
      expect(again).toEqual({ posted: 1, failed: 0, found: 0 }); // post-1, refused the first time
      // The unknown outcomes are held until their attempt's claim is over, then settled.
      const later = () => new Date(Date.now() + 10 * 60_000);
      const check = await postPendingAlerts({ alerts: two.healthAlerts, publisher, owner: 'd', now: later }, 100);
      expect(check).toEqual({ posted: 1, failed: 0, found: 1 });
      expect(await postPendingAlerts({ alerts: one.healthAlerts, publisher, owner: 'e', now: later }, 100)).toEqual({ posted: 0, failed: 0, found: 0 });
      for (const id of ['post-1', 'post-2', 'post-3']) {
        const alert = await one.healthAlerts.latest(`conn:${id}`);
        expect(channel.filter((m) => m.alertId === alert!.id), id).toHaveLength(1);
        expect(alert!.message?.ts).toBe(channel.find((m) => m.alertId === alert!.id)!.ts);
      }
      expect(new Set(channel.map((m) => m.alertId)).size).toBe(channel.length);
    });
  });
}
