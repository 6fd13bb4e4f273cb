import { describe, expect, it } from 'vitest';
import { caseFields } from '../../src/knowledge/case-fields.ts';
import { extractCase, ExtractError, type ExtractOptions } from '../../src/knowledge/extract-case.ts';

const london: ExtractOptions = { timeZone: 'Europe/London', sentAt: new Date('2026-11-20T10:30:00Z') };
const fields = (text: string, options: ExtractOptions = london) => caseFields(extractCase(text, options));
const X01 = 'XERO01 Error: Unable to complete action to Xero. Please reach out to Concierge for additional assistance.';

describe('extractCase: codes and the error message', () => {
  it('takes the vendor line out of the chatter around it', () => {
    const text = `Hi! Our report 'March travel' won't go to Xero. It says:\n${X01}\nThis started yesterday at 3pm.`;
    const found = extractCase(text, london);
    expect(found.codes.map((c) => c.value)).toEqual(['XERO01']);
    expect(found.message?.value).toBe(X01);
    // Each value keeps where it came from, so a summary can quote the paste.
    expect(text.slice(found.message!.start, found.message!.end)).toBe(X01);
    expect(text.slice(found.report!.start, found.report!.end)).toBe('March travel');
  });

  it('finds code-shaped codes the knowledge base does not know, and known codes such as TOKEN_EXPIRED', () => {
    const got = fields('Error XRO027: Invoice number already exists, and later TOKEN_EXPIRED', { ...london, knownCodes: ['TOKEN_EXPIRED'] });
    expect(got.codes).toEqual(['XRO027', 'TOKEN_EXPIRED']);
    expect(got.message).toBe('Error XRO027: Invoice number already exists, and later TOKEN_EXPIRED');
  });

  it('reads the message inside Xero XML and JSON bodies, not their plumbing', () => {
    const xml = '<ErrorNumber>10</ErrorNumber>\n<Message>A validation exception occurred</Message>\n<ValidationErrors>\n<ValidationError>\n<Message>Account could not be found</Message>';
    expect(fields(xml).message).toBe('A validation exception occurred\nAccount could not be found');
    const json = '{"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 04/09/2023 05:16:59"}';
    const got = fields(json);
    expect(got.message).toBe('TokenExpired: token expired at 04/09/2023 05:16:59');
    expect(got.time).toBeNull(); // when a token expired is not when the export failed
  });

  it('skips stack frames and takes the innermost exception named mid-line or behind a module path', () => {
    const node = 'Unhandled error { Error: XeroError: token_rejected (Token ABC does not match an expected REQUEST token)\n    at XeroError.Error (native)';
    expect(fields(node).message).toBe('XeroError: token_rejected (Token ABC does not match an expected REQUEST token)');
    const python = '  File "/x/basemanager.py", line 264, in wrapper\n    raise XeroRateLimitExceeded(response, payload)\nxero.exceptions.XeroRateLimitExceeded: please wait before retrying';
    expect(fields(python).message).toBe('xero.exceptions.XeroRateLimitExceeded: please wait before retrying');
  });

  it('keeps the vendor sentence of a chatty line, with its "Please ..." advice, and drops the narration', () => {
    const text = 'Calxa sync failed for Acme. It says: The access token is not valid, or has been revoked. Please re-authenticate.';
    expect(fields(text).message).toBe('The access token is not valid, or has been revoked. Please re-authenticate.');
    expect(fields('I can\'t export my report, please help').message).toBeNull();
  });

  it('ends the vendor sentence of a chatty line where the person starts talking again', () => {
    const text = 'Hi team, the offsite expenses would not go through. It said: Unable to complete action to Xero. Happened around lunchtime. Reach me at sam@example.com';
    expect(fields(text).message).toBe('Unable to complete action to Xero.');
  });

  it('leaves the report and time the person added after the vendor sentence out of the message', () => {
    const got = fields(`${X01} report R00650 at 5am today`);
    expect(got.message).toBe(X01);
    expect(got.report).toBe('R00650');
    expect(got.time).toBe('2026-11-20T05:00:00+00:00');
  });

  it('reads symbolic codes of three or more parts, not two-part words', () => {
    expect(fields('push failed with XERO_EXPORT_TAX_MAPPING_REQUIRED, see SUPPORT_CHANNEL').codes).toEqual(['XERO_EXPORT_TAX_MAPPING_REQUIRED']);
  });

  it('takes a quoted error out of a sentence', () => {
    expect(fields('Xero said "Account code 310 is not a valid code for this document" on bill BILL-1043').message).toBe(
      'Account code 310 is not a valid code for this document',
    );
  });
});

