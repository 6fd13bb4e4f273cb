// Text normalisation shared by indexing and querying, so articles and questions meet halfway:
// British/American spellings, synonyms finance people use, stemming and filler words.
import { stemmer } from 'stemmer';

/**
 * Phrases rewritten before tokenising. Keys are matched on word boundaries in lower-case text, after negations
 * are written out (withoutContractions: "doesn't" is already "does not").
 * A value that repeats its key keeps the original word and adds the canonical one.
 */
/** Currency codes people type, as a word of their own or beside a figure. */
const currencyCodes = ['eur', 'usd', 'gbp', 'aud', 'nzd', 'cad', 'sgd', 'hkd', 'jpy', 'chf', 'zar', 'inr'];

const synonymPairs: [string[], string][] = [
  [['reauthorise', 'reauthorize', 're-authorise', 're-authorize', 'reauthorisation', 'reauthorization', 're-authorisation',
    're-authorization', 'reauthenticate', 're-authenticate', 'reauth', 're-auth', 'relink', 're-link', 're-connect',
    'reconnection', 're-connection', 'reconnecting', 'reconnected', 'link again', 'link it again', 'connect again', 'connect it again'], 'reconnect'],
  // The side of the books an account belongs to: a sales code on a bill (or a purchase code on an invoice) is the wrong account.
  [['sales code', 'sales codes'], 'sales account code'],
  [['purchase code', 'purchase codes', 'purchases code', 'purchases codes'], 'purchase account code'],
  [['income code', 'income codes', 'revenue code', 'revenue codes'], 'income account code'],
  [['gl code', 'gl codes', 'gl account', 'general ledger code', 'general ledger account', 'nominal code', 'nominal account',
    'ledger code', 'ledger account', 'expense account', 'expense category', 'category code', 'coa code'], 'account code'],
  [['gst', 'vat', 'sales tax', 'tax code', 'tax codes', 'taxtype', 'tax type', 'tax types'], 'tax rate'],
  [['organization', 'organizations', 'org', 'orgs', 'tenant', 'tenants', 'company file', 'xero file'], 'organisation'],
  [['authorization', 'authorize', 'authorized'], 'authorisation'],
  [['customer', 'customers', 'supplier', 'suppliers', 'vendor', 'vendors', 'payee', 'merchant'], 'contact'],
  // Finance people's clients are customers; a developer's client is the app (kept as it is, longest key first).
  [['client', 'clients'], 'contact'],
  // The app asked for a token in a way Xero does not take: its own set-up, like an invalid client.
  [['unsupported grant type'], 'invalid client'],
  ...[
    'client id', 'client ids', 'client secret', 'client secrets', 'client credentials', 'invalid client', 'unauthorized client',
    'unauthorised client', 'oauth client', 'oauth2 client', 'api client', 'http client', 'rest client', 'xero client',
    'client app', 'client application', 'client library', 'client side', 'client-side',
  ].map((k): [string[], string] => [[k], k]),
  [['429', 'too many requests', 'throttled', 'throttling', 'throttle', 'api limit', 'api limits', 'call limit', 'quota'], 'rate limit'],
  [['500', '502', '503', '504', 'is down', 'xero down', 'outage', 'unavailable', 'not responding'], 'unavailable outage'],
  [['timed out', 'time out', 'time-out', 'timeouts', 'timing out', 'times out'], 'timeout'],
  // A connection that was dropped, lost, revoked or broken is one the product no longer has.
  [['disconnected', 'disconnection', 'connection dropped', 'connection was dropped', 'connection has been dropped', 'connection lost', 'connection was lost',
    'connection has been lost', 'lost connection', 'lost the connection', 'lost its connection', 'access revoked', 'access was revoked',
    'access has been revoked', 'revoked access', 'broken connection', 'connection is broken', 'connection was broken', 'connection broke',
    'connection disrupted', 'connection has been disrupted', 'connection was disrupted', 'dropped out', 'drops out', 'drop out',
    'link is broken', 'link broke', 'link has broken', 'broken link'], 'disconnected not connected'],
  // ...and so is a product that says it is not linked to Xero (any more); "not linked to a contact" is a mapping.
  [['not linked to xero', 'no longer linked to xero', 'not linked up to xero', 'not linked with xero', 'no link to xero'], 'disconnected not connected xero'],
  [['session will expire', 'session expires', 'session has expired', 'session expired', 'session timed out', 'session timeout'], 'session timeout'],
  [['does not have the required permissions', 'do not have the required permissions', 'does not have permission', 'do not have permission', 'lacks permission', 'lack permission', 'not enough permissions', 'required permissions'], 'insufficient permissions'],
  [['lockdate', 'lock-date', 'closed period', 'period closed', 'locked period', 'period lock', 'financial year end', 'year end', 'year-end', 'backdated', 'back-dated', 'back dated', 'backdating', 'back-dating'], 'lock date'],
  [['greyed out', 'grayed out', 'greyed', 'grayed', 'disabled option', 'cannot select'], 'greyed out'],
  [['cannot pick', 'unable to pick', 'cannot choose', 'unable to choose'], 'cannot select greyed out'],
  [['cannot be selected', 'can not be selected', 'not selectable', 'unable to select', 'could not select', 'not able to select',
    'cannot click', 'can not click', 'could not click', 'unable to click', 'not clickable', 'unclickable'], 'cannot select greyed out'],
  [['synchronise', 'synchronize', 'synchronised', 'synchronized', 'synchronises', 'synchronizes', 'synchronising', 'synchronizing',
    'synchronisation', 'synchronization', 'synchronisations', 'synchronizations'], 'sync'],
  [['re-send', 'resend', 're-export', 'reexport', 'export again', 'sync again', 'push again', 'try again', 'retrying', 'retried'], 'retry'],
  [['dismiss', 'dismissed', 'dismissing'], 'archive'],
  [['cheque', 'check payment'], 'payment'],
  // A currency named by its code or its name ("an invoice in euros", "USD bill") is a currency.
  [['fx', 'foreign currency', 'multi-currency', 'multicurrency', 'multi currency', ...currencyCodes, 'euro', 'euros', 'us dollars', 'us dollar',
    'sterling', 'yen', 'rupees'], 'currency'],
  [['invoice #', 'invoice no', 'invoice number', 'bill number', 'reference number'], 'invoice number'],
  [['plan expired', 'trial ended', 'trial expired', 'read-only', 'read only', 'readonly'], 'subscription inactive'],
  // Xero asks an organisation whose trial ended to pick a plan before anything can be written to it.
  [['pick a plan', 'choose a plan', 'select a plan', 'buy a plan', 'pick a subscription', 'choose a subscription'], 'plan subscription inactive'],
  // ...but a user, a login or a role that is read only lacks a permission; the organisation is fine.
  [['read only user', 'read-only user', 'readonly user', 'user is read only', 'user is read-only', 'read only access', 'read-only access',
    'read only role', 'read-only role', 'login is read only', 'login is read-only'], 'insufficient permissions'],
  [['toggle', 'switched off', 'turned off', 'toggled off'], 'toggle off'],
  [['pop-up', 'popup', 'pop up'], 'popup'],
  // A page that never finishes loading is hanging, however it is put.
  [['hanging', 'hung', 'spins', 'spinning', 'keeps spinning', 'keeps loading', 'just loads', 'stuck loading', 'loading forever', 'never loads',
    'never finishes loading', 'frozen', 'freezes'], 'hangs'],
  [['image', 'images', 'photo', 'photos', 'picture', 'pictures', 'pic', 'pics', 'scan', 'scans'], 'image attachment'],
  [['log in', 'login', 'sign in', 'signin', 'log-in', 'sign-in'], 'login'],
  [['no longer exists', 'no longer exist', 'does not exist', 'not exist', 'cannot be found', 'could not be found', 'can not be found', 'was not found', 'not be found', 'not found', 'missing', 'not present', 'no longer present', 'nowhere to be found', 'nowhere to be seen', 'not being found'], 'not found missing'],
  [['cost centre', 'cost center', 'department', 'project code', 'tracking category', 'tracking categories'], 'tracking category'],
  // What sells or is bought is an item, however the product names it.
  [['part number', 'part numbers', 'part no', 'part code', 'part codes', 'stock code', 'stock codes', 'stock item', 'stock items'], 'inventory item'],
  [['product code', 'product codes'], 'product code inventory item'],
  [['sku', 'skus'], 'sku inventory item'],
  [['webhook', 'webhooks', 'web hook'], 'webhook'],
  // Products say they publish, post or push what Xero's documents call an export.
  [['publish', 'publishes', 'published', 'publishing', 'post to xero', 'posting to xero', 'posted to xero', 'push to xero', 'pushing to xero',
    // ...and that it goes (or is sent) across, or over to Xero.
    'went across', 'go across', 'goes across', 'going across', 'gone across', 'sent across', 'send across', 'sending across',
    'went over to xero', 'go over to xero', 'goes over to xero', 'sent over to xero', 'send over to xero', 'get it over to xero'], 'export'],
  // A field that is mandatory or compulsory is a required one.
  [['mandatory', 'compulsory'], 'required'],
  [['cust', 'custs'], 'contact'],
  // An accountant is a person (Xero calls them advisers), not an account: stemmed alike, they would meet account codes.
  [['accountant', 'accountants', 'advisor', 'advisors'], 'adviser'],
  // Boilerplate at the end of error messages asks for nothing in particular.
  // So does the headline of Xero's validation replies: the messages under it say which check failed.
  [['please try again', 'please try again later', 'try again later', 'a validation exception occurred', 'validation exception'], 'please'],
  [['already exists', 'already exist', 'already in use', 'already been used', 'already used', 'already assigned', 'already taken',
    'already being used', 'already been taken'], 'already exists duplicate'],
  // An error code or status code is no account code, and an HTTP "client error" (any 4xx) no OAuth client.
  [['error code', 'error codes', 'errorcode', 'status code', 'status codes', 'statuscode', 'response code', 'client error', 'server error'], 'error'],
  // Code in a developer's post is their program, not an account or item code.
  [['following code', 'my code', 'our code', 'this code', 'sample code', 'code sample', 'code snippet', 'source code', 'code below',
    'code above', 'same code', 'code that'], 'snippet'],
  // An invoice the product still shows as outstanding or overdue is one it thinks unpaid (not Xero's "amount outstanding").
  [['still outstanding', 'as outstanding', 'shows outstanding', 'showing outstanding', 'still overdue', 'as overdue', 'shows overdue'], 'still unpaid'],
  // Mail and documents that bounce come back refused.
  [['bounced back', 'bounces back', 'bounce back', 'bounced', 'bounces', 'kicked back', 'kicks back', 'got kicked back'], 'rejected'],
  // "The proper way to" asks how, like "how"; it says nothing of what to do it to.
  [['proper way', 'right way', 'best way', 'clean way', 'cleanest way', 'correct way', 'safe way', 'safest way', 'easiest way',
    'quickest way', 'proper order', 'right order', 'correct order'], 'way'],
  // Ending up with something is how it turned out ("will xero end up with doubles"), not a month or year end.
  [['end up', 'ends up', 'ended up', 'ending up'], 'up'],
  [['limitation', 'limitations', 'max reached', 'maxed out', 'reached the max', 'hit the max', 'reached max', 'hit max', 'at the max'], 'limit'],
  // A failure that shows no error at all is silent; it says nothing of an error whose message explains nothing.
  [['no error', 'no errors', 'no error message', 'no error messages', 'no message', 'no warning', 'nothing in the error log', 'nothing in the log',
    'nothing in the logs', 'nothing in the sync log', 'without any error', 'without an error', 'without error', 'without any message'], 'silently'],
  // Chat shorthand for the documents and fields of the books.
  [['acct', 'accts', 'acc', 'a/c'], 'account'],
  [['inv', 'invs'], 'invoice'],
  [['pmt', 'pmts', 'pymt', 'pymts'], 'payment'],
  [['err', 'errs'], 'error'],
  // Help pages explain when an error occurs; messages say it occurred ("an unexpected error occurred").
  [['occurs', 'occur'], ''],
  [['txn', 'txns'], 'transaction'],
  // Paying more than was owed is an overpayment, however it is put.
  [['overpaid', 'over-paid', 'over paid', 'overpay', 'overpays', 'overpaying', 'paid too much', 'paid more than'], 'overpayment'],
  [['dupe', 'dupes', 'duped', 'doubles', 'doubled up', 'double up', 'duplicated'], 'duplicate'],
  [['unlink', 'unlinked', 'unlinking', 'unhook', 'unhooked', 'unhooking'], 'disconnect'],
  [['hook it back up', 'hook it up again', 'hook back up', 'hook it back', 'link it back up', 'link back up', 'link it back', 'connect it back up', 'connect back up', 'connect it back'], 'reconnect'],
  [['number of calls', 'number of api calls', 'calls per day', 'calls per minute', 'requests per minute', 'requests per day'], 'rate limit'],
  // HTTP statuses travel with or without their words; each side finds the other.
  [['401'], '401 unauthorized'],
  [['403'], '403 forbidden'],
  [['404'], '404 not found'],
  [['413'], '413 too large'],
  [['429'], '429 too many requests'],
  [['502'], '502 bad gateway'],
  [['503'], '503 service unavailable'],
  [['504'], '504 gateway timeout'],
];

