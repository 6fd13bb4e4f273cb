// The Accounting API routes of the fake (/api.xro/2.0/...): reads with Xero's filters and writes
// with Xero's validation, in Xero's response shapes (PascalCase, { Invoices: [...] } envelopes,
// ValidationException ErrorNumber 10, or HTTP 200 with HasErrors per element when
// summarizeErrors=false). Auth, limits, idempotency and faults are the caller's.
import { randomBytes, randomUUID } from 'node:crypto';
import { currencyName, type FakeContact, type FakeDocument, type FakeDocumentKind, type OrgBooks } from './books.ts';
import {
  contactBody,
  createBankTransaction,
  createContact,
  createCreditNote,
  createInvoice,
  createPayment,
  updateContact,
  updateInvoice,
  type Clock,
  type Outcome,
} from './documents.ts';
import { msDate, postDataInvalid, problem, Refusal } from './refusal.ts';
import { schemaProblems } from './schema-check.ts';
import { matchesWhere, parseWhere } from './where.ts';

type Json = Record<string, unknown>;

export interface FakeOrganisationInfo {
  tenantId: string;
  name: string;
  countryCode: string;
  baseCurrency: string;
  status: string;
  subscriptionClass: string;
  readOnly: boolean;
}

export interface AccountingRequest {
  method: string;
  /** Path segments after /api.xro/2.0/, e.g. ['Invoices'] or ['Contacts', '<id>']. */
  segments: string[];
  query: URLSearchParams;
  raw: string;
  org: FakeOrganisationInfo;
  books: OrgBooks;
  clock: Clock;
}

export interface AccountingAnswer {
  status: number;
  body: unknown;
}

/** The collections the fake serves, and what FakeXeroCall.route calls each. */
export const accountingRoutes = {
  Organisation: 'organisation',
  Invoices: 'invoices',
  CreditNotes: 'credit_notes',
  Payments: 'payments',
  BankTransactions: 'bank_transactions',
  Contacts: 'contacts',
  Accounts: 'accounts',
  TaxRates: 'tax_rates',
  Currencies: 'currencies',
  TrackingCategories: 'tracking_categories',
} as const;

export type AccountingRoute = (typeof accountingRoutes)[keyof typeof accountingRoutes];

const writable: Record<string, { kind: FakeDocumentKind | 'contact'; element: string; idField: string }> = {
  Invoices: { kind: 'invoice', element: 'Invoice', idField: 'InvoiceID' },
  CreditNotes: { kind: 'credit_note', element: 'CreditNote', idField: 'CreditNoteID' },
  Payments: { kind: 'payment', element: 'Payment', idField: 'PaymentID' },
  BankTransactions: { kind: 'bank_transaction', element: 'BankTransaction', idField: 'BankTransactionID' },
  Contacts: { kind: 'contact', element: 'Contact', idField: 'ContactID' },
};

function envelope(collection: string, items: unknown[], clock: Clock) {
  return { Id: randomUUID(), Status: 'OK', ProviderName: 'xero-concierge', DateTimeUTC: msDate(clock.now), [collection]: items };
}

function notFound(what: string): Refusal {
  return new Refusal(404, problem(404, 'Not Found', `${what} was not found`), {}, `no ${what}`);
}

function list(query: URLSearchParams, name: string): string[] | undefined {
  const value = query.get(name);
  return value ? value.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean) : undefined;
}

/** Applies where, paging (100 a page, as Xero) to what a GET returns. */
function filtered<T>(items: T[], query: URLSearchParams, json: (item: T) => Json): Json[] {
  const where = query.get('where');
  const tree = where ? parseWhere(where) : undefined;
  let result = items.map(json).filter((item) => !tree || matchesWhere(tree, item));
  const page = Number(query.get('page') ?? '');
  if (Number.isInteger(page) && page > 0) {
    const size = Math.min(1000, Number(query.get('pageSize') ?? '') || 100);
    result = result.slice((page - 1) * size, page * size);
  }
  return result;
}

