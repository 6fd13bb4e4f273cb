// Sending documents and reading reference data through the real xero-node against the fake Xero:
// Xero's validation messages arrive as XeroError 'validation', limits as 'rate_limited', an
// Idempotency-Key replay creates nothing new, and a lost answer can be checked with findDocument.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeXero, xeroMessages, type FakeXeroCounters, type FakeXeroOptions } from '../../dev/fake-xero-api.ts';
import { XeroError, type XeroRateHeadroom } from '../../src/support/xero-gateway.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';

let fakes: FakeXero[] = [];

afterEach(async () => {
  for (const fake of fakes) {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  }
  fakes = [];
});

async function setUp(options: FakeXeroOptions = {}, timeoutMs = 3_000) {
  const fake = await FakeXero.start({ organisations: [{ name: 'Demo Co' }, { name: 'Second Co' }], ...options });
  fakes.push(fake);
  const seen: Array<{ tenantId: string; headroom: XeroRateHeadroom }> = [];
  const gateway = new XeroNodeGateway({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: 'http://localhost:3000/xero/callback',
    identityUrl: fake.identityUrl,
    apiUrl: fake.apiUrl,
    timeoutMs,
    onHeadroom: (tenantId, headroom) => seen.push({ tenantId, headroom }),
  });
  const token = fake.issueTokens().access_token;
  const tenant = fake.organisationNamed('Demo Co').tenantId;
  const books = fake.booksOf(tenant);
  return { fake, gateway, token, tenant, books, seen };
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

const line = (extra: Record<string, unknown> = {}) => ({ Description: 'Consulting', Quantity: 2, UnitAmount: 150, AccountCode: '200', ...extra });
const invoice = (extra: Record<string, unknown> = {}) => ({ Type: 'ACCREC', Contact: { Name: 'Bayside Club' }, Date: '2026-11-02', DueDate: '2026-12-02', Status: 'AUTHORISED', LineItems: [line()], ...extra });

describe('XeroNodeGateway.sendDocument against the fake Xero', () => {
  it('creates an invoice with its key, number, reference, status and date, and reports the headroom', async () => {
    const { fake, gateway, token, tenant, books, seen } = await setUp();
    const sent = await gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice({ InvoiceNumber: 'SHOP-1001', Reference: 'order 1001' }), idempotencyKey: 'key-1001' });
    expect(sent.document).toMatchObject({ kind: 'invoice', number: 'SHOP-1001', reference: 'order 1001', status: 'AUTHORISED', date: '2026-11-02' });
    expect(sent.document.xeroId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.headroom).toEqual({ minuteRemaining: 59, dayRemaining: 4999, appMinuteRemaining: 9999 });
    expect(seen).toEqual([{ tenantId: tenant, headroom: sent.headroom }]);
    const [stored] = books.documentsOf('invoice');
    expect(stored).toMatchObject({ id: sent.document.xeroId, number: 'SHOP-1001' });
    // 2 x 150 on Sales with GST on Income (15%).
    expect(stored!.body).toMatchObject({ SubTotal: 300, TotalTax: 45, Total: 345, AmountDue: 345 });
    expect(fake.callsTo('invoices')).toMatchObject([{ method: 'PUT', status: 200, idempotencyKey: 'key-1001', replayed: false }]);
  });

  it('creates bills, credit notes, payments, bank transactions and contacts, and finds each again', async () => {
    const { gateway, token, tenant, books } = await setUp();
    const key = (k: string) => `key-${k}`;
    const bill = await gateway.sendDocument(token, tenant, { kind: 'bill', payload: { Contact: { Name: 'Acme Supplies' }, Date: '2026-11-03', InvoiceNumber: 'ACME-77', Reference: 'PO-77', Status: 'AUTHORISED', LineItems: [line({ AccountCode: '429', UnitAmount: 40 })] }, idempotencyKey: key('bill') });
    expect(bill.document).toMatchObject({ kind: 'bill', number: 'ACME-77', reference: 'PO-77' });
    expect(books.documentById('invoice', bill.document.xeroId)?.type).toBe('ACCPAY');

    const note = await gateway.sendDocument(token, tenant, { kind: 'credit_note', payload: { Type: 'ACCRECCREDIT', Contact: { Name: 'Bayside Club' }, Date: '2026-11-04', Reference: 'refund 9', LineItems: [line()] }, idempotencyKey: key('note') });
    expect(note.document).toMatchObject({ kind: 'credit_note', reference: 'refund 9', status: 'DRAFT', date: '2026-11-04' });

    const sale = await gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice({ InvoiceNumber: 'SHOP-2' }), idempotencyKey: key('sale') });
    const payment = await gateway.sendDocument(token, tenant, { kind: 'payment', payload: { Invoice: { InvoiceID: sale.document.xeroId }, Account: { Code: '090' }, Date: '2026-11-05', Amount: 345, Reference: 'stripe py_1' }, idempotencyKey: key('payment') });
    expect(payment.document).toMatchObject({ kind: 'payment', number: undefined, reference: 'stripe py_1', status: 'AUTHORISED' });
    expect(books.documentById('invoice', sale.document.xeroId)?.status).toBe('PAID');

    const spend = await gateway.sendDocument(token, tenant, { kind: 'bank_transaction', payload: { Type: 'SPEND', Contact: { Name: 'Acme Supplies' }, BankAccount: { Code: '090' }, Date: '2026-11-06', Reference: 'card 4411', LineItems: [line({ AccountCode: '400' })] }, idempotencyKey: key('spend') });
    expect(spend.document).toMatchObject({ kind: 'bank_transaction', reference: 'card 4411', status: 'AUTHORISED' });

    const contact = await gateway.sendDocument(token, tenant, { kind: 'contact', payload: { Name: 'Harbour "Fish" Co', ContactNumber: 'C-88' }, idempotencyKey: key('contact') });
    expect(contact.document).toMatchObject({ kind: 'contact', number: 'C-88', reference: 'Harbour "Fish" Co', status: 'ACTIVE' });

    await expect(gateway.findDocument(token, tenant, { kind: 'bill', number: 'ACME-77' })).resolves.toEqual(bill.document);
    await expect(gateway.findDocument(token, tenant, { kind: 'bill', reference: 'PO-77' })).resolves.toEqual(bill.document);
    // A bill number is no sales invoice number.
    await expect(gateway.findDocument(token, tenant, { kind: 'invoice', number: 'ACME-77' })).resolves.toBeNull();
    await expect(gateway.findDocument(token, tenant, { kind: 'credit_note', reference: 'refund 9' })).resolves.toEqual(note.document);
    await expect(gateway.findDocument(token, tenant, { kind: 'payment', reference: 'stripe py_1' })).resolves.toEqual(payment.document);
    await expect(gateway.findDocument(token, tenant, { kind: 'bank_transaction', reference: 'card 4411' })).resolves.toEqual(spend.document);
    await expect(gateway.findDocument(token, tenant, { kind: 'contact', reference: 'Harbour "Fish" Co' })).resolves.toEqual(contact.document);
    await expect(gateway.findDocument(token, tenant, { kind: 'invoice', reference: 'never sent' })).resolves.toBeNull();
  });

  it("brings every validation rule back as 'validation' with Xero's own messages", async () => {
    const { fake, gateway, token, tenant, books } = await setUp();
    const archived = books.addContact('Old Customer Ltd', 'ARCHIVED', fake.now());
    books.upsertAccount('205', { Name: 'Old Sales', Type: 'REVENUE', Class: 'REVENUE', Status: 'ARCHIVED', TaxType: 'OUTPUT2' });
    books.periodLockDate = '2026-06-30';
    books.endOfYearLockDate = '2026-03-31';
    books.taxRates.get('ZERORATED')!.Status = 'ARCHIVED';
    await gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice({ InvoiceNumber: 'INV-9' }), idempotencyKey: 'first' });

    const cases: Array<{ payload: Record<string, unknown>; kind?: 'invoice' | 'bill' | 'payment'; messages: string[] }> = [
      { payload: invoice({ Contact: { ContactID: archived.ContactID } }), messages: [xeroMessages.archivedContact] },
      { payload: invoice({ LineItems: [line({ AccountCode: '999' })] }), messages: ["Account code '999' is not a valid code for this document."] },
      { payload: invoice({ LineItems: [line({ AccountCode: '205' })] }), messages: ["Account code '205' has been archived, or has been deleted. Each line item must reference a valid account"] },
      { payload: invoice({ LineItems: [line({ TaxType: 'X' })] }), messages: ["The TaxType code 'X' does not exist or cannot be used for this type of transaction."] },
      { payload: invoice({ LineItems: [line({ TaxType: 'INPUT2' })] }), messages: ["The TaxType code 'INPUT2' does not exist or cannot be used for this type of transaction."] },
      { kind: 'bill', payload: { Contact: { Name: 'Acme Supplies' }, Date: '2026-11-01', LineItems: [line({ AccountCode: '429', TaxType: 'GSTONIMPORTS' }), line({ AccountCode: '800', TaxType: 'GSTONIMPORTS' })] }, messages: ["The TaxType code 'GSTONIMPORTS' cannot be used with account code '800'."] },
      { payload: invoice({ LineItems: [line({ TaxType: 'ZERORATED' })] }), messages: ['Tax rate must be valid.'] },
      { payload: invoice({ Date: '2026-05-31' }), messages: ['The document date cannot be before the period lock date, currently set at 30-Jun-2026'] },
      { payload: invoice({ Date: '2026-03-31' }), messages: ['The document date cannot be before the end of year lock date, currently set at 31-Mar-2026'] },
      { payload: invoice({ InvoiceNumber: 'inv-9' }), messages: ['Invoice # must be unique.'] },
      { payload: invoice({ CurrencyCode: 'GBP' }), messages: ['Organisation is not subscribed to currency GBP'] },
      { kind: 'payment', payload: { Invoice: { InvoiceNumber: 'INV-9' }, Account: { Code: '200' }, Amount: 10, Date: '2026-11-05' }, messages: ['Account must be valid.'] },
      {
        payload: invoice({ Contact: { ContactID: archived.ContactID }, CurrencyCode: 'GBP', LineItems: [line({ AccountCode: '999' })] }),
        messages: [xeroMessages.archivedContact, 'Organisation is not subscribed to currency GBP', "Account code '999' is not a valid code for this document."],
      },
    ];
    for (const [i, c] of cases.entries()) {
      const error = await failure(gateway.sendDocument(token, tenant, { kind: c.kind ?? 'invoice', payload: c.payload, idempotencyKey: `case-${i}` }));
      expect({ code: error.code, status: error.details.status, messages: error.details.messages }).toEqual({ code: 'validation', status: 400, messages: c.messages });
      expect(error.transient).toBe(false);
    }
    // Nothing refused was created.
    expect(books.documents).toHaveLength(1);
  });

  it("refuses a body that does not match Xero's schema, naming the field; the adapter's own bodies pass", async () => {
    const { gateway, token, tenant, books } = await setUp();
    const error = await failure(gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice({ LineItems: [line({ Quantity: 'two' })], Status: 'FINISHED' }), idempotencyKey: 'bad-shape' }));
    expect(error.code).toBe('validation');
    expect(error.details.messages).toHaveLength(1);
    expect(error.details.messages![0]).toContain('Invoices[0].LineItems[0].Quantity must be number');
    expect(error.details.messages![0]).toContain('Invoices[0].Status must be one of DRAFT, SUBMITTED, DELETED, AUTHORISED, PAID, VOIDED');
    const missing = await failure(gateway.sendDocument(token, tenant, { kind: 'bank_transaction', payload: { Type: 'SPEND', Contact: { Name: 'Acme Supplies' } }, idempotencyKey: 'no-bank' }));
    expect(missing.details.messages![0]).toMatch(/BankTransactions\[0\] needs LineItems; BankTransactions\[0\] needs BankAccount/);
    expect(books.documents).toEqual([]);
  });

  it('answers HTTP 200 with HasErrors per element when summarizeErrors=false', async () => {
    const { fake, token, tenant, books } = await setUp();
    const response = await fetch(`${fake.apiUrl}/api.xro/2.0/Invoices?summarizeErrors=false`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': tenant, 'content-type': 'application/json' },
      body: JSON.stringify({ Invoices: [invoice({ InvoiceNumber: 'OK-1' }), invoice({ CurrencyCode: 'GBP' })] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-minlimit-remaining')).toBe('59');
    const body = (await response.json()) as { Invoices: Array<Record<string, unknown>> };
    expect(body.Invoices.map((i) => [i.StatusAttributeString, i.HasErrors, i.ValidationErrors])).toEqual([
      ['OK', false, undefined],
      ['ERROR', true, [{ Message: 'Organisation is not subscribed to currency GBP' }]],
    ]);
    expect(books.documents.map((d) => d.number)).toEqual(['OK-1']);
  });

  it('replays an Idempotency-Key: the same answer, one invoice', async () => {
    const { fake, gateway, token, tenant, books } = await setUp();
    const input = { kind: 'invoice' as const, payload: invoice({ InvoiceNumber: 'SHOP-5' }), idempotencyKey: 'failure-42-abc' };
    const first = await gateway.sendDocument(token, tenant, input);
    const second = await gateway.sendDocument(token, tenant, input);
    expect(second.document).toEqual(first.document);
    expect(books.documentsOf('invoice')).toHaveLength(1);
    expect(fake.callsTo('invoices').map((c) => c.replayed)).toEqual([false, true]);
    // Without the key, the same invoice is refused as a duplicate number: the key is what made the retry safe.
    expect((await failure(gateway.sendDocument(token, tenant, { ...input, idempotencyKey: 'another-key' }))).details.messages).toEqual(['Invoice # must be unique.']);
    // Xero forgets keys after minutes.
    fake.advanceTime(11 * 60_000);
    expect((await failure(gateway.sendDocument(token, tenant, input))).details.messages).toEqual(['Invoice # must be unique.']);
  });

  it('after a lost answer (dropped, or later than the timeout), findDocument finds what Xero created', async () => {
    const { fake, gateway, token, tenant, books } = await setUp({}, 400);
    fake.loseNextResponse(1, 'invoices');
    const dropped = await failure(gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice({ InvoiceNumber: 'LOST-1' }), idempotencyKey: 'lost-1' }));
    expect(dropped.code).toBe('xero_unavailable');
    fake.loseNextResponse(1, 'invoices', 1_000);
    const late = await failure(gateway.sendDocument(token, tenant, { kind: 'bill', payload: { Contact: { Name: 'Acme Supplies' }, Reference: 'LATE-2', LineItems: [line({ AccountCode: '429' })] }, idempotencyKey: 'late-2' }));
    expect(late.code).toBe('timeout');
    expect(books.documentsOf('invoice')).toHaveLength(2);
    const found = await gateway.findDocument(token, tenant, { kind: 'invoice', number: 'LOST-1' });
    expect(found).toMatchObject({ number: 'LOST-1', xeroId: books.documentsOf('invoice')[0]!.id });
    await expect(gateway.findDocument(token, tenant, { kind: 'bill', reference: 'LATE-2' })).resolves.toMatchObject({ reference: 'LATE-2' });
    // Sending again with the same key is answered from Xero's memory, not created twice.
    await gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice({ InvoiceNumber: 'LOST-1' }), idempotencyKey: 'lost-1' });
    expect(books.documentsOf('invoice')).toHaveLength(2);
    expect(fake.counters().totals.duplicates).toBe(0);
  });

  it('answers xero_unavailable for the 5xx asked for, then works', async () => {
    const { fake, gateway, token, tenant, books } = await setUp();
    fake.failNext(2, 502);
    for (let i = 0; i < 2; i++) {
      const error = await failure(gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice(), idempotencyKey: 'k' }));
      expect(error).toMatchObject({ code: 'xero_unavailable', details: { status: 502 } });
    }
    expect(books.documents).toEqual([]);
    await gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice(), idempotencyKey: 'k' });
    expect(books.documents).toHaveLength(1);
  });
});

