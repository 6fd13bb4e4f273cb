// Connection health in Slack with everything real: two app instances on one SQLite file, the
// real xero-node adapter against the fake Xero, the fake Slack. /concierge status checks live,
// answers about connection problems lead with the live verdict, and each health transition is
// posted to the alerts channel exactly once however many instances sweep.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXero } from '../../dev/fake-xero-api.ts';
import * as sweep from '../../src/jobs/sweep-connection-health.ts';
import { alertMetadataType } from '../../src/slack/blocks/health-blocks.ts';
import { actionIds } from '../../src/slack/ids.ts';
import { alertText, healthText } from '../../src/slack/user-text.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { newKey } from '../db/test-databases.ts';
import { consentAndStore, redirectUri } from '../support/xero-health-fixture.ts';
import { blocksText, settle, startTestApp, type TestApp } from './test-app.ts';

const alertsChannel = 'C0ALERTS01';
let xero: FakeXero;
let gateway: XeroNodeGateway;
let a: TestApp;
let b: TestApp;
let dir: string;

beforeAll(async () => {
  xero = await FakeXero.start({ redirectUris: [redirectUri], organisations: [{ name: 'Demo Co' }, { name: 'Second Co' }] });
  gateway = new XeroNodeGateway({ clientId: xero.clientId, clientSecret: xero.clientSecret, redirectUri, identityUrl: xero.identityUrl, apiUrl: xero.apiUrl, timeoutMs: 2_000 });
  dir = mkdtempSync(join(tmpdir(), 'concierge-health-'));
  const env = {
    DATABASE_URL: `file:${join(dir, 'shared.db')}`,
    CONCIERGE_ENCRYPTION_KEY: newKey(),
    XERO_CLIENT_ID: xero.clientId,
    XERO_CLIENT_SECRET: xero.clientSecret,
    XERO_REDIRECT_URI: redirectUri,
    XERO_IDENTITY_URL: xero.identityUrl,
    XERO_API_URL: xero.apiUrl,
    ALERTS_CHANNEL_ID: alertsChannel,
  };
  a = await startTestApp({ env });
  b = await startTestApp({ env });
});