function organisationJson(org: FakeOrganisationInfo, books: OrgBooks, clock: Clock): Json {
  const lock = (ymd: string | undefined) => (ymd ? { value: msDate(Date.parse(`${ymd}T00:00:00Z`)) } : undefined);
  return {
    APIKey: randomBytes(15).toString('hex').toUpperCase(),
    Name: org.name,
    LegalName: org.name,
    PaysTax: true,
    Version: ['NZ', 'AU', 'UK', 'US'].includes(org.countryCode) ? org.countryCode : 'GLOBAL',
    OrganisationType: 'COMPANY',
    BaseCurrency: org.baseCurrency,
    CountryCode: org.countryCode,
    IsDemoCompany: org.subscriptionClass === 'DEMO',
    OrganisationStatus: org.status,
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 3,
    SalesTaxBasis: 'PAYMENTS',
    SalesTaxPeriod: 'TWOMONTHS',
    DefaultSalesTax: 'Tax Exclusive',
    DefaultPurchasesTax: 'Tax Exclusive',
    ...(lock(books.periodLockDate) ? { PeriodLockDate: lock(books.periodLockDate)!.value } : {}),
    ...(lock(books.endOfYearLockDate) ? { EndOfYearLockDate: lock(books.endOfYearLockDate)!.value } : {}),
    CreatedDateUTC: `/Date(${clock.now - 400 * 24 * 3_600_000})/`,
    OrganisationEntityType: 'COMPANY',
    Timezone: 'NEWZEALANDSTANDARDTIME',
    ShortCode: `!${org.tenantId.slice(0, 5)}`,
    OrganisationID: org.tenantId,
    Edition: 'BUSINESS',
    Class: org.subscriptionClass,
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  };
}

function read(request: AccountingRequest): AccountingAnswer {
  const { segments, query, books, clock } = request;
  const [collection, id] = segments;
  // Every envelope is named after its collection, except the one organisation's.
  const answer = (items: Json[]) => ({ status: 200, body: envelope(collection === 'Organisation' ? 'Organisations' : collection!, items, clock) });
  const documents = (kind: FakeDocumentKind) => {
    let docs = books.documentsOf(kind);
    if (id) {
      docs = docs.filter((d) => d.id.toLowerCase() === id.toLowerCase() || (kind === 'invoice' && d.number === id));
      if (!docs.length) throw notFound(`${collection}/${id}`);
    }
    const ids = list(query, 'IDs');
    const numbers = list(query, kind === 'invoice' ? 'InvoiceNumbers' : 'CreditNoteNumbers');
    const statuses = list(query, 'Statuses');
    docs = docs.filter((d) => (!ids || ids.includes(d.id.toLowerCase())) && (!numbers || numbers.includes((d.number ?? '').toLowerCase())) && (!statuses || statuses.includes(d.status.toLowerCase())));
    return answer(filtered(docs, query, (d: FakeDocument) => d.body));
  };
  switch (collection) {
    case 'Organisation':
      return answer([organisationJson(request.org, books, clock)]);
    case 'Invoices':
      return documents('invoice');
    case 'CreditNotes':
      return documents('credit_note');
    case 'Payments':
      return documents('payment');
    case 'BankTransactions':
      return documents('bank_transaction');
    case 'Contacts': {
      let contacts = [...books.contacts.values()];
      if (id) {
        contacts = contacts.filter((c) => c.ContactID.toLowerCase() === id.toLowerCase());
        if (!contacts.length) throw notFound(`Contacts/${id}`);
      } else {
        const ids = list(query, 'IDs');
        const search = query.get('searchTerm')?.toLowerCase();
        // Archived contacts are left out unless asked for, or asked for by id.
        const archivedToo = query.get('includeArchived') === 'true' || ids !== undefined;
        contacts = contacts.filter((c) => (archivedToo || c.ContactStatus !== 'ARCHIVED') && (!ids || ids.includes(c.ContactID.toLowerCase())) && (!search || c.Name.toLowerCase().includes(search)));
      }
      return answer(filtered(contacts, query, (c: FakeContact) => contactBody(c)));
    }
    case 'Accounts':
      return answer(filtered([...books.accounts.values()], query, (a) => ({ ...a, ReportingCode: a.Class === 'REVENUE' ? 'REV' : a.Class.slice(0, 3), HasAttachments: false, UpdatedDateUTC: msDate(clock.now) })));
    case 'TaxRates': {
      const taxType = query.get('TaxType');
      const rates = [...books.taxRates.values()].filter((r) => !taxType || r.TaxType === taxType);
      return answer(filtered(rates, query, (r) => ({ Name: r.Name, TaxType: r.TaxType, ReportTaxType: r.ReportTaxType, CanApplyToAssets: r.CanApplyToAssets, CanApplyToEquity: r.CanApplyToEquity, CanApplyToExpenses: r.CanApplyToExpenses, CanApplyToLiabilities: r.CanApplyToLiabilities, CanApplyToRevenue: r.CanApplyToRevenue, DisplayTaxRate: r.EffectiveRate, EffectiveRate: r.EffectiveRate, Status: r.Status, TaxComponents: [{ Name: r.Name, Rate: r.EffectiveRate, IsCompound: false, IsNonRecoverable: false }] })));
    }
    case 'Currencies':
      return answer(filtered(books.currencies, query, (code) => ({ Code: code, Description: currencyName(code) })));
    case 'TrackingCategories':
      return answer(filtered(books.trackingCategories, query, (t) => ({ ...t })));
    default:
      throw notFound(collection ?? 'route');
  }
}

