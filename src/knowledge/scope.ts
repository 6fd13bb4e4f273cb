// Questions the knowledge base must not answer however familiar their words: errors from another
// accounting system ("token has expired" in a QuickBooks question) and how-to questions about
// using Xero that report no failure ("How do I void an invoice?"). Pure and cheap: a few regexes.
import { underscoresAsSpaces, unmangle } from './text.ts';

// Accounting systems other than Xero, and the names their SDKs and errors carry.
const otherProductRe =
  /\b(?:quick ?books?|qbo|qb|qbd|intuit|intuitlib|myob|account ?right|netsuite|suitetalk|sage(?: ?one| ?intacct| ?50| ?200)?|intacct|freshbooks|zoho ?books|zoho|freeagent|kashflow|reckon|wave ?accounting|dynamics ?365|dynamics ?gp|business ?central|odoo|acumatica|sap ?business ?one|exact ?online|clear ?books|pandle|quickfile|kashoo|tally ?prime|quicken|accountedge|moneybird|tripletex|e-?conomic|fortnox|visma|twinfield|sevdesk|lexoffice|datev|bexio|erpnext|frappe|akaunting|dolibarr|invoice ?ninja|gnucash|ledgersmb|tryton|holded|zervant|manager\.io)\b/i;

// Another product's API gives itself away without being named: QuickBooks Online's fields, sync tokens
// and error names, QuickBooks Desktop's Web Connector, NetSuite's token-based login, audit trail and script modules,
// MYOB's API headers, Sage's SData, QuickBooks' one namespace for customers, vendors and employees, Stripe's webhook signing and object ids, Shopify's shop addresses and limits.
const otherApiVocabularyRe =
  /\b(?:realm ?id|realmid|intuit_tid|synctoken|stale object error|business validation error|invalidtokenexception|(?:account|customer|vendor|item|class|department|taxcode|paymentmethod)ref|refresh oauth 2 access token with refresh token failed|intuitresponse|validationfault|minorversion|errorcode=\d+|duplicate document number error|invalid reference id|invalid or unsupported property|suitescript|suitecloud|restlets?|tokenpassport|login audit trail|invalid login attempt|token[- ]based auth\w*|sss_[a-z_]+|invalid_key_or_ref|x-myobapi-\w+|myobapi|cftoken|sdata|qbxml|qbwc|web connector|n\/(?:record|search|https|runtime)|stripe[- ]signature|whsec_\w+|expected signature for payload|(?:cus|acct|pi|ch|sk_live|sk_test)_[a-z0-9]{8,}|myshopify\.com|x-shopify-[\w-]+|calls per second for api client|invalid_session_id|session expired or invalid|another (?:customer|vendor|supplier|employee)(?:,? (?:or )?(?:customer|vendor|supplier|employee))* is already using this name)\b/i;

// Sign-in and API providers whose OAuth errors read like anyone's ("token_rejected", "access token expired"): named in
// a text that never mentions Xero, the tokens are theirs.
const otherOAuthProviderRe =
  /\b(?:linkedin|facebook|instagram|twitter|google (?:apis?|oauth2?|drive|sheets|calendar|people|workspace|ads|analytics)|gmail|okta|auth0|keycloak|identityserver|azure ad|entra id|microsoft graph|zoom|docusign|spotify)\b/i;

