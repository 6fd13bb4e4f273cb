// Scores an answerer on a question set: each line {"q": ..., "ok": [article ids] or ["NONE"]}, optionally
// with "src" and "note" (the real-world set carries both). Any answerer can be scored, so the engine
// and a plain baseline are measured the same way.
import { readFileSync } from 'node:fs';
import type { AnswerEngine } from '../src/knowledge/answer-engine.ts';
import { closestToOffer } from '../src/knowledge/answer.ts';

export interface EvalCase {
  q: string;
  ok: string[];
  src?: string;
  note?: string;
}

/** What an answerer said about one question. */
export interface Verdict {
  /** The article it names to the user, or null when it stays silent. */
  named: string | null;
  /** How sure it says it is, 0..1; null for answerers that give no confidence. */
  confidence: number | null;
  /** Its best candidate, named or not (for the reliability table). */
  top: string | null;
  /**
   * The other articles the reply offers as buttons: instead of an answer ("Is it one of these?"), or under
   * an unsure ranked one ("Not it? The closest others:").
   */
  offered?: string[];
}

export type Answerer = (question: string) => Verdict;

export interface EvalMiss {
  q: string;
  ok: string[];
  got: string;
  confidence: number | null;
  top: string | null;
}

export interface ReliabilityBucket {
  /** Inclusive lower and exclusive upper confidence bound (the last bucket includes 1). */
  from: number;
  to: number;
  /** Questions whose best candidate had a confidence in the bucket, and how many of those were right. */
  total: number;
  right: number;
  /** Sum of the confidences in the bucket, for the mean the engine claimed there. */
  confidenceSum: number;
}

export interface EvalResult {
  total: number;
  correct: number;
  accuracy: number;
  inScopeTotal: number;
  inScopeCorrect: number;
  /** In-scope items whose right article was named, or offered among the closest (the reply's buttons). */
  inScopeNamedOrOffered: number;
  noneTotal: number;
  noneCorrect: number;
  /** Named a wrong article (or any article for an out-of-scope item) at confidence >= 0.8; null without confidences. */
  confidentlyWrong: number | null;
  reliability: ReliabilityBucket[] | null;
  misses: EvalMiss[];
}

export const CONFIDENTLY_WRONG_AT = 0.8;
const bucketEdges = [0, 0.2, 0.4, 0.6, 0.8, 0.9, 1];

/** The buckets of several sets added together: a reliability table over all of them. */
export function poolReliability(tables: (ReliabilityBucket[] | null)[]): ReliabilityBucket[] {
  return bucketEdges.slice(0, -1).map((from, i) => {
    const same = tables.flatMap((t) => (t ? [t[i]!] : []));
    return {
      from,
      to: bucketEdges[i + 1]!,
      total: same.reduce((n, b) => n + b.total, 0),
      right: same.reduce((n, b) => n + b.right, 0),
      confidenceSum: same.reduce((n, b) => n + b.confidenceSum, 0),
    };
  });
}

export function readEvalCases(path: string): EvalCase[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = JSON.parse(line) as EvalCase;
      if (typeof parsed.q !== 'string' || !Array.isArray(parsed.ok)) throw new Error(`${path}:${i + 1}: expected {"q": string, "ok": [ids]}`);
      return parsed;
    });
}

/** The engine as an answerer: silent below its threshold, its best candidate then being the first alternative. */
export function engineAnswerer(engine: AnswerEngine): Answerer {
  return (question) => {
    const answer = engine.answer(question);
    const top = answer.article?.id ?? answer.alternatives[0]?.id ?? null;
    // The articles the reply offers as buttons (answer-blocks.ts).
    const offered = closestToOffer(answer).map((a) => a.id);
    return { named: answer.article?.id ?? null, confidence: top ? answer.confidence : null, top, offered };
  };
}

export function evaluate(answerer: Answerer, cases: EvalCase[]): EvalResult {
  let correct = 0;
  let inScopeCorrect = 0;
  let inScopeNamedOrOffered = 0;
  let noneTotal = 0;
  let noneCorrect = 0;
  let confidentlyWrong = 0;
  let anyConfidence = false;
  const buckets: ReliabilityBucket[] = bucketEdges.slice(0, -1).map((from, i) => ({ from, to: bucketEdges[i + 1]!, total: 0, right: 0, confidenceSum: 0 }));
  const misses: EvalMiss[] = [];
  for (const c of cases) {
    const verdict = answerer(c.q);
    const got = verdict.named ?? 'NONE';
    const isNone = c.ok.includes('NONE');
    const right = c.ok.includes(got);
    if (isNone) noneTotal++;
    else if (right || (verdict.offered ?? []).some((id) => c.ok.includes(id))) inScopeNamedOrOffered++;
    if (right) {
      correct++;
      if (isNone) noneCorrect++;
      else inScopeCorrect++;
    } else {
      misses.push({ q: c.q, ok: c.ok, got, confidence: verdict.confidence, top: verdict.top });
    }
    if (verdict.confidence !== null) {
      anyConfidence = true;
      if (!right && verdict.named && verdict.confidence >= CONFIDENTLY_WRONG_AT) confidentlyWrong++;
      if (verdict.top) {
        const bucket = buckets.find((b) => verdict.confidence! < b.to) ?? buckets.at(-1)!;
        bucket.total++;
        bucket.confidenceSum += verdict.confidence;
        if (c.ok.includes(verdict.top)) bucket.right++;
      }
    }
  }
  return {
    total: cases.length,
    correct,
    accuracy: cases.length ? correct / cases.length : 0,
    inScopeTotal: cases.length - noneTotal,
    inScopeCorrect,
    inScopeNamedOrOffered,
    noneTotal,
    noneCorrect,
    confidentlyWrong: anyConfidence ? confidentlyWrong : null,
    reliability: anyConfidence ? buckets : null,
    misses,
  };
}
