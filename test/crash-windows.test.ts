// The windows a crash used to fall into: an input acknowledged to Slack but not yet stored, and a
// message that reached Slack before the poster could record it. Acknowledged means stored, and
// a message whose outcome was lost is found in Slack and recorded instead of being posted twice.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotProcess } from '../dev/bot-process.ts';
import { FakeSlack } from '../dev/fake-slack-api.ts';
import { escalationFormValues, SlackRequests } from '../dev/slack-requests.ts';
import { openDatabase } from '../src/db/index.ts';
import { jobName as postPendingJob } from '../src/jobs/post-pending-escalations.ts';
import { encodeAnswerRef } from '../src/slack/action-values.ts';
import { encodeModalOrigin } from '../src/slack/blocks/escalation-blocks.ts';
import { escalationEventTypes } from '../src/slack/escalation-publisher.ts';
import { actionIds, viewIds } from '../src/slack/ids.ts';
import { postLeaseMs } from '../src/support/escalate.ts';
import { createTestDatabase, postgresAvailable } from './db/test-databases.ts';
import { settle, startTestApp, supportChannel, type TestApp } from './slack/test-app.ts';

// On PostgreSQL, so a write waiting for a lock leaves the bot's event loop free: with SQLite the
// driver waits for the lock synchronously and nothing (not even an early acknowledgement) moves.
describe.skipIf(!(await postgresAvailable()))('acknowledged means stored', () => {
  // Starting a separate bot process and migrating a fresh database takes several seconds.
  it('an escalation, a feedback vote and an admin claim acknowledged just before a SIGKILL are in the database', { timeout: 60_000 }, async () => {
    const fake = await FakeSlack.start();
    const database = await createTestDatabase('postgresql');
    const secret = 'crash-test-signing-secret-000000';
    const dbUrl = database.settings.database.url;
    const bot = await startBotProcess({
      SLACK_BOT_TOKEN: 'xoxb-crash-test-token',
      SLACK_SIGNING_SECRET: secret,
      SLACK_API_URL: fake.apiUrl,
      SUPPORT_CHANNEL_ID: supportChannel,
      CONCIERGE_ADMIN_USER_IDS: 'U0ADMIN001',
      DATABASE_URL: dbUrl,
      CONCIERGE_ENCRYPTION_KEY: database.settings.encryptionKey!,
      CONCIERGE_DATA_DIR: database.dir,
      CONCIERGE_JOB_POST_PENDING_ESCALATIONS_SCHEDULE: 'off',
    });
    // A case already in triage, for the admin to claim.
    const setup = await openDatabase(database.settings, { warn: () => {} });
    const toClaim = await setup.escalations.create({ slackTeamId: fake.teamId, reporterSlackUserId: 'U0OTHER001', channelId: 'C0CHAN0001', threadTs: null, errorText: 'Bill B-1 failed: XERO11', occurredAt: new Date() });
    await setup.close();
    // Another session holds the tables for a moment, as a busy database would: storing waits.
    const blocker = new pg.Client({ connectionString: dbUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE "Escalation", "AnswerFeedback", "AuditEvent" IN EXCLUSIVE MODE');
      const slack = new SlackRequests(bot.baseUrl, secret, (id) => fake.responseUrl(id), { teamId: fake.teamId, userId: 'U0USER0001', channelId: 'C0CHAN0001' });
      const errorText = `Invoice INV-${Date.now()} failed: XERO11`;
      const acks = Promise.all([
        slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error: errorText, when: new Date() }), encodeModalOrigin({ channelId: 'C0CHAN0001', threadTs: null, articleId: null })),
        slack.button(actionIds.feedbackHelpful, encodeAnswerRef('XERO11', 'XERO11 on my report')).then((b) => b.response),
        slack.button(actionIds.claimEscalation, toClaim.id, { userId: 'U0ADMIN001' }).then((b) => b.response),
      ]);
      // Well past any acknowledgement sent before storing; well within Slack's 3 seconds.
      let killed = false;
      const released = new Promise((resolve) => setTimeout(resolve, 1_500)).then(async () => {
        // A statement the dead process left waiting must die with it, as its connection would.
        if (killed) await blocker.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        await blocker.query('COMMIT');
      });
      const [submitted, voted, claimed] = await acks;
      // The moment Slack has both acknowledgements, the process dies.
      await bot.kill();
      killed = true;
      await released;
      expect([submitted.status, voted.status, claimed.status]).toEqual([200, 200, 200]);
      expect(await submitted.text()).toBe('');

      const db = await openDatabase(database.settings, { warn: () => {} });
      try {
        const [stored] = await db.escalations.listByReporter(fake.teamId, 'U0USER0001', { limit: 5 });
        expect(stored?.errorText).toBe(errorText);
        expect(await db.feedback.countsForArticle('XERO11')).toEqual({ helpful: 1, notHelpful: 0 });
        expect(await db.escalations.get(toClaim.id)).toMatchObject({ status: 'claimed', assigneeSlackUserId: 'U0ADMIN001' });
        expect((await db.audit.list({ action: 'escalation.claim' })).map((a) => [a.actor, a.target])).toEqual([['U0ADMIN001', toClaim.id]]);
      } finally {
        await db.close();
      }
    } finally {
      await blocker.end();
      await bot.kill();
      await fake.close();
      await database.drop();
    }
  });
});

