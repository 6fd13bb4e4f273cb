// Answers with the model's help: the real answer engine over the bundled knowledge base, the real
// OpenAI adapter and `openai` client against the fake OpenAI API, the real thread store on SQLite.
// The model may choose only among the engine's candidates, may write only what the cited article
// says, and every failure leaves the deterministic answer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI, type FakeChatRequest } from '../../dev/fake-openai-api.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { createOpenAIModel } from '../../src/llm/openai-model.ts';
import { answerWithModel, isUnsure, type AssistedAnswerDeps } from '../../src/support/assisted-answer.ts';
import type { HealthReport } from '../../src/support/check-connection.ts';
import type { GroundingArticle, WrittenAnswer } from '../../src/support/support-model.ts';
import { createTestDatabase, type TestDatabase } from '../db/test-databases.ts';

const engine = createAnswerEngine(loadKnowledge(new URL('../../knowledge/', import.meta.url).pathname));
let fake: FakeOpenAI;
let test: TestDatabase;
let db: Database;

beforeAll(async () => {
  fake = await FakeOpenAI.start();
  test = await createTestDatabase('sqlite');
  db = await openDatabase(test.settings, { warn: () => {} });
});
afterAll(async () => {
  await fake?.close();
  await db?.close();
  await test?.drop();
});
afterEach(() => {
  expect(fake.unexpected).toEqual([]);
  fake.requests.length = 0;
});

function deps(overrides: Partial<AssistedAnswerDeps> = {}): AssistedAnswerDeps {
  return {
    engine,
    model: createOpenAIModel({ apiKey: 'sk-test-0123456789abcdefghijklmnop', model: 'gpt-test', baseUrl: fake.baseUrl, timeoutMs: 2_000 }, { maxRetries: 1 }),
    timeoutMs: 2_000,
    diagnose: async () => [],
    now: () => new Date(),
    ...overrides,
  };
}

/** A faithful written reply: the article's own first steps, lightly framed. */
function faithful(request: FakeChatRequest): WrittenAnswer {
  const [article] = request.input!.articles as GroundingArticle[];
  return {
    summary: `${article!.title}.`,
    steps: article!.steps.slice(0, 3).map((text, i) => ({ articleId: article!.id, step: i + 1, text })),
    citations: [article!.id],
  };
}

type Script = { choose?: (r: FakeChatRequest) => string | null; write?: (r: FakeChatRequest) => unknown };
function script({ choose, write }: Script): void {
  fake.script = (request) => {
    if (request.schemaName === 'article_choice') return { kind: 'json', content: { articleId: choose ? choose(request) : null } };
    if (request.schemaName === 'written_answer') return { kind: 'json', content: write ? write(request) : faithful(request) };
    return { kind: 'status', status: 500 };
  };
}
const candidateIds = (r: FakeChatRequest) => (r.input!.candidates as Array<{ id: string }>).map((c) => c.id);

const unsureQuestion = 'sync failed';

