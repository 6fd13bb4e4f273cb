// POST /xero/webhooks over real HTTP, signed as Xero signs, on a real database: forged deliveries
// are refused, Xero's intent-to-receive check passes, deliveries are stored before the 200, and an
// event about a failed export's contact moves that export on.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/index.ts';
import { createHttpServer, type HttpServer } from '../src/http-server.ts';
import { createLogger } from '../src/logger.ts';
import { diagnoseFailure, readyToRetryThroughQueue, type DiagnoseDeps } from '../src/support/diagnose-failure.ts';
import { createReferenceCache } from '../src/support/xero-reference-cache.ts';
import { refreshFailuresForEvents, validXeroSignature, type WebhookEvent } from '../src/support/xero-webhooks.ts';
import { applyPendingWebhooks, XERO_WEBHOOKS_PATH, xeroWebhookRoutes } from '../src/xero-webhook-routes.ts';
import { createTestDatabase, rawQuery, type TestDatabase } from './db/test-databases.ts';
import { addConnection, startTestApp, type TestApp } from './slack/test-app.ts';
import { OrganisationInXero, tenant } from './support/organisation-in-xero.ts';

const webhookKey = 'wh-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH+/==';
const sign = (body: string, key = webhookKey) => createHmac('sha256', key).update(body).digest('base64');

