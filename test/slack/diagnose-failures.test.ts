// Failed exports diagnosed live, with everything real: the app on its HTTP port, the real xero-node
// adapter against the fake Xero, the fake Slack. The failures come from real refusals of the fake
// (sent through the gateway as the finance product would), are posted to the intake API, and are
// then diagnosed from `/concierge errors`, fixed with Restore contact, recorded as synced when the
// "duplicate" is our own earlier export, and moved on by a Xero webhook.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXero } from '../../dev/fake-xero-api.ts';
import { actionIds } from '../../src/slack/ids.ts';
import { failedSyncErrorText, text } from '../../src/slack/user-text.ts';
import { XeroError } from '../../src/support/xero-gateway.ts';
import { xeroLimits } from '../../src/support/xero-rate-limits.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { consentAndStore, redirectUri } from '../support/xero-health-fixture.ts';
import { adminUser, blocksText, startTestApp, type TestApp } from './test-app.ts';

const apiKey = 'diagnosis-intake-key-0123456789abcdef0123';
const webhookKey = 'diagnosis-webhook-key-0123456789abcdefABCDEF==';
const alertsChannel = 'C0ALERTS01';
let xero: FakeXero;
let gateway: XeroNodeGateway;
let t: TestApp;
let tenantId: string;
let connectionId: string;
let accessToken: string;

beforeAll(async () => {
  xero = await FakeXero.start({ redirectUris: [redirectUri], organisations: [{ name: 'Demo Co' }] });
  gateway = new XeroNodeGateway({ clientId: xero.clientId, clientSecret: xero.clientSecret, redirectUri, identityUrl: xero.identityUrl, apiUrl: xero.apiUrl, timeoutMs: 30_000 });
  t = await startTestApp({
    env: {
      XERO_CLIENT_ID: xero.clientId,
      XERO_CLIENT_SECRET: xero.clientSecret,
      XERO_REDIRECT_URI: redirectUri,
      XERO_IDENTITY_URL: xero.identityUrl,
      XERO_API_URL: xero.apiUrl,
      CONCIERGE_API_KEY: apiKey,
      XERO_WEBHOOK_KEY: webhookKey,
      ALERTS_CHANNEL_ID: alertsChannel,
    },
  });
  const ids = await consentAndStore(xero, gateway, t.app.db, t.fake.teamId);
  connectionId = ids['Demo Co']!;
  tenantId = xero.organisationNamed('Demo Co').tenantId;
  accessToken = (await t.app.xeroAccess.accessFor(connectionId)).accessToken;
});

afterAll(async () => {
  expect(xero.unexpected).toEqual([]);
  await t?.close();
  await xero?.close();
});

const books = () => xero.booksOf(tenantId);
/** Ready to retry: queued, or already taken (and perhaps sent) by the retry worker. */
const leftWaiting = ['queued', 'retrying', 'synced'];

/** Sends the document as the finance product would; returns Xero's refusal as the product saw it. */
async function refusalOf(kind: 'invoice' | 'bill', payload: Record<string, unknown>) {
  try {
    await gateway.sendDocument(accessToken, tenantId, { kind, payload, idempotencyKey: `product-${Math.random()}` });
  } catch (error) {
    if (error instanceof XeroError && error.code === 'validation') {
      return { message: error.message, xeroBody: { ErrorNumber: 10, Type: 'ValidationException', Elements: [{ ValidationErrors: error.details.messages!.map((Message) => ({ Message })) }] } };
    }
    throw error;
  }
  throw new Error('expected Xero to refuse the document');
}

