// Documents between the finance product's JSON and xero-node. The product holds Xero's own
// PascalCase JSON ({ Type, Contact, LineItems, ... }); xero-node's models use camelCase
// attributes, and its ObjectSerializer.deserialize maps Xero's JSON onto them (the same mapping
// it applies to Xero's answers), so a payload goes through it unchanged in meaning. Fields the
// SDK's models do not know are dropped by xero-node itself, as with any xero-node caller.
import { ObjectSerializer, type BankTransaction, type Contact, type CreditNote, type Invoice, type Payment } from 'xero-node';
import { XeroError, type XeroContactState, type XeroDocumentKind, type XeroDocumentRef } from '../support/xero-gateway.ts';

type Json = Record<string, unknown>;

/** xero-node's model name for each kind, and the Xero collection a payload may arrive wrapped in. */
const models: Record<XeroDocumentKind, { model: string; collection: string }> = {
  invoice: { model: 'Invoice', collection: 'Invoices' },
  bill: { model: 'Invoice', collection: 'Invoices' },
  credit_note: { model: 'CreditNote', collection: 'CreditNotes' },
  payment: { model: 'Payment', collection: 'Payments' },
  bank_transaction: { model: 'BankTransaction', collection: 'BankTransactions' },
  contact: { model: 'Contact', collection: 'Contacts' },
};

function badPayload(kind: XeroDocumentKind, why: string): XeroError {
  const message = `The ${kind.replace('_', ' ')} to send is not one Xero document: ${why}`;
  return new XeroError('validation', message, { messages: [message] });
}

/**
 * The payload as xero-node's model for `kind`. Accepts one document, or Xero's envelope holding
 * exactly one ({ Invoices: [ ... ] }). An invoice or bill without a Type gets ACCREC or ACCPAY.
 */
export function toXeroModel(kind: XeroDocumentKind, payload: unknown): Invoice | CreditNote | Payment | BankTransaction | Contact {
  const { model, collection } = models[kind];
  let document = payload;
  if (document && typeof document === 'object' && !Array.isArray(document) && Array.isArray((document as Json)[collection])) {
    const wrapped = (document as Json)[collection] as unknown[];
    if (wrapped.length !== 1) throw badPayload(kind, `${collection} holds ${wrapped.length} documents; send them one at a time`);
    document = wrapped[0];
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw badPayload(kind, 'expected a JSON object in Xero\'s PascalCase fields');
  const json = { ...(document as Json) };
  if (kind === 'invoice' || kind === 'bill') json.Type ??= kind === 'invoice' ? 'ACCREC' : 'ACCPAY';
  return ObjectSerializer.deserialize(json, model) as Invoice;
}

/** YYYY-MM-DD from what xero-node gives for a date: a Date (from /Date(ms)/), or a string. */
export function ymd(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)/.exec(value);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

const text = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : String(value));

export function invoiceRef(kind: XeroDocumentKind, invoice: Invoice): XeroDocumentRef {
  return { kind, xeroId: invoice.invoiceID ?? '', number: text(invoice.invoiceNumber), reference: text(invoice.reference), status: text(invoice.status), date: ymd(invoice.date) };
}

export function creditNoteRef(note: CreditNote): XeroDocumentRef {
  return { kind: 'credit_note', xeroId: note.creditNoteID ?? '', number: text(note.creditNoteNumber), reference: text(note.reference), status: text(note.status), date: ymd(note.date) };
}

export function paymentRef(payment: Payment): XeroDocumentRef {
  return { kind: 'payment', xeroId: payment.paymentID ?? '', number: undefined, reference: text(payment.reference), status: text(payment.status), date: ymd(payment.date) };
}

export function bankTransactionRef(transaction: BankTransaction): XeroDocumentRef {
  return { kind: 'bank_transaction', xeroId: transaction.bankTransactionID ?? '', number: undefined, reference: text(transaction.reference), status: text(transaction.status), date: ymd(transaction.date) };
}

export function contactRef(contact: Contact): XeroDocumentRef {
  return { kind: 'contact', xeroId: contact.contactID ?? '', number: text(contact.contactNumber), reference: text(contact.name), status: text(contact.contactStatus), date: undefined };
}

export function contactState(contact: Contact): XeroContactState {
  return { contactId: contact.contactID ?? '', name: contact.name ?? '', status: text(contact.contactStatus) ?? 'ACTIVE' };
}

/** A string literal for Xero's `where` filter. */
export function whereText(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Live documents first (a voided or deleted one did land, but is not the one to link to), newest last wins. */
export function bestMatch(refs: XeroDocumentRef[], query: { number?: string; reference?: string }): XeroDocumentRef | null {
  if (!refs.length) return null;
  const score = (ref: XeroDocumentRef) =>
    (ref.status === 'DELETED' || ref.status === 'VOIDED' ? 0 : 2) + (query.number && query.reference && ref.number === query.number && ref.reference === query.reference ? 1 : 0);
  return refs.reduce((best, ref) => (score(ref) >= score(best) ? ref : best));
}
