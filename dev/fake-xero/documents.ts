// Creating and changing documents in one organisation's books, refused the way Xero refuses them:
// each rule answers with Xero's own message, so the bot's classifier and diagnosis meet the
// words they will meet in production.
import { randomUUID } from 'node:crypto';
import { msDate } from './refusal.ts';
import type { FakeAccount, FakeContact, FakeDocument, FakeDocumentKind, FakeTaxRate, OrgBooks } from './books.ts';

type Json = Record<string, unknown>;
export type Outcome = { ok: true; document: FakeDocument | FakeContact } | { ok: false; messages: string[] };

export const messages = {
  archivedContact: 'The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.',
  invalidAccountCode: (code: string) => `Account code '${code}' is not a valid code for this document.`,
  archivedAccountCode: (code: string) => `Account code '${code}' has been archived, or has been deleted. Each line item must reference a valid account`,
  invalidTaxType: (taxType: string) => `The TaxType code '${taxType}' does not exist or cannot be used for this type of transaction.`,
  taxTypeNotForAccount: (taxType: string, code: string) => `The TaxType code '${taxType}' cannot be used with account code '${code}'.`,
  periodLocked: (date: string) => `The document date cannot be before the period lock date, currently set at ${date}`,
  endOfYearLocked: (date: string) => `The document date cannot be before the end of year lock date, currently set at ${date}`,
  invoiceNumberTaken: 'Invoice # must be unique.',
  currencyNotSubscribed: (code: string) => `Organisation is not subscribed to currency ${code}`,
  notModifiable: 'Invoice not of valid status for modification',
  hasAllocations: 'This document cannot be edited as it has a payment or credit note allocated to it.',
  accountInvalid: 'Account must be valid.',
  taxRateInvalid: 'Tax rate must be valid.',
  contactMissing: 'A Contact must be specified for this type of transaction',
  contactNotFound: 'The contact with the specified contact details could not be found',
  contactNameTaken: (name: string) => `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
  contactNameMissing: 'The contact name must be specified',
  paymentInvoiceMissing: 'Invoice or credit note must be specified',
  paymentInvoiceNotFound: 'The invoice with the specified details could not be found',
  paymentNotAuthorised: 'Payments can only be made against Authorised documents',
  paymentTooLarge: 'Payment amount exceeds the amount outstanding on this document',
  paymentAmountMissing: 'Payment amount must be greater than zero',
  invoiceTypeMissing: 'Invoice Type must be specified',
  creditNoteTypeMissing: 'Credit Note Type must be specified',
};

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2018-11-30 → 30-Nov-2018, as Xero writes dates in messages. */
function xeroDisplayDate(ymd: string): string {
  const [y, m, d] = ymd.split('-');
  return `${d}-${months[Number(m) - 1]}-${y}`;
}

/** YYYY-MM-DD from Xero's date inputs (2026-11-30, 2026-11-30T00:00:00, /Date(ms)/); undefined when unreadable. */
export function toYmd(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const ms = /^\/Date\((-?\d+)/.exec(value);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return iso && !Number.isNaN(Date.parse(iso[1]!)) ? iso[1] : undefined;
}

const ymdMs = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`);
const round2 = (n: number) => Math.round(n * 100) / 100;
const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const obj = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);

type Side = 'sales' | 'purchases';

export interface Clock {
  now: number;
}

function contactJson(contact: FakeContact) {
  return { ContactID: contact.ContactID, Name: contact.Name, ContactStatus: contact.ContactStatus, HasValidationErrors: false };
}

export function contactBody(contact: FakeContact) {
  return {
    ContactID: contact.ContactID,
    ContactNumber: contact.ContactNumber,
    Name: contact.Name,
    ContactStatus: contact.ContactStatus,
    EmailAddress: contact.EmailAddress ?? '',
    Addresses: [],
    Phones: [],
    UpdatedDateUTC: msDate(contact.UpdatedDateUTC),
    ContactGroups: [],
    IsSupplier: false,
    IsCustomer: false,
    HasAttachments: false,
    HasValidationErrors: false,
  };
}

