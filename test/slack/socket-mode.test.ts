// Socket Mode over a loopback WebSocket: the app opens the connection with its app token, then
// answers events and slash commands that arrive as envelopes, acknowledging each over the socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIds } from '../../src/slack/ids.ts';
import { startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { SLACK_APP_TOKEN: 'xapp-1-A0APP00001-test-app-token', SLACK_SIGNING_SECRET: '' } });
});
afterAll(async () => {
  await t?.close();
});

describe('Socket Mode', () => {
  it('connects with the app token and still serves /healthz on PORT', async () => {
    const open = t.fake.callsOf('apps.connections.open')[0];
    expect(open?.token).toBe('xapp-1-A0APP00001-test-app-token');
    expect(t.fake.socketConnections).toBe(1);
    expect(t.app.config.slack.mode).toBe('socket');
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    // Slack's HTTP endpoint is not served in Socket Mode.
    expect((await t.slack.event({ type: 'app_mention', text: 'x', ts: '1', channel: 'C1' })).status).toBe(404);
  });

  it('answers a mention that arrives over the socket, in its thread', async () => {
    const envelope = t.slack.eventEnvelope({ type: 'app_mention', user: 'U0USER0001', text: '<@U0BOT00001> XERO11 on my report', ts: '1700003000.000100', channel: 'C0SOCKET01' });
    await t.fake.sendEnvelope('events_api', envelope);
    const reply = await t.fake.waitFor(() => t.fake.callsOf('chat.postMessage').find((c) => c.params.channel === 'C0SOCKET01'));
    expect(reply.params.thread_ts).toBe('1700003000.000100');
    expect(JSON.stringify(reply.params.blocks)).toContain('XERO11');
  });

  it('returns a slash command answer in the socket acknowledgement', async () => {
    const ack = (await t.fake.sendEnvelope('slash_commands', t.slack.commandFields('XERO11'))) as { response_type: string; blocks: unknown[] };
    expect(ack.response_type).toBe('ephemeral');
    expect(JSON.stringify(ack.blocks)).toContain(actionIds.shareAnswer);
  });

  it('acknowledges a malformed payload over the socket, with a warning saying why, instead of failing', async () => {
    const since = t.logs.length;
    await t.fake.sendEnvelope('interactive', { type: 'block_actions', team: { id: t.fake.teamId }, actions: null }, 2_000);
    const warned = t.logs.slice(since).map((line) => JSON.parse(line) as { level: number; code?: string; reason?: string });
    expect(warned.find((l) => l.level === 40 && l.code === 'slack_payload_malformed')?.reason).toContain('user');
  });

  it('disconnects on stop', async () => {
    await t.app.slack!.stop();
    await t.fake.waitFor(() => t.fake.socketConnections === 0, 3_000, 'the socket to close');
  });
});
