// checkConnection through the real xero-node adapter against the fake Xero, on a real SQLite
// database: every way the fake can break gives its verdict, article and fix, and is stored.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnection, storedHealth } from '../../src/support/check-connection.ts';
import { refreshingAccess, startHealthFixture, type HealthFixture } from './xero-health-fixture.ts';

let f: HealthFixture | undefined;

afterEach(async () => {
  if (f) {
    // Nothing went anywhere the fake does not fake.
    expect(f.fake.unexpected).toEqual([]);
    await f.close();
  }
  f = undefined;
});

describe('checkConnection against the fake Xero', () => {
  it('a healthy connection: listed, organisation ACTIVE, headroom and export counts, stored', async () => {
    f = await startHealthFixture();
    const id = f.ids['Demo Co']!;
    await f.db.failedSyncs.create({ slackTeamId: 'T0TEAM0001', connectionId: id, externalReference: 'R1', kind: 'bill', payload: {}, errorMessage: 'XERO11' });
    const report = await checkConnection(f.deps(), id);
    expect(report).toMatchObject({
      verdict: 'healthy',
      articleId: null,
      reconnect: false,
      broken: false,
      tokenState: 'valid',
      listed: true,
      organisation: { name: 'Demo Co', status: 'ACTIVE', subscriptionClass: 'STANDARD', isDemoCompany: false },
      headroom: { minuteRemaining: 59, dayRemaining: 4999, appMinuteRemaining: 9999 },
      exports: { failed: 1, queued: 0 },
      connectedByXeroEmail: 'finance@demo.example',
    });
    const stored = await f.db.connections.get(id);
    expect(stored).toMatchObject({ status: 'connected', healthVerdict: 'healthy' });
    expect(storedHealth(stored!)).toMatchObject({ verdict: 'healthy', headroom: { minuteRemaining: 59 }, checkedAt: report!.checkedAt });
    // One token set, one /connections, one Organisation call per check.
    expect(f.fake.calls.filter((c) => c.route === 'connections' || c.route === 'organisation').map((c) => c.route)).toEqual(['connections', 'connections', 'organisation']);
  });

  it('an organisation disconnected in Xero: NOT_CONNECTED, reconnect is the fix', async () => {
    f = await startHealthFixture();
    const demo = f.fake.connectionsOf().find((c) => c.tenantName === 'Demo Co')!;
    f.fake.revokeConnection(demo.id);
    const report = await checkConnection(f.deps(), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'not_connected', articleId: 'NOT_CONNECTED', reconnect: true, broken: true, listed: false, status: 'disconnected' });
    // The other organisation of the same consent still works.
    expect(await checkConnection(f.deps(), f.ids['Second Co']!)).toMatchObject({ verdict: 'healthy' });
  });

  it('revoked tokens: the unexpired access token is refused, one refresh meets invalid_grant, XERO11, every tenant needs reconnecting', async () => {
    f = await startHealthFixture();
    const { authEventId } = f.fake.connectionsOf()[0]!;
    f.fake.revokeTokens(authEventId);
    const report = await checkConnection(f.deps(), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'authorisation_expired', articleId: 'XERO11', reconnect: true, broken: true, tokenState: 'refresh_failed', status: 'needs_reconnect' });
    // The set is rejected, so its owner is owed one reconnect link, and the other tenant needs it too.
    const connection = await f.db.connections.get(f.ids['Second Co']!);
    expect(connection).toMatchObject({ status: 'needs_reconnect' });
    expect((await f.db.tokenSets.get(connection!.tokenSetId))!.rejectedAt).toBeInstanceOf(Date);
    expect((await f.db.tokenSets.listAwaitingReconnectNotice()).map((s) => s.id)).toEqual([connection!.tokenSetId]);
    expect(f.fake.callsTo('token').filter((c) => c.grantType === 'refresh_token').map((c) => c.status)).toEqual([400]);
  });

  it('an aged-out token set: the refresh is refused, XERO11, reconnect', async () => {
    f = await startHealthFixture();
    f.fake.ageOut(f.fake.connectionsOf()[0]!.authEventId);
    const report = await checkConnection(f.deps({ access: refreshingAccess(f.db, f.gateway) }), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'authorisation_expired', articleId: 'XERO11', reconnect: true, tokenState: 'refresh_failed', status: 'needs_reconnect' });
  });

  it('an inactive (read-only) organisation: ORG_SUBSCRIPTION_INACTIVE, reconnecting would not help', async () => {
    f = await startHealthFixture();
    const tenantId = f.fake.organisationList.find((o) => o.name === 'Demo Co')!.tenantId;
    f.fake.setOrganisation(tenantId, { status: 'SUSPENDED', readOnly: true });
    const report = await checkConnection(f.deps(), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'organisation_inactive', articleId: 'ORG_SUBSCRIPTION_INACTIVE', reconnect: false, broken: true, organisation: { status: 'SUSPENDED' } });
  });

  it('a 503 outage: XERO_OUTAGE, and the stored status stays what it was', async () => {
    f = await startHealthFixture();
    f.fake.unavailable(60_000);
    const report = await checkConnection(f.deps(), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'xero_unavailable', articleId: 'XERO_OUTAGE', reconnect: false, broken: false, problem: 'xero_unavailable' });
    expect(await f.db.connections.get(f.ids['Demo Co']!)).toMatchObject({ status: 'connected', healthVerdict: 'xero_unavailable' });
  });

  it('a stalled Xero: the call times out and the check ends with XERO_OUTAGE', async () => {
    f = await startHealthFixture({}, 300);
    f.fake.stallNext(5, 2_000);
    const report = await checkConnection(f.deps(), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'xero_unavailable', articleId: 'XERO_OUTAGE', problem: 'timeout' });
  });

  it('the whole check has a budget on top of each call', async () => {
    f = await startHealthFixture({}, 5_000);
    f.fake.stallNext(5, 2_000);
    const report = await checkConnection(f.deps({ timeoutMs: 200 }), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'xero_unavailable', problem: 'timeout' });
  });

  it("Xero's rate limit (429): RATE_LIMITED with the headroom Xero reported", async () => {
    f = await startHealthFixture({ limits: { minute: 1 } });
    expect(await checkConnection(f.deps(), f.ids['Demo Co']!)).toMatchObject({ verdict: 'healthy', headroom: { minuteRemaining: 0 } });
    const report = await checkConnection(f.deps(), f.ids['Demo Co']!);
    expect(report).toMatchObject({ verdict: 'rate_limited', articleId: 'RATE_LIMITED', reconnect: false, broken: false, problem: 'rate_limited', headroom: { minuteRemaining: 0 } });
  });
});
