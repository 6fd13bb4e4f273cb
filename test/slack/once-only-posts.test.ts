// Posts the bot must make once, with everything real: the app, a SQLite file, the Web API client
// against the fake Slack, the xero-node adapter against the fake Xero. The fake carries a post out
// and then loses its answer (a 503 after storing, or a dropped connection): the Web API client
// must not repeat it by itself, and the next attempt must find the message by its metadata and
// record it instead of posting again. The app's other calls keep their retries (2 here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXero } from '../../dev/fake-xero-api.ts';
import { escalationFormValues } from '../../dev/slack-requests.ts';
import { jobName as postPendingJob } from '../../src/jobs/post-pending-escalations.ts';
import * as sweep from '../../src/jobs/sweep-connection-health.ts';
import { alertMetadataType, buildAlertMessage } from '../../src/slack/blocks/health-blocks.ts';
import { encodeModalOrigin } from '../../src/slack/blocks/escalation-blocks.ts';
import { escalationEventTypes } from '../../src/slack/escalation-publisher.ts';
import { viewIds } from '../../src/slack/ids.ts';
import { postLeaseMs } from '../../src/support/escalate.ts';
import { alertPostLeaseMs } from '../../src/support/health-alerts.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { newKey } from '../db/test-databases.ts';
import { consentAndStore, redirectUri } from '../support/xero-health-fixture.ts';
import { settle, startTestApp, supportChannel, type TestApp } from './test-app.ts';

const alertsChannel = 'C0ALERTS02';
let xero: FakeXero;
let t: TestApp;
let dir: string;
let offsetMs = 0;
const later = (ms: number) => (offsetMs += ms);

beforeAll(async () => {
  xero = await FakeXero.start({ redirectUris: [redirectUri], organisations: [{ name: 'Demo Co' }, { name: 'Second Co' }] });
  dir = mkdtempSync(join(tmpdir(), 'concierge-once-'));
  t = await startTestApp({
    env: {
      DATABASE_URL: `file:${join(dir, 'once.db')}`,
      CONCIERGE_ENCRYPTION_KEY: newKey(),
      XERO_CLIENT_ID: xero.clientId,
      XERO_CLIENT_SECRET: xero.clientSecret,
      XERO_REDIRECT_URI: redirectUri,
      XERO_IDENTITY_URL: xero.identityUrl,
      XERO_API_URL: xero.apiUrl,
      ALERTS_CHANNEL_ID: alertsChannel,
    },
    now: () => new Date(Date.now() + offsetMs),
    // Slack's clock moves with the app's, as in life.
    fake: { now: () => Date.now() + offsetMs },
  });
  const gateway = new XeroNodeGateway({ clientId: xero.clientId, clientSecret: xero.clientSecret, redirectUri, identityUrl: xero.identityUrl, apiUrl: xero.apiUrl, timeoutMs: 2_000 });
  await consentAndStore(xero, gateway, t.app.db, t.fake.teamId);
  await t.app.jobs[sweep.jobName]!();
});

afterAll(async () => {
  await t?.close();
  await xero?.close();
  rmSync(dir, { recursive: true, force: true });
});

const alertsFor = (tenantName: string) =>
  t.fake.messagesIn(alertsChannel).filter((m) => m.metadata?.event_type === alertMetadataType && String(m.text).includes(tenantName));

async function breakConnection(tenantName: string): Promise<string> {
  const connection = xero.connectionsOf().find((c) => c.tenantName === tenantName)!;
  xero.revokeConnection(connection.id);
  return (await t.app.db.connections.listByTeam(t.fake.teamId)).find((c) => c.tenantName === tenantName)!.id;
}