const synonymMap = new Map<string, string>();
for (const [variants, canonical] of synonymPairs) for (const v of variants) synonymMap.set(v, canonical);

// Longest first so "gl code" wins over a shorter overlapping key.
const synonymRe = new RegExp(
  `(?<![a-z0-9])(${[...synonymMap.keys()]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\#]/g, '\\$&'))
    .join('|')})(?![a-z0-9])`,
  'g',
);

/** Words that say nothing about which problem it is. */
const stopwords = new Set(
  `a an and are as at be been but by can could did do does doing done for from had has have having he her here hi hello hey
   how i if im i'm ve re ll id ids in into is it its it's just me my myself of on or our ours please pls so some than thank thanks that the their
   them then there these they this those to too us very was we were what when where which while who why will with would you
   your yours plz thx ta cheers anyone someone somebody help guys team all any also again still get getting got keep keeps kept seeing see seems
   says saying said show shows showing tell tells telling told know need want trying tried today yesterday morning afternoon since now ever
   something thing things way about after before up out over just really urgent asap properly correctly right exactly
   actually basically anything everything nothing quick quickly possible maybe perhaps already back go going happen happened
   every everytime time times always sometimes often suddenly recently randomly usually because since anymore
   am noticing noticed receiving encountered encountering facing experiencing like despite sorry unfortunately
   title detail instance extensions null undefined true false statuscode errornumber elements validationerrors
   exception exceptions uncaught fatal traceback stack trace without
   broken problem problems issue issues wrong trouble weird strange odd working work works worked
   api apis sdk library package method methods function endpoint endpoints call calling called example sample
   using use used returns returned returning response following snippet below above screenshot attached
   bc cuz coz tho thru btw fyi idk tbh lol ur hit hits hitting
   week weeks weekend weekends wk wks monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
   whats hows wheres whos thats theres heres whenever wherever whatever whichever nobody noone everyone everybody anybody say afaik iirc during
   uk gb britain british england english scotland scottish wales welsh ireland irish nz zealand kiwi au aus australia australian aussie
   usa america american canada canadian singapore sg africa african za europe european eu hk hong kong india indian`.split(/\s+/),
);
// "ve", "re" and "ll" are what is left of "we've", "they're" and "you'll" once split on the apostrophe. Every record
// has an id, so "id" names none ("the Invoice ID already exists" is a duplicate, not an invoice Xero cannot find).
// When it happened ("last week", "over the weekend") says nothing of what happened, like "yesterday".
// "whats" and "whenever" are "what" and "when", typed without an apostrophe or with more letters; "nobody" and "during"
// are filler like "someone" and "while". Countries say where the books are kept ("the UK entity's bills landed in the
// NZ file"), not what went wrong.
// The last lines are words that say something is wrong but not what ("xero is broken" names no cause),
// the plumbing of developer posts (every one calls an API method) and the envelope of pasted errors (keys of Xero's JSON problem replies,
// stack-trace words): present whatever the cause, they would only dilute the words that say which.

