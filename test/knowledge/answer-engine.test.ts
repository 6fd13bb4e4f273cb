import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnswerEngine, type AnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { UNSURE_ANSWER_BELOW } from '../../src/knowledge/answer.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { nameTerms, searchTerms } from '../../src/knowledge/text.ts';
import { engineAnswerer, evaluate, readEvalCases } from '../../bench/kb-eval.ts';
import { articleText, knowledgeDir } from './fixtures.ts';

const repoKnowledge = join(import.meta.dirname, '../../knowledge');

describe('answer engine on the bundled knowledge base', () => {
  let engine: AnswerEngine;
  beforeAll(() => {
    engine = createAnswerEngine(loadKnowledge(repoKnowledge));
  });

  it('answers the pasted XERO11 sync error with XERO11, matched by its code', () => {
    const answer = engine.answer('XERO11 Sync Error: The connection to Xero has expired');
    expect(answer.article?.id).toBe('XERO11');
    expect(answer.matchedBy).toBe('code');
    expect(answer.confidence).toBe(1);
    expect(answer.actions).toContain('reconnect');
  });

  // Expensify's published Xero error codes (and their Classic "ExpensiError XRO0nn" names) with the article for
  // the cause its help page gives; a code no article claimed was named back as unknown.
  it.each([
    ['XERO08 Export Error: PDF of report is too large to export (>10MB).', 'ATTACHMENT_FAILED'],
    ['XERO12 Sync Error: This workspace is connected to Xero with the retired OAuth 1.0 API.', 'RECONNECT'],
    ['XERO14 Export Error: Billable expenses require a customer.', 'MORE_INFO_REQUIRED'],
    ['ExpensiError XRO027: Category No Longer Exists in Xero', 'INVALID_ACCOUNT_CODE'],
    ['XERO31 Export Error: This expense has already been marked as paid in Xero', 'INVOICE_NOT_EDITABLE'],
    ['XERO33 on my report', 'PERIOD_LOCKED'],
    ['XERO45 Sync Error: Unable to sync Xero data because Xero rejected the connection\'s credentials.', 'XERO11'],
    ['XERO68 Export Error: Currency not set up or enabled in Xero.', 'CURRENCY_NOT_ENABLED'],
    ['XERO76 Export Error: This report was previously exported and then voided in Xero.', 'INVOICE_NOT_EDITABLE'],
    ['XERO84 Sync Error: There was a problem syncing Xero data.', 'MULTIPLE_ORGS'],
    ['ExpensiError XRO087: No or Incorrect Bank Account', 'BANK_ACCOUNT_INVALID'],
    ['what does XERO95 mean', 'INVALID_TAX_RATE'],
    ['XERO99 Export Error: Xero invoice approval limit reached.', 'PLAN_LIMIT_REACHED'],
  ])('answers Expensify\'s code in "%s" with %s', (question, id) => {
    const answer = engine.answer(question);
    expect(answer.article?.id).toBe(id);
    expect(answer.matchedBy).toBe('code');
  });

  it('finds a code inside a long pasted error, whatever its case', () => {
    const pasted = `Export of report "Q3 travel" (ID 88213) failed at 14:02.\nDetails: xero01 - we could not complete the action.\nRequest id 7f3a9c`;
    const answer = engine.answer(pasted);
    expect(answer.article?.id).toBe('XERO01');
    expect(answer.matchedCode?.toUpperCase()).toBe('XERO01');
  });

  it('recognises a Xero validation message with the values filled in', () => {
    const answer = engine.answer('Validation failed: Account code \'200-XYZ\' is not a valid code for this document.');
    expect(answer.article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(answer.matchedBy).not.toBe('search');
  });

  it('ranks free-text questions, with synonyms and typos', () => {
    expect(engine.answer('our GL code got archived').article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(engine.answer('GST not accepted by xero').article?.id).toBe('INVALID_TAX_RATE');
    expect(engine.answer('invalid acount code').article?.id).toBe('INVALID_ACCOUNT_CODE');
    const answer = engine.answer('period lock date error');
    expect(answer.matchedBy === 'search' || answer.matchedBy === 'pattern').toBe(true);
    expect(answer.article?.id).toBe('PERIOD_LOCKED');
  });

  it('returns up to three alternatives, none of them the answer itself', () => {
    const answer = engine.answer('reconnect xero integration');
    expect(answer.alternatives.length).toBeGreaterThan(0);
    expect(answer.alternatives.length).toBeLessThanOrEqual(3);
    expect(answer.alternatives.map((a) => a.id)).not.toContain(answer.article?.id);
  });

  it("gives a code's answer the same closest articles however they are read: directly, as JSON or copied", () => {
    // They are worked out only when read (a reply under a code shows none), and must not differ for it.
    const q = 'PERIOD_LOCKED on the bill';
    const read = engine.answer(q);
    expect(read.matchedBy).toBe('code');
    expect(read.alternatives.map((a) => a.id)).toContain('INVOICE_NOT_EDITABLE');
    expect(JSON.parse(JSON.stringify(engine.answer(q)))).toEqual(JSON.parse(JSON.stringify(read)));
    expect({ ...engine.answer(q) }.alternatives).toEqual(read.alternatives);
    expect(Object.keys(engine.answer(q))).toEqual(Object.keys(read));
    const replaced = engine.answer(q);
    replaced.alternatives = [];
    expect(replaced.alternatives).toEqual([]);
  });

  it('names an unknown code back instead of guessing', () => {
    for (const q of ['QBO01', 'NETSUITE02 error', 'QBO01 sync failed', 'Export refused with Line_JobHeaderNotAllowed']) {
      const answer = engine.answer(q);
      expect(answer.article, q).toBeNull();
      expect(answer.reason, q).toBe('unknown_code');
      expect(answer.unknownCode, q).toMatch(/^(QBO01|NETSUITE02|Line_JobHeaderNotAllowed)$/);
      expect(answer.actions).toEqual(['escalate']);
    }
  });

  it('returns no article for out-of-scope questions, below the threshold', () => {
    for (const q of ['how do I bake sourdough', 'what is the capital of France', 'xero', 'xero is broken']) {
      const answer = engine.answer(q);
      expect(answer.article, q).toBeNull();
      expect(['low_confidence', 'out_of_scope'], q).toContain(answer.reason);
      expect(answer.confidence).toBeLessThan(engine.minConfidence);
    }
  });

  /** No article and no guess: the text is about something else than a Xero integration. */
  const expectOutOfScope = (q: string) => {
    const answer = engine.answer(q);
    expect(answer.article, q).toBeNull();
    expect(answer.reason, q).toBe('out_of_scope');
  };

  it('names no article for another accounting system, however familiar its error', () => {
    for (const q of [
      'Getting invalid_grant when refreshing the QuickBooks token',
      "intuitlib.exceptions.AuthClientError: HTTP status 400, error message: b'{\"error\":\"invalid_grant\"}'",
      "myob.exceptions.MyobUnauthorized: (<Response [401]>, 'Unauthorized')",
      'QBO - "You can only use one foreign currency per transaction" message when trying to export',
    ]) {
      expectOutOfScope(q);
      expect(engine.answer(q).alternatives, q).toEqual([]);
    }
    // Xero named beside another system keeps the question ours.
    expect(engine.answer('Moving from QuickBooks to Xero and Xero says invalid_grant').article?.id).toBe('TOKEN_EXPIRED');
  });

  it('knows open-source and small-business ledgers and ERPs as other accounting systems', () => {
    for (const q of [
      'ERPNext: payment entry fails, the paid amount exceeds the outstanding amount of the invoice',
      'Akaunting 3.1: the refresh token has expired and bank sync stopped',
      'Dolibarr invoice export rejected: account code does not exist',
      'Invoice Ninja says the tax rate is invalid on recurring invoices',
    ]) {
      expectOutOfScope(q);
    }
    expect(engine.answer('ERPNext to Xero sync: Xero says the account code does not exist').article?.id).toBe('INVALID_ACCOUNT_CODE');
  });

  it("knows another product's API by its vocabulary or its OAuth address, even unnamed", () => {
    for (const q of [
      'Token refresh returns invalid_grant for realmId 4620816365',
      'Update failed: Stale Object Error, the SyncToken we sent is old',
      'Required parameter CustomerRef is missing when we create the invoice',
      'Invalid login attempt: see the Login Audit Trail',
      'Token-based authentication fails for the integration role',
      'Every call answers 403 and names the x-myobapi-key header',
      'POST https://auth.example-books.com/oauth2/token answers invalid_grant, token expired',
      'Failed with errorCode=003200 statusCode=401 AuthenticationFailed',
      'SSS_MISSING_REQD_ARGUMENT when the script creates the invoice',
      'Stripe webhook: No signatures found matching the expected signature for payload',
      "No such customer: 'cus_Nx8Kd92LmQ1pZz'",
      'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
      'The Web Connector stops with an authentication error on every run',
    ]) expectOutOfScope(q);
    // The same token trouble with Xero in it is ours, and so is a Xero OAuth address.
    expect(engine.answer('Xero refresh returns invalid_grant, the token expired').article?.id).toBe('TOKEN_EXPIRED');
    expect(engine.answer('POST https://identity.xero.com/connect/token answers invalid_grant, token expired').article?.id).toBe('TOKEN_EXPIRED');
    // An app's own callback address and everyday words ("the sync token") say nothing about another product.
    expect(engine.answer('redirect_uri mismatch for https://localhost:3000/oauth/callback').reason).not.toBe('out_of_scope');
    expect(engine.answer('The sync token has expired, what do I do?').reason).not.toBe('out_of_scope');
  });

  it("leaves another identity provider's OAuth error unanswered when Xero is nowhere in it", () => {
    for (const q of [
      'Token exchange failed: 401 Unauthorized {"error":"access_denied","error_description":"Unauthorized"}',
      'The renew token call always returns {"error":"invalid_request"}',
      'Calling the profile endpoint gives { code: "unauthenticated", message: "This action requires authentication to continue" }',
    ]) expectOutOfScope(q);
    // The same reply with Xero in the text is a Xero connection's.
    expect(engine.answer('Connecting to Xero returns {"error":"access_denied"} and the token never arrives').reason).not.toBe('out_of_scope');
  });

  it("knows another system by an error number longer than Xero's", () => {
    expectOutOfScope('RecordLocked: Error Code: 31002. Message: the card file is in use and cannot be changed');
    expectOutOfScope('Sync stopped with error code 3200, the token has expired');
    // Xero's own error numbers and HTTP statuses are short.
    expect(engine.answer('ErrorNumber: 10, Type: ValidationException, Account code 999 is not a valid code for this document').article?.id).toBe('INVALID_ACCOUNT_CODE');
  });

  it("leaves a limit of Xero's own set-up unanswered, but not one an export runs into", () => {
    expectOutOfScope('Unable to add more than 2 tracking categories');
    expectOutOfScope('Cannot create more than 4 active tracking options per category');
    expect(engine.answer('The export fails because Xero will not take more than 2 tracking categories on a line').reason).not.toBe('out_of_scope');
    // Only an attempt to set up more of something is such a limit; saying how much there is reports nothing of the kind.
    expect(engine.answer('We have more than 500 contacts and Xero is not responding').reason).not.toBe('out_of_scope');
  });

  it('leaves how-to questions that report no failure unanswered, but not questions about a code', () => {
    for (const q of ['How do I void a customer invoice?', 'What does void invoice mean in xero?']) {
      expect(engine.answer(q).article, q).toBeNull();
      expect(engine.answer(q).reason, q).toBe('out_of_scope');
    }
    expect(engine.answer('What does XERO11 mean?').article?.id).toBe('XERO11');
    expect(engine.answer('How do I fix the export error about a locked period?').article?.id).toBe('PERIOD_LOCKED');
  });

  it('knows a how-to question typed without "do I" ("how set up a new tax rate in xero"), but answers one about the integration', () => {
    for (const q of ['how set up a new tax rate in xero', 'how archive an old account code in xero']) expectOutOfScope(q);
    expect(engine.answer('how reconnect xero after the token expired').article?.id).toBe('TOKEN_EXPIRED');
  });

  it('leaves a how-to question unanswered when a sentence of context comes first', () => {
    const q = 'From what I read, Xero only returns one organisation per call. How do I list the other organisations?';
    expect(engine.answer(q).reason).toBe('out_of_scope');
  });

  it('leaves a how-to question unanswered after a title ending in a colon', () => {
    expect(engine.answer('Bank reconciliation in Xero: how to reconcile transactions?').reason).toBe('out_of_scope');
  });

  it('lets no subject named in passing decide an answer: a how-to about webhooks is out of scope, a chat about lock dates unsure', () => {
    expect(engine.answer('How do I set up a webhook for Xero payments?').reason).toBe('out_of_scope');
    const chat = engine.answer('We set a lock date in Xero at the end of every month.');
    expect(chat.matchedBy).toBe('search');
    expect(chat.confidence).toBeLessThan(0.8);
    // The same subject in a reported error still decides.
    const failed = engine.answer('Export failed with an error: the lock date blocks it');
    expect(failed.article?.id).toBe('PERIOD_LOCKED');
    expect(failed.matchedBy).toBe('pattern');
  });

  it('reads the lines of a post that say what is wrong apart from its greeting, story and thanks', () => {
    const post = (message: string) =>
      `Hi everyone,\nWe run a small plumbing business and send every job invoice from our field app overnight, it has been great for two years.\n${message}\nAny help appreciated, thanks!`;
    for (const [message, id] of [
      ['the supplier on this bill is archived', 'CONTACT_NOT_FOUND'],
      ['our bank account in Xero is inactive so payments are skipped', 'BANK_ACCOUNT_INVALID'],
      ['the item on the invoice was deleted in Xero', 'ITEM_CODE_INVALID'],
    ] as const) {
      const alone = engine.answer(message);
      const wrapped = engine.answer(post(message));
      expect(wrapped.article?.id, message).toBe(id);
      expect(wrapped.confidence, message).toBe(alone.confidence);
    }
  });

  it('lets a subject decide a long post only on the line that reports the error', () => {
    // The webhook is the set-up story; what failed is a 404 on another line.
    const post = [
      'We built an order dashboard on top of Xero.',
      'A webhook tells us when an invoice is paid, and we then fetch the invoice with its payments.',
      'The dashboard keeps its own copy of each contact.',
      'Since Monday every fetch fails: GET https://api.xero.com/api.xro/2.0/Invoices/abc returns 404 Not Found.',
    ].join('\n');
    const answer = engine.answer(post);
    expect(answer.matchedBy).not.toBe('pattern');
    expect(answer.confidence).toBeLessThan(0.8);
    // Named on the error line, or in a message short enough to be the error with its advice, it still decides.
    const onTheLine = engine.answer('We set it up last month.\nIt worked then.\nNothing changed on our side.\nNow our Xero webhook fails every time.');
    expect(onTheLine.article?.id).toBe('PAYMENTS_NOT_APPEARING');
    expect(onTheLine.confidence).toBeGreaterThanOrEqual(0.8);
    expect(engine.answer('Xero webhook failed').article?.id).toBe('PAYMENTS_NOT_APPEARING');
  });

  it('knows Payroll by its filings and leave, and how-to questions by more of their openings', () => {
    for (const q of ['Our STP filing to the ATO was rejected', 'Annual leave balance is wrong on the payslip', 'Should I archive the old contact first?', 'How many tracking categories can Xero have?']) {
      expect(engine.answer(q).reason, q).toBe('out_of_scope');
    }
    // A connection failure stays ours, in Payroll as anywhere.
    expect(engine.answer('STP sync fails: the payroll.employees scope was refused').reason).not.toBe('out_of_scope');
    // So is a payroll product's journal that will not post to Xero: an export like any other.
    const journal = engine.answer("The pay run journal from our payroll app won't post to Xero because a cost centre is missing");
    expect(journal.reason).not.toBe('out_of_scope');
    expect(journal.alternatives.map((a) => a.id)).toContain('TRACKING_OPTION_INVALID');
  });

  it('leaves Payroll questions unanswered unless the trouble is the connection itself', () => {
    for (const q of ['Creating a leave application for an employee returns a 400 bad request', 'The payslip totals in the API differ from the pay run screen']) {
      expect(engine.answer(q).article, q).toBeNull();
      expect(engine.answer(q).reason, q).toBe('out_of_scope');
    }
    expect(engine.answer('Our pay run export to Xero fails because the payroll.employees scope was not granted').article?.id).toBe('SCOPE_MISSING');
  });

  it('is never sure of an answer that rests on one shared word', () => {
    const answer = engine.answer('cancelled');
    expect(answer.confidence).toBeLessThanOrEqual(0.75);
    expect(engine.answer('Xero says the subscription was cancelled and the organisation is read-only').confidence).toBeGreaterThan(0.75);
  });

  it('reads the error after a line that only introduces it', () => {
    expect(engine.answer('When we try to export we get the below error:\nAccount code 400 has been archived').article?.id).toBe('INVALID_ACCOUNT_CODE');
  });

  it('reads error names run together and URL-encoded messages', () => {
    expect(engine.answer('xero.exceptions.XeroRateLimitExceeded').article?.id).toBe('RATE_LIMITED');
    expect(engine.answer('oauth_problem=rate%20limit%20exceeded&oauth_problem_advice=please%20wait').article?.id).toBe('RATE_LIMITED');
    expect(engine.answer('{"Title": "RequestEntityTooLarge", "Status": 413}').article?.id).toBe('ATTACHMENT_FAILED');
  });

  it("reads an HTTP status without its words as the status: a 503 or 504 is Xero unavailable, a 429 its limit", () => {
    // "Response code" is no OAuth client's code: the number says what failed.
    expect(engine.answer('Export stopped with: Unknown response code: 503').article?.id).toBe('XERO_OUTAGE');
    expect(engine.answer('Xero export log: status 504 on every invoice since 9am').article?.id).toBe('XERO_OUTAGE');
    expect(engine.answer('every bill export to Xero comes back with status 429').article?.id).toBe('RATE_LIMITED');
  });

  it('reads a mandatory or compulsory field as a required one', () => {
    expect(engine.answer('Xero export failed: the due date is mandatory').article?.id).toBe('MORE_INFO_REQUIRED');
    expect(engine.answer('The supplier reference is compulsory, so the bill did not go to Xero').article?.id).toBe('MORE_INFO_REQUIRED');
  });

  it('knows a payment that cannot sync because Xero already has its invoice paid', () => {
    expect(engine.answer('The payment will not sync to Xero because the invoice is already marked as paid there').article?.id).toBe('PAYMENT_EXCEEDS_BALANCE');
  });

  it('knows an account code used on the wrong side of the books (sales on a purchase, purchase on a sale)', () => {
    expect(engine.answer('Wrong account: a purchase code ended up on the sales invoice').article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(engine.answer('Xero rejected the bill: we used a sales code on a purchase').confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('knows a connection disrupted by a change of login or two-factor authentication, an organisation that cannot be selected, Xero taken offline and a record changed on one side only', () => {
    expect(engine.answer('The connection to Xero was disrupted after our admin turned on two-factor authentication').article?.id).toBe('NOT_CONNECTED');
    const greyed = engine.answer('Our organisation cannot be selected on the Xero page when we try to connect');
    expect(greyed.article?.id).toBe('ORG_GREYED_OUT');
    expect(greyed.matchedBy).toBe('pattern');
    expect(engine.answer('Xero took the service offline over the weekend and every export failed').confidence).toBeGreaterThanOrEqual(0.6);
    expect(engine.answer('Xero took the service offline over the weekend and every export failed').article?.id).toBe('XERO_OUTAGE');
    expect(engine.answer('The amounts in Xero disagree because the invoice was changed in one system but not in the other').confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('claims less than 0.8 for a search answer to a text that never names Xero: the same words fit the same failure elsewhere', () => {
    const unnamed = engine.answer('Upload failed: request failed with status code 413');
    expect(unnamed.article?.id).toBe('ATTACHMENT_FAILED');
    expect(unnamed.confidence).toBeLessThan(0.8);
    expect(engine.answer('Uploading the receipt to Xero failed: request failed with status code 413').confidence).toBeGreaterThanOrEqual(0.8);
    // Xero's own codes and messages are proof enough without its name.
    expect(engine.answer('Export failed: Quantity must not be less than zero').confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('knows a connection that cannot be completed as the set-up failing, whatever modal verb the message uses', () => {
    const answer = engine.answer('Setting up the integration fails: the connection cannot be completed');
    expect(answer.article?.id).toBe('CONNECT_SETUP_FAILED');
    expect(answer.matchedBy).toBe('pattern');
  });

  it('reads "contact must be valid" like its siblings "Account must be valid" and "Tax rate must be valid": the reference is wrong', () => {
    const answer = engine.answer('Creating the bill fails validation: Contact must be valid.');
    expect(answer.article?.id).toBe('CONTACT_NOT_FOUND');
    expect(answer.matchedBy).toBe('pattern');
  });

  it('tells a payment that never reached Xero from one Xero has that the product lacks', () => {
    expect(engine.answer('We paid the reimbursement in our tool but the bill is still awaiting payment in Xero').article?.id).toBe('PAYMENT_NOT_EXPORTED');
    expect(engine.answer('I marked the invoice paid in Xero but it still shows as unpaid here').article?.id).toBe('PAYMENTS_NOT_APPEARING');
  });

  it('finds the error line in a long post', () => {
    const post = 'Our nightly job has run fine for months and nobody changed the code.\nThis morning every request to Xero stops.\nThe log says: 403 Forbidden, AuthenticationUnsuccessful';
    expect(engine.answer(post).article?.id).toBe('ORG_ID_INVALID');
  });

  it('reads the error apart from a clause that only concedes something', () => {
    const q = "Creating the bill returns an error that the supplier already exists, although we send the supplier's id with it.";
    expect(engine.answer(q).article?.id).toBe('CONTACT_NAME_IN_USE');
  });

  it('counts "reached our limit" as the error line of a post', () => {
    const post = 'We export from our booking tool every night and nothing changed on our side.\nThe notification says Xero has a 24 hour cap on calls and we have reached our limit.';
    expect(engine.answer(post).article?.id).toBe('RATE_LIMITED');
  });

  it('reads past the names of products and people, filler and the words products use for exporting', () => {
    expect(engine.answer('Since Tuesday Pleo keeps telling us that Xero has rejected the tax rate on the receipts').article?.id).toBe('INVALID_TAX_RATE');
    expect(engine.answer('Every time Dext publishes a bill, Xero says the account code is archived').article?.id).toBe('INVALID_ACCOUNT_CODE');
  });

  it('reads Slack shorthand: a number after an account word is the account, "acct" and "pmt" are words, an app is named in lower case, unlinking is disconnecting', () => {
    // "404" after "acct" is the account's code, not Xero saying something was not found.
    expect(searchTerms('account code 500 is archived in xero')).not.toContain('outag');
    expect(engine.answer('our acct 404 got archived, bills to it fail now').article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(engine.answer('the tipalti pmt never showed up in xero').article?.id).toBe('PAYMENT_NOT_EXPORTED');
    expect(nameTerms('square invoices not showing in xero')).toContain('squar');
    expect(engine.answer('how do i unlink xero and link it back up').article?.id).toBe('RECONNECT');
    expect(engine.answer('disconnected xero by accident, how do i link it back').article?.id).toBe('RECONNECT');
  });

  it('answers whether unlinking and relinking Xero loses the mappings with the reconnect article, which says', () => {
    // Asked again and again in Slack; the article's FAQ answers it.
    expect(engine.answer('planning to unlink and relink xero this week, will we lose the mappings?').article?.id).toBe('RECONNECT');
    expect(engine.answer('do we lose mappings when we relink xero').article?.id).toBe('RECONNECT');
  });

  it('counts every negative contraction as trouble, so a how-to about something that "aren\'t" there is a support question', () => {
    expect(engine.answer("how do i get the receipt images across? they aren't on the xero bills").article?.id).toBe('ATTACHMENT_FAILED');
    expect(engine.answer('the receipt photos arent attached to the bills in xero, how do i get them over').confidence).toBeGreaterThan(0.6);
  });

  it('reads "no error" and "nothing in the log" as a silent failure, not as an error whose message explains nothing', () => {
    expect(engine.answer('the invoice never showed up in xero, nothing in the sync log either').article?.id).toBe('INVOICE_NOT_SYNCING');
    expect(engine.answer('the export failed but the error message is empty').article?.id).toBe('UNEXPECTED_ERROR');
  });

  it('reads short queries as typed: a "Xero company" is an organisation, a page that keeps loading hangs, "tenantid" is a tenant id', () => {
    expect(engine.answer('bills went into the wrong Xero company overnight').article?.id).toBe('MULTIPLE_ORGS');
    expect(engine.answer('the xero consent screen keeps loading after i press allow').article?.id).toBe('CONNECT_SETUP_FAILED');
    expect(engine.answer('xero says the organisationid we send is not valid').article?.id).toBe('ORG_ID_INVALID');
    // A plural of capitals is one word: "IDs", not "I" and "Ds".
    expect(searchTerms('tenantid and ContactIDs')).toEqual(['organis', 'contact']);
  });

  it('reads "nowhere to be found" as missing', () => {
    expect(engine.answer('our new invoice is nowhere to be found in Xero').article?.id).toBe('INVOICE_NOT_SYNCING');
  });

  it("leaves bank feeds and reconciling in Xero unanswered, unless the text says what the product did or shows", () => {
    for (const question of ['bank feed stopped pulling in transactions in xero', "the statement lines won't reconcile in xero", 'xero bank rules not matching card transactions']) expectOutOfScope(question);
    expect(engine.answer('reconciled the payment in xero but our app still shows the invoice unpaid').article?.id).toBe('PAYMENTS_NOT_APPEARING');
  });

  it('reads a code typed with its letters and digits apart, and names it back as the code', () => {
    const answer = engine.answer('we got xero 01 when exporting the claim');
    expect([answer.article?.id, answer.matchedBy, answer.matchedCode]).toEqual(['XERO01', 'code', 'XERO01']);
  });

  it('reads plain words for items, currencies, dates and roles: a part number, an invoice in euros, a backdated claim, a read-only login', () => {
    expect(engine.answer('the part number on the bill does not exist in xero').article?.id).toBe('ITEM_CODE_INVALID');
    expect(searchTerms('an invoice in euros')).toContain('currenc');
    // A currency beside a figure only says what the amount is in.
    expect(engine.answer('xero rejected the bill, amount was 120 EUR, account code 400 archived').article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(engine.answer('backdated claims are refused by xero').confidence).toBeGreaterThan(0.8);
    expect(engine.answer('our xero login is read only so the export fails').article?.id).toBe('PERMISSION_DENIED');
    // Xero's own message quotes the code: "Account code '429'" is an account, not a rate limit.
    expect(searchTerms("Account code '429' is not a valid code")).not.toContain('rate');
  });

  it("leaves another app's API and another login's password unanswered when Xero is not named", () => {
    for (const question of ['shopify api webhook returns 429 rate limit', 'my expense app password expired']) expectOutOfScope(question);
    expect(engine.answer('after I changed my xero password the sync stopped').reason).not.toBe('out_of_scope');
  });

  it("leaves other tools' tokens, statuses and how-tos done in Xero itself unanswered, but not a Xero app hosted somewhere", () => {
    for (const question of [
      'jira cloud api returns 401 unauthorized',
      'our gitlab token expired',
      'nginx 504 gateway timeout on our server',
      'hubspot private app returns 401',
      'stripe 429 on every call',
      'add our accountant as a user in xero',
      'update the card for our xero subscription',
    ]) expectOutOfScope(question);
    expect(engine.answer('deployed our app to Azure and the redirect uri is now invalid').article?.id).toBe('OAUTH_SETUP_INVALID');
  });

  it("reads a browser in an issue template's environment fields as where it ran, not as another tool's trouble", () => {
    const report = '**Describe the bug**\nThe sync log says TokenExpired: token expired at 04/09/2023\n\n**Desktop (please complete the following information):**\n - OS: Windows 11\n - Browser: Chrome 119';
    expect(engine.answer(report).article?.id).toBe('TOKEN_EXPIRED');
    // Named anywhere else, the browser is still the subject: its sign-in is its own.
    expectOutOfScope('chrome keeps saying my session expired');
  });

  it('reads "max reached" as a limit and a product code or SKU as an inventory item', () => {
    expect(engine.answer('cant connect another xero org, max reached').confidence).toBeGreaterThan(0.9);
    expect(engine.answer('product code rejected by xero on the invoice line').article?.id).toBe('ITEM_CODE_INVALID');
  });

  it('reads unhooking and hooking Xero back up as disconnecting and reconnecting, so the how-to is about the integration', () => {
    expect(engine.answer('how do we unhook xero and hook it up again cleanly').article?.id).toBe('RECONNECT');
  });

  it("leaves questions about Xero itself unanswered: \"where's\" and \"can you\" how-tos, and signing in to Xero with no integration at work", () => {
    for (const question of ["where's the balance sheet in xero", 'can you set up a budget in xero for next year', 'lost my phone and now the xero authenticator code is gone']) expectOutOfScope(question);
    // Two-factor that broke the connection is the connection's trouble.
    expect(engine.answer('after we changed two-factor on the admin login the xero connection dropped').article?.id).toBe('NOT_CONNECTED');
  });

  it('reads a bounced document as rejected, "not being found" as missing and an invoice our app still shows as outstanding as unpaid', () => {
    expect(searchTerms('the bill bounced back from xero')).toContain('reject');
    expect(engine.answer('the usd bill bounced back from xero').article?.id).toBe('CURRENCY_NOT_ENABLED');
    expect(searchTerms('it complains about the contact not being found')).toContain('miss');
    expect(engine.answer('paid in xero yesterday but our app still shows the invoice as outstanding').article?.id).toBe('PAYMENTS_NOT_APPEARING');
  });

  it("knows Salesforce's own session error when Xero is not named", () => {
    expect(engine.answer('crm sync log says session expired or invalid').reason).toBe('out_of_scope');
  });

  it('reads "hit" as pressing a button, not as reaching a limit (the limit says so itself)', () => {
    expect(searchTerms('if i hit retry will it duplicate the bill')).not.toContain('hit');
    expect(engine.answer('we hit the xero rate limit again').article?.id).toBe('RATE_LIMITED');
  });

  it("leaves a forgotten or reset Xero password unanswered, unless the integration broke with it", () => {
    expect(engine.answer('i forgot my xero password').reason).toBe('out_of_scope');
    expect(engine.answer('after resetting the xero password our sync stopped').reason).not.toBe('out_of_scope');
  });

  it('keeps a how-to about the integration in scope when it speaks of mappings or of documents that bounce', () => {
    expect(engine.answer('what is the best way to keep our account mappings when switching to a new xero org?').reason).not.toBe('out_of_scope');
    expect(engine.answer('our bills for that supplier keep bouncing. how do we point them at the right contact?').article?.id).toBe('CONTACT_NOT_FOUND');
  });

  it('reads "last week" as when it happened, not as which problem it is', () => {
    expect(engine.answer('we locked march in xero last week and now the march bills wont export').article?.id).toBe('PERIOD_LOCKED');
  });

  it('reads "end up" as how it turned out, not as a month end, and answers the worry about duplicates surely', () => {
    expect(searchTerms('will xero end up with doubles')).not.toContain('end');
    expect(searchTerms('exports are throttled after a big month end batch')).toContain('end');
    const answer = engine.answer('will resending the failed receipts end up duplicating them in xero');
    expect(answer.article?.id).toBe('RETRY_FAILED_EXPORTS');
    expect(answer.confidence).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
  });

  it('reads "whats", "whenever" and "nobody" as filler, so they do not bury the error beside them', () => {
    expect(searchTerms('whats up whenever nobody touched it')).toEqual(['touch']);
    expect(engine.answer('nobody changed anything but exports now fail with a tax rate error').confidence).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
  });

  it('reads a misspelt filler word ("wekend", "actualy") as filler, not as a rare word that buries the rest', () => {
    const answer = engine.answer('invoices failed over the wekend, will a retry make doubles');
    expect(answer.article?.id).toBe('RETRY_FAILED_EXPORTS');
    expect(answer.confidence).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
  });

  it('answers surely that a first document in another currency bouncing, while the home currency goes through, is a currency Xero has not enabled', () => {
    for (const q of ['first receipt in US dollars got rejected by xero, all our NZD ones go through fine', 'one invoice in euros keeps failing, our sterling ones sync fine']) {
      const answer = engine.answer(q);
      expect(answer.article?.id, q).toBe('CURRENCY_NOT_ENABLED');
      expect(answer.confidence, q).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
    }
  });

  it('answers surely whether failed exports catch up once a lapsed Xero subscription is paid, from the article that says', () => {
    const answer = engine.answer('xero trial ran out, once we pay will the failed exports catch up by themselves?');
    expect(answer.article?.id).toBe('ORG_SUBSCRIPTION_INACTIVE');
    expect(answer.confidence).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
  });

  it('knows a payment larger than what was left on the document, told in users\' words, as one exceeding the balance', () => {
    expect(engine.answer('paid 200 on an invoice that only had 150 left and xero refused the payment').article?.id).toBe('PAYMENT_EXCEEDS_BALANCE');
    expect(engine.answer('the payment we pushed was larger than what was left on the invoice, xero said no').article?.id).toBe('PAYMENT_EXCEEDS_BALANCE');
  });

  it('knows an invoice that was made but never showed up in Xero, with no error, as one that has not synced, and a payment as a payment', () => {
    expect(engine.answer('made an invoice for harlow yesterday, no sign of it in xero').article?.id).toBe('INVOICE_NOT_SYNCING');
    expect(engine.answer('the tipalti pmt never showed up in xero').article?.id).toBe('PAYMENT_NOT_EXPORTED');
  });

  it("knows Xero saying the app has too many organisations connected as the app's connection limit", () => {
    expect(engine.answer('cannot link our fourth company, xero says the app has too many orgs connected').article?.id).toBe('CONNECTION_LIMIT');
  });

  it('reads an accountant as a person (an adviser), not as an account', () => {
    expect(searchTerms('our accountant changed my role')).not.toContain('account');
    expect(engine.answer('exports fail since our accountant changed my role in xero').article?.id).toBe('PERMISSION_DENIED');
  });

  it('reads the countries of the books as where they are, and a wrong org or entity as the wrong organisation', () => {
    expect(engine.answer('the bills for our irish company went into the uk xero file').article?.id).toBe('MULTIPLE_ORGS');
    expect(engine.answer('uk bills are going into the wrong xero org').article?.id).toBe('MULTIPLE_ORGS');
  });

  it('reads an edit that fails after the document was deleted in Xero as a document Xero no longer has', () => {
    expect(engine.answer('someone deleted the bill in xero and now editing the report fails').article?.id).toBe('DOCUMENT_NOT_FOUND');
  });

  it('reads "went across" as exported, "cust" as a customer and the day of the week as when it happened', () => {
    expect(searchTerms('cust payments from friday never went across')).toEqual(['contact', 'payment', 'never', 'export']);
    const answer = engine.answer('the payment we recorded in the app never went across to xero');
    expect(answer.article?.id).toBe('PAYMENT_NOT_EXPORTED');
    expect(answer.confidence).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
  });

  it('keeps a how-to in scope when it says Xero still shows something wrongly', () => {
    expect(engine.answer('how do i get the payment over? xero still shows the bill as awaiting payment').article?.id).toBe('PAYMENT_NOT_EXPORTED');
  });

  it('reads "the cleanest way to" and "the right order to" as asking how, not as words of the problem', () => {
    expect(searchTerms('whats the right order to disconnect and reconnect xero')).toEqual(['disconnect', 'reconnect', 'xero']);
    const answer = engine.answer('what is the cleanest way to unlink xero and relink it');
    expect(answer.article?.id).toBe('RECONNECT');
    expect(answer.confidence).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
  });

  it("leaves Xero's own subscription billing unanswered, unless an export stopped with it", () => {
    expect(engine.answer('xero charged our card twice this month, how do we get a refund').reason).toBe('out_of_scope');
    expect(engine.answer('our xero subscription price went up again, is there a cheaper plan').reason).toBe('out_of_scope');
    expect(engine.answer('the subscription payment to xero bounced and now every export is refused').article?.id).toBe('ORG_SUBSCRIPTION_INACTIVE');
  });

  it('reads "is xero down?", an organisation one cannot click, a name "already being used" and an app "not linked to xero" as people type them', () => {
    expect(engine.answer('is xero down? every export since lunch fails').article?.id).toBe('XERO_OUTAGE');
    expect(engine.answer('the org i need is listed on the xero consent page but i cannot click it').article?.id).toBe('ORG_GREYED_OUT');
    expect(engine.answer('xero says the supplier name is already being used').confidence).toBeGreaterThanOrEqual(UNSURE_ANSWER_BELOW);
    expect(engine.answer('the app says it is not linked to xero anymore').article?.id).toBe('NOT_CONNECTED');
    // A customer not linked to a contact is a mapping, not a lost connection.
    expect(searchTerms('the customer is not linked to a xero contact')).not.toContain('connect');
    expect(searchTerms('exports failed during the night')).not.toContain('dure');
  });

  it('reads an amount with a minus sign as negative, but not a dash in an id, a date or between words', () => {
    expect(searchTerms('the refund went over as an invoice for -120.00')).toContain('neg');
    expect(searchTerms('total (-1,250.50)')).toContain('neg');
    for (const text of ['report R-123 on 2024-05-01', 'XERO - 01']) expect(searchTerms(text)).not.toContain('neg');
  });

  it('lets a topic word decide nothing alone: a webhook failing validation is no pattern of payments not coming back', () => {
    expect(engine.answer('our xero webhook keeps failing validation in the portal').matchedBy).not.toBe('pattern');
  });

  it('reads past web addresses, and "already exists" as a name that is taken', () => {
    const withUrl = 'Export failed for https://api.xero.com/api.xro/2.0/Invoices/4f2a9c?unitdp=4&summarizeErrors=false because the account code is archived';
    expect(engine.answer(withUrl).article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(engine.answer('The supplier already exists in Xero when we export the bill').article?.id).toBe('CONTACT_NAME_IN_USE');
  });

  it('reads a client as a customer, but a client id or an HTTP client error as what they are', () => {
    expect(engine.answer('Export failed: the client on this invoice was not found in Xero').article?.id).toBe('CONTACT_NOT_FOUND');
    expect(engine.answer('401 Client Error: Unauthorized for url: https://api.xero.com/api.xro/2.0/Invoices').article?.id).not.toBe('OAUTH_SETUP_INVALID');
    expect(engine.answer('our client secret was rotated and now connecting fails').article?.id).toBe('OAUTH_SETUP_INVALID');
  });

  it('knows the other ways people say an organisation cannot be picked or a user lacks permission', () => {
    expect(engine.answer('Our organisation cannot be selected on the Xero page when we connect').article?.id).toBe('ORG_GREYED_OUT');
    expect(engine.answer("Sync refused: the Xero user doesn't have the required permissions").article?.id).toBe('PERMISSION_DENIED');
  });

  it("knows Xero's currency-rate message and an inactive payment bank account", () => {
    const currency = engine.answer('Invoice sync failed: A currency rate must be specified');
    expect(currency.article?.id).toBe('CURRENCY_NOT_ENABLED');
    expect(currency.matchedBy).toBe('pattern');
    expect(engine.answer('Payments fail: that bank account was made inactive').article?.id).toBe('BANK_ACCOUNT_INVALID');
  });

  it('reads a request made without a Xero connection as not connected, whatever status came back', () => {
    const answer = engine.answer('Clicked export without having our Xero organisation connected. Error: Request failed with status code 503');
    expect(answer.article?.id).toBe('NOT_CONNECTED');
    for (const alt of answer.alternatives) expect(alt.confidence).toBeLessThanOrEqual(answer.confidence);
  });

  it('reads an integration showing as disconnected as a missing connection, not an expired token', () => {
    expect(engine.answer('Our Xero integration shows a disconnected status').article?.id).toBe('NOT_CONNECTED');
  });

  it("reads what is left of a contraction as filler: \"I've lost\" matches no article's \"we've made\"", () => {
    expect(searchTerms("I've lost it, we're sure, you'll see")).toEqual(searchTerms('I lost it, we sure, you see'));
    expect(engine.answer("I've lost my connection to Xero, why?").article?.id).toBe('NOT_CONNECTED');
  });

  it("knows Xero's own 404 reply and an OAuth 1.0a app's unknown consumer key", () => {
    const notFound = engine.answer('deleteContactGroupContact fails with "The resource you\'re looking for cannot be found"');
    expect(notFound.article?.id).toBe('DOCUMENT_NOT_FOUND');
    expect(notFound.matchedBy).toBe('pattern');
    expect(engine.answer('XeroUnauthorized: oauth_problem=consumer_key_unknown').article?.id).toBe('OAUTH_SETUP_INVALID');
  });

  it('lets no line that is only an HTTP status decide a post: "401" fits an expired token and a missing scope alike', () => {
    const post = 'We ask for the scopes accounting.transactions and accounting.contacts.read. Reading the chart of accounts fails with:\n  Title: Unauthorized\n  Status: 401\n  Detail: AuthorizationUnsuccessful';
    expect(engine.answer(post).article?.id).toBe('SCOPE_MISSING');
  });

  it("knows Xero's refusal for a user's role, Sage's error envelope and more accounting products", () => {
    const refused = engine.answer('Journals fail: You are not permitted to access this resource');
    expect(refused.article?.id).toBe('PERMISSION_DENIED');
    expect(refused.matchedBy).toBe('pattern');
    expect(engine.answer('Creating an invoice fails with [{"$severity":"error","$dataCode":"RecordNotFound","$message":"Couldn\'t find record."}]').reason).toBe('out_of_scope');
    expect(engine.answer("Uncaught exception 'Moneybird\\HttpClient\\HttpStatusException' with message 'Unprocessable entity' when creating an invoice").reason).toBe('out_of_scope');
    expect(searchTerms('invoices are not synchronised into Xero')).toEqual(searchTerms('invoices are not synced into Xero'));
  });

  it("knows a negative quantity, QuickBooks' shared name list and a payment over the balance as vendors word them", () => {
    const negative = engine.answer('Export failed: Quantity must not be less than zero');
    expect(negative.article?.id).toBe('TOTAL_MUST_BE_POSITIVE');
    expect(negative.matchedBy).toBe('pattern');
    // Only QuickBooks keeps customers, vendors and employees in one list of names; Xero's contacts have no employees.
    expect(engine.answer('The name supplied already exists. Another customer, vendor or employee is already using this name.').reason).toBe('out_of_scope');
    expect(engine.answer("Xero says the payments are more than the invoice's balance").article?.id).toBe('PAYMENT_EXCEEDS_BALANCE');
    expect(searchTerms('the invoice is not present in Xero')).toEqual(searchTerms('the invoice is not found in Xero'));
    expect(engine.answer('The name supplied already exists. Another customer is already using this name.').reason).toBe('out_of_scope');
  });

  it('knows a currency that does not match, a connection that dropped out, and an invoice id that already exists', () => {
    expect(engine.answer('Export failed: the invoice currency does not match the organisation currency').article?.id).toBe('CURRENCY_NOT_ENABLED');
    expect(searchTerms('Xero dropped out')).toEqual(searchTerms('Xero disconnected'));
    // Every record has an id: an invoice id that already exists is a duplicate, not a document Xero cannot find.
    expect(engine.answer('Export failed because the Invoice ID already exists in Xero').article?.id).toBe('DUPLICATE_NUMBER');
  });

  it("leaves an SDK's own check of a value against its enums unanswered: no article is about an SDK older than Xero", () => {
    const check = 'Getting tax rates fails: invalid value for "report_tax_type", must be one of ["INPUT", "OUTPUT", "NONE"]';
    expect(engine.answer(check).reason).toBe('out_of_scope');
    // Xero's own refusal of a tax type is still Xero's.
    expect(engine.answer('Xero says the TaxType code is not valid for this account').article?.id).toBe('INVALID_TAX_RATE');
  });

  it('leaves feature requests and questions asking for an example unanswered when nothing failed', () => {
    const wish = '**Is your feature request related to a problem? Please describe.**\nInvoices have to be typed into Xero by hand\n\n**Describe the solution you\'d like**\nPush invoices and contacts to Xero';
    for (const q of [wish, 'Can someone share an example of creating a contact from a script?']) {
      expect(engine.answer(q).reason, q).toBe('out_of_scope');
    }
    // The same openings with something failing stay support questions.
    expect(engine.answer('Can someone explain why the export fails with invalid_grant?').article?.id).toBe('TOKEN_EXPIRED');
    expect(engine.answer('Why does Xero reject the bill as a duplicate invoice number?').article?.id).toBe('DUPLICATE_NUMBER');
    // "Why does..." asks about something that went wrong more often than not.
    expect(engine.answer('Why does Xero keep disconnecting').reason).not.toBe('out_of_scope');
  });

  it('knows "not currently connected", an archived account, and a grant type Xero does not take', () => {
    expect(engine.answer("You will see an error message 'NOT CURRENTLY CONNECTED TO XERO'").article?.id).toBe('NOT_CONNECTED');
    const archived = engine.answer('Posting failed: account has been archived in Xero');
    expect(archived.article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(archived.matchedBy).toBe('pattern');
    expect(engine.answer('Xero token request fails: unsupported_grant_type').article?.id).toBe('OAUTH_SETUP_INVALID');
    // The OAuth error code alone is the app's set-up, whatever words surround it.
    const grant = engine.answer('Getting an access code error: unsupported_grant_type');
    expect(grant.article?.id).toBe('OAUTH_SETUP_INVALID');
    expect(grant.matchedBy).toBe('code');
  });

  it("leaves other sign-in providers' token errors to them, and reads a customer account Xero lacks as a contact", () => {
    expect(engine.answer('Our app gets OAuth::Problem token_rejected from LinkedIn when we call authorize_from_request').reason).toBe('out_of_scope');
    const customer = engine.answer('The order failed because the customer account could not be found in Xero');
    expect(customer.article?.id).toBe('CONTACT_NOT_FOUND');
    // "Invalid state" is evidence of an OAuth state mismatch, not proof: "Xero is in an invalid state" is no sign-in.
    expect(engine.answer('The app warns that Xero is in an invalid state').matchedBy).not.toBe('pattern');
    expect(engine.answer('Login fails with invalid state after the Xero callback').article?.id).toBe('OAUTH_SETUP_INVALID');
  });

  it("writes negations out (\"haven't\" is \"have not\"), so a plain question is not buried under a fragment no article uses", () => {
    expect(searchTerms("our invoices haven't synced")).toEqual(searchTerms('our invoices have not synced'));
    expect(searchTerms('it can\u2019t connect')).toEqual(searchTerms('it cannot connect'));
    // Chat drops the apostrophe: "arent", "cant", "doesnt".
    expect(searchTerms('bills arent going into xero')).toEqual(searchTerms('bills are not going into xero'));
    expect(engine.answer('i cant pick our company on the xero connect screen').article?.id).toBe('ORG_GREYED_OUT');
    expect(engine.answer('the xero link is broken').article?.id).toBe('NOT_CONNECTED');
    expect(engine.answer("our invoices haven't synced to Xero since Monday").article?.id).toBe('INVOICE_NOT_SYNCING');
    // And an invoice not yet in Xero is not a contact missing from it.
    expect(engine.answer('invoice has not synced to xero yet').article?.id).toBe('INVOICE_NOT_SYNCING');
  });

  it('reads a broken connection as a missing one, and a supplier Xero lacks as a contact not found', () => {
    const broken = engine.answer('Our Xero connection is broken, nothing syncs');
    expect(broken.article?.id).toBe('NOT_CONNECTED');
    expect(broken.confidence).toBeGreaterThanOrEqual(0.8);
    expect(engine.answer('Export failed: the supplier does not exist in Xero').matchedBy).toBe('pattern');
    expect(engine.answer('Export failed: the supplier does not exist in Xero').article?.id).toBe('CONTACT_NOT_FOUND');
  });

  it('reads snake_case messages, and an error code is no account code', () => {
    expect(engine.answer('sync_failed: gl_code_archived').article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(engine.answer('error_code=contact_archived').article?.id).toBe('CONTACT_NOT_FOUND');
  });

  it('does not call a 403 with the wrong organisation an expired token', () => {
    const answer = engine.answer('{"Type":null,"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful","Instance":"10fa664c"}');
    expect(answer.article?.id).toBe('ORG_ID_INVALID');
    // Several causes share that reply: a likely answer, never a certain one.
    expect(answer.confidence).toBeLessThan(0.8);
  });

  it('names the account for Xero\'s own "Account could not be found"', () => {
    expect(engine.answer('Account could not be found.').article?.id).toBe('INVALID_ACCOUNT_CODE');
  });

  it('reads an XML error reply by its messages, not by the tags and headline around them', () => {
    // Every tag of Xero's XML reply says "validation error", and so does its headline; the message under them says which check failed.
    const reply = [
      '<ApiException xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
      '  <ErrorNumber>10</ErrorNumber>',
      '  <Type>ValidationException</Type>',
      '  <Message>A validation exception occurred</Message>',
      '  <Elements><DataContractBase xsi:type="Invoice"><ValidationErrors><ValidationError>',
      '    <Message>The contact was archived</Message>',
      '  </ValidationError></ValidationErrors></DataContractBase></Elements>',
      '</ApiException>',
    ].join('\n');
    expect(engine.answer(`Export failed:\n${reply}`).article?.id).toBe('CONTACT_NOT_FOUND');
    expect(searchTerms('<ValidationErrors><Message>rate limit</Message></ValidationErrors>')).toEqual(searchTerms('rate limit'));
    // A placeholder in angle brackets is the user's words, not a tag.
    expect(searchTerms('the <contact name> is archived')).toContain('contact');
  });

  it('offers no unrelated articles as "closest" to an out-of-scope question', () => {
    for (const q of ['how do I bake bread', 'what is the capital of France']) {
      expect(engine.answer(q).alternatives, q).toEqual([]);
    }
    const vague = engine.answer('sync failed');
    expect(vague.article).toBeNull();
    expect(vague.alternatives.length).toBeGreaterThan(0);
  });

  // Our ranking alone puts the tax-amount article first here; the plain ranker prefers the bank account clearly.
  it('lets a plain BM25 reorder close candidates: an account type refused for a payment is a bank account problem', () => {
    const answer = engine.answer('Error: Account type is invalid for making a payment to/from');
    expect(answer.article?.id).toBe('BANK_ACCOUNT_INVALID');
    expect(answer.matchedBy).toBe('search');
  });

  it('answers a failure both rankers put on the same article, though its words alone leave doubt', () => {
    const answer = engine.answer('syncing_card_txes_in_multi_gl_account_mode_requires_card_to_be_mapped_to_GL_account');
    expect(answer.article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(answer.confidence).toBeLessThan(0.8);
  });

  it('names what both rankers agree on in a vendor\'s explanation of its own error code, still short of sure', () => {
    const answer = engine.answer('SYNC-12: it means the invoice was edited on the Xero platform after our app generated it, and such cases are not processed by the API');
    expect(answer.article?.id).toBe('OUT_OF_SYNC');
    expect(answer.confidence).toBeLessThan(0.6);
  });

  it('takes no agreement of the rankers as evidence when the text reports nothing wrong', () => {
    // Bank feeds, once the example here, are now out of scope before any ranking.
    for (const q of ['We moved our contacts to a new organisation in Xero', 'Our finance team loves the currency settings in Xero']) {
      const answer = engine.answer(q);
      expect(answer.article, q).toBeNull();
      expect(answer.reason, q).toBe('low_confidence');
    }
  });

  it('never shows an alternative as surer than the answer it sits under', () => {
    for (const file of ['questions.jsonl', '../../bench/real-world-dev.jsonl']) {
      for (const { q } of readEvalCases(join(import.meta.dirname, file))) {
        const answer = engine.answer(q);
        if (!answer.article) continue;
        for (const alt of answer.alternatives) expect(alt.confidence, `${q} -> ${alt.id}`).toBeLessThanOrEqual(answer.confidence);
      }
    }
  });

  it("reads past the author's environment, the steps they already took and a job that stopped", () => {
    const post =
      'Hello, since Monday our sync job stopped. We run PHP 8.2 on Ubuntu 22.04 with the SDK 2.x and keep the tokens in MySQL.\n\nSupplier not found in Xero\n\nWe already restarted the worker and checked the logs. Thanks in advance.';
    expect(engine.answer(post).article?.id).toBe('CONTACT_NOT_FOUND');
  });

  it("reads past an issue template's headings, steps to reproduce and expected behaviour", () => {
    const message = 'Account code must be specified';
    const post = `${message}\n\n## Steps to reproduce\n1. Create a bill\n2. Press Publish\n3. Get the error\n\n## Expected behaviour\nThe bill shows up in the books.\n\nversion 3.1.0`;
    expect(engine.answer(post)).toMatchObject({ article: { id: 'MORE_INFO_REQUIRED' }, confidence: engine.answer(message).confidence });
  });

  it('reads past stack frames and the log label before the message', () => {
    const trace = 'Unhandled promise rejection in the sync worker: the supplier is archived\n    at ApiClient.send (/srv/app/node_modules/books-client/lib/api.js:88:13)\n    at async pushBills (/srv/app/jobs/push-bills.js:17:5)';
    expect(engine.answer(trace).article?.id).toBe('CONTACT_NOT_FOUND');
  });

  it('reads a community post past who wrote it and what they tried, and a Python traceback past its source lines', () => {
    const message = 'Valid Connection Required when trying to export';
    const alone = engine.answer(message);
    expect(alone.article?.id).toBe('NOT_CONNECTED');
    const forum = `Good morning,\nI'm the bookkeeper for a small café and not technical at all. Since we moved banks the app shows a red banner that says:\n\n${message}\n\nI've tried logging out and back in. What should I do?\nRegards, Anna`;
    expect(engine.answer(forum)).toMatchObject({ article: { id: 'NOT_CONNECTED' }, confidence: alone.confidence });
    const trace = `Traceback (most recent call last):\n  File "sync.py", line 42, in <module>\n    client.export(invoice)\n  File "/srv/ledger/api.py", line 88, in export\n    raise ApiError(resp)\nledger.errors.ApiError: ${message}`;
    expect(engine.answer(trace)).toMatchObject({ article: { id: 'NOT_CONNECTED' }, confidence: alone.confidence });
    expect(engine.answer('ApiError: Client not found in Xero. The client on the invoice does not exist in Xero.').article?.id).toBe('CONTACT_NOT_FOUND');
  });

  it('reads a forwarded email past its headers, which may name trouble, and its signature', () => {
    const post = "---------- Forwarded message ---------\nFrom: Support <support@books.example>\nDate: Mon, 4 Mar 2024 at 09:12\nSubject: Re: sync problem\n\nHi Anna,\n\nThanks for getting in touch. The log for your account shows:\n\nHow do I get archived contacts, how do I use 'includeArchived'?\n\nKind regards,\nThe support team";
    expect(engine.answer(post)).toMatchObject({ article: null, reason: 'out_of_scope' });
  });

  it("reads a vendor's help page by the message it explains, not by its title and framing about errors in general", () => {
    const message = 'Valid Connection Required when trying to export';
    const page = `Error messages when publishing\n\nThis article lists the errors you might see when publishing to your accounting software and how to fix them.\n\n${message}\n\nStill need help? Reach out to us via chat.`;
    expect(engine.answer(page)).toMatchObject({ article: { id: 'NOT_CONNECTED' }, confidence: engine.answer(message).confidence });
  });

  it('reads a how-to question or a limit of Xero itself as out of scope when an integration is only named around it, not in it', () => {
    for (const post of [
      'Title: integration question\n\nHow do I void a customer invoice?',
      'Title: integration question\n\nUnable to add more than 2 tracking categories',
    ]) {
      expect(engine.answer(post), post).toMatchObject({ article: null, reason: 'out_of_scope' });
    }
    expect(engine.answer('how do I reauthorise our Xero connection').article?.id).toBe('RECONNECT');
    expect(engine.answer('Unable to add more than 2 tracking categories when we sync the invoice').reason).not.toBe('out_of_scope');
  });

  it('reads the reply past the code that made the call, whose tenant id and client are names in a program', () => {
    const message = 'Xero connection has been dropped (this is an unintended disconnection of from your Xero account)';
    const post = `This is how we call it:\n\nconst result = await client.createInvoices(tenantId, { invoices: [invoice] });\nconsole.log(JSON.stringify(result.body, null, 2));\n\nand this is what comes back:\n${message}`;
    expect(engine.answer(post)).toMatchObject({ article: { id: 'NOT_CONNECTED' }, confidence: engine.answer(message).confidence });
  });

  it('tells payroll from trouble with the connection by the lines that are not context', () => {
    for (const post of [
      'Approving leave applications through the payroll API fails with a validation error.\nWe keep the access tokens in Redis on Node 20.',
      'Creating timesheets in Payroll fails: a timesheet ID is required.\nOur stack is Node 20 and we store tokens in Postgres.',
    ]) {
      expect(engine.answer(post), post).toMatchObject({ article: null, reason: 'out_of_scope' });
    }
  });

  it('reads a contact or an account code removed or deleted in Xero as gone, whatever the word', () => {
    for (const question of ['the customer was deleted in Xero', 'our supplier got deleted from xero and now bills fail', 'customer removed in xero']) {
      expect(engine.answer(question).article?.id, question).toBe('CONTACT_NOT_FOUND');
    }
    // "removed" once met only a tax rate that was removed.
    for (const question of ['the account code was removed in Xero', 'the gl account got removed']) {
      expect(engine.answer(question).article?.id, question).toBe('INVALID_ACCOUNT_CODE');
    }
    expect(engine.answer('the payment failed as the invoice was deleted in xero').article?.id).toBe('DOCUMENT_NOT_FOUND');
  });

  it('reads "this error occurs when" on a help page as an explanation, not as the wording of an unexpected error', () => {
    const page = "This error occurs if you've manually removed the customer.";
    expect(engine.answer(page).article?.id).not.toBe('UNEXPECTED_ERROR');
    expect(engine.answer(page).alternatives[0]?.id).toBe('CONTACT_NOT_FOUND');
    expect(engine.answer('An unexpected error occurred while exporting').article?.id).toBe('UNEXPECTED_ERROR');
  });

  it('is less sure of an error string quoted in a long post that never names Xero, which may be another product\'s', () => {
    const story = (system: string) =>
      `We moved our records last month. Since then the nightly ${system} stops. It says contact not found. Support said to check the mapping. Any idea?`;
    expect(engine.answer(story('import'))).toMatchObject({ article: { id: 'CONTACT_NOT_FOUND' }, matchedBy: 'pattern', confidence: 0.75 });
    expect(engine.answer(story('Xero export')).confidence).toBe(0.95);
    // A short question quoting it is as sure as before: short ones are nearly always about Xero here.
    expect(engine.answer('contact not found').confidence).toBe(0.95);
  });

  it('reads how people type in chat: statuses in the plural, "timing out", "pics", "overpaid", "wont" and a month locked', () => {
    const cases: [string, string][] = [
      ['stripe sync throwing 429s again', 'RATE_LIMITED'],
      ['getting 503s from xero all morning', 'XERO_OUTAGE'],
      ['veryfi xero login keeps timing out', 'SESSION_TIMEOUT'],
      ['cin7 payment error, customer overpaid $12.50', 'PAYMENT_EXCEEDS_BALANCE'],
      ['soldo bills in xero but no receipt pics', 'ATTACHMENT_FAILED'],
      ['gusto journal export failing since we locked nov', 'PERIOD_LOCKED'],
      ['bookkeeper archived some codes now my expenses wont export', 'INVALID_ACCOUNT_CODE'],
    ];
    for (const [question, id] of cases) expect(engine.answer(question).article?.id, question).toBe(id);
    expect(searchTerms('it wont sync')).toEqual(searchTerms("it won't sync"));
    // A month named without locking it is no lock date.
    expect(searchTerms('we closed the deal in nov')).not.toContain(searchTerms('lock date')[0]);
  });

  it('reads data that lands somewhere "instead of" or "rather than" where it should as trouble, not as a how-to', () => {
    const post =
      'Our payouts have been showing up in Xero for our trading company rather than the Foundation. Both orgs sit under my login. How do I point it at the foundation?';
    expect(engine.answer(post).reason).not.toBe('out_of_scope');
    expect(engine.answer(post).article?.id).toBe('MULTIPLE_ORGS');
    expect(engine.answer('how do I void an invoice in xero').reason).toBe('out_of_scope');
    // ...and so does one that "went into" some other place, or an export that "bombs out" or "falls over".
    for (const post of [
      "just exported a client's expenses and they went into a totally different client's xero file. how do i point it at the right one",
      'first time we have a client billed in NZD and the invoice export bombs out. our xero is AUD base. what do i need to switch on?',
      'the bill export falls over every time. how do I get it through?',
    ]) {
      expect(engine.answer(post).reason, post).not.toBe('out_of_scope');
    }
  });

  it('reads "nothing broken" and "not sure" as no failure, so such a how-to stays out of scope', () => {
    const post = 'how do i add a new tracking category in xero? want to split costs by project, nothing broken just not sure where it lives';
    expect(engine.answer(post)).toMatchObject({ article: null, reason: 'out_of_scope' });
    expect(engine.answer('how do i add a tracking category in xero? the export is broken since we renamed one').reason).not.toBe('out_of_scope');
  });

  it("reads Xero asking an organisation to pick a plan as an inactive subscription", () => {
    const post = "client says nothing has exported since friday, and when they log into xero there's a banner asking them to pick a plan. related?";
    expect(engine.answer(post).article?.id).toBe('ORG_SUBSCRIPTION_INACTIVE');
  });

  it('knows how people describe a deleted draft, a second business\'s file, resending after an outage and linking Xero "again"', () => {
    const cases: [string, string][] = [
      ['a draft bill got deleted in xero and now our app errors each time it tries to update it', 'DOCUMENT_NOT_FOUND'],
      ["two shops, two separate xero files, and the bakery's bills end up in the cafe's file", 'MULTIPLE_ORGS'],
      ["a bunch of exports failed during yesterday's outage, if I re-send them all will xero get doubles?", 'RETRY_FAILED_EXPORTS'],
      ['how do I unlink xero then link it again the right way', 'RECONNECT'],
    ];
    for (const [question, id] of cases) expect(engine.answer(question).article?.id, question).toBe(id);
    // Linking "it again" is reconnecting, as linking again is.
    expect(searchTerms('link it again')).toEqual(searchTerms('reconnect'));
  });

  it('reads a report named by its id as which report, not as what failed', () => {
    const question = 'the invoice was rejected because the contact is archived';
    for (const reference of ['(report R-2)', 'on report #4521', '- report id: EXP-77']) {
      expect(engine.answer(`${question} ${reference}`).article?.id, reference).toBe(engine.answer(question).article?.id);
    }
    expect(engine.answer(question).article?.id).toBe('CONTACT_NOT_FOUND');
    // ...and so is a bill whose supplier was archived, which once met the archived account codes of bills.
    expect(engine.answer('bill rejected because the supplier is archived').article?.id).toBe('CONTACT_NOT_FOUND');
    // A marked three-digit id is no HTTP status, a status that Xero reports stays one, and a report without an id is still a report.
    expect(searchTerms('report #429 failed to export')).toEqual(searchTerms('failed to export'));
    expect(searchTerms('report id: 429 failed to export')).toEqual(searchTerms('failed to export'));
    expect(searchTerms('xero reports 500 errors')).toContain(searchTerms('500')[0]);
    expect(searchTerms('the expense report failed')).toContain(searchTerms('report')[0]);
  });

  it('reads "the tax rate is invalid" as "invalid tax rate", for things of two or three words only', () => {
    for (const question of ['the tax rate is invalid', 'tax rate is not valid on this receipt', 'tax rate invalid']) {
      const answer = engine.answer(question);
      expect(answer.article?.id, question).toBe('INVALID_TAX_RATE');
      expect(answer.confidence, question).toBeGreaterThanOrEqual(0.9);
    }
    expect(engine.answer('account code is not valid').article?.id).toBe('INVALID_ACCOUNT_CODE');
    // One word turned round is too loose: "invalid state" is an OAuth error, an invoice's state is not.
    expect(engine.answer('the invoice state is invalid').confidence).toBeLessThan(0.9);
  });

  it('treats an empty question as a prompt to ask', () => {
    expect(engine.answer('   ').reason).toBe('empty_question');
  });

  it('survives absurdly long input', () => {
    const answer = engine.answer(`${'lorem ipsum '.repeat(20_000)} XERO11`);
    expect(answer.question.length).toBeGreaterThan(200_000);
    expect(answer.confidence).toBeGreaterThanOrEqual(0);
  });

  it('answers at least 90% of a held-out question set and every out-of-scope one correctly', () => {
    const result = evaluate(engineAnswerer(engine), readEvalCases(join(import.meta.dirname, 'questions.jsonl')));
    expect(result.misses.filter((m) => m.ok.includes('NONE'))).toEqual([]);
    expect(result.accuracy, JSON.stringify(result.misses, null, 1)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('answer engine mechanics', () => {
  const dir = knowledgeDir({
    'a.md': articleText({ id: 'ALPHA', title: 'Widget export failed', codes: ['AB12'], patterns: ['widget * is broken'] }),
    'b.md': articleText({ id: 'BETA', title: 'Gadget sync stalled', codes: ['CD34', 'gadget meltdown detected'] }),
    'c.md': articleText({ id: 'GAMMA_RAY', title: 'Sprocket alignment' }),
    'd.md': articleText({ id: 'DELTA', title: 'Unexpected trouble', patterns: ['the machine reported a fault'] }),
    'e.md': articleText({ id: 'EPSILON', title: 'Consent for the payroll scope', patterns: ['scope denied'], signals: ['FrobnicateUnsuccessful'] }),
  });
  const engine = createAnswerEngine(loadKnowledge(dir));

  it('prefers a code over a pattern, and the longer code over the shorter', () => {
    expect(engine.answer('widget foo is broken, see AB12').matchedBy).toBe('code');
    expect(engine.answer('widget foo is broken, see CD34').article?.id).toBe('BETA');
    expect(engine.answer('AB12 then: GADGET MELTDOWN DETECTED!').article?.id).toBe('BETA');
  });

  it('matches patterns with wildcards on word boundaries', () => {
    expect(engine.answer('the widget number 7 is broken').article?.id).toBe('ALPHA');
    expect(engine.answer('the widgets are broken').matchedBy).not.toBe('pattern');
  });

  it('does not match a code inside a longer word', () => {
    expect(engine.answer('XAB12 failure').matchedBy).not.toBe('code');
  });

  it('treats a code-like article id as a code, but not a plain word', () => {
    expect(engine.answer('seeing gamma_ray again').article?.id).toBe('GAMMA_RAY');
    expect(engine.answer('seeing gamma_ray again').matchedBy).toBe('code');
    expect(engine.answer('beta').matchedBy).not.toBe('code');
  });

  it('lets the rest of the question decide between error strings of different articles', () => {
    // The longer string is DELTA's, but the question is about the payroll scope.
    const answer = engine.answer('the machine reported a fault: scope denied for payroll consent');
    expect(answer.article?.id).toBe('EPSILON');
    expect(answer.matchedBy).toBe('pattern');
  });

  it('lifts the articles whose signal occurs verbatim above those that only share words', () => {
    // Two of the three words are ALPHA's title; the signal, verbatim, outweighs them.
    expect(engine.answer('widget export FrobnicateUnsuccessful').article?.id).toBe('EPSILON');
    // Its words apart are only words.
    expect(engine.answer('widget export failed frobnicate').article?.id).toBe('ALPHA');
  });

  it('finds an HTTP status signal with its words before or after the number', () => {
    const statuses = createAnswerEngine(
      loadKnowledge(
        knowledgeDir({
          'k.md': articleText({ id: 'KAPPA', title: 'Kettle refused', signals: ['418 Teapot'] }),
          'l.md': articleText({ id: 'LAMBDA', title: 'Kettle refused the brew, teapot 418' }),
        }),
      ),
    );
    const kappa = (q: string) => statuses.answer(q).alternatives.find((a) => a.id === 'KAPPA')?.confidence;
    expect(kappa('the kettle refused the brew: Teapot (418)')).toBe(kappa('the kettle refused the brew: 418 Teapot'));
  });

  it('counts a signal in ranking but never lets it win outright', () => {
    const answer = engine.answer('FrobnicateUnsuccessful on the payroll scope');
    expect(answer.article?.id).toBe('EPSILON');
    expect(answer.matchedBy).toBe('search');
  });

  it('lets a pattern that only names a subject decide only where the text reports an error', () => {
    const topical = createAnswerEngine(
      loadKnowledge(
        knowledgeDir({
          'z.md': articleText({ id: 'ZETA', title: 'Sprocket calendar', patterns: ['sprocket calendar'] }),
          'y.md': articleText({ id: 'ETA', title: 'Widget calendar', patterns: ['sprocket calendar is locked'] }),
          'x.md': articleText({ id: 'THETA', title: 'Gizmo clock', patterns: ['gizmo clock timed out', 'gizmo clock out of sync'] }),
        }),
      ),
    );
    expect(topical.answer('we read the sprocket calendar every Monday').matchedBy).not.toBe('pattern');
    expect(topical.answer('syncing the sprocket calendar failed with an error').article?.id).toBe('ZETA');
    expect(topical.answer('syncing the sprocket calendar failed with an error').matchedBy).toBe('pattern');
    // A pattern that says what is wrong decides wherever it occurs.
    expect(topical.answer('on Monday the sprocket calendar is locked').matchedBy).toBe('pattern');
    expect(topical.answer('on Monday the gizmo clock timed out').matchedBy).toBe('pattern');
    expect(topical.answer('this morning: gizmo clock out of sync').matchedBy).toBe('pattern');
  });

  it('honours a configured threshold', () => {
    const strict = createAnswerEngine(loadKnowledge(dir), { minConfidence: 0.99 });
    expect(engine.answer('widget export zebra').article?.id).toBe('ALPHA');
    expect(strict.answer('widget export zebra').article).toBeNull();
    expect(strict.answer('widget export zebra').reason).toBe('low_confidence');
    expect(strict.answer('AB12').article?.id).toBe('ALPHA');
  });
});
