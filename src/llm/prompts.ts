// The instructions and the structured-output shapes of each model call. Strict JSON schemas
// (every field present, null for "not there") keep the replies machine-checkable; the use-cases
// in src/support/ still check every value, because a schema cannot say "an id you were given".
import { z } from 'zod';

export const caseFieldsSchema = z.object({
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  report: z.string().nullable(),
  time: z.string().nullable(),
  timeText: z.string().nullable(),
  organisation: z.string().nullable(),
});

export const articleChoiceSchema = z.object({
  articleId: z.string().nullable(),
});

export const writtenAnswerSchema = z.object({
  summary: z.string(),
  // A plain number: .int() would add bounds keywords not every structured-output server accepts; the guard checks it.
  steps: z.array(z.object({ articleId: z.string(), step: z.number().describe('1-based number of the article step restated'), text: z.string() })),
  citations: z.array(z.string()),
});

export const extractInstructions = [
  'You read text pasted by finance staff whose Xero integration failed: error dialogs, emails from the product, chat messages, text copied from screenshots.',
  'Return only fields asked for in "wanted"; every other field is null.',
  'Copy values exactly as they appear in the text (same words and spelling). If the text does not contain a field, return null: never guess.',
  'errorCode: the error code (e.g. XERO11, XRO027). errorMessage: the error\'s own line(s), not the person\'s words around it.',
  'report: the report, expense report, invoice or bill name or ID. organisation: the Xero organisation named.',
  'time: when the failure happened, as ISO 8601 with the sender\'s UTC offset, resolving relative words ("yesterday at 3pm") against sentAt in timeZone; timeText: the exact words it came from.',
  'Parts such as [email], [number] and [redacted-token] were removed for privacy; never return them.',
].join('\n');

export const chooseInstructions = [
  'You help a support assistant for Xero integrations pick the knowledge-base article that answers a question.',
  'Choose the one candidate whose problem the question describes, and return its id exactly as given.',
  'If none of the candidates is about the question (another accounting system, a how-to with no failure, or a different error), return null.',
  'Earlier messages of the thread are context; the last question is what to answer.',
].join('\n');

export const writeInstructions = [
  'You are a support agent for Xero integrations. Write the fix for the asker\'s situation, using only the articles given.',
  'summary: one or two plain sentences saying what went wrong for them and what to do; no lists, no steps, nothing the articles or the connection verdict do not say.',
  'steps: the article steps that apply, in order; each names its articleId and the 1-based number of the article step it restates, and may adapt the wording to the asker but adds no new action.',
  'citations: the ids of the articles used. Never cite or invent any other article, link or step.',
  'If a connection verdict is given, it is the live state of their Xero connection: use it.',
].join('\n');