function deliver(baseUrl: string, body: string, signature: string | null = sign(body)) {
  return fetch(`${baseUrl}${XERO_WEBHOOKS_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-xero-signature': signature }) },
    body,
  });
}

const intentToReceive = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'QJBNZJFXLWBTEDJYPCIX' });

describe('x-xero-signature', () => {
  it('is the base64 HMAC-SHA256 of the raw body: any other byte, key or encoding fails', () => {
    const body = Buffer.from(intentToReceive);
    expect(validXeroSignature(body, webhookKey, sign(intentToReceive))).toBe(true);
    expect(validXeroSignature(Buffer.from(`${intentToReceive} `), webhookKey, sign(intentToReceive))).toBe(false);
    expect(validXeroSignature(body, webhookKey, sign(intentToReceive, `${webhookKey}x`))).toBe(false);
    expect(validXeroSignature(body, webhookKey, createHmac('sha256', webhookKey).update(body).digest('hex'))).toBe(false);
    expect(validXeroSignature(body, webhookKey, undefined)).toBe(false);
    expect(validXeroSignature(body, webhookKey, '')).toBe(false);
  });
});

describe('POST /xero/webhooks in the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { XERO_WEBHOOK_KEY: webhookKey } });
  });
  afterAll(() => t.close());

  const deliveries = () => t.app.db.xeroWebhooks.listUnprocessed(100);

  it('refuses a forged, unsigned or tampered delivery with 401 and an empty body, storing nothing', async () => {
    for (const response of [
      await deliver(t.baseUrl, intentToReceive, sign(intentToReceive, 'someone-elses-key-0123456789')),
      await deliver(t.baseUrl, intentToReceive, null),
      await deliver(t.baseUrl, intentToReceive.replace('QJB', 'XXX'), sign(intentToReceive)),
    ]) {
      expect([response.status, response.headers.get('content-length')]).toEqual([401, '0']);
      expect(await response.text()).toBe('');
    }
    expect(await t.app.db.xeroWebhooks.lastDelivery({})).toBeNull();
  });

  it("passes Xero's intent-to-receive check: 200, empty body, well within 5 seconds", async () => {
    const started = performance.now();
    const response = await deliver(t.baseUrl, intentToReceive);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(elapsed).toBeLessThan(5_000);
    expect(await t.app.db.xeroWebhooks.lastDelivery({})).toBeInstanceOf(Date);
  });

  it('stores every event of a signed delivery before answering', async () => {
    const body = JSON.stringify({
      events: [
        { resourceUrl: 'https://api.xero.com/api.xro/2.0/Invoices/inv-1', resourceId: 'inv-1', eventDateUtc: '2026-11-30T09:15:39.902', eventType: 'UPDATE', eventCategory: 'INVOICE', tenantId: 'tenant-a', tenantType: 'ORGANISATION' },
        { resourceUrl: 'https://api.xero.com/api.xro/2.0/Contacts/c-1', resourceId: 'c-1', eventDateUtc: '2026-11-30T09:16:00.000', eventType: 'CREATE', eventCategory: 'CONTACT', tenantId: 'tenant-b', tenantType: 'ORGANISATION' },
      ],
      firstEventSequence: 7,
      lastEventSequence: 8,
      entropy: 'ABCDEF',
    });
    const response = await deliver(t.baseUrl, body);
    expect(response.status).toBe(200);
    expect(await t.app.db.xeroWebhooks.lastDelivery({ tenantIds: ['tenant-b'] })).toBeInstanceOf(Date);
    expect(await t.app.db.xeroWebhooks.lastDelivery({ tenantIds: ['tenant-z'] })).toBeNull();
    // Without Xero credentials nothing can be re-diagnosed, yet every delivery is kept and marked done.
    expect(await deliveries()).toEqual([]);
  });

  it('answers 400 with the reason to a signed body that is not what Xero sends', async () => {
    const body = JSON.stringify({ hello: 'world' });
    const response = await deliver(t.baseUrl, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_payload' });
  });

  it('shows in /concierge status how long ago Xero last delivered for the workspace', async () => {
    await addConnection(t, { id: 'tenant-b', name: 'Bee Ltd' });
    const health = await t.app.support.webhookHealth(t.fake.teamId);
    expect(health).toMatchObject({ silent: false, lastDeliveryAt: expect.any(Date) });
  });
});

describe('an event about a failed export', () => {
  let test: TestDatabase;
  let db: Database;
  let http: HttpServer;
  let baseUrl: string;
  const xero = new OrganisationInXero();
  const applied: WebhookEvent[][] = [];

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    db = await openDatabase(test.settings, { warn: () => {} });
    const deps: DiagnoseDeps = {
      failedSyncs: { get: (id) => db.failedSyncs.get(id), recordFoundInXero: (id, xeroId, at) => db.diagnoses.recordFoundInXero(id, xeroId, at) },
      diagnoses: db.diagnoses,
      access: { accessFor: async () => ({ accessToken: 'token', tenantId: tenant, expiresAt: new Date(Date.now() + 1_800_000) }) },
      xero: xero.gateway,
      cache: createReferenceCache(),
      readyToRetry: readyToRetryThroughQueue({ failedSyncs: db.failedSyncs, retryRequests: db.retryRequests }),
      now: () => new Date(),
    };
    http = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }) });
    http.register(
      ...xeroWebhookRoutes({
        webhookKey,
        deliveries: db.xeroWebhooks,
        apply: async (events) => {
          applied.push(events);
          return refreshFailuresForEvents({ waitingForTenant: (id, limit) => db.diagnoses.waitingForTenant(id, limit), diagnose: (id) => diagnoseFailure(deps, id) }, events);
        },
        logger: createLogger({ level: 'silent' }),
      }),
    );
    baseUrl = `http://127.0.0.1:${(await http.listen()).port}`;
  });
  afterAll(async () => {
    await http.close(1_000);
    await db.close();
    await test.drop();
  });

  it('re-diagnoses the export whose contact was restored in Xero, which moves it to the retry queue', async () => {
    const tokenSet = await db.tokenSets.create({
      slackTeamId: 'T0TEAM0001',
      tokens: { accessToken: 'a', refreshToken: 'r', idToken: undefined, expiresAt: new Date(Date.now() + 1_800_000), scopes: [] },
      connectedBySlackUserId: 'U0USER0001',
    });
    const connection = await db.connections.upsert({ slackTeamId: 'T0TEAM0001', tenantId: tenant, tenantName: 'Demo Co', tenantType: 'ORGANISATION', xeroConnectionId: 'x-conn', tokenSetId: tokenSet.id });
    const failed = await db.failedSyncs.create({
      slackTeamId: 'T0TEAM0001',
      connectionId: connection.id,
      externalReference: 'INV-0042',
      kind: 'invoice',
      payload: { Type: 'ACCREC', Contact: { ContactID: 'c-acme' }, Date: '2026-11-20', LineItems: [{ AccountCode: '210', UnitAmount: 10 }] },
      errorCode: 'CONTACT_NOT_FOUND',
      errorMessage: 'The contact with the specified contact details has been archived.',
    });
    // Another export of the same organisation, about something else: left alone.
    const other = await db.failedSyncs.create({
      slackTeamId: 'T0TEAM0001',
      connectionId: connection.id,
      externalReference: 'INV-0043',
      kind: 'invoice',
      payload: { Type: 'ACCREC', Contact: { ContactID: 'c-bolt' }, Date: '2026-11-20', LineItems: [{ AccountCode: '200' }] },
      errorCode: 'INVALID_ACCOUNT_CODE',
      errorMessage: "Account code '200' has been archived",
    });

    // Someone restores the contact in Xero; Xero tells us.
    xero.contacts.find((c) => c.contactId === 'c-acme')!.status = 'ACTIVE';
    const body = JSON.stringify({
      events: [{ resourceUrl: 'https://api.xero.com/api.xro/2.0/Contacts/c-acme', resourceId: 'c-acme', eventDateUtc: '2026-11-30T10:00:00.000', eventType: 'UPDATE', eventCategory: 'CONTACT', tenantId: tenant, tenantType: 'ORGANISATION' }],
      firstEventSequence: 1,
      lastEventSequence: 1,
      entropy: 'XYZ',
    });
    const response = await deliver(baseUrl, body);
    expect(response.status).toBe(200);
    const stored = await rawQuery<{ resourceId: string; eventCategory: string }>(test, 'SELECT "resourceId", "eventCategory" FROM "XeroWebhookEvent"');
    expect(stored).toEqual([{ resourceId: 'c-acme', eventCategory: 'CONTACT' }]);

    await expect.poll(async () => (await db.failedSyncs.get(failed.id))?.status, { timeout: 5_000 }).toBe('queued');
    expect((await db.diagnoses.get(failed.id))).toMatchObject({ cause: 'contact', state: 'cause_gone', action: 'queued_retry' });
    expect((await db.failedSyncs.get(other.id))?.status).toBe('failed');
    expect(await db.diagnoses.get(other.id)).toBeNull();
    await expect.poll(async () => (await db.xeroWebhooks.listUnprocessed(10)).length).toBe(0);
  });

  it('applies at start-up a delivery that was answered but never applied (the process stopped in between)', async () => {
    const event = { tenantId: tenant, resourceId: 'c-left-over', eventCategory: 'CONTACT', eventType: 'UPDATE', eventDate: new Date('2026-11-30T11:00:00Z') };
    await db.xeroWebhooks.record({ firstEventSequence: 9, lastEventSequence: 9, events: [event] });
    const seen: WebhookEvent[][] = [];
    expect(await applyPendingWebhooks({ deliveries: db.xeroWebhooks, apply: async (events) => seen.push(events) })).toBe(1);
    expect(seen).toEqual([[event]]);
    expect(await db.xeroWebhooks.listUnprocessed(10)).toEqual([]);
  });
});

describe('without XERO_WEBHOOK_KEY', () => {
  it('has no webhook endpoint', async () => {
    const off = await startTestApp();
    try {
      expect((await deliver(off.baseUrl, intentToReceive)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
