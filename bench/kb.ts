// `npm run bench:kb`: answer-engine accuracy on the development set, the held-out set and the
// real-world set, each beside a plain BM25 baseline run in the same process; per-question latency on
// the real knowledge base and on a generated 1,000-article one, and load time. Prints figures; the
// targets are printed beside them rather than asserted, so a noisy machine never fails a build.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAnswerEngine, type AnswerEngine } from '../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import { createBm25Baseline } from './bm25-baseline.ts';
import { CONFIDENTLY_WRONG_AT, engineAnswerer, evaluate, poolReliability, readEvalCases, type EvalCase, type EvalResult, type ReliabilityBucket } from './kb-eval.ts';

const root = resolve(import.meta.dirname, '..');
/**
 * Each held-out set: its option (`--holdout3 PATH`), its file in bench/, its heading, whether its items have
 * been read to change the engine (then it no longer measures text nobody tuned on), and whether it was collected
 * from public pages as people wrote there, written as people type in Slack, or written as the short queries people
 * type into a search box or after /concierge.
 */
const heldOutSets = [
  ['holdout', 'real-world-holdout.jsonl', 'Real-world held-out set', true, 'collected'],
  ['holdout3', 'real-world-holdout-3.jsonl', 'Third real-world held-out set', true, 'collected'],
  ['holdout4', 'real-world-holdout-4.jsonl', 'Fourth real-world held-out set', true, 'collected'],
  ['holdout5', 'real-world-holdout-5.jsonl', 'Fifth real-world held-out set', true, 'collected'],
  ['holdout6', 'real-world-holdout-6.jsonl', 'Sixth real-world held-out set', true, 'collected'],
  ['holdout7', 'real-world-holdout-7.jsonl', 'Seventh real-world held-out set', true, 'collected'],
  ['holdout8', 'real-world-holdout-8.jsonl', 'Eighth real-world held-out set', true, 'collected'],
  ['holdout9', 'real-world-holdout-9.jsonl', 'Ninth real-world held-out set', true, 'collected'],
  ['holdout10', 'real-world-holdout-10.jsonl', 'Tenth real-world held-out set', false, 'collected'],
  ['holdout11', 'real-world-holdout-11.jsonl', 'Eleventh real-world held-out set', false, 'collected'],
  ['holdout12', 'real-world-holdout-12.jsonl', 'Twelfth real-world held-out set', false, 'collected'],
  ['holdout13', 'real-world-holdout-13.jsonl', 'Thirteenth real-world held-out set', false, 'collected'],
  ['holdout14', 'real-world-holdout-14.jsonl', 'Fourteenth real-world held-out set', false, 'collected'],
  ['holdout15', 'real-world-holdout-15.jsonl', 'Fifteenth real-world held-out set (issues of Xero SDKs and integrations)', true, 'collected'],
  ['holdout16', 'real-world-holdout-16.jsonl', 'Sixteenth real-world held-out set (help pages and forums of products in other industries)', true, 'collected'],
  ['holdout17', 'real-world-holdout-17.jsonl', 'Seventeenth real-world held-out set (issues of Xero SDKs and integrations)', true, 'collected'],
  ['holdout18', 'real-world-holdout-18.jsonl', 'Eighteenth real-world held-out set (help pages of products that sync with Xero)', true, 'collected'],
  ['holdout19', 'real-world-holdout-19.jsonl', 'Nineteenth real-world held-out set (issues of Xero SDKs and integrations)', false, 'collected'],
  ['holdout20', 'real-world-holdout-20.jsonl', 'Twentieth real-world held-out set (help pages and forums of products that sync with Xero)', false, 'collected'],
  ['holdout21', 'real-world-holdout-21.jsonl', 'Twenty-first real-world held-out set (less-visited issues of Xero SDKs and integrations, and help pages)', false, 'collected'],
  ['slackA', 'slack-style-blind-a.jsonl', 'Slack-style set a (written as finance users type)', true, 'written'],
  ['slackB', 'slack-style-blind-b.jsonl', 'Slack-style set b (written as support agents and developers type)', true, 'written'],
  ['slackC', 'slack-style-blind-c.jsonl', 'Slack-style set c (written as finance users type)', true, 'written'],
  ['slackD', 'slack-style-blind-d.jsonl', 'Slack-style set d (written as finance users and practice accountants type)', true, 'written'],
  ['slackE', 'slack-style-blind-e.jsonl', 'Slack-style set e (written as finance people in the UK, Australia and New Zealand type)', true, 'written'],
  ['slackF', 'slack-style-blind-f.jsonl', "Slack-style set f (written as support agents relay customers' tickets)", true, 'written'],
  ['slackG', 'slack-style-blind-g.jsonl', 'Slack-style set g (written as support agents and customers of hospitality, property, practice and health products type)', true, 'written'],
  ['slackH', 'slack-style-blind-h.jsonl', 'Slack-style set h (finance staff, bookkeepers and agents relaying a customer; half look-alikes)', true, 'written'],
  ['slackI', 'slack-style-blind-i.jsonl', 'Slack-style set i (operations and store managers, integration developers, account managers; half look-alikes)', true, 'written'],
  ['slackJ', 'slack-style-blind-j.jsonl', 'Slack-style set j (a broad mix of users; half look-alikes)', true, 'written'],
  ['slackK', 'slack-style-blind-k.jsonl', 'Slack-style set k (practices, retail, hospitality and trades in Australia, New Zealand and the UK; half look-alikes)', true, 'written'],
  ['slackL', 'slack-style-blind-l.jsonl', 'Slack-style set l (finance teams, bookkeepers and agents, some asking what happens next; half look-alikes)', true, 'written'],
  ['slackM', 'slack-style-blind-m.jsonl', 'Slack-style set m (store and operations managers, AP clerks, founders, part-time bookkeepers and e-commerce staff; half look-alikes)', false, 'written'],
  ['slackN', 'slack-style-blind-n.jsonl', 'Slack-style set n (support agents relaying customers, practice accountants and developers, half of them asking what happens next; half look-alikes)', false, 'written'],
  ['slackO', 'slack-style-blind-o.jsonl', 'Slack-style set o (office managers, clerks, treasurers and approvers at non-profits, schools, clinics, trades, property and restaurants; half look-alikes)', true, 'written'],
  ['slackP', 'slack-style-blind-p.jsonl', 'Slack-style set p (integration developers, support engineers, administrators and consultants, half pasting what they saw; half look-alikes)', false, 'written'],
  ['slackQ', 'slack-style-blind-q.jsonl', 'Slack-style set q (operations and office staff at logistics, wholesale, manufacturing and construction firms, agency and consultancy finance people and a few developers, some typing on a phone; half look-alikes)', false, 'written'],
  ['slackR', 'slack-style-blind-r.jsonl', 'Slack-style set r (finance and admin staff at hospitality groups, dental and physio practices, schools, start-ups and charities, practice accountants, support agents and two developers; half look-alikes)', false, 'written'],
  ['slackS', 'slack-style-blind-s.jsonl', 'Slack-style set s (farm, vineyard, brewery and tourism staff, law, architecture and engineering accounts staff, club treasurers, e-commerce staff and a few developers; half look-alikes)', false, 'written'],
  ['slackT', 'slack-style-blind-t.jsonl', 'Slack-style set t (clinic, gym and studio staff, builders, freight and logistics, non-profit and school, agency and start-up finance and operations people and support agents in Australia, New Zealand, the UK, Ireland, Canada and the US; half look-alikes)', false, 'written'],
  ['shortA', 'short-query-blind-a.jsonl', 'Short-query set a (typed into a search box or after /concierge, as users of expense and invoicing tools)', true, 'short'],
  ['shortB', 'short-query-blind-b.jsonl', 'Short-query set b (as clerks, bookkeepers and small-business owners type)', true, 'short'],
  ['shortC', 'short-query-blind-c.jsonl', 'Short-query set c (as finance managers, approvers and integration developers type)', false, 'short'],
  ['shortD', 'short-query-blind-d.jsonl', "Short-query set d (as bookkeepers, office managers and support agents type a customer's problem)", false, 'short'],
  ['shortE', 'short-query-blind-e.jsonl', 'Short-query set e (as people in retail, hospitality, construction, agencies and non-profits type)', false, 'short'],
  ['shortF', 'short-query-blind-f.jsonl', 'Short-query set f (as e-commerce, SaaS and services staff and integration developers type)', false, 'short'],
  ['shortG', 'short-query-blind-g.jsonl', 'Short-query set g (as practice accountants and finance staff at charities, schools and clinics type)', true, 'short'],
  ['shortH', 'short-query-blind-h.jsonl', 'Short-query set h (as expense claimants, approvers and a start-up finance person type)', true, 'short'],
  ['shortI', 'short-query-blind-i.jsonl', 'Short-query set i (as sales reps, project managers, technicians and office staff type, in plain words)', true, 'short'],
  ['shortJ', 'short-query-blind-j.jsonl', "Short-query set j (as support agents type a customer's ticket, and the customer's IT person)", true, 'short'],
  ['shortK', 'short-query-blind-k.jsonl', 'Short-query set k (as people type in a second language or fast on a phone)', true, 'short'],
  ['shortL', 'short-query-blind-l.jsonl', 'Short-query set l (as controllers, CFOs, heads of finance and auditors type)', true, 'short'],
  ['shortM', 'short-query-blind-m.jsonl', 'Short-query set m (as clerks, freelancers, warehouse and retail managers and an IT admin type)', false, 'short'],
  ['shortN', 'short-query-blind-n.jsonl', "Short-query set n (as marketplace, subscription and payments staff and the integration's contractor type)", false, 'short'],
  ['shortO', 'short-query-blind-o.jsonl', 'Short-query set o (mostly look-alikes, as finance and operations people type)', true, 'short'],
  ['shortP', 'short-query-blind-p.jsonl', 'Short-query set p (mostly look-alikes, as support agents, developers and admins type)', true, 'short'],
  ['shortQ', 'short-query-blind-q.jsonl', 'Short-query set q (as a broad mix of users type)', false, 'short'],
  ['shortR', 'short-query-blind-r.jsonl', 'Short-query set r (as people in Australia, New Zealand, the UK, Singapore and South Africa type)', false, 'short'],
  ['shortS', 'short-query-blind-s.jsonl', 'Short-query set s (finance users and support agents, some asking what happens next)', true, 'short'],
  ['shortT', 'short-query-blind-t.jsonl', 'Short-query set t (as warehouse, purchasing and accounts staff at wholesale, logistics, manufacturing and construction businesses and a few developers type)', false, 'short'],
  ['shortU', 'short-query-blind-u.jsonl', 'Short-query set u (as practice bookkeepers with many clients, e-commerce sellers, freelancers, café managers and a few developers type)', false, 'short'],
  ['shortV', 'short-query-blind-v.jsonl', 'Short-query set v (as medical, dental, vet and pharmacy staff, property managers, event and travel companies, subscription finance people and support agents type)', false, 'short'],
] as const;
const { values } = parseArgs({
  options: {
    dev: { type: 'string', default: resolve(root, '../shared/eval/kb-dev.jsonl') },
    real: { type: 'string', default: join(root, 'bench/real-world-dev.jsonl') },
    ...Object.fromEntries(heldOutSets.map(([flag, file]) => [flag, { type: 'string' as const, default: join(root, 'bench', file) }])),
    knowledge: { type: 'string', default: join(root, 'knowledge') },
    rounds: { type: 'string', default: '200' },
  },
});
const rounds = Number(values.rounds);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function timeLoad(dir: string, repeats = 5): { first: number; median: number; engine: AnswerEngine } {
  const times: number[] = [];
  let engine!: AnswerEngine;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    engine = createAnswerEngine(loadKnowledge(dir));
    times.push(performance.now() - start);
  }
  const first = times[0]!;
  return { first, median: [...times].sort((a, b) => a - b)[Math.floor(repeats / 2)]!, engine };
}

