// A fake OpenAI-compatible API on 127.0.0.1 for tests and benchmarks: POST /v1/chat/completions
// answers from a script with structured outputs, malformed JSON, refusals, HTTP errors (429 with
// retry-after, 5xx) or stalls that never answer. Every request is recorded as it arrived, so tests
// can assert what actually left the process. A request that is not a strict structured-output
// chat completion is refused with 400 saying why; any other route answers 404 and counts as
// unexpected.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export type FakeBehaviour =
  | { kind: 'json'; content: unknown; usage?: { prompt: number; completion: number } }
  | { kind: 'malformed' }
  | { kind: 'refusal' }
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** Holds the request open; answers with `then` after `ms` if given, else never. */
  | { kind: 'stall'; ms?: number; then?: FakeBehaviour };

export interface FakeChatRequest {
  /** The structured output's name: case_fields, article_choice or written_answer. */
  schemaName: string;
  model: string;
  messages: Array<{ role: string; content: string }>;
  /** The last user message parsed as JSON, when it is JSON. */
  input: Record<string, unknown> | null;
  authorization: string | undefined;
  /** The body exactly as received. */
  raw: string;
}

export interface FakeOpenAIOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Decides each answer once the queue is empty (default: a 500 saying no script was given). */
  script?: (request: FakeChatRequest) => FakeBehaviour;
}

export class FakeOpenAI {
  readonly requests: FakeChatRequest[] = [];
  readonly unexpected: string[] = [];
  script: (request: FakeChatRequest) => FakeBehaviour;
  private readonly queued: FakeBehaviour[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private port = 0;

  private constructor(options: FakeOpenAIOptions) {
    this.script = options.script ?? (() => ({ kind: 'status', status: 500 }));
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    const fake = new FakeOpenAI(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The base URL to give the SDK (OPENAI_BASE_URL). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Answers the next requests in this order, before the script is consulted. */
  queue(...behaviours: FakeBehaviour[]): void {
    this.queued.push(...behaviours);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      this.unexpected.push(`${req.method} ${req.url}`);
      return send(res, 404, { error: { message: `the fake answers POST /v1/chat/completions only, not ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    }
    let body: { model?: unknown; messages?: unknown; response_format?: { type?: string; json_schema?: { name?: string; strict?: boolean } } };
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { error: { message: 'the request body is not JSON', type: 'invalid_request_error' } });
    }
    const format = body.response_format;
    const refusal =
      typeof body.model !== 'string' || !body.model
        ? 'model is missing'
        : !Array.isArray(body.messages) || body.messages.length === 0
          ? 'messages is missing or empty'
          : format?.type !== 'json_schema' || !format.json_schema?.name
            ? 'response_format must be a json_schema (structured outputs)'
            : format.json_schema.strict !== true
              ? 'response_format.json_schema.strict must be true'
              : null;
    if (refusal) return send(res, 400, { error: { message: `the fake refused the request: ${refusal}`, type: 'invalid_request_error' } });
    const messages = body.messages as Array<{ role: string; content: string }>;
    const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    let input: Record<string, unknown> | null;
    try {
      input = JSON.parse(last) as Record<string, unknown>;
    } catch {
      input = null;
    }
    const request: FakeChatRequest = {
      schemaName: format!.json_schema!.name!,
      model: body.model as string,
      messages,
      input,
      authorization: req.headers.authorization,
      raw,
    };
    this.requests.push(request);
    const behaviour = this.queued.shift() ?? this.script(request);
    await this.answer(res, request, behaviour);
  }

  private async answer(res: ServerResponse, request: FakeChatRequest, behaviour: FakeBehaviour): Promise<void> {
    switch (behaviour.kind) {
      case 'stall':
        if (behaviour.ms === undefined) return; // held until the client gives up or the fake closes
        await new Promise((resolve) => setTimeout(resolve, behaviour.ms));
        if (res.destroyed) return;
        return this.answer(res, request, behaviour.then ?? { kind: 'status', status: 504 });
      case 'status': {
        const headers: Record<string, string> = { 'x-should-retry': behaviour.status === 429 || behaviour.status >= 500 ? 'true' : 'false' };
        if (behaviour.retryAfterSeconds !== undefined) headers['retry-after'] = String(behaviour.retryAfterSeconds);
        return send(res, behaviour.status, { error: { message: `scripted HTTP ${behaviour.status}`, type: behaviour.status === 429 ? 'rate_limit_exceeded' : 'server_error' } }, headers);
      }
      case 'refusal':
        return send(res, 200, completion(request, { content: null, refusal: 'I cannot help with that request.' }, 'stop'));
      case 'malformed':
        return send(res, 200, completion(request, { content: '{"articleId": "XERO1', refusal: null }, 'stop'));
      case 'json':
        return send(res, 200, completion(request, { content: JSON.stringify(behaviour.content), refusal: null }, 'stop', behaviour.usage));
    }
  }
}

/**
 * A well-behaved model for trying the bot by hand: it picks the engine's first candidate, restates
 * the given article's first three steps word for word, and finds nothing extra in pasted text.
 */
export function playgroundModel(request: FakeChatRequest): FakeBehaviour {
  const input = request.input ?? {};
  if (request.schemaName === 'article_choice') {
    const [first] = (input.candidates as Array<{ id: string }> | undefined) ?? [];
    return { kind: 'json', content: { articleId: first?.id ?? null } };
  }
  if (request.schemaName === 'written_answer') {
    const [article] = (input.articles as Array<{ id: string; title: string; steps: string[] }> | undefined) ?? [];
    if (!article) return { kind: 'status', status: 400 };
    return {
      kind: 'json',
      content: { summary: `${article.title}.`, steps: article.steps.slice(0, 3).map((text, i) => ({ articleId: article.id, step: i + 1, text })), citations: [article.id] },
    };
  }
  return { kind: 'json', content: { errorCode: null, errorMessage: null, report: null, time: null, timeText: null, organisation: null } };
}

let completionCounter = 0;

function completion(request: FakeChatRequest, message: { content: string | null; refusal: string | null }, finishReason: string, usage = { prompt: 120, completion: 30 }) {
  return {
    id: `chatcmpl-fake-${++completionCounter}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