/** The document's contact; a Name Xero does not know creates the contact, as Xero does. */
function resolveContact(books: OrgBooks, input: unknown, problems: string[], clock: Clock): FakeContact | undefined {
  const given = obj(input);
  if (!given) {
    problems.push(messages.contactMissing);
    return undefined;
  }
  const id = str(given.ContactID);
  const number = str(given.ContactNumber);
  const name = str(given.Name);
  let contact: FakeContact | undefined;
  if (id) contact = books.contacts.get(id);
  else if (number) contact = [...books.contacts.values()].find((c) => c.ContactNumber === number);
  else if (name) contact = books.contactByName(name) ?? books.addContact(name, 'ACTIVE', clock.now);
  if (!contact) {
    problems.push(id || number ? messages.contactNotFound : messages.contactMissing);
    return undefined;
  }
  if (contact.ContactStatus === 'ARCHIVED') problems.push(messages.archivedContact);
  return contact;
}

function checkLockDates(books: OrgBooks, date: string, problems: string[]): void {
  // Both locks cover the day itself and every day before it.
  if (books.endOfYearLockDate && ymdMs(date) <= ymdMs(books.endOfYearLockDate)) problems.push(messages.endOfYearLocked(xeroDisplayDate(books.endOfYearLockDate)));
  else if (books.periodLockDate && ymdMs(date) <= ymdMs(books.periodLockDate)) problems.push(messages.periodLocked(xeroDisplayDate(books.periodLockDate)));
}

function checkCurrency(books: OrgBooks, input: Json, problems: string[]): string {
  const code = str(input.CurrencyCode) ?? books.baseCurrency;
  if (!books.currencies.includes(code)) problems.push(messages.currencyNotSubscribed(code));
  return code;
}

function canApply(rate: FakeTaxRate, account: FakeAccount): boolean {
  const byClass = { ASSET: rate.CanApplyToAssets, EQUITY: rate.CanApplyToEquity, EXPENSE: rate.CanApplyToExpenses, LIABILITY: rate.CanApplyToLiabilities, REVENUE: rate.CanApplyToRevenue };
  return byClass[account.Class];
}

interface Totals {
  lines: Json[];
  subTotal: number;
  totalTax: number;
}

/** Checks every line's account and tax type, and works out the amounts as Xero would. */
function checkLines(books: OrgBooks, input: Json, side: Side, problems: string[], allowBankAccounts: boolean): Totals {
  const amountTypes = str(input.LineAmountTypes) ?? 'Exclusive';
  const lines: Json[] = [];
  let subTotal = 0;
  let totalTax = 0;
  for (const raw of Array.isArray(input.LineItems) ? input.LineItems : []) {
    const line = obj(raw) ?? {};
    const code = str(line.AccountCode);
    const accountId = str(line.AccountID);
    let account: FakeAccount | undefined;
    if (code || accountId) {
      account = accountId ? books.accounts.get(accountId) : books.accountByCode(code!);
      const shown = code ?? accountId!;
      if (!account || (account.Type === 'BANK' && !allowBankAccounts)) problems.push(messages.invalidAccountCode(shown));
      else if (account.Status !== 'ACTIVE') problems.push(messages.archivedAccountCode(shown));
    }
    const taxType = str(line.TaxType) ?? (account?.Status === 'ACTIVE' ? account.TaxType : undefined);
    let rate: FakeTaxRate | undefined;
    if (taxType) {
      rate = books.taxRates.get(taxType);
      const wrongSide = rate && rate.ReportTaxType !== 'NONE' && rate.ReportTaxType !== (side === 'sales' ? 'OUTPUT' : 'INPUT');
      if (!rate || wrongSide) problems.push(messages.invalidTaxType(taxType));
      else if (rate.Status !== 'ACTIVE') problems.push(messages.taxRateInvalid);
      else if (account && account.Status === 'ACTIVE' && !canApply(rate, account)) problems.push(messages.taxTypeNotForAccount(taxType, account.Code));
    }
    const quantity = typeof line.Quantity === 'number' ? line.Quantity : 1;
    const unitAmount = typeof line.UnitAmount === 'number' ? line.UnitAmount : typeof line.LineAmount === 'number' ? line.LineAmount / quantity : 0;
    const discount = typeof line.DiscountRate === 'number' ? line.DiscountRate : 0;
    const lineAmount = round2(quantity * unitAmount * (1 - discount / 100));
    const percent = amountTypes === 'NoTax' ? 0 : (rate?.EffectiveRate ?? 0);
    const tax = amountTypes === 'Inclusive' ? round2(lineAmount - lineAmount / (1 + percent / 100)) : round2((lineAmount * percent) / 100);
    subTotal += amountTypes === 'Inclusive' ? lineAmount - tax : lineAmount;
    totalTax += tax;
    lines.push({ ...line, LineItemID: randomUUID(), Quantity: quantity, UnitAmount: unitAmount, LineAmount: lineAmount, TaxAmount: tax, ...(taxType ? { TaxType: taxType } : {}), ...(account ? { AccountCode: account.Code, AccountID: account.AccountID } : {}) });
  }
  return { lines, subTotal: round2(subTotal), totalTax: round2(totalTax) };
}

