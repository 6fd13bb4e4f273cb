// POST /api/sync-failures through the whole app on a real port, with fetch, as a finance product calls it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addConnection, startTestApp, type TestApp } from './test-app.ts';

const apiKey = 'test-intake-key-0123456789abcdef0123456789';
let t: TestApp;

function failure(overrides: Record<string, unknown> = {}) {
  return {
    slackTeamId: t.fake.teamId,
    tenantId: 'tenant-demo',
    kind: 'invoice',
    reference: 'INV-1001',
    payload: { Type: 'ACCREC', Contact: { Name: 'Acme' }, LineItems: [{ AccountCode: '999', UnitAmount: 10 }] },
    error: {
      message: 'Xero refused the invoice',
      xeroBody: { ErrorNumber: 10, Type: 'ValidationException', Elements: [{ ValidationErrors: [{ Message: "Account code '999' is not a valid code for this document." }] }] },
    },
    occurredAt: '2026-11-30T09:15:00Z',
    ...overrides,
  };
}

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${t.baseUrl}/api/sync-failures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const stored = () => t.app.db.failedSyncs.listByTeam(t.fake.teamId, { limit: 5000 });

beforeAll(async () => {
  t = await startTestApp({ env: { CONCIERGE_API_KEY: apiKey } });
  await addConnection(t, { id: 'tenant-demo', name: 'Demo Company' });
});
afterAll(() => t.close());

