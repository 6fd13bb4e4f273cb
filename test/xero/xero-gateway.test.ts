// The xero-node adapter, driven through the real xero-node and openid-client against the fake
// Xero on loopback: consent, code exchange, connections, organisation, refresh with rotation and
// grace, and every way Xero fails, each arriving as one XeroError code.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeXero, type FakeXeroOptions } from '../../dev/fake-xero-api.ts';
import { XeroError, type XeroTokenSet } from '../../src/support/xero-gateway.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';

const redirectUri = 'http://localhost:3000/xero/callback';
let fakes: FakeXero[] = [];

afterEach(async () => {
  for (const fake of fakes) {
    // Nothing the adapter sent went anywhere the fake does not fake.
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  }
  fakes = [];
});

async function setUp(options: FakeXeroOptions = {}, timeoutMs = 2_000) {
  const fake = await FakeXero.start({ redirectUris: [redirectUri], organisations: [{ name: 'Demo Co' }, { name: 'Second Co' }], ...options });
  fakes.push(fake);
  const gateway = new XeroNodeGateway({ clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri, identityUrl: fake.identityUrl, apiUrl: fake.apiUrl, timeoutMs });
  return { fake, gateway };
}

/** What the browser does with the consent URL: follow it and read the redirect back. */
async function consent(gateway: XeroNodeGateway, state = 'state-123'): Promise<URL> {
  const response = await fetch(await gateway.consentUrl(state), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

async function connect(gateway: XeroNodeGateway): Promise<XeroTokenSet> {
  const back = await consent(gateway);
  return gateway.exchangeCode({ code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' });
}

async function failure(promise: Promise<unknown>): Promise<XeroError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(XeroError);
    return error as XeroError;
  }
  throw new Error('expected the call to fail');
}

describe('XeroNodeGateway against the fake Xero', () => {
  it('connects: consent URL, authorize, code exchange, connections, organisation with headroom', async () => {
    const { fake, gateway } = await setUp();
    const url = new URL(await gateway.consentUrl('state-123'));
    expect(url.origin + url.pathname).toBe(`${fake.identityUrl}/connect/authorize`);
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access', 'accounting.transactions', 'accounting.settings']));
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);

    const back = await consent(gateway, 'state-123');
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('state-123');
    const tokens = await gateway.exchangeCode({ code: back.searchParams.get('code') ?? '', state: 'state-123' });
    expect(tokens.scopes).toContain('offline_access');
    expect(tokens.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(gateway.identityOf(tokens)).toMatchObject({ email: 'finance@demo.example', name: 'Dana Demo' });

    const connections = await gateway.listConnections(tokens.accessToken);
    expect(connections.map((c) => c.tenantName).sort()).toEqual(['Demo Co', 'Second Co']);
    // One consent, one authorization: both tenants share its authEventId.
    expect(new Set(connections.map((c) => c.authEventId)).size).toBe(1);
    expect(connections[0]!.createdAt).toBeInstanceOf(Date);

    const demo = connections.find((c) => c.tenantName === 'Demo Co')!;
    const { organisation, headroom } = await gateway.getOrganisation(tokens.accessToken, demo.tenantId);
    expect(organisation).toMatchObject({ organisationId: demo.tenantId, name: 'Demo Co', status: 'ACTIVE', subscriptionClass: 'STANDARD', countryCode: 'NZ' });
    expect(headroom).toEqual({ minuteRemaining: 59, dayRemaining: 4999, appMinuteRemaining: 9999 });

    // The fake saw the whole conversation, in order (the JWKS fetch comes with the first id_token).
    expect(fake.calls.map((c) => c.route)).toEqual(['authorize', 'token', 'jwks', 'connections', 'organisation']);
  });

  it('covers only the tenants the user picked, and says so when the user declines', async () => {
    const { fake, gateway } = await setUp();
    fake.setConsent({ tenantIds: [fake.organisationList[1]!.tenantId] });
    const tokens = await connect(gateway);
    expect((await gateway.listConnections(tokens.accessToken)).map((c) => c.tenantName)).toEqual(['Second Co']);
    const notPicked = await failure(gateway.getOrganisation(tokens.accessToken, fake.organisationList[0]!.tenantId));
    expect(notPicked.code).toBe('tenant_not_connected');

    fake.setConsent({ decline: true });
    const back = await consent(gateway, 'state-declined');
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'state-declined' });
  });

  it('refuses a used code with code_rejected', async () => {
    const { gateway } = await setUp();
    const back = await consent(gateway);
    const input = { code: back.searchParams.get('code') ?? '', state: 'state-123' };
    await gateway.exchangeCode(input);
    expect((await failure(gateway.exchangeCode(input))).code).toBe('code_rejected');
  });

  it('rotates on refresh; the previous token gives the same new set within the grace window and refresh_rejected after', async () => {
    const { fake, gateway } = await setUp({ graceMs: 30 * 60_000 });
    const first = await connect(gateway);
    const authEventId = fake.authEventOf(first.refreshToken)!;
    const second = await gateway.refresh(first);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(fake.refreshCount(authEventId)).toBe(1);

    fake.advanceTime(29 * 60_000);
    const again = await gateway.refresh(first);
    expect(again).toEqual(second);
    expect(fake.refreshCount(authEventId)).toBe(1);
    expect(fake.graceReplays(authEventId)).toBe(1);
    const tenant = fake.organisationList[0]!.tenantId;
    await expect(gateway.getOrganisation(second.accessToken, tenant)).resolves.toMatchObject({ organisation: { name: 'Demo Co' } });

    fake.advanceTime(2 * 60_000);
    const late = await failure(gateway.refresh(first));
    expect(late.code).toBe('refresh_rejected');
    expect(late.transient).toBe(false);
    // The current token is untouched by the refused one.
    const third = await gateway.refresh(second);
    expect(fake.refreshCount(authEventId)).toBe(2);
    expect(third.refreshToken).not.toBe(second.refreshToken);
  });

  it('answers refresh_rejected for an aged-out, a revoked and a disconnected authorization', async () => {
    const { fake, gateway } = await setUp();
    const aged = await connect(gateway);
    fake.ageOut(fake.authEventOf(aged.refreshToken)!);
    expect((await failure(gateway.refresh(aged))).code).toBe('refresh_rejected');

    const revoked = await connect(gateway);
    fake.revokeTokens(fake.authEventOf(revoked.refreshToken)!);
    expect((await failure(gateway.refresh(revoked))).code).toBe('refresh_rejected');
    expect((await failure(gateway.listConnections(revoked.accessToken))).code).toBe('unauthorized');

    const disconnected = await connect(gateway);
    for (const c of await gateway.listConnections(disconnected.accessToken)) fake.revokeConnection(c.connectionId);
    expect((await failure(gateway.refresh(disconnected))).code).toBe('refresh_rejected');
  });

  it('answers unauthorized once the access token has expired, and a refresh mends it', async () => {
    const { fake, gateway } = await setUp();
    const tokens = await connect(gateway);
    const tenant = fake.organisationList[0]!.tenantId;
    fake.advanceTime(31 * 60_000);
    const expired = await failure(gateway.getOrganisation(tokens.accessToken, tenant));
    expect(expired).toMatchObject({ code: 'unauthorized', details: { status: 401 } });
    const fresh = await gateway.refresh(tokens);
    await expect(gateway.getOrganisation(fresh.accessToken, tenant)).resolves.toBeDefined();
  });

  it('deletes a connection', async () => {
    const { fake, gateway } = await setUp();
    const tokens = await connect(gateway);
    const [first, second] = await gateway.listConnections(tokens.accessToken);
    await gateway.deleteConnection(tokens.accessToken, first!.connectionId);
    expect((await gateway.listConnections(tokens.accessToken)).map((c) => c.connectionId)).toEqual([second!.connectionId]);
    expect((await failure(gateway.deleteConnection(tokens.accessToken, first!.connectionId))).code).toBe('not_found');
    expect(fake.callsTo('delete_connection').map((c) => c.status)).toEqual([204, 404]);
  });

  it('reports each rate limit as rate_limited with the problem and when to retry', async () => {
    const { fake, gateway } = await setUp({ limits: { minute: 2, day: 3 } });
    const tokens = await connect(gateway);
    const [demo, second] = fake.organisationList;
    expect((await gateway.getOrganisation(tokens.accessToken, demo!.tenantId)).headroom.minuteRemaining).toBe(1);
    await gateway.getOrganisation(tokens.accessToken, demo!.tenantId);
    const minute = await failure(gateway.getOrganisation(tokens.accessToken, demo!.tenantId));
    expect(minute).toMatchObject({ code: 'rate_limited', details: { status: 429, problem: 'minute', headroom: { minuteRemaining: 0 } } });
    expect(minute.details.retryAfterMs).toBeGreaterThan(0);
    expect(minute.details.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(minute.transient).toBe(true);
    // The limit is per organisation: the other one still answers.
    await gateway.getOrganisation(tokens.accessToken, second!.tenantId);

    fake.advanceTime(61_000);
    await gateway.getOrganisation(tokens.accessToken, demo!.tenantId);
    const daily = await failure(gateway.getOrganisation(tokens.accessToken, demo!.tenantId));
    expect(daily.details).toMatchObject({ problem: 'day', headroom: { dayRemaining: 0 } });
    expect(daily.details.retryAfterMs).toBeGreaterThan(60_000);
  });

  it('reports the app-wide minute limit as problem app', async () => {
    const { fake, gateway } = await setUp({ limits: { appMinute: 1 } });
    const tokens = await connect(gateway);
    const [demo, second] = fake.organisationList;
    await gateway.getOrganisation(tokens.accessToken, demo!.tenantId);
    expect((await failure(gateway.getOrganisation(tokens.accessToken, second!.tenantId))).details.problem).toBe('app');
  });

  it('answers xero_unavailable during an outage, on every kind of call', async () => {
    const { fake, gateway } = await setUp();
    const tokens = await connect(gateway);
    fake.unavailable(60_000);
    const tenant = fake.organisationList[0]!.tenantId;
    for (const call of [() => gateway.getOrganisation(tokens.accessToken, tenant), () => gateway.listConnections(tokens.accessToken), () => gateway.refresh(tokens)]) {
      const error = await failure(call());
      expect(error).toMatchObject({ code: 'xero_unavailable', details: { status: 503 } });
      expect(error.transient).toBe(true);
    }
    fake.unavailable(0);
    await expect(gateway.refresh(tokens)).resolves.toBeDefined();
  });

  it('gives up on a stalled Xero with timeout, on every kind of call', async () => {
    const { fake, gateway } = await setUp({}, 300);
    const tokens = await connect(gateway);
    const tenant = fake.organisationList[0]!.tenantId;
    for (const call of [() => gateway.getOrganisation(tokens.accessToken, tenant), () => gateway.listConnections(tokens.accessToken), () => gateway.refresh(tokens)]) {
      fake.stallNext(1, 1_500);
      expect((await failure(call())).code).toBe('timeout');
    }
  });

  it('after a refresh whose answer was lost, the same refresh token still gets the new set', async () => {
    const { fake, gateway } = await setUp();
    const tokens = await connect(gateway);
    const authEventId = fake.authEventOf(tokens.refreshToken)!;
    fake.loseNextResponse(1, 'token');
    expect((await failure(gateway.refresh(tokens))).code).toBe('xero_unavailable');
    expect(fake.refreshCount(authEventId)).toBe(1);
    const recovered = await gateway.refresh(tokens);
    expect(fake.graceReplays(authEventId)).toBe(1);
    await expect(gateway.listConnections(recovered.accessToken)).resolves.toHaveLength(2);
  });

  it('reports a wrong client secret as client_rejected', async () => {
    const { fake } = await setUp();
    const wrong = new XeroNodeGateway({ clientId: fake.clientId, clientSecret: 'not-the-secret-at-all', redirectUri, identityUrl: fake.identityUrl, apiUrl: fake.apiUrl });
    const back = await consent(wrong);
    expect((await failure(wrong.exchangeCode({ code: back.searchParams.get('code') ?? '', state: 'state-123' }))).code).toBe('client_rejected');
  });

  it('never puts a token into what an error would log', async () => {
    const { fake, gateway } = await setUp({}, 300);
    const tokens = await connect(gateway);
    const tenant = fake.organisationList[0]!.tenantId;
    const errors: XeroError[] = [];
    fake.stallNext(1, 1_000);
    errors.push(await failure(gateway.refresh(tokens)));
    fake.unavailable(60_000);
    errors.push(await failure(gateway.getOrganisation(tokens.accessToken, tenant)), await failure(gateway.listConnections(tokens.accessToken)));
    fake.unavailable(0);
    fake.revokeTokens(fake.authEventOf(tokens.refreshToken)!);
    errors.push(await failure(gateway.refresh(tokens)), await failure(gateway.getOrganisation(tokens.accessToken, tenant)), await failure(gateway.deleteConnection(tokens.accessToken, 'x')));
    expect(errors.map((e) => e.code)).toEqual(['timeout', 'xero_unavailable', 'xero_unavailable', 'refresh_rejected', 'unauthorized', 'unauthorized']);
    for (const error of errors) {
      const logged = JSON.stringify({ ...error, message: error.message, stack: error.stack });
      for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken!, fake.clientSecret]) expect(logged).not.toContain(secret);
    }
  });
});

