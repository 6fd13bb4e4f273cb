// `npm run bench:llm`: the development sets through the whole model-assisted answer pipeline (the
// answer engine, then the real OpenAI adapter and `openai` client over HTTP to the fake OpenAI API,
// then the guards) with the fake scripted as a model that is right most of the time, chooses and
// cites a wrong article for a tenth of the questions, and stalls for another tenth. Prints accuracy
// with and without the model layer (the same run), how many of the model's choices and written
// replies the guards rejected, answer latency with the stalls, and token usage per answer. The "right" model here is the
// labels themselves, so the figures measure the guards and the fallbacks, not a real model's skill.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeOpenAI, type FakeBehaviour, type FakeChatRequest } from '../dev/fake-openai-api.ts';
import { createAnswerEngine } from '../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import { createOpenAIModel } from '../src/llm/openai-model.ts';
import { answerWithModel, type AssistedAnswer } from '../src/support/assisted-answer.ts';
import type { GroundingArticle } from '../src/support/support-model.ts';
import { readEvalCases, type EvalCase } from './kb-eval.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    dev: { type: 'string', default: resolve(root, '../shared/eval/kb-dev.jsonl') },
    real: { type: 'string', default: resolve(root, 'bench/real-world-dev.jsonl') },
    knowledge: { type: 'string', default: resolve(root, 'knowledge') },
    // Stalls cost the whole budget; the production default (8000) works too, just slowly.
    'timeout-ms': { type: 'string', default: '1000' },
  },
});
const timeoutMs = Number(values['timeout-ms']);
const engine = createAnswerEngine(loadKnowledge(values.knowledge));
const allIds = engine.articles.map((a) => a.id);

type Mode = 'right' | 'wrong' | 'stall';
/** Questions 3, 13, 23... get a wrong model, 7, 17, 27... a stalled one: a tenth each, spread evenly. */
const modeOf = (i: number): Mode => (i % 10 === 3 ? 'wrong' : i % 10 === 7 ? 'stall' : 'right');

let seed = 20261130;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

let current: { mode: Mode; ok: string[] } = { mode: 'right', ok: [] };

function behave(request: FakeChatRequest): FakeBehaviour {
  if (current.mode === 'stall') return { kind: 'stall' };
  const wrongId = () => {
    const wrong = allIds.filter((id) => !current.ok.includes(id));
    return wrong[Math.floor(random() * wrong.length)]!;
  };
  if (request.schemaName === 'article_choice') {
    const offered = (request.input!.candidates as Array<{ id: string }>).map((c) => c.id);
    const articleId = current.mode === 'wrong' ? wrongId() : (offered.find((id) => current.ok.includes(id)) ?? null);
    return json(request, { articleId });
  }
  const [article] = request.input!.articles as GroundingArticle[];
  // The wrong model cites another article than the one it was given.
  const cited = current.mode === 'wrong' ? wrongId() : article!.id;
  return json(request, {
    summary: `${article!.title}.`,
    steps: article!.steps.slice(0, 3).map((text, i) => ({ articleId: cited, step: i + 1, text })),
    citations: [cited],
  });
}