function latency(engine: AnswerEngine, questions: string[]) {
  for (const q of questions) engine.answer(q); // warm-up: JIT and caches, as in a running bot
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const start = performance.now();
      engine.answer(q);
      samples.push(performance.now() - start);
    }
  }
  samples.sort((a, b) => a - b);
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1)! };
}

/** Writes a 1,000-article KB: the real articles plus generated ones that reuse their vocabulary. */
function generateKb(dir: string, realDir: string, total: number): void {
  const real = loadKnowledge(realDir);
  const vocabulary = [...new Set(real.flatMap((a) => `${a.title} ${a.symptoms.join(' ')} ${a.body}`.toLowerCase().match(/[a-z]{3,}/g) ?? []))];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(random() * vocabulary.length)]!);
  // Made-up words widen the vocabulary the way a larger, more varied KB would.
  const invented = () => Array.from({ length: 5 + Math.floor(random() * 6) }, () => 'bcdfghklmnprstvz'[Math.floor(random() * 16)]! + 'aeiou'[Math.floor(random() * 5)]!).join('');
  for (const file of real) writeFileSync(join(dir, file.file), readFileSync(join(realDir, file.file)));
  for (let i = real.length; i < total; i++) {
    const id = `GEN_${String(i).padStart(4, '0')}`;
    const sentence = (n: number) => [...pick(n), invented()].join(' ');
    const text = `---
id: ${id}
title: "${sentence(5)}"
codes: ["GEN${String(i).padStart(4, '0')}"]
patterns: ["${sentence(4)}"]
symptoms: ["${sentence(6)}", "${sentence(6)}"]
category: ${['connection', 'setup', 'export', 'sync', 'platform'][i % 5]}
actions: [escalate]
---

## What it means
${sentence(30)}.

## Why it happens
- ${sentence(20)}.
- ${sentence(20)}.

## How to fix it
1. ${sentence(12)}.
2. ${sentence(12)}.
3. ${sentence(12)}.

## FAQ
### ${sentence(6)}?
${sentence(25)}.
`;
    writeFileSync(join(dir, `${id.toLowerCase()}.md`), text);
  }
}

