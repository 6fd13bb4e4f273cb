// Scores an answer engine on a question set: each line {"q": ..., "ok": [article ids] or ["NONE"]}.
import { readFileSync } from 'node:fs';
import type { AnswerEngine } from '../src/knowledge/answer-engine.ts';

export interface EvalCase {
  q: string;
  ok: string[];
}

export interface EvalMiss {
  q: string;
  ok: string[];
  got: string;
  confidence: number;
}

export interface EvalResult {
  total: number;
  correct: number;
  accuracy: number;
  noneTotal: number;
  noneCorrect: number;
  misses: EvalMiss[];
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

export function evaluate(engine: AnswerEngine, cases: EvalCase[]): EvalResult {
  let correct = 0;
  let noneTotal = 0;
  let noneCorrect = 0;
  const misses: EvalMiss[] = [];
  for (const c of cases) {
    const answer = engine.answer(c.q);
    const got = answer.article?.id ?? 'NONE';
    const isNone = c.ok.includes('NONE');
    if (isNone) noneTotal++;
    if (c.ok.includes(got)) {
      correct++;
      if (isNone) noneCorrect++;
    } else {
      misses.push({ q: c.q, ok: c.ok, got, confidence: answer.confidence });
    }
  }
  return { total: cases.length, correct, accuracy: cases.length ? correct / cases.length : 0, noneTotal, noneCorrect, misses };
}