/** A reply with usage sized like a real model's bill: about four characters a token, each way. */
function json(request: FakeChatRequest, content: unknown): FakeBehaviour {
  const sent = request.messages.reduce((n, m) => n + m.content.length, 0);
  return { kind: 'json', content, usage: { prompt: Math.ceil(sent / 4), completion: Math.ceil(JSON.stringify(content).length / 4) } };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const pct = (n: number, d: number) => (d ? `${((n / d) * 100).toFixed(1)}%` : 'n/a');
const ms = (x: number) => `${x.toFixed(1)} ms`;

const fake = await FakeOpenAI.start({ script: behave });
const model = createOpenAIModel({ apiKey: 'sk-bench-0123456789abcdefghijklmnop', model: 'gpt-bench', baseUrl: fake.baseUrl, timeoutMs });
const deps = { engine, model, timeoutMs, diagnose: async () => [], now: () => new Date() };

console.log(`Knowledge base: ${engine.articles.length} articles. Model deadline per answer: ${timeoutMs} ms. Fake model: right 8/10, wrong 1/10, stalled 1/10.`);

for (const [label, path] of [
  ['Development set', values.dev],
  ['Real-world development set', values.real],
] as const) {
  const cases: EvalCase[] = readEvalCases(path);
  let withoutRight = 0;
  let withRight = 0;
  const wrongByMode = { right: 0, wrong: 0, stall: 0 };
  const choices = { asked: 0, kept: 0, picked: 0, none: 0, rejected: 0, failed: 0 };
  const writing = { asked: 0, accepted: 0, rejected: 0, failed: 0 };
  /** Guard rejections of the right model's output would be false alarms: they should stay 0. */
  const rejectedRight = { choices: 0, writing: 0 };
  let wrongChoicesAccepted = 0;
  const latencies: number[] = [];
  const latenciesNoStall: number[] = [];
  const tokens = { input: 0, output: 0 };
  /** Input plus output tokens of each answer the model was asked about. */
  const perAnswer: number[] = [];
  const requestsBefore = fake.requests.length;
  for (const [i, c] of cases.entries()) {
    const mode = modeOf(i);
    current = { mode, ok: c.ok };
    const expected = (id: string | null | undefined) => c.ok.includes(id ?? 'NONE');
    if (expected(engine.answer(c.q).article?.id)) withoutRight++;
    const started = performance.now();
    const result: AssistedAnswer = await answerWithModel(deps, c.q);
    const took = performance.now() - started;
    latencies.push(took);
    if (mode !== 'stall') latenciesNoStall.push(took);
    if (expected(result.answer.article?.id)) withRight++;
    else wrongByMode[mode]++;
    const trace = result.trace!;
    if (trace.choice !== 'not_asked') {
      choices.asked++;
      choices[trace.choice]++;
      if (mode === 'right' && trace.choice === 'rejected') rejectedRight.choices++;
      if (mode === 'wrong' && (trace.choice === 'picked' || trace.choice === 'kept')) wrongChoicesAccepted++;
    }
    if (trace.writing !== 'not_asked') {
      writing.asked++;
      writing[trace.writing]++;
      if (mode === 'right' && trace.writing === 'rejected') rejectedRight.writing++;
    }
    tokens.input += trace.usage.inputTokens;
    tokens.output += trace.usage.outputTokens;
    if (trace.calls > 0) perAnswer.push(trace.usage.inputTokens + trace.usage.outputTokens);
  }
  latencies.sort((a, b) => a - b);
  latenciesNoStall.sort((a, b) => a - b);
  perAnswer.sort((a, b) => a - b);
  const answered = choices.asked - choices.failed;
  const written = writing.asked - writing.failed;
  console.log(`\n${label}: ${cases.length} questions (${path})`);
  console.log(`  top-1 accuracy without the model layer   ${withoutRight}/${cases.length} ${pct(withoutRight, cases.length)}`);
  console.log(`  top-1 accuracy with the model layer      ${withRight}/${cases.length} ${pct(withRight, cases.length)}   (misses by fake mode: right ${wrongByMode.right}, wrong ${wrongByMode.wrong}, stalled ${wrongByMode.stall})`);
  console.log(
    `  article choices: asked ${choices.asked}, answered ${answered}: kept ${choices.kept}, picked another ${choices.picked}, none ${choices.none}, rejected by the guard ${choices.rejected} (${pct(choices.rejected, answered)} of answered; ${rejectedRight.choices} of them from the right model); failed ${choices.failed}; wrong choices the guard could not tell (among the engine's candidates) ${wrongChoicesAccepted}`,
  );
  console.log(`  written replies: asked ${writing.asked}, answered ${written}: accepted ${writing.accepted}, rejected by the grounding guard ${writing.rejected} (${pct(writing.rejected, written)} of answered; ${rejectedRight.writing} of them from the right model); failed ${writing.failed}`);
  console.log(
    `  answer latency, all: p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? 0)} (deadline ${timeoutMs} ms); without stalls: p50 ${ms(percentile(latenciesNoStall, 50))}, p99 ${ms(percentile(latenciesNoStall, 99))}`,
  );
  const mean = perAnswer.length ? (tokens.input + tokens.output) / perAnswer.length : 0;
  console.log(
    `  tokens (the fake bills ~4 characters a token; stalled calls bill none): input ${tokens.input}, output ${tokens.output} over ${fake.requests.length - requestsBefore} requests; per answer that used the model (${perAnswer.length}): mean ${mean.toFixed(0)}, p50 ${percentile(perAnswer, 50)}, p99 ${percentile(perAnswer, 99)}, max ${perAnswer.at(-1) ?? 0}`,
  );
}
if (fake.unexpected.length) console.log(`\nUnexpected requests to the fake: ${fake.unexpected.join(', ')}`);
await fake.close();
