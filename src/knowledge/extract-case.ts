import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node';

/** A value read from the text, with where it came from so a summary can quote it. */
export interface Found<T> {
  value: T;
  /** Offsets into the original text: text.slice(start, end) is what the value was read from. */
  start: number;
  end: number;
}

export interface FoundTime extends Found<string> {
  /** The words the time was read from. */
  text: string;
  /** Set when a numeric date could be read either way round: which order was assumed. */
  assumedOrder: 'day/month' | 'month/day' | null;
}

export interface ExtractedCase {
  codes: Found<string>[];
  message: Found<string> | null;
  report: Found<string> | null;
  time: FoundTime | null;
  org: Found<string> | null;
}

export interface ExtractOptions {
  /** IANA zone of the sender (Slack users.info tz); relative and zone-less times are read in it. */
  timeZone?: string;
  /** When the text was sent; "yesterday" and "20 minutes ago" count from here. */
  sentAt?: Date;
  /** BCP 47 locale of the sender; decides day/month order. Defaults from the time zone. */
  locale?: string;
  /** The workspace's connected organisation names. */
  organisations?: readonly string[];
  /** Codes the knowledge base knows (XERO01, TOKEN_EXPIRED...), matched as whole words. */
  knownCodes?: readonly string[];
}

export class ExtractError extends Error {
  readonly code: 'unknown_time_zone' | 'invalid_sent_time';
  constructor(code: 'unknown_time_zone' | 'invalid_sent_time', message: string) {
    super(message);
    this.code = code;
  }
}

const codeShape = /\b[A-Z]{2,6}\d{2,4}\b/g;
// Vendors' symbolic codes (XERO_EXPORT_TAX_MAPPING_REQUIRED): three or more upper-case parts,
// so two-part words such as environment names stay out unless the knowledge base knows them.
const symbolicCode = /(?<![\w-])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){2,}(?![\w-])/g;

export function extractCase(text: string, options: ExtractOptions = {}): ExtractedCase {
  const timeZone = options.timeZone ?? 'UTC';
  checkTimeZone(timeZone);
  const sentAt = options.sentAt ?? new Date();
  if (Number.isNaN(sentAt.getTime())) throw new ExtractError('invalid_sent_time', 'The sent time is not a valid date.');
  const found = findMessage(text);
  const report = findReport(text, found);
  const time = findTime(text, timeZone, sentAt, options.locale ?? defaultLocale(timeZone));
  return {
    codes: findCodes(text, options.knownCodes ?? []),
    message: found && withoutAddedDetails(text, found, [report, time]),
    report,
    time,
    org: findOrg(text, options.organisations ?? []),
  };
}

/**
 * "XERO01 Error: ... assistance. report R00650 at 5am today": the sentences after the vendor's
 * that only name the report or the time are the person's details, not the error.
 */
function withoutAddedDetails(text: string, message: Found<string>, details: (Found<string> | null)[]): Found<string> {
  let end = message.end;
  for (;;) {
    const body = text.slice(message.start, end);
    const boundary = Math.max(body.lastIndexOf('. '), body.lastIndexOf('! '));
    if (boundary < 0) break;
    const tailStart = message.start + boundary + 2;
    const tail = text.slice(tailStart, end);
    const namesDetail = details.some((d) => d && d.start >= tailStart && d.end <= end);
    if (!namesDetail || errorWords.test(tail)) break;
    end = message.start + boundary + 1;
  }
  if (end === message.end) return message;
  return { value: text.slice(message.start, end), start: message.start, end };
}

function findCodes(text: string, knownCodes: readonly string[]): Found<string>[] {
  const found = new Map<string, Found<string>>();
  const add = (value: string, start: number) => {
    if (!found.has(value)) found.set(value, { value, start, end: start + value.length });
  };
  for (const m of text.matchAll(codeShape)) {
    // Part of a web address, a GUID or an identifier such as INV-0042: not an error code.
    if (/[/\-_.]$/.test(text.slice(0, m.index)) || /^[-_]/.test(text.slice(m.index + m[0].length))) continue;
    add(m[0], m.index);
  }
  for (const m of text.matchAll(symbolicCode)) add(m[0], m.index);
  for (const code of knownCodes) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(code) || !/[0-9_]|[a-z][A-Z]/.test(code)) continue;
    for (const m of text.matchAll(new RegExp(`(?<![\\w-])${code}(?![\\w-])`, 'g'))) add(m[0], m.index);
  }
  return [...found.values()].sort((a, b) => a.start - b.start);
}