async function reportFailure(reference: string, kind: 'invoice' | 'bill', payload: Record<string, unknown>, error: { message: string; xeroBody?: unknown }) {
  const response = await fetch(`${t.baseUrl}/api/sync-failures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ slackTeamId: t.fake.teamId, connectionId, kind, reference, payload, error, occurredAt: new Date().toISOString() }),
  });
  const answer = (await response.json()) as { results: { id: string; status: string; errorCode: string }[] };
  expect(answer.results[0]!.status).toBe('accepted');
  return answer.results[0]!;
}

async function press(actionId: string, value: string, userId?: string) {
  const { responseId } = await t.slack.button(actionId, value, { ephemeral: true, ...(userId ? { userId } : {}) });
  const replies = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId), 10_000);
  return replies.map((r) => blocksText(r.blocks)).join('\n');
}

const invoice = (fields: Record<string, unknown>) => ({
  Type: 'ACCREC',
  Contact: { Name: 'Bayside Club' },
  Date: '2026-11-20',
  DueDate: '2026-12-20',
  Status: 'AUTHORISED',
  LineItems: [{ Description: 'Membership', Quantity: 1, UnitAmount: 100, AccountCode: '200' }],
  ...fields,
});

describe('an archived contact', () => {
  it('is diagnosed from /concierge errors, restored by an admin from Slack, and the export queued for a retry', async () => {
    books().contactByName('Bayside Club')!.ContactStatus = 'ARCHIVED';
    const payload = invoice({ InvoiceNumber: 'SHOP-100', Reference: 'order 100' });
    const failure = await reportFailure('SHOP-100', 'invoice', payload, await refusalOf('invoice', payload));
    expect(failure.errorCode).toBe('CONTACT_NOT_FOUND');
    // The alerts channel hears of it with what Xero shows now.
    const alert = await t.fake.waitFor(() => t.fake.messagesIn(alertsChannel).find((m) => m.text?.includes('*SHOP-100*')), 15_000);
    expect(alert.text).toContain('An export to *Demo Co* failed, invoice *SHOP-100*.');
    expect(alert.text).toContain('Why: *');
    expect(alert.text).toContain('What Xero shows now: The contact *Bayside Club* is *archived* in Xero.');
    // A second order of the same customer, refused for the same reason: no second alert the same day.
    const alertsBefore = t.fake.messagesIn(alertsChannel).length;
    const secondPayload = invoice({ InvoiceNumber: 'SHOP-101', Reference: 'order 101' });
    const second = await reportFailure('SHOP-101', 'invoice', secondPayload, await refusalOf('invoice', secondPayload));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.fake.messagesIn(alertsChannel)).toHaveLength(alertsBefore);

    const { responseId } = await t.slack.command('errors');
    const [list] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(blocksText(list!.blocks)).toContain(`"action_id":"${actionIds.diagnoseSync}"`);

    // Anyone may diagnose; only admins are offered the restore.
    const asMember = await press(actionIds.diagnoseSync, failure.id);
    expect(asMember).toContain('The contact *Bayside Club* is *archived* in Xero');
    expect(asMember).not.toContain(actionIds.restoreContact);
    const asAdmin = await press(actionIds.diagnoseSync, failure.id, adminUser);
    expect(asAdmin).toContain(`"action_id":"${actionIds.restoreContact}"`);
    expect((await t.app.db.failedSyncs.get(failure.id))?.status).toBe('failed');

    // A member's press is refused and changes nothing in Xero.
    expect(await press(actionIds.restoreContact, failure.id)).toContain(text.notAuthorized);
    expect(books().contactByName('Bayside Club')!.ContactStatus).toBe('ARCHIVED');

    const restored = await press(actionIds.restoreContact, failure.id, adminUser);
    expect(restored).toContain('Restored the contact *Bayside Club* in Xero');
    expect(restored).toContain('2 exports that use it are queued for a retry');
    expect(books().contactByName('Bayside Club')!.ContactStatus).toBe('ACTIVE');
    expect(leftWaiting).toContain((await t.app.db.failedSyncs.get(failure.id))?.status);
    // The admin pressed in an ephemeral list: the outcome of both re-sends reaches them in a DM.
    const outcome = await t.fake.waitFor(() => t.fake.messagesIn(`D${adminUser.slice(1)}`).find((m) => m.text?.startsWith('Retry finished:')), 15_000);
    expect(outcome.text).toBe('Retry finished: 2 of 2 re-sent.');
    for (const reference of ['SHOP-100', 'SHOP-101']) expect(books().documentsOf('invoice').filter((d) => d.number === reference)).toHaveLength(1);
    expect((await t.app.db.failedSyncs.get(second.id))?.status).toBe('synced');
    const audit = await t.app.db.audit.list({ slackTeamId: t.fake.teamId, limit: 10 });
    expect(audit.map((a) => [a.action, a.actor, a.details.outcome ?? a.details.status])).toEqual(
      expect.arrayContaining([
        ['failed_sync.restore_contact', adminUser, 'ok'],
        ['xero.contact_restored', adminUser, 'ACTIVE'],
        ['failed_sync.restore_contact', 'U0USER0001', 'denied'],
      ]),
    );
  });
});

describe('a duplicate number', () => {
  it('that is our own earlier export is recorded as synced with its Xero id, not sent again', async () => {
    books().contactByName('Bayside Club')!.ContactStatus = 'ACTIVE';
    const payload = invoice({ InvoiceNumber: 'SHOP-200', Reference: 'order 200' });
    // The first send landed, but the product never heard back and sent again.
    const landed = await gateway.sendDocument(accessToken, tenantId, { kind: 'invoice', payload, idempotencyKey: 'first-send-200' });
    const failure = await reportFailure('SHOP-200', 'invoice', payload, await refusalOf('invoice', payload));
    expect(failure.errorCode).toBe('DUPLICATE_NUMBER');
    const reply = await press(actionIds.diagnoseSync, failure.id);
    expect(reply).toContain(`it is this export, sent earlier (Xero id \`${landed.document.xeroId}\`)`);
    expect(await t.app.db.failedSyncs.get(failure.id)).toMatchObject({ status: 'synced', xeroId: landed.document.xeroId });
    expect(books().documentsOf('invoice').filter((d) => d.number === 'SHOP-200')).toHaveLength(1);
  });
});