describe('limits', () => {
  it('a 429 comes back as rate_limited with retryAfterMs and the problem; the observer sees it', async () => {
    const { gateway, token, tenant, seen } = await setUp({ limits: { minute: 2 } });
    await gateway.listCurrencies(token, tenant);
    await gateway.listCurrencies(token, tenant);
    const error = await failure(gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice(), idempotencyKey: 'k' }));
    expect(error).toMatchObject({ code: 'rate_limited', details: { status: 429, problem: 'minute', headroom: { minuteRemaining: 0 } } });
    expect(error.details.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(seen.map((s) => s.headroom.minuteRemaining)).toEqual([1, 0, 0]);
  });

  it('six calls at once for one organisation: five answered, one 429 concurrent; another organisation is unaffected', async () => {
    const { fake, gateway, token, tenant } = await setUp();
    fake.setLatency(200);
    const other = fake.organisationNamed('Second Co').tenantId;
    const results = await Promise.allSettled([...Array.from({ length: 6 }, () => gateway.listAccounts(token, tenant)), gateway.listAccounts(token, other)]);
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as XeroError);
    expect(refused.map((e) => [e.code, e.details.problem])).toEqual([['rate_limited', 'concurrent']]);
    const counters = fake.counters().organisations;
    expect(counters.find((o) => o.tenantId === tenant)).toMatchObject({ calls: 6, maxConcurrent: 6, tooManyRequests: { concurrent: 1, minute: 0 } });
    expect(counters.find((o) => o.tenantId === other)).toMatchObject({ calls: 1, maxConcurrent: 1 });
  });

  it('with a time scale, a Xero minute is short: 60 calls, a 429 with a short Retry-After, then room again', async () => {
    const { fake, gateway, token, tenant } = await setUp({ timeScale: 0.05 });
    expect(fake.describeScale()).toBe('time scale 0.05 (a Xero minute lasts 3000 ms, a day 4320000 ms)');
    for (let i = 0; i < 60; i++) await gateway.listCurrencies(token, tenant);
    const error = await failure(gateway.listCurrencies(token, tenant));
    expect(error.details.problem).toBe('minute');
    expect(error.details.retryAfterMs).toBeGreaterThan(0);
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(3_000);
    await new Promise((resolve) => setTimeout(resolve, error.details.retryAfterMs! + 20));
    await expect(gateway.listCurrencies(token, tenant)).resolves.toHaveLength(3);
    // The 429 means all 61 calls arrived within one scaled minute.
    expect(fake.counters().organisations.find((o) => o.tenantId === tenant)).toMatchObject({ calls: 62, maxPerMinute: 61, tooManyRequests: { minute: 1 } });
  });
});