/**
 * Undoes how errors get mangled on their way to a question: URL-encoding (`rate%20limit%20exceeded`)
 * and words run together in exception and code names (`XeroRateLimitExceeded`, `RequestEntityTooLarge`).
 * Applied to articles and questions alike, so `AuthenticationUnsuccessful` meets "Authentication Unsuccessful".
 */
export function unmangle(text: string): string {
  // One answer unmangles the same text several times (phrases, search terms, scope checks): the last few are kept.
  for (let i = 0; i < recentUnmangled.length; i += 2) if (recentUnmangled[i] === text) return recentUnmangled[i + 1]!;
  const decoded = text.includes('%') ? text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
  // Most questions run no words together (a capital starts a sentence or a name): each replace runs only where it would
  // change something, and no id field without "id".
  const camel = lowerThenCapitalRe.test(decoded) ? decoded.replace(/([a-z])([A-Z])/g, '$1 $2') : decoded;
  // ...but a plural of capitals stays whole: "IDs", not "I Ds".
  const split = capitalsThenLowerRe.test(camel) ? camel.replace(/([A-Z]+)([A-Z](?!s\b)[a-z])/g, '$1 $2') : camel;
  const withIds = idHintRe.test(split) ? split.replace(idFieldRe, '$1 $2') : split;
  // HTTP statuses counted in the plural ("throwing 429s", "a wave of 503s") are the status.
  const result = statusPluralHintRe.test(withIds) ? withIds.replace(statusPluralRe, '$1') : withIds;
  // The oldest pair is overwritten in place: shifting the others along cost more than the lookup saves.
  recentUnmangled[oldestUnmangled] = text;
  recentUnmangled[oldestUnmangled + 1] = result;
  oldestUnmangled = (oldestUnmangled + 2) % recentUnmangled.length;
  return result;
}