function dateFields(date: string) {
  return { Date: msDate(ymdMs(date)), DateString: `${date}T00:00:00` };
}

function today(clock: Clock): string {
  return new Date(clock.now).toISOString().slice(0, 10);
}

function store(books: OrgBooks, document: FakeDocument): Outcome {
  books.documents.push(document);
  return { ok: true, document };
}

export function createInvoice(books: OrgBooks, input: Json, clock: Clock): Outcome {
  const problems: string[] = [];
  const type = str(input.Type);
  if (type !== 'ACCREC' && type !== 'ACCPAY') problems.push(type ? `Invoice Type ${type} cannot be created on the Invoices endpoint` : messages.invoiceTypeMissing);
  const contact = resolveContact(books, input.Contact, problems, clock);
  const date = toYmd(input.Date) ?? today(clock);
  checkLockDates(books, date, problems);
  const currency = checkCurrency(books, input, problems);
  const number = str(input.InvoiceNumber);
  // Sales invoice numbers are unique in an organisation; bill numbers are the supplier's and may repeat.
  if (type === 'ACCREC' && number && books.documentsOf('invoice').some((d) => d.type === 'ACCREC' && d.number?.toLowerCase() === number.toLowerCase() && d.status !== 'DELETED')) {
    problems.push(messages.invoiceNumberTaken);
  }
  const totals = checkLines(books, input, type === 'ACCPAY' ? 'purchases' : 'sales', problems, false);
  if (problems.length) return { ok: false, messages: problems };
  const id = randomUUID();
  const status = str(input.Status) ?? 'DRAFT';
  const finalNumber = number ?? (type === 'ACCREC' ? books.issueInvoiceNumber() : undefined);
  const total = round2(totals.subTotal + totals.totalTax);
  const body: Json = {
    Type: type,
    InvoiceID: id,
    InvoiceNumber: finalNumber ?? '',
    Reference: str(input.Reference) ?? '',
    Contact: contactJson(contact!),
    ...dateFields(date),
    ...(toYmd(input.DueDate) ? { DueDate: msDate(ymdMs(toYmd(input.DueDate)!)), DueDateString: `${toYmd(input.DueDate)}T00:00:00` } : {}),
    Status: status,
    LineAmountTypes: str(input.LineAmountTypes) ?? 'Exclusive',
    LineItems: totals.lines,
    SubTotal: totals.subTotal,
    TotalTax: totals.totalTax,
    Total: total,
    AmountDue: total,
    AmountPaid: 0,
    AmountCredited: 0,
    CurrencyCode: currency,
    CurrencyRate: 1,
    Payments: [],
    CreditNotes: [],
    UpdatedDateUTC: msDate(clock.now),
    HasAttachments: false,
    IsDiscounted: false,
    HasErrors: false,
  };
  return store(books, { kind: 'invoice', id, number: finalNumber, reference: str(input.Reference), status, type, body, createdAt: clock.now });
}

/** Changes an invoice that exists: its status, reference or dates, as far as Xero allows. */
export function updateInvoice(books: OrgBooks, invoice: FakeDocument, input: Json, clock: Clock): Outcome {
  const problems: string[] = [];
  const paid = Number(invoice.body.AmountPaid ?? 0) > 0 || Number(invoice.body.AmountCredited ?? 0) > 0;
  if (['PAID', 'VOIDED', 'DELETED'].includes(invoice.status)) problems.push(paid ? messages.hasAllocations : messages.notModifiable);
  else if (paid && (input.LineItems !== undefined || str(input.Status) === 'VOIDED' || str(input.Status) === 'DELETED')) problems.push(messages.hasAllocations);
  const status = str(input.Status);
  if (status === 'DELETED' && invoice.status !== 'DRAFT' && invoice.status !== 'SUBMITTED') problems.push(messages.notModifiable);
  if (status === 'VOIDED' && invoice.status !== 'AUTHORISED') problems.push(messages.notModifiable);
  const date = toYmd(input.Date) ?? toYmd(invoice.body.Date)!;
  checkLockDates(books, date, problems);
  if (problems.length) return { ok: false, messages: [...new Set(problems)] };
  if (status) invoice.status = status;
  if (str(input.Reference) !== undefined) invoice.reference = str(input.Reference);
  Object.assign(invoice.body, { Status: invoice.status, Reference: invoice.reference ?? '', ...(toYmd(input.Date) ? dateFields(date) : {}), UpdatedDateUTC: msDate(clock.now) });
  return { ok: true, document: invoice };
}