describe('POST /api/sync-failures', () => {
  it('refuses a missing or wrong key, storing nothing', async () => {
    const none = await fetch(`${t.baseUrl}/api/sync-failures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(failure()) });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(failure(), { authorization: `Bearer ${apiKey}x` })).status).toBe(401);
    expect((await post(failure(), { authorization: apiKey })).status).toBe(401);
    expect(await stored()).toHaveLength(0);
  });

  it('stores a failure with its article and connection, once however often it is posted', async () => {
    const first = await post(failure());
    expect(first.status).toBe(200);
    const answer = (await first.json()) as { accepted: number; results: { id: string; status: string; errorCode: string; duplicate: boolean }[] };
    expect(answer.accepted).toBe(1);
    expect(answer.results[0]).toMatchObject({ index: 0, status: 'accepted', errorCode: 'INVALID_ACCOUNT_CODE', duplicate: false });

    const again = (await (await post([failure(), failure({ occurredAt: '2026-11-30T09:20:00Z' })])).json()) as typeof answer;
    expect(again.results.map((r) => [r.id, r.duplicate])).toEqual([
      [answer.results[0]!.id, true],
      [answer.results[0]!.id, true],
    ]);

    const rows = await stored();
    expect(rows).toHaveLength(1);
    const connection = await t.app.db.connections.findByTenant(t.fake.teamId, 'tenant-demo');
    expect(rows[0]).toMatchObject({
      externalReference: 'INV-1001',
      kind: 'invoice',
      errorCode: 'INVALID_ACCOUNT_CODE',
      errorMessage: 'Xero refused the invoice',
      validationMessages: ["Account code '999' is not a valid code for this document."],
      connectionId: connection!.id,
      status: 'failed',
      occurredAt: new Date('2026-11-30T09:15:00Z'),
    });
  });

  it('rejects bad records with their reasons and keeps the good neighbours', async () => {
    const response = await post([
      failure({ reference: 'BILL-7', kind: 'bill', error: { message: 'Organisation is not subscribed to currency NZD' } }),
      failure({ kind: 'journal', reference: 'J-1' }),
      failure({ reference: 'PAY-3', kind: 'payment', tenantId: undefined, occurredAt: 'yesterday' }),
      'not a record',
      failure({ reference: 'CN-9', kind: 'credit_note', idempotencyKey: 'client-key-cn-9' }),
    ]);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { accepted: number; rejected: number; results: { index: number; status: string; reason?: string; errorCode?: string }[] };
    expect(answer).toMatchObject({ accepted: 2, rejected: 3 });
    expect(answer.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected', 'accepted']);
    expect(answer.results[0]!.errorCode).toBe('CURRENCY_NOT_ENABLED');
    expect(answer.results[1]!.reason).toMatch(/^kind: .*invoice.*bill.*credit_note.*payment.*bank_transaction.*contact/);
    expect(answer.results[2]!.reason).toContain('occurredAt:');
    expect(answer.results[2]!.reason).toContain('connectionId: give connectionId or tenantId');
    expect(answer.results[3]!.reason).toMatch(/expected object/i);
    const references = (await stored()).map((r) => r.externalReference);
    expect(references).toEqual(expect.arrayContaining(['BILL-7', 'CN-9']));
    expect(references).not.toContain('J-1');
    expect(references).not.toContain('PAY-3');
    const cn = (await stored()).find((r) => r.externalReference === 'CN-9')!;
    expect(cn.idempotencyKey).toBe('client-key-cn-9');
  });

  it("refuses a connectionId of another workspace (or a wrong tenant) with its reason, keeping the neighbours", async () => {
    const own = await t.app.db.connections.findByTenant(t.fake.teamId, 'tenant-demo');
    // Another customer's organisation, connected from a different Slack workspace.
    const otherSet = await t.app.db.tokenSets.create({
      slackTeamId: 'T0OTHER001',
      tokens: { accessToken: 'a', refreshToken: 'r', idToken: undefined, expiresAt: new Date(Date.now() + 1800_000), scopes: [] },
      connectedBySlackUserId: 'U0OTHER001',
    });
    const foreign = await t.app.db.connections.upsert({
      slackTeamId: 'T0OTHER001',
      tenantId: 'tenant-other',
      tenantName: 'Other Customer Ltd',
      tenantType: 'ORGANISATION',
      xeroConnectionId: 'conn-other',
      tokenSetId: otherSet.id,
    });
    const response = await post([
      failure({ reference: 'STEAL-1', tenantId: undefined, connectionId: foreign.id }),
      failure({ reference: 'OWN-1', tenantId: undefined, connectionId: own!.id }),
      failure({ reference: 'MIXED-1', tenantId: 'tenant-other', connectionId: own!.id }),
      failure({ reference: 'GHOST-1', tenantId: undefined, connectionId: 'no-such-connection' }),
    ]);
    const answer = (await response.json()) as { results: { status: string; reason?: string }[] };
    expect(answer.results.map((r) => r.status)).toEqual(['rejected', 'accepted', 'rejected', 'rejected']);
    expect(answer.results[0]!.reason).toBe(
      `connectionId: no Xero connection ${foreign.id} in workspace ${t.fake.teamId}; send the id of one of that workspace's connections, or its tenantId`,
    );
    expect(answer.results[2]!.reason).toContain(`is to Xero tenant tenant-demo, not tenant-other`);
    expect(answer.results[3]!.reason).toContain('no Xero connection no-such-connection');
    const references = (await stored()).map((r) => r.externalReference);
    expect(references).toContain('OWN-1');
    expect(references).not.toContain('STEAL-1');
    expect(references).not.toContain('MIXED-1');
    expect(await t.app.db.failedSyncs.listByTeam('T0OTHER001', { limit: 10 })).toHaveLength(0);
  });

  it('answers 422 when a lone record is refused', async () => {
    const response = await post(failure({ reference: '' }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ accepted: 0, rejected: 1, results: [{ status: 'rejected', reason: expect.stringContaining('reference:') }] });
  });

  it('answers 415 to a body that is not JSON, 400 with where to bad JSON, 413 to an oversized body', async () => {
    const form = await post('a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { message: string }).message).toContain('application/json');

    const broken = await post('[{"slackTeamId": "T1",}]');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string; message: string })).toMatchObject({ error: 'invalid_json', message: expect.stringMatching(/position \d+/) });

    const huge = await post(JSON.stringify([failure({ payload: { blob: 'x'.repeat(11 * 1024 * 1024) } })]));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: 'body_too_large' });
  });

  it('takes a batch of 1,000, and refuses 1,001 whole', async () => {
    const before = (await stored()).length;
    const batch = Array.from({ length: 1000 }, (_, i) => failure({ reference: `BULK-${i}` }));
    const response = await post(batch);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 1000, rejected: 0 });
    expect(await stored()).toHaveLength(before + 1000);

    const tooMany = await post([...batch, failure({ reference: 'BULK-1000' })]);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: 'batch_size' });
  }, 60_000);
});

describe('without CONCIERGE_API_KEY', () => {
  it('has no intake endpoint', async () => {
    const off = await startTestApp();
    try {
      const response = await fetch(`${off.baseUrl}/api/sync-failures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
