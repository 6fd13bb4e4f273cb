// The figures bench:kb prints: what counts as confidently wrong, how the reliability table is filled,
// and the BM25 baseline naming its top hit.
import { describe, expect, it } from 'vitest';
import { createBm25Baseline } from '../../bench/bm25-baseline.ts';
import { engineAnswerer, evaluate, poolReliability, type Answerer, type Verdict } from '../../bench/kb-eval.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { articleText, knowledgeDir } from '../knowledge/fixtures.ts';

const scripted = (verdicts: Record<string, Verdict>): Answerer => (q) => verdicts[q]!;

describe('evaluate', () => {
  const cases = [
    { q: 'right and sure', ok: ['ALPHA'] },
    { q: 'wrong and sure', ok: ['ALPHA'] },
    { q: 'wrong but unsure', ok: ['ALPHA'] },
    { q: 'silent, best candidate right', ok: ['BETA'] },
    { q: 'other system, answered', ok: ['NONE'] },
    { q: 'other system, silent', ok: ['NONE'] },
  ];
  const answerer = scripted({
    'right and sure': { named: 'ALPHA', confidence: 0.95, top: 'ALPHA' },
    'wrong and sure': { named: 'BETA', confidence: 0.8, top: 'BETA' },
    'wrong but unsure': { named: 'BETA', confidence: 0.79, top: 'BETA', offered: ['ALPHA'] },
    'silent, best candidate right': { named: null, confidence: 0.3, top: 'BETA', offered: ['BETA', 'ALPHA'] },
    'other system, answered': { named: 'ALPHA', confidence: 1, top: 'ALPHA' },
    'other system, silent': { named: null, confidence: null, top: null },
  });
  const result = evaluate(answerer, cases);

  it('splits top-1 into in-scope answers and out-of-scope silence', () => {
    expect(result).toMatchObject({ total: 6, correct: 2, inScopeTotal: 4, inScopeCorrect: 1, noneTotal: 2, noneCorrect: 1 });
  });

  it('counts an in-scope item as helped when its article is named, or offered as a button with or without an answer', () => {
    // "wrong and sure" offers nothing; "wrong but unsure" offers the right one under its answer, the silent one instead of one.
    expect(result.inScopeNamedOrOffered).toBe(3);
  });

  it('counts a wrong article named at 0.8 or more, out-of-scope answers included, as confidently wrong', () => {
    expect(result.confidentlyWrong).toBe(2);
  });

  it('files each best candidate, named or not, under its confidence', () => {
    const filled = result.reliability!.filter((b) => b.total > 0).map((b) => [b.from, b.total, b.right]);
    expect(filled).toEqual([
      [0.2, 1, 1],
      [0.6, 1, 0],
      [0.8, 1, 0],
      [0.9, 2, 1],
    ]);
  });
});

describe('reliability over several sets', () => {
  it('adds the sets bucket by bucket, with the confidence claimed in each', () => {
    const bucket = (from: number, total: number, right: number, confidenceSum: number) => ({ from, to: 0, total, right, confidenceSum });
    const edges = [0, 0.2, 0.4, 0.6, 0.8, 0.9];
    const first = edges.map((from) => bucket(from, from === 0.9 ? 10 : 0, from === 0.9 ? 9 : 0, from === 0.9 ? 9.4 : 0));
    const second = edges.map((from) => bucket(from, from === 0.9 ? 10 : from === 0.2 ? 2 : 0, from === 0.9 ? 10 : 0, from === 0.9 ? 9.6 : from === 0.2 ? 0.6 : 0));
    const pooled = poolReliability([first, null, second]);
    expect(pooled.map((b) => [b.from, b.total, b.right])).toEqual([
      [0, 0, 0],
      [0.2, 2, 0],
      [0.4, 0, 0],
      [0.6, 0, 0],
      [0.8, 0, 0],
      [0.9, 20, 19],
    ]);
    expect(pooled.at(-1)!.confidenceSum).toBeCloseTo(19);
    expect(pooled.at(-1)!.to).toBe(1);
  });
});

describe('BM25 baseline', () => {
  const articles = loadKnowledge(
    knowledgeDir({
      'a.md': articleText({ id: 'ALPHA', title: 'Widget export failed', symptoms: ['the widget will not export'] }),
      'b.md': articleText({ id: 'BETA', title: 'Gadget sync stalled', symptoms: ['gadget sync is stuck'] }),
    }),
  );
  const baseline = createBm25Baseline(articles);

  it('always names its top hit and gives no confidence', () => {
    expect(baseline('my gadget sync stalled overnight')).toEqual({ named: 'BETA', confidence: null, top: 'BETA' });
    expect(baseline('zzz qqq').named).toBeNull();
    const result = evaluate(baseline, [{ q: 'widget export', ok: ['ALPHA'] }]);
    expect(result.confidentlyWrong).toBeNull();
    expect(result.reliability).toBeNull();
  });

  it('is scored the same way as the engine', () => {
    const engine = engineAnswerer(createAnswerEngine(articles));
    const cases = [{ q: 'widget export failed', ok: ['ALPHA'] }];
    expect(evaluate(engine, cases).correct).toBe(1);
    expect(evaluate(baseline, cases).correct).toBe(1);
  });
});