afterAll(async () => {
  expect(xero.unexpected).toEqual([]);
  await a?.close();
  await b?.close();
  await xero?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function postedTo(t: TestApp, channel: string) {
  const posts = () => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
  return t.fake.waitFor(() => posts().length && posts());
}

const alertPosts = () =>
  [...a.fake.callsOf('chat.postMessage'), ...b.fake.callsOf('chat.postMessage')].filter((c) => c.params.channel === alertsChannel);

/** Both instances sweep at the same moment, as two bots on one database would. */
async function sweepBoth() {
  return Promise.all([a.app.jobs[sweep.jobName]!(), b.app.jobs[sweep.jobName]!()]);
}

async function statusReply(t: TestApp) {
  const { responseId } = await t.slack.command('status');
  const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
  return reply!;
}

describe('connection health in Slack', () => {
  it('status before any connection says so, with nothing to check', async () => {
    const reply = await statusReply(a);
    expect(blocksText(reply.blocks)).toContain('No Xero organisations are connected');
    expect(blocksText(reply.blocks)).not.toContain(actionIds.checkConnection);
  });

  it('connects, sweeps healthy on both instances: no alert for a connection that was never broken', async () => {
    await consentAndStore(xero, gateway, a.app.db, a.fake.teamId);
    const results = await sweepBoth();
    expect(results.map((r) => (r as sweep.SweepResult).checked)).toEqual([2, 2]);
    expect(alertPosts()).toEqual([]);
  });

  it('status checks live: verdict, how old, headroom, and a Check connection button', async () => {
    const before = xero.callsTo('organisation').length;
    const reply = await statusReply(a);
    const shown = blocksText(reply.blocks);
    expect(xero.callsTo('organisation').length).toBe(before + 2);
    expect(shown).toContain('Your connection to *Demo Co* is working.');
    expect(shown).toContain('checked just now');
    expect(shown).toContain('Xero calls left');
    expect(shown).toContain(actionIds.checkConnection);
    expect(shown).not.toContain(actionIds.reconnect);
  });

  it('a revoked organisation: status names it, who connected it, what to do, and offers Reconnect', async () => {
    xero.revokeConnection(xero.connectionsOf().find((c) => c.tenantName === 'Demo Co')!.id);
    const reply = await statusReply(b);
    const shown = blocksText(reply.blocks);
    expect(shown).toContain('Xero no longer lists *Demo Co* as connected');
    expect(shown).toContain('Connected by <@U0CONNECT1>');
    expect(shown).toContain('*What to do*');
    expect(shown).toContain(actionIds.reconnect);
    expect(shown).toContain('Your connection to *Second Co* is working.');
  });

  it('the Check connection button runs a live check too', async () => {
    const before = xero.callsTo('connections').length;
    await a.slack.button(actionIds.checkConnection, 'all');
    await settle(a.app);
    expect(xero.callsTo('connections').length).toBeGreaterThan(before);
  });

  it('the broken transition is posted once across both instances, with the alert id as metadata', async () => {
    await sweepBoth();
    await sweepBoth();
    const posts = alertPosts();
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.params.text)).toContain(alertText.connection_broken({ tenantName: 'Demo Co', connectedBySlackUserId: 'U0CONNECT1' }).slice(0, 40));
    const metadata = (typeof posts[0]!.params.metadata === 'string' ? JSON.parse(posts[0]!.params.metadata) : posts[0]!.params.metadata) as { event_type: string; event_payload: { alert_id: string } };
    expect(metadata.event_type).toBe(alertMetadataType);
    const [stored] = await a.app.db.healthAlerts.listUnconfirmed(new Date(Date.now() + 60_000));
    expect(stored).toBeUndefined();
    expect(await a.app.db.healthAlerts.latest(`conn:${(await a.app.db.connections.listByTeam(a.fake.teamId)).find((c) => c.tenantName === 'Demo Co')!.id}`)).toMatchObject({
      id: metadata.event_payload.alert_id,
      kind: 'connection_broken',
      message: { channelId: alertsChannel },
    });
  });

  it('an answer to XERO11 leads with the live verdict naming the organisation and the problem', async () => {
    await a.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11 on my report', ts: '1700000200.000100', channel: 'C0MENTION9' });
    const [answer] = await postedTo(a, 'C0MENTION9');
    const shown = blocksText(answer!.params.blocks);
    expect(shown.indexOf(healthText.liveTitle)).toBeLessThan(shown.indexOf('XERO11: the connection to Xero has expired'));
    expect(shown).toContain('Xero no longer lists *Demo Co* as connected');
    expect(shown).toContain('Connected by <@U0CONNECT1>');
    expect(shown).toContain('The live check points to a different cause');
  });

  it('a question that needs no Xero data makes no Xero call', async () => {
    const before = xero.calls.length;
    await a.slack.event({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> invalid tax rate on my invoice', ts: '1700000201.000100', channel: 'C0MENTIONA' });
    const [answer] = await postedTo(a, 'C0MENTIONA');
    expect(blocksText(answer!.params.blocks)).not.toContain(healthText.liveTitle);
    expect(xero.calls.length).toBe(before);
  });

  it('reconnected: the healthy transition is posted once', async () => {
    await consentAndStore(xero, gateway, b.app.db, a.fake.teamId);
    await sweepBoth();
    await sweepBoth();
    const posts = alertPosts();
    expect(posts).toHaveLength(2);
    expect(String(posts[1]!.params.text)).toContain('connection healthy again');
  });

  it('Xero unreachable for every connection: one alert, and one when it answers again', async () => {
    xero.unavailable(10 * 60_000);
    await sweepBoth();
    await sweepBoth();
    expect(alertPosts().map((c) => String(c.params.text)).filter((t) => t.includes('unreachable'))).toHaveLength(1);
    xero.unavailable(0);
    await sweepBoth();
    expect(alertPosts().map((c) => String(c.params.text)).filter((t) => t.includes('Xero is answering again'))).toHaveLength(1);
    expect(alertPosts()).toHaveLength(4);
  });
});
