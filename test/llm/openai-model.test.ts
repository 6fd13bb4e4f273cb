// The OpenAI adapter through the real `openai` client against the fake OpenAI API on loopback:
// the requests' shape (strict structured outputs, the configured model and key), redaction of
// what actually arrives, and every way a call fails arriving as one ModelFailure code in time.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeOpenAI, type FakeBehaviour } from '../../dev/fake-openai-api.ts';
import type { OpenAIConfig } from '../../src/config.ts';
import { createOpenAIModel } from '../../src/llm/openai-model.ts';
import { ModelFailure, type SupportModel } from '../../src/support/support-model.ts';

let fakes: FakeOpenAI[] = [];

afterEach(async () => {
  for (const fake of fakes) {
    expect(fake.unexpected).toEqual([]);
    await fake.close();
  }
  fakes = [];
});

const apiKey = 'sk-test-0123456789abcdefghijklmnop';

async function setUp(timeoutMs = 2_000, maxRetries = 1): Promise<{ fake: FakeOpenAI; model: SupportModel; config: OpenAIConfig }> {
  const fake = await FakeOpenAI.start();
  fakes.push(fake);
  const config: OpenAIConfig = { apiKey, model: 'gpt-test-mini', baseUrl: fake.baseUrl, timeoutMs };
  return { fake, model: createOpenAIModel(config, { maxRetries }), config };
}

const choose = (model: SupportModel, signal = AbortSignal.timeout(2_000)) =>
  model.chooseArticle({ question: 'exports stopped', history: [], candidates: [{ id: 'XERO11', title: 'Connection expired', meaning: 'm', symptoms: ['s'] }] }, signal);

async function failureOf(promise: Promise<unknown>): Promise<ModelFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFailure);
    return error as ModelFailure;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAI adapter', () => {
  it('sends a strict structured-output request with the model and key, and returns the parsed reply with usage', async () => {
    const { fake, model } = await setUp();
    fake.queue({ kind: 'json', content: { articleId: 'XERO11' }, usage: { prompt: 321, completion: 12 } });
    const reply = await choose(model);
    expect(reply).toEqual({ value: { articleId: 'XERO11' }, usage: { inputTokens: 321, outputTokens: 12 } });
    const [request] = fake.requests;
    expect(request!.model).toBe('gpt-test-mini');
    expect(request!.authorization).toBe(`Bearer ${apiKey}`);
    expect(request!.schemaName).toBe('article_choice');
    const body = JSON.parse(request!.raw) as { response_format: { json_schema: { strict: boolean; schema: { required: string[] } } } };
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(body.response_format.json_schema.schema.required).toEqual(['articleId']);
    expect(request!.input).toMatchObject({ question: 'exports stopped', candidates: [{ id: 'XERO11' }] });
  });

  it('redacts tokens, API keys, emails and long digit runs from every message that reaches the server', async () => {
    const { fake, model } = await setUp();
    fake.queue({ kind: 'json', content: { articleId: null } });
    const secrets = [
      'xoxb-1234567890-abcdefghijkl',
      'sk-proj-ABCDEFGHIJKLMNOPQRSTUV123456',
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.c2lnbmF0dXJlLXBhcnQ',
      'jane.doe@example.com',
      '4111 1111 1111 1111',
      '123456789012',
      'Zq8vR2mK9xLpT4wN7bYc3dFh6J',
    ];
    const question = `XERO11 again. Bearer ${secrets[2]} slack ${secrets[0]} key ${secrets[1]}, email ${secrets[3]}, card ${secrets[4]}, account ${secrets[5]}, refresh ${secrets[6]}, client_secret=hunter2hunter2 on 20/11/2026 14:05 report R00123`;
    await model.chooseArticle(
      {
        question,
        history: [
          { role: 'user', text: `my email is ${secrets[3]}` },
          { role: 'assistant', text: 'Reconnect Xero.' },
        ],
        candidates: [{ id: 'XERO11', title: 'Connection expired', meaning: 'm', symptoms: ['s'] }],
      },
      AbortSignal.timeout(2_000),
    );
    const raw = fake.requests[0]!.raw;
    for (const secret of [...secrets, 'hunter2hunter2', 'jane.doe']) expect(raw).not.toContain(secret);
    expect(raw).not.toMatch(/\d{8,}/);
    // What the model needs to read stays: the code, the date and time, the report id.
    expect(raw).toContain('XERO11 again');
    expect(raw).toContain('20/11/2026 14:05');
    expect(raw).toContain('R00123');
    expect(fake.requests[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  const failures: Array<[string, FakeBehaviour[], string]> = [
    ['a refusal', [{ kind: 'refusal' }], 'model_refused'],
    ['malformed JSON', [{ kind: 'malformed' }], 'model_malformed'],
    ['JSON that does not fit the schema', [{ kind: 'json', content: { article: 'XERO11' } }], 'model_malformed'],
    ['429 twice', [{ kind: 'status', status: 429, retryAfterSeconds: 0 }, { kind: 'status', status: 429, retryAfterSeconds: 0 }], 'model_rate_limited'],
    ['503 twice', [{ kind: 'status', status: 503 }, { kind: 'status', status: 503 }], 'model_unavailable'],
    ['401', [{ kind: 'status', status: 401 }], 'model_unavailable'],
  ];
  for (const [name, behaviours, code] of failures) {
    it(`turns ${name} into ${code}`, async () => {
      const { fake, model } = await setUp();
      fake.queue(...behaviours);
      expect((await failureOf(choose(model))).code).toBe(code);
    });
  }

  it('retries one 429 and succeeds', async () => {
    const { fake, model } = await setUp();
    fake.queue({ kind: 'status', status: 429, retryAfterSeconds: 0 }, { kind: 'json', content: { articleId: 'XERO11' } });
    expect((await choose(model)).value.articleId).toBe('XERO11');
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up on a stall at the deadline, and a long retry-after does not outlast it', async () => {
    const { fake, model } = await setUp(30_000);
    fake.queue({ kind: 'stall' });
    let started = performance.now();
    expect((await failureOf(choose(model, AbortSignal.timeout(300)))).code).toBe('model_timeout');
    expect(performance.now() - started).toBeLessThan(5_000);

    fake.queue({ kind: 'status', status: 429, retryAfterSeconds: 30 });
    started = performance.now();
    expect((await failureOf(choose(model, AbortSignal.timeout(300)))).code).toBe('model_timeout');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('times a stalled request out by its own timeout when the caller sets no deadline', async () => {
    const { fake, model } = await setUp(300, 0);
    fake.queue({ kind: 'stall' });
    expect((await failureOf(choose(model, new AbortController().signal))).code).toBe('model_timeout');
  });
});