describe('choosing among the engine\'s candidates', () => {
  it('is asked only when the engine is unsure, and picks one of its candidates', async () => {
    const base = engine.answer(unsureQuestion);
    expect(isUnsure(base)).toBe(true);
    script({ choose: (r) => candidateIds(r)[1]! });
    const result = await answerWithModel(deps(), unsureQuestion);
    const offered = [base.article?.id, ...base.alternatives.map((a) => a.id)].filter(Boolean);
    expect(candidateIds(fake.requests[0]!)).toEqual(offered.slice(0, 4));
    expect(result.answer.article?.id).toBe(offered[1]);
    expect(result.chosenByModel).toBe(true);
    expect(result.trace).toMatchObject({ choice: 'picked', writing: 'accepted', calls: 2 });
    expect(result.written?.citations).toEqual([offered[1]]);
  });

  it('rejects an article id the engine did not offer, real or invented, and keeps the engine\'s answer', async () => {
    const base = engine.answer(unsureQuestion);
    for (const id of ['XERO99_INVENTED', engine.articles.map((a) => a.id).find((id) => ![base.article?.id, ...base.alternatives.map((a) => a.id)].includes(id))!]) {
      script({ choose: () => id });
      const result = await answerWithModel(deps(), unsureQuestion);
      expect(result.answer).toEqual(base);
      expect(result.trace?.choice).toBe('rejected');
      expect(result.chosenByModel).toBe(false);
    }
  });

  it('"none of these" names no article and still offers the candidates', async () => {
    const question = 'exports stopped working';
    const base = engine.answer(question);
    expect(base.article).not.toBeNull();
    expect(isUnsure(base)).toBe(true);
    script({ choose: () => null });
    const result = await answerWithModel(deps(), question);
    expect(result.answer.article).toBeNull();
    expect(result.answer.alternatives.map((a) => a.id)).toContain(base.article!.id);
    expect(result.answer.actions).toEqual(['escalate']);
    expect(result.trace).toMatchObject({ choice: 'none', writing: 'not_asked', calls: 1 });
  });

  it('never asks about a confident code match, and never sends out-of-scope or empty questions at all', async () => {
    script({});
    const coded = await answerWithModel(deps(), 'XERO11 on my report');
    expect(coded.answer).toEqual(engine.answer('XERO11 on my report'));
    expect(fake.requests.map((r) => r.schemaName)).toEqual(['written_answer']);
    fake.requests.length = 0;
    for (const question of ['QuickBooks says the token has expired', 'How do I void an invoice?', '   ']) {
      const result = await answerWithModel(deps(), question);
      expect(result.answer).toEqual(engine.answer(question));
      expect(result.written).toBeNull();
    }
    expect(fake.requests).toEqual([]);
  });
});

describe('written answers', () => {
  it('are written from the article and the live verdict, and kept when every step is the article\'s', async () => {
    script({});
    const report = { tenantName: 'Demo Co', verdict: 'authorisation_expired', problem: null, reconnect: true, exports: { failed: 2, queued: 0 } } as unknown as HealthReport;
    const result = await answerWithModel(deps({ diagnose: async () => [report] }), 'XERO11 on my report');
    const request = fake.requests[0]!;
    expect(request.input!.verdict).toBe('Demo Co: authorisation expired, reconnecting fixes it, 2 failed exports');
    expect((request.input!.articles as GroundingArticle[]).map((a) => a.id)).toEqual(['XERO11']);
    expect(result.reports).toEqual([report]);
    expect(result.written?.steps[0]?.text).toBe(engine.getArticle('XERO11')!.steps[0]);
  });

  const bad: Array<[string, (w: WrittenAnswer) => WrittenAnswer, string]> = [
    ['cites an article it was not given', (w) => ({ ...w, citations: [...w.citations, 'TOKEN_EXPIRED'] }), 'citation_unknown'],
    ['cites nothing', (w) => ({ ...w, citations: [] }), 'no_citations'],
    ['points at a step the article does not have', (w) => ({ ...w, steps: [{ ...w.steps[0]!, step: 42 }] }), 'step_unknown'],
    ['states a step absent from the article', (w) => ({ ...w, steps: [...w.steps, { articleId: 'XERO11', step: 2, text: 'Delete the Xero organisation and create a new one, then restore last month\'s bank feed backup.' }] }), 'step_ungrounded'],
    ['slips steps into the summary', (w) => ({ ...w, summary: 'Do this:\n1. Uninstall the product\n2. Call your bank' }), 'summary_has_steps'],
    ['claims things in the summary no article says', (w) => ({ ...w, summary: 'Your bank revoked the payroll mandate because of a GDPR audit in Germany.' }), 'summary_ungrounded'],
  ];
  for (const [name, spoil, problem] of bad) {
    it(`are discarded for the article's own text when the reply ${name}`, async () => {
      script({ write: (r) => spoil(faithful(r)) });
      const result = await answerWithModel(deps(), 'XERO11 on my report');
      expect(result.written).toBeNull();
      expect(result.answer).toEqual(engine.answer('XERO11 on my report'));
      expect(result.trace).toMatchObject({ writing: 'rejected', groundingProblem: problem });
    });
  }
});

