// Case extraction with the model's help, through the real adapter and `openai` client against
// the fake OpenAI API: the deterministic extractor runs first and stands, the model is asked only
// for what it left empty, and nothing the text does not hold is ever added.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../../dev/fake-openai-api.ts';
import { caseFields } from '../../src/knowledge/case-fields.ts';
import { extractCase, type ExtractOptions } from '../../src/knowledge/extract-case.ts';
import { createOpenAIModel } from '../../src/llm/openai-model.ts';
import { extractCaseWithModel, type AssistedExtractDeps } from '../../src/support/assisted-extract.ts';
import type { ModelCaseFields } from '../../src/support/support-model.ts';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await FakeOpenAI.start();
});
afterAll(async () => {
  await fake?.close();
});
afterEach(() => {
  expect(fake.unexpected).toEqual([]);
  fake.requests.length = 0;
});

const deps = (): AssistedExtractDeps => ({
  model: createOpenAIModel({ apiKey: 'sk-test-0123456789abcdefghijklmnop', model: 'gpt-test', baseUrl: fake.baseUrl, timeoutMs: 1_000 }, { maxRetries: 0 }),
  timeoutMs: 1_000,
});
const options: ExtractOptions = { timeZone: 'Europe/London', sentAt: new Date('2026-11-20T12:00:00Z'), organisations: ['Acme Ltd', 'Globex'] };
const messy =
  'Hi team, the Berlin offsite expenses would not go through to Acme Ltd. It said: Unable to complete action to Xero. Happened around lunchtime on Tuesday. Reach me at sam@example.com';
const none: ModelCaseFields = { errorCode: null, errorMessage: null, report: null, time: null, timeText: null, organisation: null };

describe('extraction with the model', () => {
  it('adds what the deterministic extractor missed, each value found word for word in the text', async () => {
    expect(caseFields(extractCase(messy, options))).toMatchObject({ message: 'Unable to complete action to Xero.', report: null, time: null, org: 'Acme Ltd' });
    fake.queue({
      kind: 'json',
      content: { ...none, errorMessage: 'It said: Unable to complete action to Xero', report: 'Berlin offsite expenses', time: '2026-11-17T12:30:00+00:00', timeText: 'around lunchtime on Tuesday' },
    });
    const result = await extractCaseWithModel(deps(), messy, options);
    expect(caseFields(result.found)).toEqual({
      codes: [],
      message: 'Unable to complete action to Xero.',
      report: 'Berlin offsite expenses',
      time: '2026-11-17T12:30:00+00:00',
      timeText: 'around lunchtime on Tuesday',
      org: 'Acme Ltd',
    });
    // The message the extractor found stands; the model's other wording of it is not taken.
    expect(result.addedByModel.sort()).toEqual(['report', 'time']);
    // Where each came from, so a summary can quote it.
    expect(messy.slice(result.found.report!.start, result.found.report!.end)).toBe('Berlin offsite expenses');
    // Only the empty fields were asked for; the email never left.
    const request = fake.requests[0]!;
    expect(request.input!.wanted).toEqual(['errorCode', 'report', 'time', 'timeText']);
    expect(request.raw).not.toContain('sam@example.com');
  });

  it('never lets the model replace a field the extractor found, nor add one the text does not hold', async () => {
    const text = 'XERO11 on my report R00123 yesterday at 3pm';
    const base = extractCase(text, options);
    fake.queue({
      kind: 'json',
      content: { errorCode: 'XERO01', errorMessage: 'The connection to Xero has expired', report: 'R99999', time: '2026-11-18T09:00:00+00:00', timeText: 'Wednesday morning', organisation: 'Globex' },
    });
    const result = await extractCaseWithModel(deps(), text, options);
    expect(result.found).toEqual(base);
    expect(result.addedByModel).toEqual([]);
  });

  it('refuses a time in the future or without an offset, and an organisation the workspace has not connected', async () => {
    const text = 'Unable to complete action to Xero for Initech around 9 on Monday';
    expect(caseFields(extractCase(text, options))).toMatchObject({ time: null, org: null });
    fake.queue({ kind: 'json', content: { ...none, time: '2026-11-23T09:00:00+00:00', timeText: 'around 9 on Monday', organisation: 'Initech' } });
    const future = await extractCaseWithModel(deps(), text, options);
    expect(future.found.time).toBeNull();
    expect(future.found.org).toBeNull();
    fake.queue({ kind: 'json', content: { ...none, time: '2026-11-16T09:00:00', timeText: 'around 9 on Monday' } });
    expect((await extractCaseWithModel(deps(), text, options)).found.time).toBeNull();
  });

  it('keeps the deterministic case when the model stalls, refuses or is not configured', async () => {
    const base = extractCase(messy, options);
    fake.queue({ kind: 'stall' });
    const stalled = await extractCaseWithModel(deps(), messy, options);
    expect(stalled).toMatchObject({ found: base, addedByModel: [], failure: 'model_timeout' });
    fake.queue({ kind: 'refusal' });
    expect(await extractCaseWithModel(deps(), messy, options)).toMatchObject({ found: base, failure: 'model_refused' });
    fake.requests.length = 0;
    expect(await extractCaseWithModel({ model: undefined, timeoutMs: 0 }, messy, options)).toEqual({ found: base, addedByModel: [], failure: null, usage: null });
    expect(fake.requests).toEqual([]);
  });
});
