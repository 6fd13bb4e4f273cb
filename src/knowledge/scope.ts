// Questions the knowledge base must not answer however familiar their words: errors from another
// accounting system ("token has expired" in a QuickBooks question) and how-to questions about
// using Xero that report no failure ("How do I void an invoice?"). Pure and cheap: a few regexes.

// Accounting systems other than Xero, and the names their SDKs and errors carry.
const otherProductRe =
  /\b(?:quick ?books|qbo|qb|qbd|intuit|intuitlib|myob|account ?right|netsuite|suitetalk|sage(?: ?one| ?intacct| ?50| ?200)?|intacct|freshbooks|zoho ?books|freeagent|kashflow|reckon|wave ?accounting|dynamics ?365|business ?central)\b/i;

const howToRe = /^\s*(?:what does|what do|what is|what's|whats|how do i|how do you|how can i|how to|can i|where do i|where can i|is it possible)\b/i;

// Words that report something going wrong, or an integration at work; a how-to question with one
// of them ("how do I fix the export error?") is a support question after all.
const troubleRe =
  /\b(?:error|errors|fail\w*|cannot|can't|cant|unable|won't|wont|not|isn't|doesn't|didn't|never|refus\w*|reject\w*|denied|invalid|exception|expire\w*|broken|stuck|wrong|problem|issue|missing|limit\w*|sync\w*|export\w*|import\w*|integrat\w*|connect\w*|reconnect\w*|api|token|publish\w*|push\w*|retry|resend|\d{3})\b/i;

/** Names another accounting system and never Xero (xero-node, api.xero.com and Xero-Tenant-Id all count). */
export function aboutAnotherProduct(text: string): boolean {
  return otherProductRe.test(text) && !/xero/i.test(text);
}

/** Asks how to do something and reports no failure; callers check codes first ("What does XERO11 mean?"). */
export function howToWithoutTrouble(text: string): boolean {
  return howToRe.test(text) && !troubleRe.test(text);
}