describe('when the model fails', () => {
  const failures = [
    ['a stall', { kind: 'stall' as const }, 'model_timeout'],
    ['429s', { kind: 'status' as const, status: 429, retryAfterSeconds: 0 }, 'model_rate_limited'],
    ['5xx', { kind: 'status' as const, status: 502 }, 'model_unavailable'],
    ['malformed JSON', { kind: 'malformed' as const }, 'model_malformed'],
    ['a refusal', { kind: 'refusal' as const }, 'model_refused'],
  ] as const;
  for (const [name, behaviour, code] of failures) {
    it(`falls back to the deterministic answer on ${name}, within the deadline`, async () => {
      fake.script = () => behaviour;
      fake.requests.length = 0;
      for (const question of [unsureQuestion, 'XERO11 on my report']) {
        const started = performance.now();
        // A stall is cut at the deadline; the others fail fast enough for the SDK's one retry.
        const result = await answerWithModel(deps({ timeoutMs: behaviour.kind === 'stall' ? 400 : 2_500 }), question);
        expect(performance.now() - started).toBeLessThan(3_000);
        expect(result.answer).toEqual(engine.answer(question));
        expect(result.written).toBeNull();
        expect(result.trace?.failures).toEqual([code]);
        // A model that just failed is not asked to write as well.
        if (question === unsureQuestion) expect(fake.requests.filter((r) => r.schemaName === 'written_answer')).toEqual([]);
      }
    });
  }
});

describe('follow-ups in the same thread', () => {
  it('send the stored, redacted, bounded history of the thread with the next question', async () => {
    script({});
    const thread = { teamId: 'T0TEAM0001', channel: 'D0HISTORY1', threadTs: '1700000200.000100' };
    const history = { ...deps(), history: db.threadTurns };
    await answerWithModel(history, 'XERO11 on my report, I am jane@example.com', thread);
    fake.requests.length = 0;
    await answerWithModel(history, 'XERO11 still there after reconnecting', thread);
    const sent = fake.requests[0]!.messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent[1]!.content).toBe('XERO11 on my report, I am [email]');
    expect(sent[2]!.content).toContain('1. Ask an admin');
    // Another thread starts empty.
    fake.requests.length = 0;
    await answerWithModel(history, 'XERO11 on my report', { ...thread, threadTs: '1700000300.000100' });
    expect(fake.requests[0]!.messages.map((m) => m.role)).toEqual(['system', 'user']);
    // Only the newest six turns (three exchanges) are kept and sent.
    for (let i = 0; i < 4; i++) await answerWithModel(history, `XERO11 again, attempt ${i}`, thread);
    fake.requests.length = 0;
    await answerWithModel(history, 'XERO11 one more time', thread);
    const bounded = fake.requests[0]!.messages;
    expect(bounded).toHaveLength(8);
    expect(bounded[1]!.content).toBe('XERO11 again, attempt 1');
  });

  it('offer the thread\'s earlier article as a candidate for a follow-up with no words of its own', async () => {
    const followUp = 'it still fails';
    expect(engine.answer(followUp)).toMatchObject({ article: null, reason: 'low_confidence', alternatives: [] });
    script({ choose: (r) => (candidateIds(r).includes('XERO11') ? 'XERO11' : null) });
    const history = { ...deps(), history: db.threadTurns };
    // In a thread of its own, nothing to go on: the engine's answer, no model call.
    const alone = await answerWithModel(history, followUp, { teamId: 'T0TEAM0001', channel: 'D0FOLLOW01', threadTs: '1.1' });
    expect(alone.answer).toEqual(engine.answer(followUp));
    expect(fake.requests).toEqual([]);
    const thread = { teamId: 'T0TEAM0001', channel: 'D0FOLLOW01', threadTs: '2.2' };
    await answerWithModel(history, 'XERO11 on my report', thread);
    fake.requests.length = 0;
    const result = await answerWithModel(history, followUp, thread);
    expect(candidateIds(fake.requests[0]!)).toEqual(['XERO11']);
    expect(result.answer.article?.id).toBe('XERO11');
    expect(result.chosenByModel).toBe(true);
  });
});