// The API of an app that sends documents to Xero, named in a text that never mentions Xero: its limits and webhooks are its own.
const otherAppApiRe =
  /\b(?:stripe|shopify|square|paypal|hubspot|salesforce|gusto|woocommerce|gocardless|pipedrive|zapier|amazon|ebay|etsy)(?:'s)? (?:apis?|webhooks?|sdk|rate limits?|private apps?|oauth|api keys?|access tokens?|[45]\d\d)\b/i;

// Developer, IT and office tools with logins, tokens and APIs of their own, which send no documents to Xero: named in a
// text that never mentions Xero, its 401, 429 or expired token is theirs. Where an app is hosted (Azure, AWS, Heroku)
// says nothing: developers' posts about their Xero integration name it without naming Xero.
const otherToolRe =
  /\b(?:github|gitlab|bitbucket|slack|jira|atlassian|confluence|zendesk|freshdesk|intercom|bamboohr|workday|outlook|chrome|firefox|nginx|twilio|sendgrid|mailchimp|dropbox|notion|asana|trello|google (?:invalid_grant|refresh tokens?|access tokens?|tokens?|sign[- ]?in|login|account))\b/i;

// Sage Business Cloud's error replies: [{"$severity": "error", "$dataCode": "RecordNotFound", "$message": ...}].
const sageErrorEnvelopeRe = /\$(?:dataCode|severity)\b/i;

// An OAuth or authorisation address on another provider's host (the caller rules out Xero's): that provider's
// tokens. An app's own callback (often on localhost) is where any provider sends people back, so it says nothing.
const urlRe = /https?:\/\/[^\s"'<>`]+/gi;
const authPathRe = /\/(?:oauth2?|authori[sz]\w*|token)\b/i;
const ownCallbackRe = /callback|redirect|localhost|127\.0\.0\.1/i;
function hasForeignAuthUrl(text: string): boolean {
  return (text.match(urlRe) ?? []).some((url) => authPathRe.test(url) && !ownCallbackRe.test(url));
}

// At the start of any sentence: the question often follows a sentence of context or a title ("Bank reconciliation: how to...").
// Also typed without "do I" ("how add a tracking category") or as an order ("add my bookkeeper as a user in xero").
const howToRe =
  /(?:^|[.!?:]\s+|\n)\s*(?:what does|what do|what is|what's|whats|what happens|how do i|how do you|how do we|how does|how can i|how can we|how should|how would|how to|how many|how much|can i|can we|can you|can xero|where do i|where can i|where is|where are|where's|wheres|is it possible|is there a way|is there any way|does xero|does the|does this|do you|do i need|should i|should we|any idea how|can someone|can anyone|could someone|could anyone|does anyone know|(?:add|adding|set ?up|setting up|update|updating|merge|merging|upload|uploading|reset|resetting|change|changing|create|creating|delete|deleting|remove|removing|edit|editing)(?= (?:a|an|the|my|our|new|two|\w+ (?:to|in|for|as) xero))|how (?:add|create|make|set ?up|set|change|edit|delete|remove|void|get|turn|enable|disable|find|use|import|move|merge|archive|unarchive|rename|upload|attach|reconcile|record|enter|close|lock|unlock))\b/i;

// Payroll (employees' leave, pay runs, payslips, timesheets) is a part of Xero no export of ours
// touches; only trouble with the connection itself (a refused "payroll.employees" scope, a token,
// the connection limit) is an integration failure.
const payrollRe =
  /\b(?:payroll|payslips?|pay ?slips?|pay ?runs?|pay ?items?|pay ?templates?|pay ?calendars?|leave (?:applications?|types?|balances?|requests?|earnings)|(?:annual|sick|parental|holiday) (?:leave|pay)|earnings ?rates?|timesheets?|superannuation|kiwisaver|single touch payroll|stp|p60|p45|auto.?enrol+ments?)\b/i;
// A payroll product posting its journals or transactions to Xero is an export like any other.
const postsToXeroRe = /\b(?:post\w*|export\w*|send\w*|sent|push\w*|sync\w*|transfer\w*)\b[^.\n]{0,60}?\b(?:to|into|with) xero\b/i;
const connectionTroubleRe = /\b(?:scopes?|permissions?|consent|forbidden|403|401|unauthori[sz]ed|authori[sz]ation|tokens?|grant|oauth2?|connect\w*)\b/i;

// Words that report something going wrong, or an integration at work; a how-to question with one
// of them ("how do I fix the export error?") is a support question after all. So is one after data
// landed somewhere "instead of" or "rather than" where it should, or "ended up in" or "went into" some other
// place ("how do I point it at the other org?"), and one after an export that "falls over" or "bombs out".
const failureRe =
  /\b(?:error|errors|fail\w*|cannot|unable|not|(?:is|are|was|were|does|did|has|have|had|could|would|ca|wo)n['\u2019]?t|never|refus\w*|reject\w*|denied|invalid|exception|expire\w*|broken|stuck|wrong|problem|issue|missing|limit\w*|bounc\w*|still (?:sits?|sitting|shows?|showing|says|listed|unpaid|awaiting|pending|outstanding)|rather than|instead of|ended up in|went into|landed in|f[ae]ll(?:s|ing)? over|bomb(?:s|ed|ing)? out|\d{3})\b/i;
const integrationWordRe = /\b(?:sync\w*|export\w*|import\w*|integrat\w*|connect\w*|reconnect\w*|(?:un|re)link\w*|(?:un)?hook\w*|mappings?|api|token|publish\w*|push\w*|retry|resend)\b/i;
const troubleRe = new RegExp(`${failureRe.source}|${integrationWordRe.source}`, 'i');

// Words that say something is wrong, in error messages as much as in people's words: a pattern without
// one only names a subject ("lock date"), and a text without one (nor any of troubleRe's) reports nothing wrong.
export const problemWordRe =
  /\b(?:errors?|invalid|expired?|fail\w*|mismatch|unavailable|timeout|denied|exceed\w*|not|cannot|can't|must|missing|required|insufficient|unknown|unexpected|refused|rejected|already|duplicate|wrong|negative|unable|offline|conflict|locked|unauthori[sz]ed|forbidden|empty|too (?:long|large|many|big)|out of sync|stuck|broken|archived|deleted|inactive|removed|revoked|disconnected|deprecated|depreciated|unique|incorrect|gr[ae]yed|never|no longer|no|without|unsupported|reached|disabled|switched off|is off|voided|can only|ended|closed|timed out|bad gateway|bad request|is down|please wait|fault\w*|cancell?ed|suspended|read.only|stopped|blocked|lost|dropped|declined|(?:is|are|was|were|do|does|did|has|have|wo|ca)n't)\b/i;

// A standard OAuth error that no Xero article names, quoted as an error's value (`"error":"access_denied"`,
// `code: "unauthenticated"`): in a text that never mentions Xero it is some other identity provider's reply
// (Auth0, MYOB, FreshBooks), and its generic words (token, 401, unauthorized) must not pass for a Xero connection's.
const oauthErrorValueRe =
  /(?:\b(?:error|code)["']?\s*[:=]\s*["']?|["'])(?:access_denied|invalid_request|unauthenticated|invalid_token|unsupported_grant_type|unsupported_response_type)\b/i;

// An error code of four or more digits ("Error Code: 25003", "error code 3200"): Xero numbers its API errors with
// two digits ("ErrorNumber": 10) and HTTP statuses have three, so a longer number is another system's.
const longErrorNumberRe = /\berror ?(?:code|number|no)\b["']?\s*[:=#]?\s*["']?\d{4,}\b/i;

// A limit of Xero's own set-up met while setting something up ("unable to add more than 2 tracking categories")
// with no integration at work: how Xero works, not a failure of a connection or an export.
const ownLimitRe = /\b(?:add|create|set up|enable|activate)\s+more than \d+\b/i;
/** The sentence or line in which a limit is met. */
const limitSentenceRe = new RegExp(`[^.?!\\n]*${ownLimitRe.source}[^.?!\\n]*`, 'i');
const integrationAtWorkRe = /\b(?:sync\w*|export\w*|import\w*|api|integrat\w*|connect\w*|publish\w*|push\w*|post(?:s|ed|ing)?|send\w*|sent|apps?)\b/i;

/** Names Xero anywhere: xero-node, api.xero.com and Xero-Tenant-Id count. */
export function namesXero(text: string): boolean {
  return /xero/i.test(text);
}

/**
 * Names another accounting system, or carries its API's vocabulary or an OAuth address of another
 * provider, and never Xero (xero-node, api.xero.com and Xero-Tenant-Id all count).
 */
export function aboutAnotherProduct(text: string): boolean {
  // Xero named decides at once, and most questions name it; most of the rest name nothing below, found in one scan.
  return (
    !namesXero(text) &&
    anotherProductHintRe.test(text) &&
    (otherProductRe.test(text) || otherOAuthProviderRe.test(text) || namesOtherTool(text) || otherApiVocabularyRe.test(text) || otherAppApiRe.test(text) || sageErrorEnvelopeRe.test(text) || longErrorNumberRe.test(text) || hasForeignAuthUrl(text))
  );
}

/** The regexes aboutAnotherProduct() looks for (exported for a test that their union finds what each finds). */
export const anotherProductHints: readonly RegExp[] = [otherProductRe, otherOAuthProviderRe, otherToolRe, otherApiVocabularyRe, otherAppApiRe, sageErrorEnvelopeRe, longErrorNumberRe, urlRe];
/** Any of them, as one. */
const anotherProductHintRe = anyOf(anotherProductHints);

/**
 * A regex whose test() is true wherever any of the given ones' is. The union is case-insensitive and has no other flag,
 * so it refuses a regex that would mean something else inside it: one that is case-sensitive, one whose flags change
 * what it matches (m, s, u, v, y; g and d change no test), and one that refers back to its own groups, whose numbers shift.
 */
export function anyOf(regexes: readonly RegExp[]): RegExp {
  for (const re of regexes) {
    if (!re.ignoreCase || /[msuvy]/.test(re.flags) || /\\[1-9]|\\k</.test(re.source)) {
      throw new Error(`anyOf: ${String(re)} would not match the same inside a union`);
    }
  }
  return new RegExp(regexes.map((re) => `(?:${re.source})`).join('|'), 'i');
}

// An issue template's environment fields ("- Browser: Chrome 119", "OS: Windows 11") say where the author ran into it.
const environmentFieldRe = /^\s*(?:[-*]\s*)?(?:browser|os|device|platform|desktop|smartphone|version)\s*(?:\[[^\]\n]*\]\s*)?:.*$/gim;

/** Names a developer, IT or office tool other than where it ran. */
function namesOtherTool(text: string): boolean {
  return otherToolRe.test(text) && otherToolRe.test(text.replace(environmentFieldRe, ''));
}

/** Quotes a generic OAuth error of an identity provider it never names, and never mentions Xero; callers check codes first. */
export function oauthErrorOfAnotherProvider(text: string): boolean {
  return oauthErrorValueRe.test(text) && !namesXero(text);
}

/** Runs into a limit of Xero's own set-up with no integration at work; callers check codes first. */
export function limitOfXeroItself(text: string): boolean {
  // Most texts meet no limit: checked first, as the sentence search below tries every position.
  if (!ownLimitRe.test(text)) return false;
  // The integration must be at work where the limit is met: one only named around it ("our integration question") is not.
  const met = limitSentenceRe.exec(text);
  return met !== null && !integrationAtWorkRe.test(met[0]);
}

/**
 * About Xero Payroll, unless the trouble is with the connection; callers check codes first. `body` is the text
 * without the context around its error (a token kept in a database is no trouble with the connection).
 */
export function aboutPayroll(text: string, body = text): boolean {
  return payrollRe.test(unmangle(text)) && !connectionTroubleRe.test(unmangle(body)) && !postsToXeroRe.test(body);
}

const denialRe = /\b(?:(?:nothing(?:['\u2019]s| is)?|not) (?:broken|wrong|failing)|not sure)\b/gi;

const howToSentenceRe = new RegExp(`${howToRe.source}[^.?!\\n]*`, 'gi');

/** The sentences of a text that ask how to do something, from the asking words to the end of the sentence. */
function questionsOf(text: string): string[] {
  return text.match(howToSentenceRe) ?? [];
}

/** Asks how to do something and reports no failure; callers check codes first ("What does XERO11 mean?"). */
export function howToWithoutTrouble(text: string): boolean {
  if (!howToRe.test(text)) return false;
  // "Nothing's broken, just not sure where it lives" says no failure, in the words of one.
  if (failureRe.test(text.replace(denialRe, ' '))) return false;
  // An integration named in the question makes it a support question ("how do I reauthorise our Xero connection");
  // one named only around it ("we push our sales through the API. How do I void an invoice?") does not.
  return !questionsOf(text).some((q) => integrationWordRe.test(q));
}

// Bank feeds and reconciling are work done in Xero itself; they are the integration's only when the text says what the
// product did or shows ("reconciled it in Xero but our app still says unpaid").
const bankingInXeroRe = /\b(?:bank ?feeds?|statement lines?|bank statements?|bank rules?|re+c+onc?il\w*)\b/i;
const productSideRe =
  /\b(?:sync\w*|export\w*|integrat\w*|connect\w*|publish\w*|push\w*|our (?:app|system|side|platform|software|tool)|the (?:app|product|platform)|still (?:shows?|showing|says|listed)|unpaid|outstanding|overdue|paid)\b/i;

/** About bank feeds or reconciling in Xero, with nothing said about the product's side; callers check codes first. */
export function bankingInXero(text: string): boolean {
  return bankingInXeroRe.test(text) && !productSideRe.test(text);
}

// Signing in to Xero itself (two-step codes, an authenticator, being locked out) with no integration at work: Xero's own
// support, not the connection's ("changed their two-factor and the connection dropped" names the connection).
const ownLoginRe =
  /\b(?:authenticator|two[- ]?(?:factor|step)|2fa|mfa|locked out|lost (?:my|his|her|their) phone|forgot\w* (?:my |the |our )?(?:xero )?password|reset(?:ting)? (?:my |the |our )?(?:xero )?password|password reset)\b/i;

/** About signing in to Xero itself, with no integration at work; callers check codes first. */
export function ownXeroLogin(text: string): boolean {
  return ownLoginRe.test(text) && !integrationWordRe.test(text);
}

// What Xero charges for its own subscription (a price that went up, a card charged twice, a refund of the plan) is Xero's
// billing, not the connection's; an organisation whose subscription lapsed is, when the text says what stopped working.
const xeroBillingRe =
  /\b(?:subscription (?:charges?|fees?|prices?|pricing|costs?|payments?|bill|invoice|renewal)|(?:charged|billed) (?:us|me|our card|my card|the card|twice|double|more)|(?:plan|subscription) (?:went up|increased|goes up|go up)|price (?:increase|rise|went up)|refund (?:of|for) (?:the|our|my) (?:subscription|plan))\b/i;

/** About what Xero charges for its own subscription, with no integration at work; callers check codes first. */
export function xeroOwnBilling(text: string): boolean {
  return xeroBillingRe.test(text) && !integrationWordRe.test(text);
}

const passwordRe = /\bpass ?words?\b/i;

/** A password of some login other than Xero's: the text never names Xero (a changed Xero password is the connection's trouble); callers check codes first. */
export function passwordOfAnotherLogin(text: string): boolean {
  return passwordRe.test(text) && !namesXero(text);
}

// GitHub's feature-request template: a post written on it asks for something new, however it describes today.
const featureRequestRe = /\bis your feature request related to a problem\b|\bdescribe the solution you'?d like\b/i;

// A generated SDK's own check of a value against the enum it was built with ("Invalid value for 'class', must be one
// of 'DEMO', 'TRIAL', ..."): the SDK is older than the value Xero sent, which no article is about.
const sdkEnumCheckRe = /\binvalid value for ["'`]?\w+["'`]?,? must be one of\b/i;

/** An SDK refusing a value its enums do not list; callers check codes first. */
export function sdkEnumCheck(text: string): boolean {
  return sdkEnumCheckRe.test(text);
}

/** Written on GitHub's feature-request template: a wish, not a failure; callers check codes first. */
export function featureRequest(text: string): boolean {
  return featureRequestRe.test(text);
}

/** Reports something going wrong or an integration at work. */
export function reportsTrouble(text: string): boolean {
  return troubleRe.test(text);
}

/** Says anything at all is wrong, however it is worded (`invalid_grant`, "has been archived", "must be unique"). */
export function reportsProblem(text: string): boolean {
  return troubleRe.test(text) || problemWordRe.test(underscoresAsSpaces(unmangle(text)));
}

/**
 * Out of scope whatever its words, where no code or error string of an article decides: a how-to question, a wish, an
 * SDK's own check, Xero Payroll, another provider's OAuth error, a limit of Xero's own set-up, banking, signing in to or
 * paying for Xero itself. `body` is the text without the context around its error.
 */
export function outOfScopeWithoutCode(text: string, body: string): boolean {
  // Most texts hold none of the regexes the checks start with, found in one scan (payroll's reads the text unmangled).
  const mayBe = outOfScopeHintRe.test(text) || (body !== text && outOfScopeHintRe.test(body));
  return (
    aboutPayroll(text, body) ||
    (mayBe &&
      (howToWithoutTrouble(body) ||
        featureRequest(text) ||
        sdkEnumCheck(body) ||
        oauthErrorOfAnotherProvider(text) ||
        limitOfXeroItself(body) ||
        bankingInXero(body) ||
        passwordOfAnotherLogin(text) ||
        ownXeroLogin(body) ||
        xeroOwnBilling(body)))
  );
}

/** The regexes the checks in outOfScopeWithoutCode() but aboutPayroll() start with (exported for the same test). */
export const outOfScopeHints: readonly RegExp[] = [howToRe, featureRequestRe, sdkEnumCheckRe, oauthErrorValueRe, ownLimitRe, bankingInXeroRe, passwordRe, ownLoginRe, xeroBillingRe];
/** Any of them, as one. */
const outOfScopeHintRe = anyOf(outOfScopeHints);
