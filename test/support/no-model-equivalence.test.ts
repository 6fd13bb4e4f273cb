// Without OPENAI_API_KEY the app behaves exactly as the deterministic engine: on every question of
// both development sets, the answer the Slack listeners get (answerFor) equals the engine's, and so
// do the Block Kit replies built from it, and so does every signed `/concierge <question>`'s
// acknowledgement, with nothing following it. No model request is even possible: none is configured.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEvalCases } from '../../bench/kb-eval.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { createLogger } from '../../src/logger.ts';
import { buildAnswerBlocks } from '../../src/slack/blocks/answer-blocks.ts';
import { diagnosedAnswer } from '../../src/slack/diagnosed-answer.ts';
import { answerReply, parseConciergeCommand } from '../../src/slack/concierge-command.ts';
import { plainTextFromSlack } from '../../src/slack/slack-text.ts';
import { settle, startTestApp, type TestApp } from '../slack/test-app.ts';

const root = resolve(import.meta.dirname, '../..');
const questions = [
  ...readEvalCases(resolve(root, '../shared/eval/kb-dev.jsonl')),
  ...readEvalCases(resolve(root, 'bench/real-world-dev.jsonl')),
].map((c) => c.q);
const engine = createAnswerEngine(loadKnowledge(resolve(root, 'knowledge')));

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { OPENAI_API_KEY: undefined } });
});
afterAll(async () => {
  await t?.close();
});

describe('with no OpenAI key', () => {
  it('has no model configured', () => {
    expect(t.app.config.openai).toBeUndefined();
    expect(t.app.support.usesModel).toBe(false);
  });

  it(`answers every development question (${questions.length}) exactly as the deterministic engine, in Slack blocks too`, async () => {
    expect(questions.length).toBeGreaterThan(200);
    const deps = { support: t.app.support, capabilities: { xero: false, escalation: true }, logger: createLogger({ level: 'silent', secrets: [] }), now: () => new Date(), postEscalation: () => Promise.reject(new Error('no case is filed by answering')) };
    for (const question of questions) {
      const assisted = await t.app.support.answerFor(question, { teamId: t.fake.teamId, thread: { teamId: t.fake.teamId, channel: 'D0EQUAL001', threadTs: '1.1' } });
      const expected = engine.answer(question);
      expect(assisted).toEqual({ answer: expected, reports: [], written: null, chosenByModel: false, trace: null });
      const reply = await diagnosedAnswer(deps, t.fake.teamId, question, { channel: 'D0EQUAL001', threadTs: '1.1' });
      expect(reply).toEqual(buildAnswerBlocks(expected, { lead: [], capabilities: deps.capabilities }));
    }
    // Nothing of the conversation is kept for a model that does not exist.
    expect(await t.app.db.threadTurns.recent({ teamId: t.fake.teamId, channel: 'D0EQUAL001', threadTs: '1.1' }, new Date(0), 10)).toEqual([]);
  });

  it('acknowledges every development question sent as /concierge <question> with exactly the engine\'s answer, and sends nothing after it', async () => {
    const capabilities = { xero: t.app.config.xero.credentials !== undefined, escalation: true };
    const asked = questions.map((q) => ({ q, parsed: parseConciergeCommand(plainTextFromSlack(q)) })).filter((c) => c.parsed.kind === 'ask');
    expect(asked.length).toBeGreaterThan(questions.length - 10);
    const responseIds: string[] = [];
    for (const { q, parsed } of asked) {
      const { response, responseId } = await t.slack.command(q);
      const expected = answerReply(engine.answer(parsed.kind === 'ask' ? parsed.question : ''), capabilities);
      expect(await response.json()).toEqual({ response_type: 'ephemeral', text: expected.text, blocks: expected.blocks });
      responseIds.push(responseId);
    }
    await settle(t.app);
    expect(responseIds.flatMap((id) => t.fake.responsesTo(id))).toEqual([]);
  });
});