// --- the error message -------------------------------------------------------------------

interface Segment {
  start: number;
  end: number;
  /** Strong segments are certainly the error (a code-led line, a quoted or tagged message). */
  strong: boolean;
  line: number;
}

// Vendor wording of a failure. "failed"/"broke" are left out on purpose: people use them to
// describe what happened, and the vendor's own line follows.
const errorWords =
  /\b(unable|cannot|can't|could not|couldn't|invalid|not (?:\w+ ){0,2}valid|mandatory|may not be|not found|not recogni[sz]ed|must|expired|out of date|does not match|unavailable|exhausted|exceeded|denied|not subscribed|already exists|lock date|not allowed|not permitted|occurred|unauthori[sz]ed|forbidden)\b/i;
const chatter =
  /\b(i|i'm|i've|we|we're|our|my|me|us|you|your|hi|hey|hello|dear|thanks|thank|please|help|anyone|someone|why)\b|\?\s*$/i;
const errorLineStart = /^\s*(?:[A-Za-z.]+\s)?[A-Za-z.]*(?:Error|Exception|BadRequest)\b\s*[:(]/;
const codeLed = new RegExp(
  `(?:\\b(?:Error|Code)\\s+)?${codeShape.source}(?=(?:\\s+[A-Za-z]+){0,4}\\s*:)`,
);
// A stack frame ("at X.y (file:1:2)", 'File "x.py", line 3') is where, not what, failed.
const stackFrame = /^\s*(?:at\s+\S|File\s+"[^"]+",\s+line\s+\d)/;
// A qualified exception name leading its message: xero.exceptions.XeroRateLimitExceeded: ...
const qualifiedExceptionLead = /^\s*(?:[a-z_]\w*\.)+[A-Z]\w*:\s/;
// An exception class named mid-line ("Unhandled error { Error: XeroError: token_rejected (...)").
const embeddedException = /\b[A-Z][a-z]+\w*(?:Error|Exception):\s/g;
// Words with which people introduce a quote: the label stops before them.
const introduces = /\b(?:says?|said|shows?|showed|showing|getting|got|reads|returned|returns|gives|gave)\b/i;
// "please" ends vendor messages as often as it opens requests: sentences judged without it.
const chatterBesidesPlease = new RegExp(chatter.source.replace('please|', ''), 'i');
const taggedMessage = /<(Message|Detail|Description|Error)>([^<]+)<\/\1>/g;
const jsonMessage = /"(Message|Detail|message|detail|error_description)"\s*:\s*"((?:[^"\\]|\\.)+)"/g;
const quoted = /["“]([^"”\n]{8,})["”]/g;

function findMessage(text: string): Found<string> | null {
  const segments: Segment[] = [];
  let offset = 0;
  text.split('\n').forEach((raw, line) => {
    const lineStart = offset;
    offset += raw.length + 1;
    const push = (start: number, end: number, strong: boolean) => {
      const s = trimRange(text, lineStart + start, lineStart + end);
      if (s.end > s.start) segments.push({ ...s, strong, line });
    };
    const tagged = [...raw.matchAll(taggedMessage)];
    if (tagged.length > 0) {
      for (const m of tagged) {
        const open = m[1]!.length + 2;
        push(m.index + open, m.index + open + m[2]!.length, true);
      }
      return;
    }
    if (/^\s*</.test(raw)) return; // other XML elements are plumbing
    const json = [...raw.matchAll(jsonMessage)];
    if (json.length > 0) {
      for (const m of json) push(m.index + m[0].length - m[2]!.length - 1, m.index + m[0].length - 1, true);
      return;
    }
    const quote = /^\s*>\s?/.exec(raw);
    if (quote && errorWords.test(raw)) return push(quote[0].length, raw.length, true);
    if (stackFrame.test(raw)) return;
    const led = codeLed.exec(raw);
    if (led) return push(led.index, raw.length, true);
    if (errorLineStart.test(raw) || qualifiedExceptionLead.test(raw)) return push(0, raw.length, true);
    const embedded = innermostException(raw);
    if (embedded !== null) return push(embedded, raw.length, true);
    const quotes = [...raw.matchAll(quoted)].filter((m) => errorWords.test(m[1]!));
    if (quotes.length > 0) {
      for (const m of quotes) push(m.index + 1, m.index + 1 + m[1]!.length, true);
      return;
    }
    const sentences = chatter.test(raw) ? errorSentences(raw) : { start: 0, end: raw.length };
    if (sentences === null) return;
    const part = errorSpan(raw.slice(sentences.start, sentences.end));
    if (part) push(sentences.start + part.start, sentences.start + part.end, false);
  });
  const strong = segments.filter((s) => s.strong);
  // A plain error line counts on its own only when nothing stronger was pasted, or when it
  // continues a strong line directly (the detail under a vendor's headline).
  const kept =
    strong.length === 0
      ? segments
      : segments.filter((s) => s.strong || segments.some((o) => o.strong && o.line === s.line - 1));
  const first = kept[0];
  const last = kept[kept.length - 1];
  if (!first || !last) return null;
  return { value: kept.map((s) => text.slice(s.start, s.end)).join('\n'), start: first.start, end: last.end };
}

/** Where the innermost class name of the first chain such as "Error: XeroError: " starts, or null. */
function innermostException(line: string): number | null {
  const matches = [...line.matchAll(embeddedException)];
  const first = matches[0];
  if (!first) return null;
  let at = first;
  for (const m of matches.slice(1)) {
    if (m.index !== at.index + at[0].length) break;
    at = m;
  }
  return at.index;
}

/**
 * A line with chatter in it may still carry the vendor's sentence ("Sync failed for Acme. It
 * says: The access token is not valid."): from the first sentence with error wording and no
 * chatter, through the sentences that continue it (more error wording, or the vendor's "Please..."
 * advice), up to the first that is the person talking again ("Happened this morning."); or null.
 */
function errorSentences(line: string): { start: number; end: number } | null {
  let range: { start: number; end: number } | null = null;
  for (const m of line.matchAll(/[^.!?]+(?:[.!?]+|$)/g)) {
    const sentence = m[0];
    const vendorLike = !chatterBesidesPlease.test(sentence) && (errorWords.test(sentence) || (range !== null && /^\s*please\b/i.test(sentence)));
    if (range === null) {
      if (vendorLike) range = { start: m.index, end: m.index + sentence.length };
    } else if (vendorLike) range.end = m.index + sentence.length;
    else break;
  }
  return range;
}

/** The part of a plain line that is vendor wording: separators split off labels and chatter. */
function errorSpan(line: string): { start: number; end: number } | null {
  const parts: { start: number; end: number }[] = [];
  const separator = /:\s|\s[-–→]\s/g;
  let from = 0;
  for (const m of line.matchAll(separator)) {
    parts.push({ start: from, end: m.index });
    from = m.index + m[0].length;
  }
  parts.push({ start: from, end: line.length });
  const isError = parts.map((p) => errorWords.test(line.slice(p.start, p.end)));
  const first = isError.indexOf(true);
  if (first < 0) return null;
  const last = parts[isError.lastIndexOf(true)]!;
  // Labels before the error's own words stay with it when they are not chatter ("Expense: a: ...").
  let start = parts[first]!;
  for (let i = first - 1; i >= 0; i--) {
    const label = parts[i]!;
    const words = line.slice(label.start, label.end);
    const vendorField = /^\s*error/i.test(words); // "ErrorNumber:101 Error Message: ..."
    if (chatter.test(words) || introduces.test(words) || (/\d/.test(words) && !vendorField) || !/:\s/.test(line.slice(label.end, start.start))) break;
    start = label;
  }
  return { start: start.start, end: last.end };
}

function trimRange(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /\s/.test(text.charAt(start))) start++;
  while (end > start && /\s/.test(text.charAt(end - 1))) end--;
  return { start, end };
}