function parseBody(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw postDataInvalid('The request body is not valid JSON.');
  }
}

function write(request: AccountingRequest): AccountingAnswer {
  const { method, segments, query, books, clock } = request;
  const [collection, pathId] = segments;
  const spec = writable[collection ?? ''];
  if (!spec || (method === 'PUT' && pathId)) throw notFound(`${method} ${segments.join('/')}`);
  if (request.org.readOnly) throw new Refusal(403, problem(403, 'Forbidden', 'The organisation is read-only: its subscription does not allow changes'), {}, 'read-only organisation');
  const body = parseBody(request.raw);
  const wrapped = body && typeof body === 'object' && !Array.isArray(body) && collection! in body;
  const shape = schemaProblems(wrapped ? collection! : spec.element, body);
  if (shape.length) throw postDataInvalid(`The request does not match Xero's schema for ${collection}: ${shape.join('; ')}`);
  const elements = (wrapped ? (body as Json)[collection!] : [body]) as Json[];
  if (!Array.isArray(elements) || elements.length === 0) throw postDataInvalid(`${collection} must hold at least one element.`);
  const summarizeErrors = query.get('summarizeErrors') !== 'false';
  // A batch that fails as a whole leaves nothing behind.
  const before = elements.length > 1 && summarizeErrors ? structuredClone({ documents: books.documents, contacts: [...books.contacts.values()] }) : undefined;
  const outcomes = elements.map((element, index): Outcome => {
    const id = pathId && index === 0 ? pathId : typeof element[spec.idField] === 'string' ? (element[spec.idField] as string) : undefined;
    if (method === 'POST' && id) {
      if (spec.kind === 'contact') {
        const contact = books.contacts.get(id);
        if (!contact) throw notFound(`Contacts/${id}`);
        return updateContact(books, contact, element, clock);
      }
      if (spec.kind === 'invoice') {
        const invoice = books.documentById('invoice', id);
        if (!invoice) throw notFound(`Invoices/${id}`);
        return updateInvoice(books, invoice, element, clock);
      }
      throw new Refusal(400, { ErrorNumber: 10, Type: 'ValidationException', Message: `The fake Xero cannot change ${collection} yet` });
    }
    switch (spec.kind) {
      case 'invoice':
        return createInvoice(books, element, clock);
      case 'credit_note':
        return createCreditNote(books, element, clock);
      case 'payment':
        return createPayment(books, element, clock);
      case 'bank_transaction':
        return createBankTransaction(books, element, clock);
      case 'contact':
        return createContact(books, element, clock);
    }
  });
  const shown = (outcome: Outcome) => (outcome.ok ? ('ContactID' in outcome.document ? contactBody(outcome.document) : outcome.document.body) : undefined);
  const failed = outcomes.some((o) => !o.ok);
  if (failed && summarizeErrors) {
    if (before) {
      books.documents.splice(0, books.documents.length, ...before.documents);
      books.contacts.clear();
      for (const c of before.contacts) books.contacts.set(c.ContactID, c);
    }
    return {
      status: 400,
      body: {
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
        Elements: elements.map((element, i) => {
          const outcome = outcomes[i]!;
          return { ...element, ValidationErrors: outcome.ok ? [] : outcome.messages.map((Message) => ({ Message })) };
        }),
      },
    };
  }
  return {
    status: 200,
    body: envelope(
      collection!,
      outcomes.map((outcome, i) =>
        outcome.ok
          ? { ...shown(outcome), StatusAttributeString: 'OK' }
          : { ...elements[i], HasErrors: true, StatusAttributeString: 'ERROR', ValidationErrors: outcome.messages.map((Message) => ({ Message })) },
      ),
      clock,
    ),
  };
}

export function handleAccounting(request: AccountingRequest): AccountingAnswer {
  if (request.method === 'GET') return read(request);
  if (request.method === 'PUT' || request.method === 'POST') return write(request);
  throw notFound(`${request.method} ${request.segments.join('/')}`);
}
