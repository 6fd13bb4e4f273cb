// What a real post carries around its error: a greeting and thanks, the author's environment, the story
// of what they already did, an issue template's headings and steps, stack frames, the log label before the
// message, the code shown before the reply, an email's headers and a help page's framing. Each is the same whatever failed, so ranked with the error it only dilutes it; the answer
// engine ranks the post without them. A line that reports an error is never context, whatever else it says.
import { problemWordRe } from './scope.ts';
import { searchTerms, underscoresAsSpaces, unmangle } from './text.ts';

/** A line that reports an error, as opposed to the code, greetings and context around it. */
export const errorLineRe =
  /\b(?:errors?|exception|fail\w*|unable|cannot|can't|invalid|denied|forbidden|unauthori[sz]ed|refused|rejected|expired|exceeded|unsuccessful|reached (?:the|your|its|our) limit)\b|\b[45]\d\d\b|[a-z](?:Exception|Error|Unsuccessful|Exceeded|Invalid|Expired)\b/i;

const greetingRe = /^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))\b[^.,!?\n]{0,20}(?:[,!.]\s*|$)/i;
const thanksRe =
  /^(?:(?:many thanks|thanks|thank you|thx|cheers|regards|best regards|kind regards)\b|any (?:help|ideas?|pointers?|advice)\b.*\b(?:appreciated|welcome|thanks)\b)/i;