// --- report -------------------------------------------------------------------------------

const reportForms: RegExp[] = [
  /\breport\s+(?:id\s*)?[:#]?\s*([A-Z]?\d{4,})\b/gi,
  /\breport\s+['"‘“]([^'"’”\n]{2,60})['"’”]/gi,
  /\b((?:INV|BILL|CN|PO|EXP)-\d{2,})\b/g,
];

function findReport(text: string, message: Found<string> | null): Found<string> | null {
  const found: Found<string>[] = [];
  for (const form of reportForms) {
    for (const m of text.matchAll(form)) {
      const value = m[1]!;
      const start = m.index + m[0].lastIndexOf(value);
      found.push({ value, start, end: start + value.length });
    }
  }
  if (found.length === 0) return null;
  if (!message) return found.sort((a, b) => a.start - b.start)[0] ?? null;
  // Several documents named: the one mentioned nearest the error is the one that failed.
  const distance = (f: Found<string>) => Math.min(Math.abs(f.start - message.start), Math.abs(f.end - message.start));
  return found.sort((a, b) => distance(a) - distance(b) || a.start - b.start)[0] ?? null;
}

// --- time ---------------------------------------------------------------------------------

// A date that is a setting or a deadline, not the moment something failed.
const notTheFailure = /\b(?:set at|set to|expired at|expires at|expiry|due|lock date(?: of)?)\s*$/i;
const partOfDay = /\b(?:morning|afternoon|evening|night|tonight|ago)\b/i;
const numericDate = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b/;
const monthFirstZones = new Set([
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix',
  'America/Anchorage', 'America/Detroit', 'America/Boise', 'Pacific/Honolulu', 'America/Indiana/Indianapolis',
]);

function defaultLocale(timeZone: string): string {
  return monthFirstZones.has(timeZone) ? 'en-US' : 'en-GB';
}

// chrono-node keeps about 5 MB resident and only case conversations read times: loaded on first use.
let chronoModule: typeof Chrono | undefined;
const chrono = () => (chronoModule ??= createRequire(import.meta.url)('chrono-node') as typeof Chrono);

function findTime(text: string, timeZone: string, sentAt: Date, locale: string): FoundTime | null {
  const dayFirst = !/^en-(US|PH)$|^en$/i.test(locale);
  const reference = { instant: sentAt, timezone: offsetMinutes(timeZone, sentAt) };
  for (let r of chrono().en.casual.parse(text, reference)) {
    if (notTheFailure.test(text.slice(Math.max(0, r.index - 20), r.index))) continue;
    const numeric = numericDate.exec(r.text);
    if (numeric && dayFirst) {
      const again = chrono().en.GB.parse(r.text, reference)[0];
      if (!again || again.index !== 0) continue;
      r = again;
    }
    // A day without a time of day ("since Monday") does not say when it failed.
    if (!r.start.isCertain('hour') && !partOfDay.test(r.text)) continue;
    const c = r.start;
    let instant = c.isCertain('timezoneOffset')
      ? r.date()
      : zonedToInstant(timeZone, c.get('year')!, c.get('month')!, c.get('day')!, c.get('hour')!, c.get('minute') ?? 0, c.get('second') ?? 0);
    // Failures are in the past: "last night at 11pm" sent in the morning means the night before.
    if (instant.getTime() - sentAt.getTime() > 60_000 && !c.isCertain('day')) instant = new Date(instant.getTime() - 86_400_000);
    const ambiguous = numeric && Number(numeric[1]) <= 12 && Number(numeric[2]) <= 12 && numeric[1] !== numeric[2];
    return {
      value: formatInZone(instant, timeZone),
      text: r.text,
      start: r.index,
      end: r.index + r.text.length,
      assumedOrder: ambiguous ? (dayFirst ? 'day/month' : 'month/day') : null,
    };
  }
  return null;
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ExtractError('unknown_time_zone', `Unknown time zone "${timeZone}": use an IANA name such as Europe/London.`);
  }
}

/** Minutes east of UTC that the zone's clocks show at that instant. */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which the zone's clocks show that wall-clock time (DST-aware). */
function zonedToInstant(timeZone: string, y: number, mo: number, d: number, h: number, mi: number, s: number): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  let guess = wall - offsetMinutes(timeZone, new Date(wall)) * 60_000;
  // The offset at the guess may differ from the one at the wall time near a change: settle it.
  guess = wall - offsetMinutes(timeZone, new Date(guess)) * 60_000;
  return new Date(guess);
}

function formatInZone(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(timeZone, instant);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// --- organisation -------------------------------------------------------------------------

function findOrg(text: string, organisations: readonly string[]): Found<string> | null {
  let best: Found<string> | null = null;
  for (const name of organisations) {
    const words = name.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (words.length === 0 || words[0] === '') continue;
    const m = new RegExp(`(?<![\\w])${words.join('\\s+')}(?![\\w])`, 'i').exec(text);
    if (m && (!best || m.index < best.start)) best = { value: name, start: m.index, end: m.index + m[0].length };
  }
  return best;
}
