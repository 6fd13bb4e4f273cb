// `/concierge` over signed slash-command requests: what comes back in the acknowledgement, what
// goes to response_url, and who may do what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIds } from '../../src/slack/ids.ts';
import { failedSyncErrorText, text, usageText } from '../../src/slack/user-text.ts';
import { addConnection, adminUser, groupAdmin, settle, startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  const teamId = t.fake.teamId;
  await addConnection(t, { id: 'tenant-a', name: 'Acme Ltd', connectionId: 'conn-a' });
  const [conn] = await t.app.db.connections.listByTeam(teamId);
  await t.app.db.connections.updateHealth(conn!.id, { status: 'needs_reconnect', reason: 'refresh token expired' });
});
afterAll(async () => {
  await t?.close();
});

async function commandJson(textArg: string, overrides: Record<string, string> = {}) {
  const sent = await t.slack.command(textArg, overrides);
  expect(sent.response.status).toBe(200);
  const body = await sent.response.text();
  return { ...sent, body: body ? (JSON.parse(body) as { response_type?: string; text?: string; blocks?: unknown[] }) : null };
}

describe('answers inside the acknowledgement', () => {
  it('help lists every subcommand, privately', async () => {
    const { body } = await commandJson('help');
    expect(body?.response_type).toBe('ephemeral');
    expect(body?.text).toBe(usageText.usage);
  });

  it('a code or question gets the answer, ephemeral, with Share in channel', async () => {
    const { body } = await commandJson('XERO11 on my report');
    expect(body?.response_type).toBe('ephemeral');
    const blocks = JSON.stringify(body?.blocks);
    expect(blocks).toContain('XERO11: the connection to Xero has expired');
    expect(blocks).toContain(actionIds.shareAnswer);
    expect(blocks).toContain(text.shareInChannel);
  });

  it('an unknown subcommand or bad arguments get a short usage message', async () => {
    expect((await commandJson('stauts')).body?.text).toBe(usageText.unknownSubcommand('stauts', 'status'));
    expect((await commandJson('retry')).body?.text).toBe(usageText.badArguments(usageText.retryNeedsTarget));
    expect((await commandJson('retry one two')).body?.text).toBe(usageText.badArguments(usageText.retryOneTarget));
    expect((await commandJson('status please')).body?.text).toBe(usageText.badArguments(usageText.noArguments('status')));
    expect((await commandJson('retry <script>')).body?.text).toBe(usageText.badArguments(usageText.badId));
  });

  it('answers a command this app does not declare with the usage', async () => {
    const { body } = await commandJson('', { command: '/weather' });
    expect(body?.text).toBe(usageText.usage);
  });

  it('makes no Web API call for answers it can give at once', async () => {
    const before = t.fake.calls.length;
    await commandJson('XERO11');
    await commandJson('help');
    await settle(t.app);
    expect(t.fake.calls.slice(before)).toEqual([]);
  });
});

describe('answers through response_url', () => {
  it('status shows the stored health of this workspace connections', async () => {
    const { body, responseId } = await commandJson('status');
    expect(body).toBeNull();
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.response_type).toBe('ephemeral');
    const shown = JSON.stringify(reply!.blocks);
    expect(shown).toContain('Acme Ltd');
    expect(shown).toContain('Needs reconnecting');
    expect(shown).toContain('refresh token expired');
  });

  it('errors lists failed syncs newest first with Archive, and no Retry without Xero to re-send them', async () => {
    const db = t.app.db;
    await db.failedSyncs.create({ slackTeamId: t.fake.teamId, externalReference: 'Old report', kind: 'bill', payload: {}, errorMessage: 'Account code 999 is not valid', occurredAt: new Date('2025-01-01T10:00:00Z') });
    await db.failedSyncs.create({ slackTeamId: t.fake.teamId, externalReference: 'New report', kind: 'invoice', payload: {}, errorMessage: 'Contact is archived', occurredAt: new Date('2025-02-01T10:00:00Z') });
    const { responseId } = await commandJson('errors');
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    const shown = JSON.stringify(reply!.blocks);
    expect(shown.indexOf('New report')).toBeGreaterThan(-1);
    expect(shown.indexOf('New report')).toBeLessThan(shown.indexOf('Old report'));
    expect(shown).toContain(actionIds.archiveSync);
    expect(shown).not.toContain(actionIds.retrySync);
    expect(shown).not.toContain(actionIds.retryAllSyncs);
  });

  it('retry is refused to non-admins, with an audit event', async () => {
    const { responseId } = await commandJson('retry all');
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.text).toBe(text.notAuthorized);
    const audit = await t.app.db.audit.list({ action: 'failed_sync.retry' });
    expect(audit[0]).toMatchObject({ actor: 'U0USER0001', target: 'all', details: { outcome: 'denied' } });
  });

  it('retry without Xero configured tells an admin why and queues nothing (nothing would ever send it)', async () => {
    const { responseId } = await commandJson('retry all', { user_id: adminUser });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.text).toBe(failedSyncErrorText.xero_not_configured);
    expect(await t.app.db.failedSyncs.listByTeam(t.fake.teamId, { status: 'queued' })).toEqual([]);
    expect(t.fake.messagesIn('C0CHAN0001').filter((m) => m.text?.startsWith('Retrying failed exports:'))).toEqual([]);
  });

  it('members of the admin user group count as admins', async () => {
    const { responseId } = await commandJson('retry 00000000-0000-0000-0000-000000000000', { user_id: groupAdmin });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.text).toBe(failedSyncErrorText.xero_not_configured);
    expect(t.fake.callsOf('usergroups.users.list').length).toBeGreaterThan(0);
  });

  it('reconnect says plainly that Xero is not configured when it has no credentials, and only to admins', async () => {
    const asUser = await commandJson('reconnect');
    const [refused] = await t.fake.waitFor(() => t.fake.responsesTo(asUser.responseId).length && t.fake.responsesTo(asUser.responseId));
    expect(refused!.text).toBe(text.notAuthorized);
    const asAdmin = await commandJson('reconnect', { user_id: adminUser });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(asAdmin.responseId).length && t.fake.responsesTo(asAdmin.responseId));
    expect(reply!.text).toBe(text.xeroNotConfigured);
    const audit = await t.app.db.audit.list({ action: 'xero.reconnect' });
    expect(audit.map((a) => a.details.outcome)).toEqual(['failed', 'denied']);
  });
});
