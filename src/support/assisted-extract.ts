// Reading a case from pasted text with the model's help. The deterministic extractor
// (src/knowledge/extract-case.ts) always runs first and its fields stand; the model is asked only
// for the fields it left empty, and a value is kept only when the text holds it word for word
// (an organisation must also be one the workspace has connected, when it has any), so nothing is
// invented. Any model failure leaves the deterministic case as it was.
import { extractCase, type ExtractedCase, type ExtractOptions, type Found, type FoundTime } from '../knowledge/extract-case.ts';
import { ModelFailure, type ModelCaseFields, type ModelFailureCode, type ModelUsage, type SupportModel } from './support-model.ts';

export interface AssistedExtractDeps {
  model: SupportModel | undefined;
  timeoutMs: number;
}

export interface AssistedExtraction {
  found: ExtractedCase;
  /** The fields the model added (each also checked against the text). */
  addedByModel: Array<keyof ExtractedCase>;
  failure: ModelFailureCode | null;
  usage: ModelUsage | null;
}

const maxPastDays = 400;
const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export async function extractCaseWithModel(deps: AssistedExtractDeps, text: string, options: ExtractOptions = {}): Promise<AssistedExtraction> {
  const found = extractCase(text, options);
  const wanted: Array<keyof ModelCaseFields> = [];
  if (found.codes.length === 0) wanted.push('errorCode');
  if (!found.message) wanted.push('errorMessage');
  if (!found.report) wanted.push('report');
  if (!found.time) wanted.push('time', 'timeText');
  if (!found.org) wanted.push('organisation');
  if (!deps.model || wanted.length === 0 || !text.trim()) return { found, addedByModel: [], failure: null, usage: null };

  const sentAt = options.sentAt ?? new Date();
  let fields: ModelCaseFields;
  let usage: ModelUsage;
  try {
    const reply = await deps.model.extractCase({ text, timeZone: options.timeZone ?? 'UTC', sentAt: sentAt.toISOString(), wanted }, AbortSignal.timeout(deps.timeoutMs));
    fields = reply.value;
    usage = reply.usage;
  } catch (error) {
    return { found, addedByModel: [], failure: error instanceof ModelFailure ? error.code : 'model_unavailable', usage: null };
  }

  const result: ExtractedCase = { ...found };
  const code = wanted.includes('errorCode') && fields.errorCode && /^[A-Za-z][A-Za-z0-9_]{2,40}$/.test(fields.errorCode.trim()) ? locate(text, fields.errorCode.trim()) : null;
  if (code) result.codes = [code];
  if (wanted.includes('errorMessage') && fields.errorMessage) result.message = locate(text, fields.errorMessage);
  if (wanted.includes('report') && fields.report) result.report = locate(text, fields.report);
  if (wanted.includes('time') && fields.time && fields.timeText) result.time = checkTime(text, fields.time, fields.timeText, sentAt);
  if (wanted.includes('organisation') && fields.organisation) result.org = knownOrganisation(locate(text, fields.organisation), options.organisations ?? []);
  const added = (Object.keys(result) as Array<keyof ExtractedCase>).filter((field) => result[field] !== found[field]);
  return { found: result, addedByModel: added, failure: null, usage };
}

/** With connected organisations, only one of them counts, named as it is connected. */
function knownOrganisation(found: Found<string> | null, known: readonly string[]): Found<string> | null {
  if (!found || known.length === 0) return found;
  const name = known.find((n) => n.toLowerCase() === found.value.toLowerCase());
  return name ? { ...found, value: name } : null;
}

/** Where the text holds the value, ignoring case and runs of white space; null when it does not. */
function locate(text: string, value: string): Found<string> | null {
  const words = value.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'i');
  const m = pattern.exec(text);
  return m ? { value: m[0].replace(/\s+/g, ' '), start: m.index, end: m.index + m[0].length } : null;
}

/** A time the text mentions, in ISO 8601 with an offset, not after the message was sent nor long before. */
function checkTime(text: string, iso: string, words: string, sentAt: Date): FoundTime | null {
  const where = locate(text, words);
  if (!where || !isoWithOffset.test(iso)) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  if (at.getTime() > sentAt.getTime() + 60_000 || at.getTime() < sentAt.getTime() - maxPastDays * 86_400_000) return null;
  return { value: iso, start: where.start, end: where.end, text: text.slice(where.start, where.end), assumedOrder: null };
}