describe('health alerts whose post outcome is unknown', () => {
  it('answer lost after Slack stored the alert: one alert in the channel, found and recorded, never reposted', async () => {
    const connectionId = await breakConnection('Demo Co');
    t.fake.failNext('chat.postMessage', { answerLost: 'status' });
    await t.app.jobs[sweep.jobName]!();
    // The client did not repeat the post: one request, one message.
    expect(t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === alertsChannel)).toHaveLength(1);
    expect(alertsFor('Demo Co')).toHaveLength(1);
    const pending = await t.app.db.healthAlerts.latest(`conn:${connectionId}`);
    expect(pending).toMatchObject({ kind: 'connection_broken', postedAt: null });

    // While the attempt's claim lasts, nobody touches it; afterwards it is looked up and recorded.
    await t.app.jobs[sweep.jobName]!();
    later(alertPostLeaseMs + 1_000);
    await t.app.jobs[sweep.jobName]!();
    later(alertPostLeaseMs + 1_000);
    await t.app.jobs[sweep.jobName]!();
    const [message] = alertsFor('Demo Co');
    expect(alertsFor('Demo Co')).toHaveLength(1);
    expect(await t.app.db.healthAlerts.latest(`conn:${connectionId}`)).toMatchObject({ id: pending!.id, message: { channelId: alertsChannel, ts: message!.ts } });
    expect(t.logs.some((l) => l.includes('looked for a health alert') && l.includes('"found":true'))).toBe(true);
  });

  it('connection dropped before Slack stored it: looked up, not found, posted exactly once', async () => {
    const connectionId = await breakConnection('Second Co');
    t.fake.failNext('chat.postMessage', { status: 503 });
    await t.app.jobs[sweep.jobName]!();
    expect(alertsFor('Second Co')).toHaveLength(0);
    later(alertPostLeaseMs + 1_000);
    await t.app.jobs[sweep.jobName]!();
    later(alertPostLeaseMs + 1_000);
    await t.app.jobs[sweep.jobName]!();
    expect(alertsFor('Second Co')).toHaveLength(1);
    const alert = await t.app.db.healthAlerts.latest(`conn:${connectionId}`);
    expect(alert!.message?.ts).toBe(alertsFor('Second Co')[0]!.ts);
    expect(buildAlertMessage(alert!, { now: new Date(), getArticle: () => undefined }).metadata.event_payload.alert_id).toBe(alert!.id);
  });
});

describe('the Web API client does not repeat once-only posts', () => {
  it('a triage post whose answer is lost after storing: one request, then found and recorded, one message', async () => {
    const error = `Invoice INV-LOST: XERO11 ${Date.now()}`;
    t.fake.failNext('chat.postMessage', { answerLost: 'reset' });
    await t.slack.viewSubmission(viewIds.escalationModal, escalationFormValues({ error, when: new Date(Date.now() + offsetMs) }), encodeModalOrigin({ channelId: 'C0CHAN0001', threadTs: null, articleId: null }));
    await settle(t.app);
    const triage = () => t.fake.messagesIn(supportChannel).filter((m) => m.metadata?.event_type === escalationEventTypes.triage && String(m.text).includes('INV-LOST'));
    expect(t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === supportChannel && String(c.params.text).includes('INV-LOST'))).toHaveLength(1);
    expect(triage()).toHaveLength(1);
    const [stored] = await t.app.db.escalations.listByReporter(t.fake.teamId, 'U0USER0001', { limit: 1 });
    expect(stored).toMatchObject({ errorText: error, postedAt: null });

    later(postLeaseMs + 1_000);
    expect(await t.app.jobs[postPendingJob]!()).toEqual({ attempted: 1, posted: 1 });
    expect(triage()).toHaveLength(1);
    expect((await t.app.db.escalations.get(stored!.id))!.triageMessage).toEqual({ channelId: supportChannel, ts: triage()[0]!.ts });
  });

  it('other calls still retry: a 503 on an answer in a thread is repeated', async () => {
    t.fake.failNext('chat.postMessage', { status: 503 });
    await t.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11', ts: '1700009000.000100', channel: 'C0RETRY001' });
    await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'C0RETRY001').length === 2);
    await settle(t.app);
    expect(t.fake.messagesIn('C0RETRY001')).toHaveLength(1);
  });
});
