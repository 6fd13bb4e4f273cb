import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnswerEngine, type AnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { engineAnswerer, evaluate, readEvalCases } from '../../bench/kb-eval.ts';
import { articleText, knowledgeDir } from './fixtures.ts';

const repoKnowledge = join(import.meta.dirname, '../../knowledge');

describe('answer engine on the bundled knowledge base', () => {
  let engine: AnswerEngine;
  beforeAll(() => {
    engine = createAnswerEngine(loadKnowledge(repoKnowledge));
  });

  it('answers the pasted XERO11 sync error with XERO11, matched by its code', () => {
    const answer = engine.answer('XERO11 Sync Error: The connection to Xero has expired');
    expect(answer.article?.id).toBe('XERO11');
    expect(answer.matchedBy).toBe('code');
    expect(answer.confidence).toBe(1);
    expect(answer.actions).toContain('reconnect');
  });

  it('finds a code inside a long pasted error, whatever its case', () => {
    const pasted = `Export of report "Q3 travel" (ID 88213) failed at 14:02.\nDetails: xero01 - we could not complete the action.\nRequest id 7f3a9c`;
    const answer = engine.answer(pasted);
    expect(answer.article?.id).toBe('XERO01');
    expect(answer.matchedCode?.toUpperCase()).toBe('XERO01');
  });

  it('recognises a Xero validation message with the values filled in', () => {
    const answer = engine.answer('Validation failed: Account code \'200-XYZ\' is not a valid code for this document.');
    expect(answer.article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(answer.matchedBy).not.toBe('search');
  });

  it('ranks free-text questions, with synonyms and typos', () => {
    expect(engine.answer('our GL code got archived').article?.id).toBe('INVALID_ACCOUNT_CODE');
    expect(engine.answer('GST not accepted by xero').article?.id).toBe('INVALID_TAX_RATE');
    expect(engine.answer('invalid acount code').article?.id).toBe('INVALID_ACCOUNT_CODE');
    const answer = engine.answer('period lock date error');
    expect(answer.matchedBy === 'search' || answer.matchedBy === 'pattern').toBe(true);
    expect(answer.article?.id).toBe('PERIOD_LOCKED');
  });

  it('returns up to three alternatives, none of them the answer itself', () => {
    const answer = engine.answer('reconnect xero integration');
    expect(answer.alternatives.length).toBeGreaterThan(0);
    expect(answer.alternatives.length).toBeLessThanOrEqual(3);
    expect(answer.alternatives.map((a) => a.id)).not.toContain(answer.article?.id);
  });

  it('names an unknown code back instead of guessing', () => {
    for (const q of ['QBO01', 'NETSUITE02 error', 'QBO01 sync failed']) {
      const answer = engine.answer(q);
      expect(answer.article, q).toBeNull();
      expect(answer.reason, q).toBe('unknown_code');
      expect(answer.unknownCode, q).toMatch(/^(QBO01|NETSUITE02)$/);
      expect(answer.actions).toEqual(['escalate']);
    }
  });

  it('returns no article for out-of-scope questions, below the threshold', () => {
    for (const q of ['how do I bake sourdough', 'what is the capital of France', 'xero']) {
      const answer = engine.answer(q);
      expect(answer.article, q).toBeNull();
      expect(answer.reason).toBe('low_confidence');
      expect(answer.confidence).toBeLessThan(engine.minConfidence);
    }
  });

  it('offers no unrelated articles as "closest" to an out-of-scope question', () => {
    for (const q of ['how do I bake bread', 'what is the capital of France']) {
      expect(engine.answer(q).alternatives, q).toEqual([]);
    }
    const vague = engine.answer('sync failed');
    expect(vague.article).toBeNull();
    expect(vague.alternatives.length).toBeGreaterThan(0);
  });

  it('treats an empty question as a prompt to ask', () => {
    expect(engine.answer('   ').reason).toBe('empty_question');
  });

  it('survives absurdly long input', () => {
    const answer = engine.answer(`${'lorem ipsum '.repeat(20_000)} XERO11`);
    expect(answer.question.length).toBeGreaterThan(200_000);
    expect(answer.confidence).toBeGreaterThanOrEqual(0);
  });

  it('answers at least 90% of a held-out question set and every out-of-scope one correctly', () => {
    const result = evaluate(engineAnswerer(engine), readEvalCases(join(import.meta.dirname, 'questions.jsonl')));
    expect(result.misses.filter((m) => m.ok.includes('NONE'))).toEqual([]);
    expect(result.accuracy, JSON.stringify(result.misses, null, 1)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('answer engine mechanics', () => {
  const dir = knowledgeDir({
    'a.md': articleText({ id: 'ALPHA', title: 'Widget export failed', codes: ['AB12'], patterns: ['widget * is broken'] }),
    'b.md': articleText({ id: 'BETA', title: 'Gadget sync stalled', codes: ['CD34', 'gadget meltdown detected'] }),
    'c.md': articleText({ id: 'GAMMA_RAY', title: 'Sprocket alignment' }),
  });
  const engine = createAnswerEngine(loadKnowledge(dir));

  it('prefers a code over a pattern, and the longer code over the shorter', () => {
    expect(engine.answer('widget foo is broken, see AB12').matchedBy).toBe('code');
    expect(engine.answer('widget foo is broken, see CD34').article?.id).toBe('BETA');
    expect(engine.answer('AB12 then: GADGET MELTDOWN DETECTED!').article?.id).toBe('BETA');
  });

  it('matches patterns with wildcards on word boundaries', () => {
    expect(engine.answer('the widget number 7 is broken').article?.id).toBe('ALPHA');
    expect(engine.answer('the widgets are broken').matchedBy).not.toBe('pattern');
  });

  it('does not match a code inside a longer word', () => {
    expect(engine.answer('XAB12 failure').matchedBy).not.toBe('code');
  });

  it('treats a code-like article id as a code, but not a plain word', () => {
    expect(engine.answer('seeing gamma_ray again').article?.id).toBe('GAMMA_RAY');
    expect(engine.answer('seeing gamma_ray again').matchedBy).toBe('code');
    expect(engine.answer('beta').matchedBy).not.toBe('code');
  });

  it('honours a configured threshold', () => {
    const strict = createAnswerEngine(loadKnowledge(dir), { minConfidence: 0.99 });
    expect(engine.answer('widget export zebra').article?.id).toBe('ALPHA');
    expect(strict.answer('widget export zebra').article).toBeNull();
    expect(strict.answer('widget export zebra').reason).toBe('low_confidence');
    expect(strict.answer('AB12').article?.id).toBe('ALPHA');
  });
});
