// `npm run bench:extract`: per-field precision and recall of case extraction on the labelled set
// (bench/extract-set.jsonl, the dev set; bench/extract-holdout.jsonl, held out). Prints figures beside the targets and
// every miss; it asserts nothing, so the set can grow without breaking a build.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { extractCase } from '../src/knowledge/extract-case.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import { caseFields, type CaseFields } from '../src/knowledge/case-fields.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    set: { type: 'string', multiple: true },
    knowledge: { type: 'string', default: join(root, 'knowledge') },
  },
});
// The dev set was written alongside the extractor; the held-out set was labelled before the
// extractor first ran on it, so its figures are the honest ones.
const sets = values.set ?? [join(root, 'bench/extract-set.jsonl'), join(root, 'bench/extract-holdout.jsonl')];

interface Item {
  text: string;
  tz: string;
  sent: string;
  src: string;
  orgs?: string[];
  locale?: string;
  expected: CaseFields;
}

const knownCodes = loadKnowledge(values.knowledge).flatMap((a) => a.codes);

const words = (s: string): string[] => [...(s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
// The same message when each side holds at least 80% of the other's words: a quote mark or a
// trailing "around 3pm" does not make a different error.
function sameMessage(a: string, b: string): boolean {
  const wa = words(a), wb = words(b);
  const inB = wa.filter((w) => wb.includes(w)).length / wa.length;
  const inA = wb.filter((w) => wa.includes(w)).length / wb.length;
  return inA >= 0.8 && inB >= 0.8;
}
const norm = (s: string) => words(s).join(' ');

type Field = 'codes' | 'message' | 'report' | 'time' | 'timeText' | 'org';
const fields: Field[] = ['codes', 'message', 'report', 'time', 'timeText', 'org'];
function scoreSet(items: Item[]) {
  const score = Object.fromEntries(fields.map((f) => [f, { found: 0, expected: 0, right: 0 }])) as Record<Field, { found: number; expected: number; right: number }>;
  const misses: string[] = [];
  for (const [i, item] of items.entries()) {
    const got = caseFields(extractCase(item.text, { timeZone: item.tz, sentAt: new Date(item.sent), locale: item.locale, organisations: item.orgs, knownCodes }));
    const want = item.expected;
    const gotCodes = new Set(got.codes), wantCodes = new Set(want.codes);
    score.codes.found += gotCodes.size;
    score.codes.expected += wantCodes.size;
    score.codes.right += [...gotCodes].filter((c) => wantCodes.has(c)).length;
    if ([...gotCodes].some((c) => !wantCodes.has(c)) || [...wantCodes].some((c) => !gotCodes.has(c))) misses.push(`#${i + 1} codes: got ${[...gotCodes]} want ${[...wantCodes]}`);
    for (const f of fields.filter((x): x is Exclude<Field, 'codes'> => x !== 'codes')) {
      const g = got[f], w = want[f];
      if (g !== null) score[f].found++;
      if (w !== null) score[f].expected++;
      if (g !== null && w !== null && same[f](g, w)) score[f].right++;
      else if (g !== null || w !== null) misses.push(`#${i + 1} ${f}: got ${JSON.stringify(g)} want ${JSON.stringify(w)}`);
    }
  }
  return { score, misses };
}

const same: Record<Exclude<Field, 'codes'>, (a: string, b: string) => boolean> = {
  message: sameMessage,
  report: (a, b) => a.toLowerCase() === b.toLowerCase(),
  time: (a, b) => a === b,
  timeText: (a, b) => norm(a).includes(norm(b)) || norm(b).includes(norm(a)),
  org: (a, b) => a === b,
};
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const targets: Record<Field, string> = { codes: 'P 100%, R >= 95%', message: 'P 100%, R >= 95%', report: 'P 100%, R >= 90%', time: 'P 100%, R >= 90%', timeText: 'P 100%', org: 'P 100%' };
for (const set of sets) {
  const items: Item[] = readFileSync(set, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  const { score, misses } = scoreSet(items);
  console.log(`\nextraction on ${items.length} labelled texts (${set})`);
  console.log('field      precision        recall           target');
  for (const f of fields) {
    const s = score[f];
    console.log(`${f.padEnd(10)} ${`${pct(s.right, s.found)} (${s.right}/${s.found})`.padEnd(16)} ${`${pct(s.right, s.expected)} (${s.right}/${s.expected})`.padEnd(16)} ${targets[f]}`);
  }
  if (misses.length > 0) console.log(`\nmisses:\n${misses.join('\n')}`);
}
