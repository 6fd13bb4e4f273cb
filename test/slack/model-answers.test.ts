// Slack answers with OPENAI_API_KEY set: the whole app over signed Events API requests, the fake
// Slack, and the real `openai` client against the fake OpenAI API. The person sees at once that the
// question arrived; the answer replaces that note, written from the article when the model
// behaves and the article's own text when it stalls; usage is logged without content.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI, type FakeChatRequest } from '../../dev/fake-openai-api.ts';
import { text } from '../../src/slack/user-text.ts';
import type { GroundingArticle } from '../../src/support/support-model.ts';
import { settle, startTestApp, type TestApp } from './test-app.ts';

let t: TestApp;
let openai: FakeOpenAI;
const timeoutMs = 800;

function faithful(request: FakeChatRequest) {
  const [article] = request.input!.articles as GroundingArticle[];
  return {
    summary: 'Your Xero connection has expired, so the report export was refused.',
    steps: article!.steps.slice(0, 2).map((step, i) => ({ articleId: article!.id, step: i + 1, text: step })),
    citations: [article!.id],
  };
}

beforeAll(async () => {
  openai = await FakeOpenAI.start();
  t = await startTestApp({ env: { OPENAI_API_KEY: 'sk-test-0123456789abcdefghijklmnop', OPENAI_BASE_URL: openai.baseUrl, OPENAI_TIMEOUT_MS: String(timeoutMs) } });
});
afterAll(async () => {
  await t?.close();
  await openai?.close();
});
afterEach(() => {
  expect(openai.unexpected).toEqual([]);
  openai.requests.length = 0;
});

const postsTo = (channel: string) => t.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
const updatesIn = (channel: string) => t.fake.callsOf('chat.update').filter((c) => c.params.channel === channel);

describe('answers with the model', () => {
  it('acknowledge at once, then replace the note with the written answer and log token usage without content', async () => {
    openai.script = (request) => ({ kind: 'json', content: faithful(request), usage: { prompt: 410, completion: 55 } });
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11 on my report for jane@example.com', ts: '1700000500.000100', channel: 'D0MODEL001' });
    const [note] = await t.fake.waitFor(() => postsTo('D0MODEL001').length && postsTo('D0MODEL001'));
    expect(note!.params.text).toBe(text.lookingIntoIt);
    expect(note!.params.thread_ts).toBe('1700000500.000100');
    const [update] = await t.fake.waitFor(() => updatesIn('D0MODEL001').length && updatesIn('D0MODEL001'));
    const blocks = JSON.stringify(update!.params.blocks);
    expect(blocks).toContain(text.writtenFrom(['XERO11']));
    expect(blocks).toContain('Your Xero connection has expired, so the report export was refused.');
    expect(blocks).toContain('XERO11: the connection to Xero has expired');
    // Exactly one message in the thread: the note became the answer.
    expect(t.fake.messagesIn('D0MODEL001')).toHaveLength(1);
    await settle(t.app);
    const usage = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.code === 'model_answer');
    expect(usage).toMatchObject({ writing: 'accepted', inputTokens: 410, outputTokens: 55, calls: 1 });
    const logged = JSON.stringify(usage);
    expect(logged).not.toContain('on my report');
    expect(logged).not.toContain('Your Xero connection has expired');
  });

  it('answer a follow-up in the same thread with the thread\'s history', async () => {
    openai.script = (request) => ({ kind: 'json', content: faithful(request) });
    // Bolt hands replies in a DM thread to the assistant listener, whose status is the acknowledgement.
    await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11 still failing after the reconnect', ts: '1700000501.000100', thread_ts: '1700000500.000100', channel: 'D0MODEL001' });
    const [, reply] = await t.fake.waitFor(() => postsTo('D0MODEL001').length >= 2 && postsTo('D0MODEL001'));
    expect(reply!.params.thread_ts).toBe('1700000500.000100');
    expect(JSON.stringify(reply!.params.blocks)).toContain(text.writtenFrom(['XERO11']));
    const sent = openai.requests[0]!.messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(sent[1]!.content).toBe('XERO11 on my report for [email]');
  });

  it('deliver the article\'s own answer when the model stalls, soon after the deadline, and never hold up Slack\'s acknowledgement', async () => {
    openai.script = () => ({ kind: 'stall' });
    const started = performance.now();
    const response = await t.slack.event({ type: 'message', channel_type: 'im', user: 'U0USER0001', text: 'XERO11 on my report', ts: '1700000502.000100', channel: 'D0MODEL002' });
    expect(response.status).toBe(200);
    expect(updatesIn('D0MODEL002')).toHaveLength(0);
    const [update] = await t.fake.waitFor(() => updatesIn('D0MODEL002').length && updatesIn('D0MODEL002'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(timeoutMs - 50);
    const blocks = JSON.stringify(update!.params.blocks);
    expect(blocks).toContain(text.whatItMeans);
    expect(blocks).toContain('1. Ask an admin');
    expect(blocks).not.toContain('Written for your question');
    await settle(t.app);
    const usage = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.code === 'model_answer').at(-1);
    expect(usage).toMatchObject({ writing: 'failed', failures: ['model_timeout'] });
  });

  it('acknowledge /concierge <question> with the engine\'s answer at once and replace it with the written answer through response_url', async () => {
    openai.script = (request) => ({ kind: 'json', content: faithful(request), usage: { prompt: 300, completion: 40 } });
    const { response, responseId } = await t.slack.command('XERO11 on my report');
    const ack = (await response.json()) as { response_type: string; blocks: unknown[] };
    expect(ack.response_type).toBe('ephemeral');
    expect(JSON.stringify(ack.blocks)).toContain(text.whatItMeans);
    expect(JSON.stringify(ack.blocks)).not.toContain(text.writtenFrom(['XERO11']));
    const [replaced] = await t.fake.waitFor(() => t.fake.responsesTo(responseId).length && t.fake.responsesTo(responseId));
    expect(replaced).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    const blocks = JSON.stringify(replaced!.blocks);
    expect(blocks).toContain(text.writtenFrom(['XERO11']));
    expect(blocks).toContain('Your Xero connection has expired, so the report export was refused.');
    expect(blocks).toContain(text.shareInChannel);
    await settle(t.app);
    expect(t.fake.responsesTo(responseId)).toHaveLength(1);
  });

  it('leave the slash command\'s acknowledged answer alone when the model stalls, without holding up the acknowledgement', async () => {
    openai.script = () => ({ kind: 'stall' });
    const started = performance.now();
    const { response, responseId } = await t.slack.command('XERO11 on my report');
    expect(JSON.stringify(((await response.json()) as { blocks: unknown[] }).blocks)).toContain('1. Ask an admin');
    expect(performance.now() - started).toBeLessThan(timeoutMs);
    await t.fake.waitFor(() => openai.requests.length);
    await new Promise((done) => setTimeout(done, timeoutMs + 200));
    await settle(t.app);
    // The engine's answer already shown is the fallback: nothing replaces it.
    expect(t.fake.responsesTo(responseId)).toEqual([]);
    const usage = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.code === 'model_answer').at(-1);
    expect(usage).toMatchObject({ writing: 'failed', failures: ['model_timeout'] });
  });
});