describe('reads and restoring a contact', () => {
  it('lists accounts, tax rates, currencies and the lock dates, and reflects changes made in Xero', async () => {
    const { fake, gateway, token, tenant } = await setUp();
    const accounts = await gateway.listAccounts(token, tenant);
    expect(accounts.find((a) => a.code === '200')).toMatchObject({ name: 'Sales', type: 'REVENUE', accountClass: 'REVENUE', status: 'ACTIVE', taxType: 'OUTPUT2' });
    const rates = await gateway.listTaxRates(token, tenant);
    expect(rates.find((r) => r.taxType === 'INPUT2')).toEqual({ taxType: 'INPUT2', name: 'GST on Expenses', status: 'ACTIVE', canApplyTo: { assets: true, equity: true, expenses: true, liabilities: true, revenue: false } });
    expect(await gateway.listCurrencies(token, tenant)).toEqual(['NZD', 'AUD', 'USD']);
    expect((await gateway.getOrganisation(token, tenant)).organisation).toMatchObject({ periodLockDate: undefined, endOfYearLockDate: undefined });

    const post = (name: string, body: unknown) => fetch(`${fake.identityUrl}/_fake/${name}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post('account', { tenantId: tenant, code: '200', status: 'ARCHIVED' })).status).toBe(200);
    expect((await post('currencies', { tenantId: tenant, codes: ['GBP'] })).status).toBe(200);
    expect((await post('lock-dates', { tenantId: tenant, periodLockDate: '2026-09-30', endOfYearLockDate: '2026-03-31' })).status).toBe(200);
    const badDate = await post('lock-dates', { tenantId: tenant, periodLockDate: '30/09/2026' });
    expect(badDate.status).toBe(400);
    expect(await badDate.json()).toEqual({ error: '"periodLockDate" must be a date YYYY-MM-DD, or null to clear it' });
    expect((await gateway.listAccounts(token, tenant)).find((a) => a.code === '200')?.status).toBe('ARCHIVED');
    expect(await gateway.listCurrencies(token, tenant)).toEqual(['NZD', 'GBP']);
    expect((await gateway.getOrganisation(token, tenant)).organisation).toMatchObject({ periodLockDate: '2026-09-30', endOfYearLockDate: '2026-03-31' });
  });

  it('finds a contact by id or name, archived ones included, and restores an archived one', async () => {
    const { fake, gateway, token, tenant, books } = await setUp();
    const response = await fetch(`${fake.identityUrl}/_fake/contact`, { method: 'POST', body: JSON.stringify({ tenantId: tenant, name: 'Bayside Club', status: 'ARCHIVED' }) });
    const archived = (await response.json()) as { ContactID: string; ContactStatus: string };
    expect(archived.ContactStatus).toBe('ARCHIVED');
    await expect(gateway.findContact(token, tenant, { name: 'bayside club' })).resolves.toEqual({ contactId: archived.ContactID, name: 'Bayside Club', status: 'ARCHIVED' });
    await expect(gateway.findContact(token, tenant, { contactId: archived.ContactID })).resolves.toMatchObject({ status: 'ARCHIVED' });
    await expect(gateway.findContact(token, tenant, { name: 'Nobody Ltd' })).resolves.toBeNull();
    expect((await failure(gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice(), idempotencyKey: 'before' }))).details.messages).toEqual([xeroMessages.archivedContact]);

    await expect(gateway.restoreContact(token, tenant, archived.ContactID)).resolves.toEqual({ contactId: archived.ContactID, name: 'Bayside Club', status: 'ACTIVE' });
    expect(books.contacts.get(archived.ContactID)?.ContactStatus).toBe('ACTIVE');
    await gateway.sendDocument(token, tenant, { kind: 'invoice', payload: invoice(), idempotencyKey: 'after' });
    expect((await failure(gateway.restoreContact(token, tenant, '00000000-0000-4000-8000-000000000000'))).code).toBe('not_found');
  });
});

describe('the fake over HTTP', () => {
  it('counts duplicates, 429s and the busiest minute, and starts afresh on reset', async () => {
    const { fake, gateway, token, tenant } = await setUp({ limits: { minute: 3 } });
    // Bills may share a supplier's number: Xero accepts both, the counters call it a duplicate.
    for (const key of ['a', 'b']) await gateway.sendDocument(token, tenant, { kind: 'bill', payload: { Contact: { Name: 'Acme Supplies' }, InvoiceNumber: 'ACME-1', LineItems: [line({ AccountCode: '429' })] }, idempotencyKey: key });
    await gateway.listAccounts(token, tenant);
    await failure(gateway.listAccounts(token, tenant));
    const counters = (await (await fetch(`${fake.identityUrl}/_fake/counters`)).json()) as FakeXeroCounters;
    expect(counters.scale).toBe('time scale 1 (real time: a Xero minute lasts 60 s)');
    expect(counters.totals).toMatchObject({ calls: 4, tooManyRequests: 1, duplicates: 1, maxPerMinute: 4 });
    const demo = counters.organisations.find((o) => o.tenantId === tenant)!;
    expect(demo.documents.invoice).toBe(2);
    expect(demo.duplicates).toEqual([{ kind: 'invoice', field: 'number', value: 'ACME-1', ids: expect.any(Array) }]);
    const documents = (await (await fetch(`${fake.identityUrl}/_fake/documents?tenantId=${tenant}`)).json()) as Record<string, unknown[]>;
    expect(documents[tenant]).toHaveLength(2);
    expect((await fetch(`${fake.identityUrl}/_fake/reset-counters`, { method: 'POST' })).status).toBe(200);
    expect(fake.counters().totals).toMatchObject({ calls: 0, tooManyRequests: 0, duplicates: 1 });
  });

  it('takes limits, latency, failures and lost responses as controls, and says which controls exist', async () => {
    const { fake } = await setUp();
    const post = (name: string, body: unknown) => fetch(`${fake.identityUrl}/_fake/${name}`, { method: 'POST', body: JSON.stringify(body) });
    const limits = (await (await post('limits', { timeScale: 0.01, minute: 30 })).json()) as { scale: string; limits: { minute: number } };
    expect(limits).toMatchObject({ scale: 'time scale 0.01 (a Xero minute lasts 600 ms, a day 864000 ms)', limits: { minute: 30 } });
    expect((await post('latency', { ms: 5 })).status).toBe(200);
    expect((await post('fail', { count: 1, status: 404 })).status).toBe(400);
    expect((await post('lose-response', { route: 'invoices', lateMs: 10 })).status).toBe(200);
    const unknown = await post('explode', {});
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('lock-dates');
    expect(fake.state()).toMatchObject({ latency: { ms: 5, jitterMs: 0 } });
  });

  it('refuses a where filter it cannot read, saying what was wrong', async () => {
    const { fake, token, tenant } = await setUp();
    const response = await fetch(`${fake.apiUrl}/api.xro/2.0/Invoices?where=${encodeURIComponent('Reference.StartsWith("A")')}`, { headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': tenant } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { Message: string }).Message).toContain('could not be used');
  });
});