/** The last four texts unmangled and their results, as [text, result, text, result, ...], in a ring. */
const recentUnmangled: string[] = new Array<string>(8).fill('');
/** Where in recentUnmangled the oldest pair starts. */
let oldestUnmangled = 0;
/** What each of unmangle's splits needs to find: a lower-case letter before a capital, two capitals before a lower-case one. */
const lowerThenCapitalRe = /[a-z][A-Z]/;
const capitalsThenLowerRe = /[A-Z]{2}[a-z]/;
const statusPluralHintRe = /\ds\b/;
const statusPluralRe = /\b([1-5]\d\d)s\b/g;
const idHintRe = /id/i;

/** Id fields typed in lower case ("tenantid", "organisationid", "contactids") are the record's name and "id". */
const idFieldRe = /\b(organi[sz]ations?|tenants?|contacts?|invoices?|accounts?|payments?|items?|users?|bills?|connections?|journals?)(ids?)\b/gi;

export function applySynonyms(lowerText: string): string {
  return lowerText.replace(synonymRe, (m) => synonymMap.get(m) ?? m);
}

/** Filler words as searchTerms() leaves words (stemmed): one of them misspelt ("wekend", "somthing") is filler all the same. */
export function fillerStems(): string[] {
  return [...new Set([...stopwords].map(stem))];
}

