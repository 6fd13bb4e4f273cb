// The playground's fake model (`npm run openai:fake`) is what a newcomer sees first: through the
// real client, its choices are always accepted and its written replies always pass the grounding
// guard, on every question of the development set.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvalCases } from '../../bench/kb-eval.ts';
import { FakeOpenAI, playgroundModel } from '../../dev/fake-openai-api.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { createOpenAIModel } from '../../src/llm/openai-model.ts';
import { answerWithModel } from '../../src/support/assisted-answer.ts';

const root = resolve(import.meta.dirname, '../..');
const engine = createAnswerEngine(loadKnowledge(resolve(root, 'knowledge')));
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await FakeOpenAI.start({ script: playgroundModel });
});
afterAll(async () => {
  await fake?.close();
});

describe('the playground fake model', () => {
  it('gives accepted choices and grounded replies on every development question', async () => {
    const model = createOpenAIModel({ apiKey: 'sk-playground-000000000000000000000', model: 'gpt-4o-mini', baseUrl: fake.baseUrl, timeoutMs: 5_000 });
    const deps = { engine, model, timeoutMs: 5_000, diagnose: async () => [], now: () => new Date() };
    let written = 0;
    for (const { q } of readEvalCases(resolve(root, '../shared/eval/kb-dev.jsonl'))) {
      const { trace, answer } = await answerWithModel(deps, q);
      expect(trace!.failures).toEqual([]);
      expect(trace!.choice).not.toBe('rejected');
      if (answer.article) {
        expect(trace!.writing).toBe('accepted');
        written++;
      }
    }
    expect(written).toBeGreaterThan(30);
    expect(fake.unexpected).toEqual([]);
  });
});