describe('a message that reached Slack before the poster crashed', () => {
  let t: TestApp;
  let clock = new Date();
  const crashed = 'submit:crashed-instance';

  beforeAll(async () => {
    t = await startTestApp({ now: () => clock, env: { CONCIERGE_JOB_POST_PENDING_ESCALATIONS_SCHEDULE: 'off' } });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await settle(t.app);
    clock = new Date();
  });

  /** A stored case claimed by an instance that then died; its claim runs out one lease later. */
  async function caseOfCrashedPoster(errorText: string, threadTs: string) {
    return t.app.db.escalations.create({
      slackTeamId: t.fake.teamId,
      reporterSlackUserId: 'U0USER0001',
      channelId: 'C0CHAN0001',
      threadTs,
      errorText,
      occurredAt: clock,
      postLease: { owner: crashed, until: new Date(clock.getTime() + postLeaseMs) },
    });
  }

  const marked = (message: 'triage' | 'confirmation', id: string) => ({ event_type: escalationEventTypes[message], event_payload: { escalation_id: id } });
  const postsTo = (channel: string, since: number) => t.fake.calls.slice(since).filter((c) => c.method === 'chat.postMessage' && c.params.channel === channel);

  it('is recorded by the job, not posted again, and the reporter is confirmed once', async () => {
    const escalation = await caseOfCrashedPoster('Bill B-1 failed: XERO11', '1700100000.000100');
    // The crashed instance stamped its attempt and Slack took the post; the answer never came back.
    await t.app.db.escalations.recordAttempt(escalation.id, crashed, 'triage', clock);
    const postedTs = t.fake.storeMessage(supportChannel, { text: 'Escalation', metadata: marked('triage', escalation.id) });

    clock = new Date(clock.getTime() + postLeaseMs + 1_000);
    const start = t.fake.calls.length;
    expect(await t.app.jobs[postPendingJob]!()).toEqual({ attempted: 1, posted: 1 });

    expect(postsTo(supportChannel, start)).toEqual([]);
    expect(t.fake.messagesIn(supportChannel).filter((m) => m.metadata?.event_payload.escalation_id === escalation.id)).toHaveLength(1);
    const stored = await t.app.db.escalations.get(escalation.id);
    expect(stored).toMatchObject({ triageMessage: { channelId: supportChannel, ts: postedTs }, postedAt: expect.any(Date), postLease: null });
    expect(postsTo('C0CHAN0001', start)).toHaveLength(1);
    expect(stored!.reporterConfirmation).toMatchObject({ channelId: 'C0CHAN0001' });
    expect(await t.app.jobs[postPendingJob]!()).toEqual({ attempted: 0, posted: 0 });
  });

  it('the same holds for the reporter confirmation in their thread', async () => {
    const escalation = await caseOfCrashedPoster('Bill B-2 failed: XERO11', '1700100100.000100');
    await t.app.db.escalations.recordAttempt(escalation.id, crashed, 'triage', clock);
    const triageTs = t.fake.storeMessage(supportChannel, { text: 'Escalation', metadata: marked('triage', escalation.id) });
    await t.app.db.escalations.markPosted(escalation.id, crashed, { channelId: supportChannel, ts: triageTs });
    await t.app.db.escalations.recordAttempt(escalation.id, crashed, 'confirmation', clock);
    const confirmationTs = t.fake.storeMessage('C0CHAN0001', { text: 'Thanks', thread_ts: '1700100100.000100', metadata: marked('confirmation', escalation.id) });

    clock = new Date(clock.getTime() + postLeaseMs + 1_000);
    const start = t.fake.calls.length;
    expect(await t.app.jobs[postPendingJob]!()).toEqual({ attempted: 1, posted: 1 });
    expect(t.fake.calls.slice(start).filter((c) => c.method === 'chat.postMessage')).toEqual([]);
    expect(await t.app.db.escalations.get(escalation.id)).toMatchObject({
      triageMessage: { channelId: supportChannel, ts: triageTs },
      reporterConfirmation: { channelId: 'C0CHAN0001', ts: confirmationTs },
      postLease: null,
    });
  });

  it('is posted once when the attempt never reached Slack', async () => {
    const escalation = await caseOfCrashedPoster('Bill B-3 failed: XERO11', '1700100200.000100');
    await t.app.db.escalations.recordAttempt(escalation.id, crashed, 'triage', clock);

    clock = new Date(clock.getTime() + postLeaseMs + 1_000);
    const start = t.fake.calls.length;
    expect(await t.app.jobs[postPendingJob]!()).toEqual({ attempted: 1, posted: 1 });
    expect(t.fake.calls.slice(start).map((c) => c.method)).toContain('conversations.history');
    expect(postsTo(supportChannel, start)).toHaveLength(1);
    expect(t.fake.messagesIn(supportChannel).filter((m) => m.metadata?.event_payload.escalation_id === escalation.id)).toHaveLength(1);
  });
});