describe('an account code', () => {
  it("names the archived code and the closest active codes from the organisation's chart", async () => {
    books().upsertAccount('200', { Status: 'ARCHIVED' });
    const payload = invoice({ Contact: { Name: 'Ridgeway University' }, InvoiceNumber: 'SHOP-300' });
    const failure = await reportFailure('SHOP-300', 'invoice', payload, await refusalOf('invoice', payload));
    expect(failure.errorCode).toBe('INVALID_ACCOUNT_CODE');
    const reply = await press(actionIds.diagnoseSync, failure.id);
    expect(reply).toMatch(/Account code `200` \([^)]*\) is \*archived\* in Xero\. Closest active codes for sales documents: `\d+`/);
    books().upsertAccount('200', { Status: 'ACTIVE' });
  });

  it('fixed in Xero (no webhook tells of accounts), is noticed by the re-diagnosis job and re-sent, the outcome in the alerts channel', async () => {
    books().upsertAccount('205', { Name: 'Memberships', Type: 'REVENUE', Class: 'REVENUE', Status: 'ARCHIVED', TaxType: 'OUTPUT2' });
    const payload = invoice({ Contact: { Name: 'Ridgeway University' }, InvoiceNumber: 'SHOP-301', LineItems: [{ Description: 'Membership', Quantity: 1, UnitAmount: 100, AccountCode: '205' }] });
    const failure = await reportFailure('SHOP-301', 'invoice', payload, await refusalOf('invoice', payload));
    expect(failure.errorCode).toBe('INVALID_ACCOUNT_CODE');
    // Still archived: the job reads it, changes nothing. Diagnosed just now, it is not read again at once.
    await t.app.jobs['rediagnose-failed-syncs']!();
    expect((await t.app.db.failedSyncs.get(failure.id))?.status).toBe('failed');
    books().upsertAccount('205', { Status: 'ACTIVE' });
    await t.app.jobs['rediagnose-failed-syncs']!();
    expect((await t.app.db.failedSyncs.get(failure.id))?.status).toBe('failed');

    // Ten minutes on, the job reads Xero again, finds the account active and queues the export.
    await t.app.db.diagnoses.save({ ...(await t.app.db.diagnoses.get(failure.id))!, diagnosedAt: new Date(Date.now() - 11 * 60_000) });
    await t.app.jobs['rediagnose-failed-syncs']!();
    await expect.poll(async () => (await t.app.db.failedSyncs.get(failure.id))?.status, { timeout: 10_000 }).toBe('synced');
    const outcome = await t.fake.waitFor(() => t.fake.messagesIn(alertsChannel).find((m) => m.text?.includes('*SHOP-301* is in Xero now')), 15_000);
    expect(outcome.text).toMatch(/^The invoice \*SHOP-301\* is in Xero now/);
    expect(books().documentsOf('invoice').filter((d) => d.number === 'SHOP-301')).toHaveLength(1);
  });
});