const stemCache = new Map<string, string>();
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stemCache.size < 50_000) stemCache.set(word, s);
  }
  return s;
}

const addressOrPathRe = /\bhttps?:\/\/\S+|\S+\.(?:php|js|ts|py|java|rb|cs|go)\b(?::\d+)*/g;
/** What every match of addressOrPathRe contains: most texts have neither, and the full search backtracks on every word. */
const addressOrPathHintRe = /:\/\/|\.(?:php|js|ts|py|java|rb|cs|go)\b/;
/** An XML tag with its attributes (`<DataContractBase xsi:type="Payment">`); not a placeholder such as `<contact name>`. */
const xmlTagRe = /<\/?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+="[^"]*")*\s*\/?>/g;

/**
 * "haven't" split on its apostrophe leaves "haven", a word no article uses, which weighs as much as a rare one
 * and buries the rest of the question ("our invoices haven't synced to Xero"); negations are written out instead.
 */
const mayHoldContractionRe = /['\u2019]|nt\b/;
function withoutContractions(lower: string): string {
  if (!mayHoldContractionRe.test(lower)) return lower;
  return lower
    .replace(/\bcan['\u2019]?t\b/g, 'cannot')
    .replace(/\bwon['\u2019]?t\b/g, 'will not')
    .replace(/\b(are|is|was|were|do|does|did|have|has|had|could|would|should|need|must|might)n['\u2019]?t\b/g, '$1 not');
}

// A number after an account word is the account's code ("acct 429 is archived", "account code 200"), not an HTTP status.
const accountNumberRe = /\b(?:acct|accts|acc|account|a\/c|gl|nominal)(?:\s+(?:code|no\.?|number))?\s*#?\s*['"\u2018\u201c]?\d{3,}\b/g;
function withoutAccountNumbers(lower: string): string {
  return /\d{3}/.test(lower) ? lower.replace(accountNumberRe, ' account code ') : lower;
}

// A report named by its id ("report R-2041", "report #88", "report id: 417", "report 48213") says which report, not what
// failed: the word would tip a close ranking towards articles about reports, and a three-digit id would read as an HTTP
// status. Only a marked id or a long number counts: "xero reports 500 errors" keeps its status.
const reportIdRe = /\breports?\s*(?:(?:id|no\.?|number|ref)\s*[:#]?|#)\s*['"\u2018\u201c]?[\w-]*\d[\w-]*|\breports?\s+(?:[a-z]{1,4}[-_]\d[\w-]*|\d{4,}\b)/g;
function withoutReportIds(lower: string): string {
  return lower.includes('report') ? lower.replace(reportIdRe, ' ') : lower;
}

// An amount with a minus sign ("a total of -85.00") is a negative amount, whatever the figure.
const negativeAmountRe = /(?<=^|[\s(:=])-[$£€]?\d[\d,]*(?:\.\d+)?/g;
function withNegativeAmounts(lower: string): string {
  return lower.includes('-') ? lower.replace(negativeAmountRe, ' negative amount ') : lower;
}

// A currency written beside a figure ("120 EUR", "USD 500") only says what the amount is in; a currency named on its own
// ("an invoice in euros", "the NZD bills") is what the text is about.
const currencyOfAmountRe = new RegExp(`(?<=\\d\\s?)(?:${currencyCodes.join('|')}|euros?)\\b|\\b(?:${currencyCodes.join('|')})(?=\\s?\\d)`, 'g');
function withoutCurrencyOfAmounts(lower: string): string {
  return /\d/.test(lower) ? lower.replace(currencyOfAmountRe, ' ') : lower;
}

// A month, quarter or year that was locked or closed off ("since we locked nov", "we closed off FY24") is behind the lock date.
const closedPeriodRe =
  /\b(?:locked|closed(?: off)?)\s+(?:off\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|fy\s?\d{2,4}|q[1-4]|(?:the|last) (?:month|quarter|year|period|books))\b/g;
function withClosedPeriods(lower: string): string {
  return lower.includes('locked') || lower.includes('closed') ? lower.replace(closedPeriodRe, ' lock date ') : lower;
}

/** Search terms of a text: lower-cased, synonyms applied, split, filler dropped, stemmed. */
export function searchTerms(text: string): string[] {
  // Web addresses and source file paths name an endpoint or a line of code, not a cause; the tags of
  // an XML error reply (<ValidationErrors>, <Message>) are its envelope, whatever the error; snake_case
  // messages ("card_to_be_mapped_to_gl_account") are sentences too.
  const withoutTags = text.includes('<') ? text.replace(xmlTagRe, ' ') : text;
  const plain = unmangle(addressOrPathHintRe.test(withoutTags) ? withoutTags.replace(addressOrPathRe, ' ') : withoutTags);
  const lower = plain.toLowerCase();
  const words = applySynonyms(withClosedPeriods(withoutContractions(withNegativeAmounts(withoutCurrencyOfAmounts(withoutAccountNumbers(withoutReportIds(underscoresAsSpaces(lower)))))))).split(
    /[^a-z0-9]+/,
  );
  const out: string[] = [];
  const mayHoldDigits = /\d/.test(plain);
  for (const w of words) {
    if (!w || stopwords.has(w)) continue;
    // Long numbers, ids and hashes in pasted errors carry no meaning for ranking.
    if (mayHoldDigits && hasDigit(w) && !/^[a-z]+\d{1,3}$/.test(w) && !/^\d{3}$/.test(w)) continue;
    if (w.length === 1) continue;
    out.push(stem(w));
  }
  return out;
}

/** Whether a word holds a digit; looked at letter by letter, as a regex costs more on a word this short. */
function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

/** The text with underscores read as spaces (snake_case messages are sentences); the text itself when it has none, without a regex replace. */
export function underscoresAsSpaces(text: string): string {
  return text.includes('_') ? text.replace(/_/g, ' ') : text;
}

/** Lower-cased text with every run of other characters turned into one space, padded with spaces. */
export function phraseText(text: string): string {
  return ` ${unmangle(text).toLowerCase().replace(/[^a-z0-9_]+/g, ' ').trim()} `;
}

/**
 * Capitalised words inside running text (Stripe, Dext, Bluecroft): names of products, companies and
 * people, and the apps that connect to Xero in any case. One no article uses says where the error came
 * from, not what it is. Headlines and shouting (mostly capitalised text) carry no other hint, so they give no more.
 */
export function nameTerms(text: string): Set<string> {
  const names = new Set<string>();
  // Apps that send their documents to Xero are named however the question is typed ("square invoices not showing").
  // (match() rather than matchAll(), which copies the regex and builds an iterator on every call.)
  for (const app of text.match(appNameRe) ?? []) names.add(stem(app.toLowerCase()));
  const { words, capitalised } = countWords(text);
  if (words < 4 || capitalised * 2 > words) return names;
  for (const name of text.match(/(?<=[a-z0-9,;:)"'] +)[A-Z][a-z]+\b/g) ?? []) names.add(stem(name.toLowerCase()));
  return names;
}

/** How many words (a letter, then letters and apostrophes) a text holds, and how many start with a capital: counted in place, not matched into strings. */
function countWords(text: string): { words: number; capitalised: number } {
  let words = 0;
  let capitalised = 0;
  for (let i = 0; i < text.length; i++) {
    if (!isLetter(text.charCodeAt(i))) continue;
    words++;
    if (text.charCodeAt(i) <= 90) capitalised++;
    while (i + 1 < text.length && (isLetter(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 39)) i++;
  }
  return { words, capitalised };
}

/** A to Z in either case. */
function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Apps that connect to Xero: expense, receipt, payments, commerce, payroll, practice and field-service tools. Where the
 * error came from, not what it is. As names they only leave a question when no article uses the word.
 */
const appNameRe =
  /\b(?:expensify|dext|hubdoc|autoentry|datamolino|veryfi|a2x|stripe|shopify|woocommerce|square|squareup|paypal|amazon|ebay|etsy|gusto|deputy|float|spendesk|pleo|tipalti|ramp|brex|divvy|emburse|concur|airwallex|payhawk|soldo|approvalmax|karbon|lightyear|syft|fathom|workflowmax|tradify|servicem8|simpro|fergus|vend|lightspeed|unleashed|cin7|dear|katana|hubspot|salesforce|pipedrive|zapier|chaser|gocardless|ignition)\b/gi;