// Versions, runtimes, systems, hosting and stores: where the code runs, not what went wrong.
const environmentRe =
  /\b(?:node(?:\.?js)?|npm|yarn|pnpm|python|php|ruby|rails|java|dotnet|golang|nuget|composer|pip|gem|maven|gradle|visual studio|laravel|django|windows|macos|mac ?os|ubuntu|debian|linux|docker|kubernetes|aws|lambda|azure|gcp|heroku|vercel|postgres\w*|mysql|mongo\w*|redis|sdk|runtime|version|our stack|tech stack|browser|chrome|firefox|safari|ios|android|iphone)\b|(?<![\w.])(?:\.net|c#)(?![\w])|\bv?\d+\.\d+\.\d+\b/i;
// The author's own troubleshooting and a history of it working: what they did, not what failed.
const ownStepsRe =
  /^(?:we|i)(?:'ve| have| had)?\s+(?:already\s+|also\s+|then\s+)?(?:restarted|rebooted|redeployed|reinstalled|cleared the cache|checked the logs)\b/i;
// ...and the everyday remedies anyone tries first, whatever failed.
const firstRemedyRe = /\b(?:tried|try|trying)\s+(?:(?:logging|signing)\s+(?:out|off)(?:\s+and\s+(?:back\s+)?in)?(?:\s+again)?|refreshing the (?:page|browser)|clearing (?:the |my )?(?:cache|cookies)|restarting|rebooting|a different browser)\b/i;
// A plea for help that says nothing of the trouble ("What should I do?", "Please help").
const pleaRe = /^(?:what (?:should|can|do) (?:i|we) do(?: now| next)?|how (?:can|do) (?:i|we) (?:fix|solve|resolve) (?:this|it)|any (?:ideas|suggestions|thoughts|help)|please (?:help|advise|assist)(?: me| us)?|can (?:anyone|someone|somebody|you) help(?: me| us)?(?: with this)?|what am i doing wrong|is this a bug|am i missing something|(?:has )?(?:anyone|anybody|someone) (?:else )?(?:seen|had|hit|come across|run into|experienced|encountered) (?:this|that|the same)(?: \w+)?(?: before)?)\s*[?.!]*$/i;
// Who the author is ("I'm the bookkeeper for a small café", "I'm new to this and not technical").
const personaRe = /^(?:i'?m|i am|we'?re|we are)\s+(?:(?:just\s+)?(?:the|a|an|our)\s+(?:\w+\s+){0,3}?(?:bookkeeper|accountant|owner|admin\w*|developer|dev|manager|user|consultant|freelancer|beginner)\b|(?:fairly |very |quite )?new (?:to|at|with)\b|not (?:very |really |a |at all )?(?:technical|tech.savvy|developers?|programmers?)\b)/i;
const historyRe = /\b(?:worked fine|has worked|had worked|was working fine|ran fine|has been working|worked well|working fine|running fine)\b/i;
// How long it has taken and where they looked ("stuck on this for two days and searched everywhere"), and a later
// edit saying it still happens: effort and persistence, the same whatever failed.
const effortRe = /\b(?:(?:been |am |was )?stuck on (?:this|it) for|searched everywhere|searched (?:the|these) forums?|banging my head|(?:for|since) (?:two|three|four|five|a few|several|\d+) (?:days|hours|weeks) (?:now|already))\b|^(?:edit|update)\s*\d*\s*:\s*(?:still|same|it still|this still)\b/i;
// "Our nightly job stopped": something stopped, without a word of what.
const stoppedRe =
  /\b(?:job|jobs|cron|task|service|script|integration|app|sync|process|it|everything)\s+(?:has\s+|have\s+|had\s+)?(?:suddenly\s+)?(?:stopped|broke|died)(?:\s+working)?\s*[.!]?$/i;
// An issue template's headings: what was expected, how to reproduce it and where it ran is context, and so
// is what stands under such a heading; a heading over what happened only names the section that follows.
const contextHeadingRe = /^\s*(?:#+\s*)?(?:\*\*)?(?:steps to reproduce|to reproduce|reproduction steps|expected (?:behaviou?r|result|outcome)|environment|versions?|additional (?:context|information)|screenshots?|desktop|smartphone|device|browser|platform)\b/i;
const plainHeadingRe = /^\s*(?:#+\s*)?(?:\*\*)?(?:describe the (?:bug|issue|problem)|bug report|actual (?:behaviou?r|result|outcome)|current behaviou?r|what happened|description|summary)\s*(?:\*\*)?\s*:?\s*(?:\*\*)?\s*$/i;
const stepLineRe = /^\s*(?:\d+[.)]|[-*])\s+/;
// Stack frames (JavaScript, Java and .NET, Python, with the source line under each of Python's): where the error passed, not what it is.
const frameRe = /^\s*(?:at\s+\S.*(?:\)|:\d+)\s*$|at async\b|File ".*", line \d+|Traceback \(most recent call last\))/;
/** A Python frame, followed by the line of source it ran: that line is context too. */
const pythonFrameRe = /^\s*File ".*", line \d+/;
// The module an exception class lives in (`ledger.errors.ApiError`, `System.Net.Http.HttpRequestException`) says where it was defined.
const modulePathRe = /\b(?:[A-Za-z_]\w*\.)+(?=[A-Z]\w*(?:Error|Exception)\b)/g;
// A generic exception class before the message (`ApiError: ...`, `Error: ...`) says only that something failed, which the message says.
const genericExceptionRe = /^\s*(?:Api|Http|Request|Client|Server|Response|Fetch|Unhandled|Uncaught)?(?:Error|Exception)\s*:\s+(?=\S)/;
// A line that only introduces a quote ("...the app shows a red banner that says:").
const quoteIntroRe = /\b(?:says|said|reads|read|shows|showed|following|below|this|as follows|like so|something like)\s*:\s*$/i;
// A forwarded or quoted email's header lines and marker: who sent it when, not what failed.
const emailHeaderRe = /^\s*(?:-{2,}\s*(?:forwarded message|original message)\s*-{2,}|(?:from|to|cc|bcc|date|sent|subject):\s|on .{5,80} wrote:\s*$)/i;
// A sign-off ("Kind regards,"), after which a short line is the signature.
const signOffRe = /^\s*(?:(?:kind |best |warm )?regards|cheers|thanks|thank you|many thanks|best|sincerely|all the best)\s*,\s*$/i;
// A help page's own framing: a sentence about the page ("This article lists the errors you might see") or where to look
// for the reason ("the reason is shown in the sync log") names errors in general; its closing offer of support, none.
const pageFramingRe =
  /\b(?:this (?:article|page|guide|section|help page)|below (?:is|are) (?:one|some|a list|the)|listed below)\b|\b(?:reason|cause|details?) (?:is|are) (?:shown|displayed|listed|logged|recorded) (?:in|on|under)\b/i;
const supportOfferRe = /\b(?:still need help|need (?:more|further) help|contact (?:our |the )?support|reach out to (?:us|our|the)|get in touch with (?:us|our|the)|was this (?:article )?helpful)\b/i;
// A help page's title at the top of a post names a kind of page, not an error: troubleshooting, common errors, error messages.
const pageTitleRe = /^\s*(?:#+\s*)?(?:troubleshoot\w*|common|frequently asked|faq)\b[^.!?:]*$|^[^.!?:]*\b(?:error messages|errors and (?:how|what|solutions|fixes)|list of errors)\b[^.!?:]*$/i;
const contrastRe = /,?\s+(?:but|until|however|although|though|except that|yet)\s+/i;
// A line of code: a statement ended, a block opened after a condition or call, or closed (not a JSON reply's braces).
const codeLineRe = /;\s*$|\)\s*\{\s*$|^\s*\}\s*$/;
// A label before the message on its line ("Unhandled rejection in the export worker: ...") says where it surfaced.
const labelRe = /^[^:\n]{0,40}\b(?:rejection|promise|worker|logs?|logger|console|output|stderr|stdout|terminal|thread)\b[^:\n]{0,30}:\s+(?=\S)/i;

/** Where a sentence may end and another start: a text without it is one sentence. */
const sentenceEndRe = /[.!?]\s/;

function splitSentences(text: string): string[] {
  return sentenceEndRe.test(text) ? text.split(/(?<=[a-z0-9)\]"'][.!?])\s+/i) : [text];
}

/** Says on this line that something is wrong: an error, or a word such as archived, missing or not. */
export function reportsProblemHere(line: string): boolean {
  return errorLineRe.test(line) || problemWordRe.test(underscoresAsSpaces(unmangle(line)));
}

/** A sentence that is context whatever the post is about; `inSection` when it stands under a heading such as "Steps to reproduce". */
function isContext(sentence: string, inSection: boolean): boolean {
  const s = sentence.trim();
  if (!s) return true;
  if (frameRe.test(s)) return true;
  if (contextHeadingRe.test(s) || plainHeadingRe.test(s)) return true;
  // A step names what was clicked; "3. See error" says only that it failed.
  if (inSection) return !reportsProblemHere(s.replace(/\b(?:see|get|an?|the)\s+(?:an?\s+)?errors?\b/gi, ''));
  // "I'm the admin, but the organisation is greyed out", "it worked fine until we archived the account": a contrast
  // brings what went wrong, so the sentence is context only when every part of it is.
  // (Split only where there is a contrast: a regex split costs more than a test, and most sentences hold none.)
  const clauses = contrastRe.test(s) ? s.split(contrastRe) : null;
  if (clauses !== null && clauses.length > 1) return clauses.every((clause) => isContext(clause, false) || (!reportsProblemHere(clause) && searchTerms(clause).length <= 1));
  if (pageFramingRe.test(s)) return true;
  if (errorLineRe.test(s)) return false;
  if (supportOfferRe.test(s)) return true;
  // "We already restarted it", "our nightly job stopped": words of trouble that do not say which.
  if (emailHeaderRe.test(s) || signOffRe.test(s)) return true;
  if (ownStepsRe.test(s) || firstRemedyRe.test(s) || historyRe.test(s) || stoppedRe.test(s) || pleaRe.test(s) || personaRe.test(s) || effortRe.test(s)) return true;
  // A question is what the post asks, whatever it names ("does this package include the OAuth flow?").
  if (reportsProblemHere(s) || (/\?\s*$/.test(s) && !thanksRe.test(s))) return false;
  // "Here is what comes back:" only introduces the message; one that says what was being done is kept.
  if (/:\s*$/.test(s) && (searchTerms(s).length <= 1 || quoteIntroRe.test(s))) return true;
  return thanksRe.test(s) || environmentRe.test(s) || (greetingRe.test(s) && s.replace(greetingRe, '') === '');
}

/** The post without its context lines and sentences; the post itself when nothing, or everything, would be left out. */
export function withoutContext(text: string): string {
  // Most questions are one line of one sentence with no label, exception class or greeting to take off: they come
  // back whole (as the loop below would return them), without splitting the text into lines.
  if (!text.includes('\n') && !text.includes(':') && !text.includes('Error') && !text.includes('Exception') && !sentenceEndRe.test(text) && !greetingRe.test(text)) {
    return text;
  }
  let inSection = false;
  let sectionHasLines = false;
  let afterPythonFrame = false;
  let afterSignOff = false;
  let dropped = false;
  const kept: string[] = [];
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.trim());
  // (A lone line introduces nothing after it.)
  const lastIntro = lines.length > 1 ? lines.findLastIndex((line) => /:\s*$/.test(line) && !contextHeadingRe.test(line) && !plainHeadingRe.test(line)) : -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) {
      // A blank line ends a section, unless it only separates the heading from what stands under it.
      if (sectionHasLines) inSection = false;
      kept.push(line);
      continue;
    }
    if (afterPythonFrame && /^\s/.test(line)) {
      afterPythonFrame = false;
      dropped = true;
      continue;
    }
    // What a line is matters to the next one: the last line's is not looked for.
    const last = i === lines.length - 1;
    afterPythonFrame = !last && pythonFrameRe.test(line);
    if (afterSignOff && line.trim().split(/\s+/).length <= 4 && !reportsProblemHere(line)) {
      dropped = true;
      continue;
    }
    afterSignOff = !last && signOffRe.test(line);
    // The code that made the call, shown before the line that introduces what came back ("and I get this error:").
    if (i < lastIntro && codeLineRe.test(line)) {
      dropped = true;
      continue;
    }
    if (i === first && !lines[i + 1]?.trim() && pageTitleRe.test(line) && line.trim().split(/\s+/).length <= 6) {
      dropped = true;
      continue;
    }
    // Most lines hold no label, exception class or second sentence: the regexes run only where a colon, "Error" or a stop says one may be there.
    const label = line.includes(':') ? labelRe.exec(line) : null;
    const unlabelled = label && !reportsProblemHere(label[0]) ? line.slice(label[0].length) : line;
    const message = unlabelled.includes('Error') || unlabelled.includes('Exception') ? unlabelled.replace(modulePathRe, '').replace(genericExceptionRe, '') : unlabelled;
    if (message !== line) dropped = true;
    // (A greeting is looked for before it is replaced: most lines hold none, and a replace with a callback costs more than a test.)
    const sentences = stepLineRe.test(message)
      ? [message]
      : splitSentences(greetingRe.test(message) ? message.replace(greetingRe, (m) => ((dropped = true), m.trim() === message.trim() ? m : '')) : message);
    // A text of one sentence comes back whole whether or not it is context (nothing left would be nothing): skip the checks.
    if (lines.length === 1 && sentences.length === 1 && !dropped) return text;
    const heading = /^\s*#/.test(line) || contextHeadingRe.test(line) || plainHeadingRe.test(line);
    sectionHasLines = !heading;
    const left = sentences.filter((s) => !isContext(s, inSection));
    if (heading) inSection = contextHeadingRe.test(line);
    if (left.length < sentences.length) dropped = true;
    if (left.length) kept.push(left.join(' '));
  }
  if (!dropped) return text;
  const body = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return body ? body : text;
}