describe('extractCase: report', () => {
  it.each([
    ['report R00123 failed', 'R00123'],
    ['Report ID: 4817293019283746 failed to export', '4817293019283746'],
    ["report 'March travel' is stuck", 'March travel'],
    ['Getting this on INV-0042', 'INV-0042'],
    ['bill BILL-1043 again', 'BILL-1043'],
  ])('%s', (text, report) => {
    expect(fields(text).report).toBe(report);
  });

  it('picks the document named next to the error when several are named', () => {
    expect(fields('We exported INV-0107 fine but INV-0108 gave\nOne or more line items must be specified').report).toBe('INV-0108');
  });
});

describe('extractCase: time of the failure', () => {
  it.each([
    ['2026-11-20T01:05:00Z', london, '2026-11-20T01:05:00+00:00'],
    ['on 20/11/2026 14:05', { timeZone: 'Pacific/Auckland', sentAt: new Date('2026-11-20T03:00:00Z') }, '2026-11-20T14:05:00+13:00'],
    ['since Nov 20, 2:05 PM', { timeZone: 'America/New_York', sentAt: new Date('2026-11-20T21:00:00Z') }, '2026-11-20T14:05:00-05:00'],
    ['yesterday at 3pm', london, '2026-11-19T15:00:00+00:00'],
    ['20 minutes ago', london, '2026-11-20T10:10:00+00:00'],
    ['this morning', london, '2026-11-20T06:00:00+00:00'],
    ['last night at 11pm', london, '2026-11-19T23:00:00+00:00'],
    ['yesterday at 9:30am', { timeZone: 'Australia/Sydney', sentAt: new Date('2026-11-20T01:00:00Z') }, '2026-11-19T09:30:00+11:00'],
  ])('%s', (text, options, iso) => {
    const got = fields(`It failed ${text}`, options);
    expect(got.time).toBe(iso);
    expect(got.timeText).toContain(text.replace(/^(on|since) /, ''));
  });

  it('resolves "yesterday" across the spring-forward change in the sender zone', () => {
    // Sent the morning after British Summer Time began (29 March 2026): yesterday afternoon was already BST.
    expect(fields('failed yesterday at 3pm', { timeZone: 'Europe/London', sentAt: new Date('2026-03-30T09:00:00Z') }).time).toBe('2026-03-29T15:00:00+01:00');
    // Sent the day after New Zealand left daylight time (5 April 2026, 03:00): 9am that day was +12.
    expect(fields('failed yesterday at 9am', { timeZone: 'Pacific/Auckland', sentAt: new Date('2026-04-06T00:00:00Z') }).time).toBe('2026-04-05T09:00:00+12:00');
    // And the autumn change in New York (1 November 2026).
    expect(fields('failed yesterday at 3pm', { timeZone: 'America/New_York', sentAt: new Date('2026-11-02T15:00:00Z') }).time).toBe('2026-11-01T15:00:00-05:00');
  });

  it('reads an ambiguous numeric date in the sender locale and says which order it assumed', () => {
    const uk = extractCase('failed 03/04/2026 09:15', { timeZone: 'Europe/London', sentAt: new Date('2026-04-03T12:00:00Z') });
    expect(uk.time).toMatchObject({ value: '2026-04-03T09:15:00+01:00', assumedOrder: 'day/month' });
    const us = extractCase('failed 03/04/2026 09:15', { timeZone: 'America/New_York', sentAt: new Date('2026-03-04T20:00:00Z') });
    expect(us.time).toMatchObject({ value: '2026-03-04T09:15:00-05:00', assumedOrder: 'month/day' });
    const unambiguous = extractCase('failed 20/11/2026 09:15', london);
    expect(unambiguous.time?.assumedOrder).toBeNull();
  });
});

describe('extractCase: never invents', () => {
  it('leaves every field empty when the text holds none of them', () => {
    expect(fields('why does this keep happening? nothing changed on our side')).toEqual({
      codes: [], message: null, report: null, time: null, timeText: null, org: null,
    });
  });

  it('ignores a day with no time of day, lock dates and chatter that only mentions failing', () => {
    const got = fields('nothing has synced since Monday\nThe document date cannot be before the period lock date, currently set at 30-Nov-2018');
    expect(got.time).toBeNull();
    expect(fields('Help please, Acme Ltd cannot export anything').message).toBeNull();
  });

  it('names an organisation only when it is one of the connected ones', () => {
    expect(fields('Northwind Traders export broke', { ...london, organisations: ['Acme Ltd', 'Northwind Traders'] }).org).toBe('Northwind Traders');
    expect(fields('Globex export broke', { ...london, organisations: ['Acme Ltd'] }).org).toBeNull();
    expect(fields('Acme Ltd export broke').org).toBeNull();
  });

  it('does not read a web address or an invoice number as an error code', () => {
    expect(fields('see https://example.com/ABC123 and INV-0042').codes).toEqual([]);
  });

  it('refuses an unknown zone with a coded error', () => {
    expect(() => extractCase('x', { timeZone: 'Mars/Base' })).toThrow(ExtractError);
  });
});