export function createCreditNote(books: OrgBooks, input: Json, clock: Clock): Outcome {
  const problems: string[] = [];
  const type = str(input.Type);
  if (type !== 'ACCRECCREDIT' && type !== 'ACCPAYCREDIT') problems.push(messages.creditNoteTypeMissing);
  const contact = resolveContact(books, input.Contact, problems, clock);
  const date = toYmd(input.Date) ?? today(clock);
  checkLockDates(books, date, problems);
  const currency = checkCurrency(books, input, problems);
  const totals = checkLines(books, input, type === 'ACCPAYCREDIT' ? 'purchases' : 'sales', problems, false);
  if (problems.length) return { ok: false, messages: problems };
  const id = randomUUID();
  const status = str(input.Status) ?? 'DRAFT';
  const number = str(input.CreditNoteNumber) ?? (type === 'ACCRECCREDIT' ? books.issueCreditNoteNumber() : undefined);
  const total = round2(totals.subTotal + totals.totalTax);
  const body: Json = {
    Type: type,
    CreditNoteID: id,
    CreditNoteNumber: number ?? '',
    Reference: str(input.Reference) ?? '',
    Contact: contactJson(contact!),
    ...dateFields(date),
    Status: status,
    LineAmountTypes: str(input.LineAmountTypes) ?? 'Exclusive',
    LineItems: totals.lines,
    SubTotal: totals.subTotal,
    TotalTax: totals.totalTax,
    Total: total,
    RemainingCredit: total,
    CurrencyCode: currency,
    CurrencyRate: 1,
    UpdatedDateUTC: msDate(clock.now),
    HasErrors: false,
  };
  return store(books, { kind: 'credit_note', id, number, reference: str(input.Reference), status, type, body, createdAt: clock.now });
}

function paymentAccount(books: OrgBooks, input: unknown): FakeAccount | undefined {
  const given = obj(input);
  const account = str(given?.AccountID) ? books.accounts.get(str(given!.AccountID)!) : str(given?.Code) ? books.accountByCode(str(given!.Code)!) : undefined;
  return account && account.Status === 'ACTIVE' && (account.Type === 'BANK' || account.EnablePaymentsToAccount) ? account : undefined;
}

export function createPayment(books: OrgBooks, input: Json, clock: Clock): Outcome {
  const problems: string[] = [];
  const given = obj(input.Invoice);
  const invoiceId = str(given?.InvoiceID);
  const invoiceNumber = str(given?.InvoiceNumber);
  let invoice: FakeDocument | undefined;
  if (!invoiceId && !invoiceNumber) problems.push(messages.paymentInvoiceMissing);
  else {
    invoice = books.documentsOf('invoice').find((d) => (invoiceId ? d.id === invoiceId : d.number === invoiceNumber) && d.status !== 'DELETED');
    if (!invoice) problems.push(messages.paymentInvoiceNotFound);
    else if (invoice.status !== 'AUTHORISED') problems.push(messages.paymentNotAuthorised);
  }
  const account = paymentAccount(books, input.Account);
  if (!account) problems.push(messages.accountInvalid);
  const date = toYmd(input.Date) ?? today(clock);
  checkLockDates(books, date, problems);
  const amount = typeof input.Amount === 'number' ? input.Amount : 0;
  if (amount <= 0) problems.push(messages.paymentAmountMissing);
  else if (invoice && invoice.status === 'AUTHORISED' && amount > Number(invoice.body.AmountDue ?? 0) + 0.001) problems.push(messages.paymentTooLarge);
  if (problems.length) return { ok: false, messages: problems };
  const id = randomUUID();
  const due = round2(Number(invoice!.body.AmountDue) - amount);
  Object.assign(invoice!.body, { AmountDue: due, AmountPaid: round2(Number(invoice!.body.AmountPaid) + amount), UpdatedDateUTC: msDate(clock.now) });
  (invoice!.body.Payments as Json[]).push({ PaymentID: id, Amount: amount, ...dateFields(date) });
  if (due <= 0) {
    invoice!.status = 'PAID';
    invoice!.body.Status = 'PAID';
  }
  const body: Json = {
    PaymentID: id,
    ...dateFields(date),
    Amount: amount,
    Reference: str(input.Reference) ?? '',
    Status: 'AUTHORISED',
    PaymentType: invoice!.type === 'ACCPAY' ? 'ACCPAYPAYMENT' : 'ACCRECPAYMENT',
    IsReconciled: false,
    CurrencyRate: 1,
    Account: { AccountID: account!.AccountID, Code: account!.Code },
    Invoice: { InvoiceID: invoice!.id, InvoiceNumber: invoice!.number ?? '', Type: invoice!.type, Contact: invoice!.body.Contact },
    UpdatedDateUTC: msDate(clock.now),
    HasValidationErrors: false,
  };
  return store(books, { kind: 'payment', id, number: undefined, reference: str(input.Reference), status: 'AUTHORISED', type: String(body.PaymentType), body, createdAt: clock.now });
}

