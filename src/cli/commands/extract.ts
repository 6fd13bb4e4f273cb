// `concierge extract [--json] [--tz ZONE] [--sent ISO-TIME] [--locale L] [--org NAME]... [--batch]`:
// reads a paste on standard input and prints the case fields found in it, each with where it
// came from; with --batch, one JSON result per JSON line {text, tz, sent, locale?, orgs?}.
import { createInterface } from 'node:readline';
import { text as readAll } from 'node:stream/consumers';
import { z } from 'zod';
import { loadConfig } from '../../config.ts';
import { caseFields } from '../../knowledge/case-fields.ts';
import { extractCase, ExtractError, type ExtractedCase, type ExtractOptions } from '../../knowledge/extract-case.ts';
import { loadKnowledge } from '../../knowledge/load-knowledge.ts';
import { parseFlags, type CliIo } from '../main.ts';
import { UsageError } from '../usage.ts';

const batchLine = z.strictObject({
  text: z.string(),
  tz: z.string().optional(),
  sent: z.string().optional(),
  locale: z.string().optional(),
  orgs: z.array(z.string()).optional(),
});

function sentTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  // Only full ISO 8601 times: "yesterday" must count from an exact moment.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(at.getTime())) {
    throw new ExtractError('invalid_sent_time', `"${value}" is not an ISO 8601 time such as 2026-11-20T10:30:00Z.`);
  }
  return at;
}

export function extractJson(c: ExtractedCase) {
  const at = (f: { start: number; end: number } | null) => (f ? [f.start, f.end] : null);
  return {
    ...caseFields(c),
    assumedOrder: c.time?.assumedOrder ?? null,
    where: { codes: c.codes.map(at), message: at(c.message), report: at(c.report), time: at(c.time), org: at(c.org) },
  };
}

function renderText(c: ExtractedCase): string {
  const at = (f: { start: number; end: number }) => ` (characters ${f.start}-${f.end})`;
  const none = '(not in the text)';
  const lines = [
    `codes:   ${c.codes.length ? c.codes.map((x) => x.value + at(x)).join(', ') : none}`,
    `message: ${c.message ? c.message.value.replaceAll('\n', '\n         ') + at(c.message) : none}`,
    `report:  ${c.report ? c.report.value + at(c.report) : none}`,
    `time:    ${c.time ? `${c.time.value} from "${c.time.text}"${at(c.time)}${c.time.assumedOrder ? `, read as ${c.time.assumedOrder}` : ''}` : none}`,
    `org:     ${c.org ? c.org.value + at(c.org) : none}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function runExtract(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    json: { type: 'boolean', default: false },
    batch: { type: 'boolean', default: false },
    tz: { type: 'string' },
    sent: { type: 'string' },
    locale: { type: 'string' },
    org: { type: 'string', multiple: true },
  });
  if (positionals.length > 0) throw new UsageError('extract reads the text from standard input; it takes no words after the options');
  const knownCodes = loadKnowledge(loadConfig().knowledgeDir).flatMap((a) => a.codes);
  const defaults: ExtractOptions = { timeZone: values.tz, locale: values.locale, organisations: values.org, knownCodes };
  try {
    defaults.sentAt = sentTime(values.sent);
    extractCase('', defaults); // a bad --tz is a usage error before any input is read
  } catch (err) {
    if (err instanceof ExtractError) throw new UsageError(err.message);
    throw err;
  }

  if (!values.batch) {
    const found = extractCase(await readAll(io.stdin), defaults);
    io.stdout.write(values.json ? `${JSON.stringify(extractJson(found))}\n` : renderText(found));
    return 0;
  }
  // One output line per input line, so results stay aligned; a bad line is reported in place.
  let failed = 0;
  let n = 0;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    try {
      const item = batchLine.parse(JSON.parse(line));
      const found = extractCase(item.text, {
        ...defaults,
        timeZone: item.tz ?? defaults.timeZone,
        sentAt: sentTime(item.sent) ?? defaults.sentAt,
        locale: item.locale ?? defaults.locale,
        organisations: item.orgs ?? defaults.organisations,
      });
      io.stdout.write(`${JSON.stringify(extractJson(found))}\n`);
    } catch (err) {
      failed++;
      const code = err instanceof ExtractError ? err.code : 'invalid_batch_line';
      const why = err instanceof z.ZodError ? 'expected {"text": "...", "tz"?, "sent"?, "locale"?, "orgs"?: [...]}' : (err as Error).message;
      io.stdout.write(`${JSON.stringify({ line: n, error: code, message: why })}\n`);
      io.stderr.write(`concierge: line ${n}: ${why}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