describe('FakeXero', () => {
  it('refuses a route it does not fake, saying which, and records it as unexpected', async () => {
    const fake = await FakeXero.start();
    const response = await fetch(`${fake.apiUrl}/api.xro/2.0/Journals`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_faked', message: expect.stringContaining('GET /api.xro/2.0/Journals') });
    expect(fake.unexpected.map((c) => c.path)).toEqual(['/api.xro/2.0/Journals']);
    await fake.close();
  });

  it('takes its controls over HTTP', async () => {
    const fake = await FakeXero.start({ organisations: [{ name: 'Demo Co' }] });
    const post = (name: string, body: unknown) => fetch(`${fake.identityUrl}/_fake/${name}`, { method: 'POST', body: JSON.stringify(body) });
    const tenantId = fake.organisationList[0]!.tenantId;
    expect((await post('organisation', { tenantId, status: 'INACTIVE' })).status).toBe(200);
    expect(fake.organisationList[0]!.status).toBe('INACTIVE');
    expect((await post('outage', { ms: 1000 })).status).toBe(200);
    expect(((await (await fetch(`${fake.identityUrl}/_fake/state`)).json()) as { outage: boolean }).outage).toBe(true);
    const bad = await post('stall', { count: 1 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: '"ms" (a number, 0 or more) is required' });
    expect((await post('age-out', { authEventId: 'nope' })).status).toBe(404);
    await fake.close();
  });
});