describe('a Xero webhook', () => {
  it("about a failed export's contact, restored in Xero, moves the export to the retry queue", async () => {
    const contact = books().contactByName('Acme Supplies')!;
    contact.ContactStatus = 'ARCHIVED';
    const payload = { Type: 'ACCPAY', Contact: { ContactID: contact.ContactID }, Date: '2026-11-21', InvoiceNumber: 'ACME-1', Status: 'AUTHORISED', LineItems: [{ Description: 'Paper', Quantity: 1, UnitAmount: 10, AccountCode: '429' }] };
    const failure = await reportFailure('ACME-1', 'bill', payload, await refusalOf('bill', payload));
    expect(failure.errorCode).toBe('CONTACT_NOT_FOUND');

    // Someone restores it in Xero itself; Xero notifies us.
    contact.ContactStatus = 'ACTIVE';
    const body = JSON.stringify({
      events: [{ resourceUrl: `${xero.apiUrl}/api.xro/2.0/Contacts/${contact.ContactID}`, resourceId: contact.ContactID, eventDateUtc: '2026-11-30T10:00:00.000', eventType: 'UPDATE', eventCategory: 'CONTACT', tenantId, tenantType: 'ORGANISATION' }],
      firstEventSequence: 1,
      lastEventSequence: 1,
      entropy: 'ENTROPY',
    });
    const response = await fetch(`${t.baseUrl}/xero/webhooks`, { method: 'POST', headers: { 'x-xero-signature': createHmac('sha256', webhookKey).update(body).digest('base64') }, body });
    expect(response.status).toBe(200);
    await expect.poll(async () => leftWaiting.includes((await t.app.db.failedSyncs.get(failure.id))?.status ?? ''), { timeout: 10_000 }).toBe(true);
    // Nobody asked for this retry: its outcome goes to the alerts channel.
    const outcome = await t.fake.waitFor(() => t.fake.messagesIn(alertsChannel).find((m) => m.text?.includes('*ACME-1*')), 15_000);
    expect(outcome.text).toMatch(/^The bill \*ACME-1\* is in Xero now \(Xero id [0-9a-f-]{36}\)/);

    const { responseId } = await t.slack.command('status');
    const [status] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(blocksText(status!.blocks)).toContain('Xero webhooks: last delivery just now');
  });
});

describe('/concierge retry', () => {
  it("an admin's retry of one export re-sends it through Xero and reports the outcome in the channel it came from", async () => {
    const payload = invoice({ Contact: { Name: 'Harbour Rowing' }, InvoiceNumber: 'SHOP-401' });
    const failure = await reportFailure('SHOP-401', 'invoice', payload, { message: 'Xero is unavailable: 503 Service Unavailable' });
    const unknown = await t.slack.command('retry 00000000-0000-0000-0000-000000000000', { user_id: adminUser });
    const [notFound] = await t.fake.waitFor(() => t.fake.responsesTo(unknown.responseId).length && t.fake.responsesTo(unknown.responseId));
    expect(notFound!.text).toBe(failedSyncErrorText.failed_sync_not_found);

    const { responseId } = await t.slack.command(`retry ${failure.id}`, { user_id: adminUser, channel_id: 'C0RETRY001' });
    const [reply] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(reply!.text).toBe(text.retryQueued(1));
    await expect.poll(async () => (await t.app.db.failedSyncs.get(failure.id))?.status, { timeout: 10_000 }).toBe('synced');
    const outcome = await t.fake.waitFor(() => t.fake.messagesIn('C0RETRY001').find((m) => m.text?.includes('*SHOP-401* is in Xero now')), 15_000);
    expect(outcome.text).toMatch(/^The invoice \*SHOP-401\* is in Xero now/);
    expect(books().documentsOf('invoice').filter((d) => d.number === 'SHOP-401')).toHaveLength(1);
  });
});

// Last: it uses up the organisation's minute.
describe("Xero's rate limit", () => {
  it('is shared with the retry queue: with the minute used up, Diagnose says so at once and changes nothing', async () => {
    const payload = invoice({ Contact: { Name: 'Nobody Known Ltd' }, InvoiceNumber: 'SHOP-900' });
    const failure = await reportFailure('SHOP-900', 'invoice', payload, { message: 'The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.' });
    const gate = t.app.db.xeroCallGate(xeroLimits);
    for (let granted = true; granted; ) {
      const decision = await gate.tryAcquire(tenantId, 'another-bot-instance');
      granted = decision.granted;
      if (decision.granted) await gate.release(decision.permit);
    }
    // No call can start once the minute is used up, but one granted before (the previous test's retry
    // reporting back, a job) may still be on its way: wait until the calls stop before counting.
    let settled = -1;
    await expect.poll(() => (settled === xero.calls.length ? true : ((settled = xero.calls.length), false)), { interval: 300, timeout: 10_000 }).toBe(true);
    const callsBefore = xero.calls.length;
    const started = performance.now();
    const reply = await press(actionIds.diagnoseSync, failure.id);
    expect(reply).toContain('Xero did not answer just now');
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(xero.calls.length).toBe(callsBefore);
    expect(await t.app.db.diagnoses.get(failure.id)).toBeNull();
  });
});