const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
const baselineVersion = () => (JSON.parse(readFileSync(join(root, 'node_modules/minisearch/package.json'), 'utf8')) as { version: string }).version;
if (!existsSync(values.dev)) {
  console.error(`bench:kb: no development question set at ${values.dev}; pass its path with --dev PATH (one {"q": ..., "ok": [ids]} per line).`);
  process.exit(2);
}
const cases = readEvalCases(values.dev);
const questions = cases.map((c) => c.q);

const realLoad = timeLoad(values.knowledge);
const ours = engineAnswerer(realLoad.engine);
const baseline = createBm25Baseline(realLoad.engine.articles);
console.log(`Knowledge base: ${realLoad.engine.articles.length} articles from ${values.knowledge}`);
console.log(`Baseline: MiniSearch ${baselineVersion()} with default settings over the same articles, always naming its top hit.`);

const pct = (n: number, d: number) => (d ? `${((n / d) * 100).toFixed(1)}%` : 'n/a');
const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : a ? 'inf' : 'n/a');
const clip = (q: string) => JSON.stringify(q.length > 110 ? `${q.slice(0, 107)}...` : q);

function compare(label: string, set: EvalCase[], targets: { all?: string; inScope?: string; none?: string; wrong?: string }): EvalResult {
  const mine = evaluate(ours, set);
  const base = evaluate(baseline, set);
  const row = (name: string, a: number, b: number, d: number, target = '') =>
    console.log(`  ${name.padEnd(32)} ${`${a}/${d} ${pct(a, d)}`.padEnd(18)} ${`${b}/${d} ${pct(b, d)}`.padEnd(18)} ${ratio(a, b).padEnd(6)} ${target}`);
  console.log(`\n${label}: ${set.length} items, ${mine.inScopeTotal} in scope, ${mine.noneTotal} out of scope`);
  console.log(`  ${''.padEnd(32)} ${'ours'.padEnd(18)} ${'BM25 baseline'.padEnd(18)} ${'ratio'.padEnd(6)} target`);
  row('top-1, all items', mine.correct, base.correct, set.length, targets.all);
  row('top-1, in scope', mine.inScopeCorrect, base.inScopeCorrect, mine.inScopeTotal, targets.inScope);
  const known = new Set(realLoad.engine.articles.map((a) => a.id));
  const coverable = set.filter((c) => !c.ok.includes('NONE') && c.ok.some((id) => known.has(id)));
  if (coverable.length < mine.inScopeTotal) {
    const missing = [...new Set(set.flatMap((c) => c.ok).filter((id) => id !== 'NONE' && !known.has(id)))].sort();
    row('top-1, in scope, article exists', evaluate(ours, coverable).correct, evaluate(baseline, coverable).correct, coverable.length);
    console.log(`  ${mine.inScopeTotal - coverable.length} in-scope items expect an article the knowledge base lacks: ${missing.join(', ')}`);
  }
  // What a reader sees: an unsure reply offers its closest articles as buttons; the baseline names one.
  row('in scope, named or offered', mine.inScopeNamedOrOffered, base.inScopeCorrect, mine.inScopeTotal);
  row('out of scope left unanswered', mine.noneCorrect, base.noneCorrect, mine.noneTotal, targets.none);
  console.log(`  ${`confidently wrong (>= ${CONFIDENTLY_WRONG_AT})`.padEnd(32)} ${String(mine.confidentlyWrong ?? 'n/a').padEnd(18)} ${'n/a (no confidence)'.padEnd(25)} ${targets.wrong ?? ''}`);
  if (mine.reliability) {
    console.log('  reliability, ours (best candidate, named or not): confidence -> right/answers');
    console.log(`    ${mine.reliability.map((b) => `[${b.from.toFixed(1)},${b.to.toFixed(1)}${b.to === 1 ? ']' : ')'} ${b.right}/${b.total} ${pct(b.right, b.total)}`).join('   ')}`);
  }
  return mine;
}

/** Confidence bucket, how many answers fell in it, the mean confidence claimed there and the share right. */
function printReliability(label: string, buckets: ReliabilityBucket[]): void {
  console.log(`\n${label}`);
  console.log(`  ${'confidence'.padEnd(12)} ${'answers'.padEnd(8)} ${'claimed'.padEnd(8)} right`);
  for (const b of buckets) {
    const range = `[${b.from.toFixed(1)},${b.to.toFixed(1)}${b.to === 1 ? ']' : ')'}`;
    const claimed = b.total ? (b.confidenceSum / b.total).toFixed(2) : 'n/a';
    console.log(`  ${range.padEnd(12)} ${String(b.total).padEnd(8)} ${claimed.padEnd(8)} ${b.right}/${b.total} ${pct(b.right, b.total)}`);
  }
}

function printMisses(result: EvalResult): void {
  for (const m of result.misses) {
    const conf = m.confidence === null ? '' : ` (${m.confidence.toFixed(2)}${m.got === 'NONE' && m.top ? `, best ${m.top}` : ''})`;
    console.log(`  miss: ${clip(m.q)} -> ${m.got}${conf}, expected ${m.ok.join('|')}`);
  }
}

const dev = compare(`Dev set ${values.dev}`, cases, { all: '>= 95%', none: 'all' });
printMisses(dev);
const heldOut = compare('Held-out set test/knowledge/questions.jsonl', readEvalCases(join(root, 'test/knowledge/questions.jsonl')), { none: 'all' });
printMisses(heldOut);
const devTables = [dev.reliability, heldOut.reliability];
if (existsSync(values.real)) {
  const real = compare(`Real-world set ${values.real}`, readEvalCases(values.real), { inScope: '>= 90%', none: 'all', wrong: '0' });
  printMisses(real);
  devTables.push(real.reliability);
  // The same questions as real posts carry them: with a greeting, a set-up story and thanks around them, a
  // developer's environment, an issue template, a stack trace or the code that made the call. None names Xero or another product, so labels still hold.
  const wrappers: [string, (q: string) => string][] = [
    ['greeting, story, thanks', (q) => `Hi all,\nWe use Fieldbook to send our invoices and bills to our ledger every night and it has worked fine for two years.\n${q}\nAny help appreciated, thanks!`],
    ['developer environment', (q) => `Hello, since last Tuesday our nightly job stopped. Our stack is Node 18 on AWS Lambda with the official SDK, and we store tokens in Postgres.\n\n${q}\n\nWe already restarted the service and checked the logs. Thanks in advance.`],
    ['issue template', (q) => `${q}\n\nSteps to reproduce:\n1. Open the dashboard\n2. Click Sync now\n3. See error\n\nExpected behavior: the record appears in the ledger.\nVersion 4.2.1`],
    // Added before any rule was fitted to them, so they check more than what was fixed.
    ['stack trace', (q) => `Unhandled rejection in the export worker: ${q}\n    at LedgerClient.request (/app/node_modules/ledger-client/dist/client.js:214:11)\n    at async exportInvoices (/app/src/jobs/export-invoices.js:42:7)\n    at async Promise.all (index 0)`],
    ['code, then the reply', (q) => `This is how we call it:\n\nconst result = await client.createInvoices(tenantId, { invoices: [invoice] });\nconsole.log(JSON.stringify(result.body, null, 2));\n\nand this is what comes back:\n${q}`],
    // Written after the first round of context rules; the rules of the second round were fitted to them.
    ['community post', (q) => `Good morning,\nI'm the bookkeeper for a small café and not technical at all. Since we switched banks last month the app shows a red banner that says:\n\n${q}\n\nI've tried logging out and back in. What should I do?\nRegards, Anna`],
    ['Python traceback', (q) => `Traceback (most recent call last):\n  File "sync.py", line 42, in <module>\n    client.export(invoice)\n  File "/usr/lib/python3.11/site-packages/ledger/api.py", line 88, in export\n    raise ApiError(resp)\nledger.errors.ApiError: ${q}`],
    ["GitHub's bug template", (q) => `**Describe the bug**\n${q}\n\n**To Reproduce**\n- Run the nightly export\n- Open the log\n\n**Desktop (please complete the following information):**\n - OS: Windows 11\n - Browser: Chrome 119`],
    ['forwarded email', (q) => `---------- Forwarded message ---------\nFrom: Support <support@fieldbook.example>\nDate: Mon, 4 Mar 2024 at 09:12\nSubject: Re: sync problem\n\nHi Anna,\n\nThanks for getting in touch. The log for your account shows:\n\n${q}\n\nKind regards,\nThe support team`],
    // Written later in the same round, each run once before the rules its failures suggested were written.
    ['vendor help page', (q) => `Error messages when publishing\n\nThis article lists the errors you might see when publishing to your accounting software and how to fix them.\n\n${q}\n\nStill need help? Reach out to us via chat.`],
    ['Q&A post', (q) => `Title: integration question\n\nI've been stuck on this for two days and searched everywhere. I'm building an internal tool in C# (.NET 6) that pushes our sales into the accounting system through the REST API using OAuth 2.0.\n\n${q}\n\nEDIT: still happening after updating to the latest NuGet package.`],
    // Written with the community post and fitted to nothing: a check on shapes no rule was made for.
    ['chat paste', (q) => `hey folks :wave: quick one, nothing has gone across to the books since the update\n\`\`\`\n${q}\n\`\`\`\nanyone seen this before? cc @dana`],
  ];
  const realCases = readEvalCases(values.real);
  console.log('\nReal-world dev set wrapped in the context of a longer post (ours): in scope right, out of scope unanswered, confidently wrong');
  for (const [name, wrap] of wrappers) {
    const r = evaluate(ours, realCases.map((c) => ({ ...c, q: wrap(c.q) })));
    console.log(`  ${name.padEnd(26)} ${`${r.inScopeCorrect}/${r.inScopeTotal} ${pct(r.inScopeCorrect, r.inScopeTotal)}`.padEnd(18)} ${`${r.noneCorrect}/${r.noneTotal}`.padEnd(8)} ${r.confidentlyWrong}`);
  }
} else {
  console.log(`\nNo real-world set at ${values.real}; pass its path with --real PATH.`);
}
// Calibration: among answers the engine put at about 0.9, about 9 in 10 should be right.
printReliability('Reliability on the development sets together (best candidate, named or not; held-out sets excluded)', poolReliability(devTables));
// Figures only: its misses stay unread so the engine is never tuned to them.
const unread: { flag: string; cases: EvalCase[]; kind: (typeof heldOutSets)[number][4] }[] = [];
for (const [flag, , name, read, kind] of heldOutSets) {
  const path = (values as Record<string, string>)[flag]!;
  if (!existsSync(path)) continue;
  const heldOut = readEvalCases(path);
  compare(`${name} ${path} (misses not shown${read ? '' : '; not read'})`, heldOut, { inScope: '>= 90%', none: 'all', wrong: '0' });
  if (!read) unread.push({ flag, cases: heldOut, kind });
}
// The sets nobody has read, as one of each kind: the closest figures to how the engine does on text it has never seen.
for (const [kind, heading] of [
  ['collected', 'Unread real-world held-out sets together'],
  ['written', 'Unread Slack-style sets together'],
  ['short', 'Unread short-query sets together'],
] as const) {
  const sets = unread.filter((u) => u.kind === kind);
  if (sets.length > 1) compare(`${heading} (${sets.map((u) => `--${u.flag}`).join(', ')})`, sets.flatMap((u) => u.cases), { inScope: '>= 90%', none: 'all', wrong: '0' });
}
console.log('');
console.log(`Load (read + parse + index): first ${fmt(realLoad.first)}, median of 5 ${fmt(realLoad.median)} (target <= 100 ms)`);
const realLatency = latency(realLoad.engine, questions);
console.log(`Latency, real KB: ${realLatency.n} answers, p50 ${fmt(realLatency.p50)}, p99 ${fmt(realLatency.p99)} (target <= 1 ms), max ${fmt(realLatency.max)}`);

const tmp = mkdtempSync(join(tmpdir(), 'kb-bench-'));
try {
  generateKb(tmp, values.knowledge, 1000);
  const bigLoad = timeLoad(tmp, 3);
  const big = evaluate(engineAnswerer(bigLoad.engine), cases);
  console.log(`Generated KB: ${bigLoad.engine.articles.length} articles; dev-set top-1 there ${(big.accuracy * 100).toFixed(1)}%`);
  console.log(`Load, 1,000 articles: first ${fmt(bigLoad.first)}, median of 3 ${fmt(bigLoad.median)}`);
  const bigLatency = latency(bigLoad.engine, questions);
  console.log(`Latency, 1,000 articles: ${bigLatency.n} answers, p50 ${fmt(bigLatency.p50)}, p99 ${fmt(bigLatency.p99)} (target <= 5 ms), max ${fmt(bigLatency.max)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
