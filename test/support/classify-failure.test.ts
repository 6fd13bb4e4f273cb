// Each validation message Xero is known to send (issue 9) leads to the article that explains it.
import { describe, expect, it } from 'vitest';
import { classifyFailure, xeroValidationMessages } from '../../src/support/classify-failure.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';

const engine = createAnswerEngine(loadKnowledge('knowledge'));

const xeroBody = (...messages: string[]) => ({
  ErrorNumber: 10,
  Type: 'ValidationException',
  Message: 'A validation exception occurred',
  Elements: [{ InvoiceNumber: 'INV-1', ValidationErrors: messages.map((Message) => ({ Message })) }],
});

const expected: [string, string][] = [
  ['The contact with the specified contact details has been archived. The contact must be un-archived before creating new invoices or credit notes.', 'CONTACT_NOT_FOUND'],
  ["Account code '999' is not a valid code for this document.", 'INVALID_ACCOUNT_CODE'],
  ["Account code '200' has been archived, or has been deleted. Each line item must reference a valid account", 'INVALID_ACCOUNT_CODE'],
  ["The TaxType code 'X' does not exist or cannot be used for this type of transaction.", 'INVALID_TAX_RATE'],
  ["The TaxType code 'X' cannot be used with account code 'Y'.", 'INVALID_TAX_RATE'],
  ['The document date cannot be before the period lock date, currently set at 30-Nov-2018', 'PERIOD_LOCKED'],
  ['The document date cannot be before the end of year lock date, currently set at 31-Mar-2019', 'PERIOD_LOCKED'],
  ['Invoice # must be unique.', 'DUPLICATE_NUMBER'],
  ['Organisation is not subscribed to currency XXX', 'CURRENCY_NOT_ENABLED'],
  ['Invoice not of valid status for modification', 'INVOICE_NOT_EDITABLE'],
  ['This document cannot be edited as it has a payment or credit note allocated to it.', 'INVOICE_NOT_EDITABLE'],
  ['Account must be valid.', 'INVALID_ACCOUNT_CODE'],
  ['Tax rate must be valid.', 'INVALID_TAX_RATE'],
];

describe('classifyFailure', () => {
  it.each(expected)('maps "%s" in a raw Xero body to %s', (message, article) => {
    expect(classifyFailure(engine, { message: 'Export failed: HTTP 400', xeroBody: xeroBody(message) })).toEqual({ errorCode: article, validationMessages: [message] });
  });

  it.each(expected)('maps "%s" as the product\'s own text to %s', (message, article) => {
    expect(classifyFailure(engine, { message }).errorCode).toBe(article);
  });

  // What products report when Xero never answered (.NET, Node and request libraries word it so).
  it.each([
    ['The operation has timed out.', 'XERO_OUTAGE'],
    ['Export to Xero failed: The operation has timed out', 'XERO_OUTAGE'],
    ['connect ETIMEDOUT 52.62.0.1:443', 'XERO_OUTAGE'],
    ['Error: ESOCKETTIMEDOUT', 'XERO_OUTAGE'],
  ])('maps a timeout with no Xero body, "%s", to %s', (message, article) => {
    expect(classifyFailure(engine, { message }).errorCode).toBe(article);
  });

  it("follows Xero's messages over the product's vaguer text, and keeps them all", () => {
    const result = classifyFailure(engine, { message: 'Sync failed', xeroBody: xeroBody('Invoice # must be unique.', 'Tax rate must be valid.') });
    expect(result).toEqual({ errorCode: 'DUPLICATE_NUMBER', validationMessages: ['Invoice # must be unique.', 'Tax rate must be valid.'] });
  });

  it('finds messages under payments too, without repeats', () => {
    const body = { Payments: [{ ValidationErrors: [{ Message: 'Account must be valid.' }] }, { ValidationErrors: [{ Message: 'Account must be valid.' }] }] };
    expect(xeroValidationMessages(body)).toEqual(['Account must be valid.']);
  });

  it('names no article when nothing matches', () => {
    expect(classifyFailure(engine, { message: 'zzz qqq', xeroBody: { nothing: true } }).errorCode).toBeNull();
  });
});