export function createBankTransaction(books: OrgBooks, input: Json, clock: Clock): Outcome {
  const problems: string[] = [];
  const type = str(input.Type) ?? '';
  const contact = resolveContact(books, input.Contact, problems, clock);
  const given = obj(input.BankAccount);
  const bank = str(given?.AccountID) ? books.accounts.get(str(given!.AccountID)!) : str(given?.Code) ? books.accountByCode(str(given!.Code)!) : undefined;
  if (!bank || bank.Type !== 'BANK' || bank.Status !== 'ACTIVE') problems.push(messages.accountInvalid);
  const date = toYmd(input.Date) ?? today(clock);
  checkLockDates(books, date, problems);
  const currency = checkCurrency(books, input, problems);
  const totals = checkLines(books, input, type.startsWith('RECEIVE') ? 'sales' : 'purchases', problems, false);
  if (problems.length) return { ok: false, messages: problems };
  const id = randomUUID();
  const status = str(input.Status) ?? 'AUTHORISED';
  const body: Json = {
    Type: type,
    BankTransactionID: id,
    Reference: str(input.Reference) ?? '',
    Contact: contactJson(contact!),
    BankAccount: { AccountID: bank!.AccountID, Code: bank!.Code, Name: bank!.Name },
    ...dateFields(date),
    Status: status,
    LineAmountTypes: str(input.LineAmountTypes) ?? 'Exclusive',
    LineItems: totals.lines,
    SubTotal: totals.subTotal,
    TotalTax: totals.totalTax,
    Total: round2(totals.subTotal + totals.totalTax),
    IsReconciled: false,
    CurrencyCode: currency,
    UpdatedDateUTC: msDate(clock.now),
    HasErrors: false,
  };
  return store(books, { kind: 'bank_transaction', id, number: undefined, reference: str(input.Reference), status, type, body, createdAt: clock.now });
}

export function createContact(books: OrgBooks, input: Json, clock: Clock): Outcome {
  const name = str(input.Name);
  if (!name) return { ok: false, messages: [messages.contactNameMissing] };
  const taken = books.contactByName(name);
  if (taken && taken.ContactStatus === 'ACTIVE') return { ok: false, messages: [messages.contactNameTaken(name)] };
  const contact = books.addContact(name, 'ACTIVE', clock.now);
  if (str(input.ContactNumber)) contact.ContactNumber = str(input.ContactNumber);
  if (str(input.EmailAddress)) contact.EmailAddress = str(input.EmailAddress);
  return { ok: true, document: contact };
}

/** Renames, archives or restores (ContactStatus ACTIVE) a contact. */
export function updateContact(books: OrgBooks, contact: FakeContact, input: Json, clock: Clock): Outcome {
  const name = str(input.Name);
  if (name && name.toLowerCase() !== contact.Name.toLowerCase()) {
    const taken = books.contactByName(name);
    if (taken && taken.ContactStatus === 'ACTIVE') return { ok: false, messages: [messages.contactNameTaken(name)] };
    contact.Name = name;
  }
  const status = str(input.ContactStatus);
  if (status === 'ACTIVE' || status === 'ARCHIVED') contact.ContactStatus = status;
  if (str(input.EmailAddress)) contact.EmailAddress = str(input.EmailAddress);
  contact.UpdatedDateUTC = clock.now;
  return { ok: true, document: contact };
}

export const documentKinds: Record<FakeDocumentKind, { collection: string; idField: string }> = {
  invoice: { collection: 'Invoices', idField: 'InvoiceID' },
  credit_note: { collection: 'CreditNotes', idField: 'CreditNoteID' },
  payment: { collection: 'Payments', idField: 'PaymentID' },
  bank_transaction: { collection: 'BankTransactions', idField: 'BankTransactionID' },
};
