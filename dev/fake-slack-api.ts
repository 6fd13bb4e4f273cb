// A fake Slack on 127.0.0.1 for tests, the benchmark and `npm run slack:fake`: the Web API (answers like Slack, 200 with
// {ok:false,error} on errors, 429 with Retry-After), response_url endpoints, and a Socket Mode
// WebSocket. It records every call so tests can assert what the app sent, and keeps the messages
// posted to each channel (with their metadata) so conversations.history and conversations.replies
// answer as Slack would. Block Kit size limits are enforced the way Slack does (invalid_blocks), so
// an oversized message fails here too. A method it does not implement is refused loudly, with why.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** The bearer token the client sent, if any. */
  token: string | undefined;
}

export interface RecordedResponse {
  /** The id in /response/<id>. */
  id: string;
  body: Record<string, unknown>;
}

/**
 * How a call fails. `answerLost`: the call is carried out (a message is stored) but its answer is
 * lost, as a 503 from a proxy after Slack stored it ('status') or a dropped connection ('reset').
 */
export type Failure = { error: string } | { status: number } | { rateLimitSeconds: number } | { answerLost: 'status' | 'reset' };

export interface FakeSlackOptions {
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /** Members of user groups, for usergroups.users.list. */
  usergroups?: Record<string, string[]>;
  /** Each user's IANA time zone, for users.info (default Europe/London). */
  userTimeZones?: Record<string, string>;
  /** Skip recording (the benchmark sends thousands of requests). */
  record?: boolean;
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Told about every Web API call with the answer it got, recorded or not. */
  onCall?: (call: RecordedCall, answer: Record<string, unknown>) => void;
  /** Told about every post to a response_url. */
  onResponse?: (response: RecordedResponse) => void;
  /** Slack's clock, in ms, for message timestamps (default Date.now), to follow an app's test clock. */
  now?: () => number;
}

type Handler = (params: Record<string, unknown>, token: string | undefined) => Record<string, unknown>;

/** A message as the fake keeps it, in Slack's shape. */
export interface StoredMessage {
  type: 'message';
  ts: string;
  text?: string;
  blocks?: unknown;
  /** Set on replies (and on a thread's parent once it has replies, as in Slack). */
  thread_ts?: string;
  bot_id?: string;
  user?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** Slack's history pages: at most 999 messages, 100 unless `limit` says otherwise. */
const historyLimits = { default: 100, max: 999 };

const limits = { messageBlocks: 50, viewBlocks: 100, sectionText: 3000, headerText: 150, buttonText: 75, buttonValue: 2000, actionId: 255, contextElements: 10, actionsElements: 25 };

interface LooseText {
  text?: string;
}
interface LooseElement {
  type?: string;
  text?: LooseText;
  value?: string;
  action_id?: string;
}
interface LooseBlock {
  type?: string;
  text?: LooseText;
  fields?: LooseText[];
  elements?: LooseElement[];
}

/**
 * What Slack's Block Kit validation would reject, or null. Worded as Slack words it in
 * response_metadata.messages: the rule broken and a JSON pointer to the offending field.
 */
export function blockKitProblem(blocks: unknown, max: number): string | null {
  const refuse = (rule: string, pointer: string) => `[ERROR] ${rule} [json-pointer:/blocks${pointer}]`;
  if (!Array.isArray(blocks)) return refuse('must be an array', '');
  if (blocks.length > max) return refuse(`must provide an array with no more than ${max} items`, '');
  for (const [i, block] of (blocks as LooseBlock[]).entries()) {
    if (block.type === 'section') {
      if (block.text && (block.text.text?.length ?? 0) > limits.sectionText) return refuse(`must be less than ${limits.sectionText + 1} characters`, `/${i}/text`);
      if (!block.text && !block.fields) return refuse('must provide either text or fields', `/${i}`);
      if (block.text && !block.text.text) return refuse('must be more than 0 characters', `/${i}/text/text`);
    }
    if (block.type === 'header' && (block.text?.text?.length ?? 0) > limits.headerText) return refuse(`must be less than ${limits.headerText + 1} characters`, `/${i}/text/text`);
    if (block.type === 'context' && (block.elements?.length ?? 0) > limits.contextElements) return refuse(`must provide an array with no more than ${limits.contextElements} items`, `/${i}/elements`);
    if (block.type === 'actions') {
      if ((block.elements?.length ?? 0) > limits.actionsElements) return refuse(`must provide an array with no more than ${limits.actionsElements} items`, `/${i}/elements`);
      const ids = new Set<string>();
      for (const [j, e] of (block.elements ?? []).entries()) {
        const at = `/${i}/elements/${j}`;
        if (e.type === 'button' && (e.text?.text?.length ?? 0) > limits.buttonText) return refuse(`must be less than ${limits.buttonText + 1} characters`, `${at}/text/text`);
        if ((e.value?.length ?? 0) > limits.buttonValue) return refuse(`must be less than ${limits.buttonValue + 1} characters`, `${at}/value`);
        if ((e.action_id?.length ?? 0) > limits.actionId) return refuse(`must be less than ${limits.actionId + 1} characters`, `${at}/action_id`);
        if (e.action_id && ids.has(e.action_id)) return refuse(`action_id "${e.action_id}" must be unique within the actions block`, `${at}/action_id`);
        if (e.action_id) ids.add(e.action_id);
      }
    }
  }
  return null;
}

/** Orders Slack timestamps ("seconds.micros") numerically. */
function compareTs(a: string, b: string): number {
  const [as = '0', au = '0'] = a.split('.');
  const [bs = '0', bu = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(au.padEnd(6, '0')) - Number(bu.padEnd(6, '0'));
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    // WebClient form-encodes objects and arrays as JSON strings.
    params[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return params;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  private server: Server;
  private wss: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private failures = new Map<string, Failure[]>();
  private channelFailures = new Map<string, string>();
  private handlers = new Map<string, Handler>();
  private delays = new Map<string, number>();
  private usergroups: Record<string, string[]>;
  /** Changed by tests to move a user to another zone. */
  readonly userTimeZones: Record<string, string>;
  private record: boolean;
  private options: FakeSlackOptions;
  private lastTsMicros = 0;
  private messages = new Map<string, StoredMessage[]>();
  /** Why each request the fake could not answer was refused (unknown methods). Tests expect none. */
  readonly refusals: string[] = [];
  private viewCounter = 0;
  private pendingAcks = new Map<string, (payload: unknown) => void>();
  private waiters = new Set<() => void>();
  port = 0;

  private constructor(options: FakeSlackOptions) {
    this.teamId = options.teamId ?? 'T0TEAM0001';
    this.botUserId = options.botUserId ?? 'U0BOT00001';
    this.botId = options.botId ?? 'B0BOT00001';
    this.usergroups = options.usergroups ?? {};
    this.userTimeZones = { ...options.userTimeZones };
    this.record = options.record ?? true;
    this.options = options;
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/socket' });
    this.wss.on('connection', (socket) => this.onSocket(socket));
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    // A listen error (port in use) reaches us through the WebSocket server, which re-emits it.
    await new Promise<void>((resolve, reject) => {
      fake.wss.once('error', reject);
      fake.server.listen(options.port ?? 0, '127.0.0.1', () => {
        fake.wss.off('error', reject);
        resolve();
      });
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** The next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Every chat.* and conversations.join call for `channel` fails with `error` until cleared. */
  failChannel(channel: string, error: string | null): void {
    if (error) this.channelFailures.set(channel, error);
    else this.channelFailures.delete(channel);
  }

  /** Answers `method` only after `ms` milliseconds (a slow Slack), until set to 0. */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Replaces the answer of one method. */
  on(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): Record<string, unknown>[] {
    return this.responses.filter((r) => r.id === id).map((r) => r.body);
  }

  /** Resolves once `check` returns something truthy; checks again after every recorded call. */
  async waitFor<T>(check: () => T, timeoutMs = 5_000, what = 'the expected Slack call'): Promise<NonNullable<Exclude<T, false | 0 | ''>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value as NonNullable<Exclude<T, false | 0 | ''>>;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}. Calls so far: ${this.calls.map((c) => c.method).join(', ') || 'none'}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 50));
        this.waiters.add(done);
      });
    }
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      const id = url.pathname.slice('/response/'.length);
      const body = parseBody(raw, 'application/json');
      // Refused blocks are recorded too (a test sees the attempt), then answered as Slack does: HTTP 400.
      const problem = body.blocks ? blockKitProblem(body.blocks, limits.messageBlocks) : null;
      if (this.record) this.responses.push({ id, body });
      this.options.onResponse?.({ id, body });
      this.notify();
      if (problem) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'invalid_blocks', response_metadata: { messages: [problem] } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const params = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : typeof params.token === 'string' ? params.token : undefined;
    const call: RecordedCall = { method, params, token };
    if (this.record) this.calls.push(call);
    this.notify();
    const json = (body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) => {
      this.options.onCall?.(call, body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    };
    const delayMs = this.delays.get(method);
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));

    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ('rateLimitSeconds' in failure) return json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(failure.rateLimitSeconds) });
      if ('answerLost' in failure) {
        const custom = this.handlers.get(method);
        const done = custom ? custom(params, token) : this.answer(method, params);
        this.options.onCall?.(call, { ...done, answer: 'lost' });
        if (failure.answerLost === 'reset') res.socket?.destroy();
        else res.writeHead(503, { 'content-type': 'text/html' }).end('<html>upstream error</html>');
        return;
      }
      if ('status' in failure) {
        this.options.onCall?.(call, { ok: false, error: `http_${failure.status}` });
        res.writeHead(failure.status, { 'content-type': 'text/html' }).end('<html>upstream error</html>');
        return;
      }
      return json({ ok: false, error: failure.error });
    }
    const channel = typeof params.channel === 'string' ? params.channel : undefined;
    const channelError = channel ? this.channelFailures.get(channel) : undefined;
    const channelScoped = method.startsWith('chat.') || ['conversations.join', 'conversations.history', 'conversations.replies'].includes(method);
    if (channelError && channelScoped) return json({ ok: false, error: channelError });
    if (method !== 'oauth.v2.access' && method !== 'apps.connections.open' && !token) return json({ ok: false, error: 'not_authed' });
    if (token?.includes('revoked')) return json({ ok: false, error: 'invalid_auth' });
    const custom = this.handlers.get(method);
    json(custom ? custom(params, token) : this.answer(method, params));
  }

  /** Like Slack's: the posting time in seconds with microseconds, unique and increasing. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(Math.floor((this.options.now?.() ?? Date.now()) * 1000), this.lastTsMicros + 1);
    return `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }

  /**
   * Puts a message in a channel as if the app had posted it (e.g. a post whose answer the app
   * never got because it crashed). Returns its ts.
   */
  storeMessage(channel: string, message: Omit<StoredMessage, 'type' | 'ts'> & { ts?: string }): string {
    const stored: StoredMessage = { type: 'message', bot_id: this.botId, ...message, ts: message.ts ?? this.nextTs() };
    const list = this.messages.get(channel) ?? [];
    list.push(stored);
    list.sort((a, b) => compareTs(a.ts, b.ts));
    this.messages.set(channel, list);
    if (stored.thread_ts && stored.thread_ts !== stored.ts) {
      const parent = list.find((m) => m.ts === stored.thread_ts);
      if (parent) parent.thread_ts = parent.ts;
    }
    return stored.ts;
  }

  /** The messages in a channel (thread replies included), oldest first, metadata and all. */
  messagesIn(channel: string): StoredMessage[] {
    return [...(this.messages.get(channel) ?? [])];
  }

  private findMessage(channel: unknown, ts: unknown): StoredMessage | undefined {
    return this.messages.get(String(channel ?? ''))?.find((m) => m.ts === String(ts ?? ''));
  }

  /** One page of `list` (already in answer order) for Slack's cursor pagination. */
  private page(list: StoredMessage[], params: Record<string, unknown>): Record<string, unknown> {
    const limit = Math.min(Math.max(Number(params.limit) || historyLimits.default, 1), historyLimits.max);
    const offset = typeof params.cursor === 'string' && params.cursor ? Number(Buffer.from(params.cursor, 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
    if (!Number.isInteger(offset) || offset < 0) return { ok: false, error: 'invalid_cursor' };
    const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true' || params.include_all_metadata === '1';
    const messages = list.slice(offset, offset + limit).map((m) => (withMetadata ? { ...m } : { ...m, metadata: undefined }));
    const hasMore = offset + limit < list.length;
    return {
      ok: true,
      messages,
      has_more: hasMore,
      ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(`offset:${offset + limit}`).toString('base64') } } : {}),
    };
  }

  /** Slack's `oldest`/`latest` bounds: exclusive unless `inclusive`; latest defaults to now. */
  private inRange(params: Record<string, unknown>): (m: StoredMessage) => boolean {
    const oldest = params.oldest === undefined ? '0' : String(params.oldest);
    const latest = params.latest === undefined ? null : String(params.latest);
    const inclusive = params.inclusive === true || params.inclusive === 'true' || params.inclusive === '1';
    return (m) => {
      const afterOldest = inclusive ? compareTs(m.ts, oldest) >= 0 : compareTs(m.ts, oldest) > 0;
      const beforeLatest = latest === null || (inclusive ? compareTs(m.ts, latest) <= 0 : compareTs(m.ts, latest) < 0);
      return afterOldest && beforeLatest;
    };
  }

  private answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const channelOf = (value: unknown) => {
      const id = String(value ?? '');
      return /^[UW]/.test(id) ? `D${id.slice(1)}` : id;
    };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake team', user: 'concierge', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId };
      case 'chat.postMessage': {
        if (!params.channel) return { ok: false, error: 'channel_not_found' };
        if (!params.text && !params.blocks) return { ok: false, error: 'no_text' };
        const problem = params.blocks ? blockKitProblem(params.blocks, limits.messageBlocks) : null;
        if (problem) return { ok: false, error: 'invalid_blocks', response_metadata: { messages: [problem] } };
        const channel = channelOf(params.channel);
        const threadTs = typeof params.thread_ts === 'string' && params.thread_ts ? params.thread_ts : undefined;
        const metadata = params.metadata as StoredMessage['metadata'] | undefined;
        const ts = this.storeMessage(channel, {
          ...(typeof params.text === 'string' ? { text: params.text } : {}),
          ...(params.blocks ? { blocks: params.blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(metadata?.event_type ? { metadata } : {}),
        });
        return { ok: true, channel, ts, message: { type: 'message', text: params.text, ts, bot_id: this.botId } };
      }
      case 'chat.update': {
        const problem = params.blocks ? blockKitProblem(params.blocks, limits.messageBlocks) : null;
        if (problem) return { ok: false, error: 'invalid_blocks', response_metadata: { messages: [problem] } };
        const stored = this.findMessage(params.channel, params.ts);
        if (!stored) return { ok: false, error: 'message_not_found' };
        if (typeof params.text === 'string') stored.text = params.text;
        if (params.blocks) stored.blocks = params.blocks;
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      }
      case 'chat.delete': {
        const list = this.messages.get(String(params.channel ?? ''));
        const index = list?.findIndex((m) => m.ts === String(params.ts ?? '')) ?? -1;
        if (!list || index < 0) return { ok: false, error: 'message_not_found' };
        list.splice(index, 1);
        return { ok: true, channel: params.channel, ts: params.ts };
      }
      case 'conversations.history': {
        if (!params.channel) return { ok: false, error: 'channel_not_found' };
        const topLevel = this.messagesIn(channelOf(params.channel)).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
        return this.page(topLevel.filter(this.inRange(params)).reverse(), params);
      }
      case 'conversations.replies': {
        if (!params.channel) return { ok: false, error: 'channel_not_found' };
        if (!params.ts) return { ok: false, error: 'thread_not_found' };
        const channel = this.messagesIn(channelOf(params.channel));
        const parent = channel.find((m) => m.ts === params.ts);
        const replies = channel.filter((m) => m.thread_ts === params.ts && m.ts !== params.ts);
        // A DM thread the fake never saw is one the person opened in the assistant panel (Bolt's
        // Assistant reads it on assistant_thread_started): empty, where Slack would list its messages.
        if (!parent && replies.length === 0) {
          return String(params.channel).startsWith('D') ? { ok: true, messages: [], has_more: false } : { ok: false, error: 'thread_not_found' };
        }
        // The parent first, then the replies oldest first, as Slack answers.
        return this.page([...(parent ? [parent] : []), ...replies.filter(this.inRange(params))], params);
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'views.open':
      case 'views.update':
      case 'views.publish': {
        const view = params.view as Record<string, unknown> | undefined;
        const problem = blockKitProblem(view?.blocks, limits.viewBlocks);
        if (problem) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [problem] } };
        if (method === 'views.open' && !params.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        this.viewCounter += 1;
        return { ok: true, view: { ...view, id: params.view_id ?? `V${String(this.viewCounter).padStart(8, '0')}`, hash: `hash-${this.viewCounter}` } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: channelOf(params.users) } };
      case 'conversations.join':
        return { ok: true, channel: { id: params.channel } };
      case 'chat.getPermalink': {
        // Real permalinks live on the workspace's own domain (auth.test's url) and name the message.
        const channel = String(params.channel ?? '');
        const ts = String(params.message_ts ?? '');
        if (!/^[CGD][A-Z0-9]+$/.test(channel)) return { ok: false, error: 'channel_not_found' };
        if (!/^\d+\.\d+$/.test(ts)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, permalink: `https://fake.slack.test/archives/${channel}/p${ts.replace('.', '')}` };
      }
      case 'users.info': {
        const id = String(params.user ?? '');
        if (!/^[UW][A-Z0-9]+$/.test(id)) return { ok: false, error: 'user_not_found' };
        const tz = this.userTimeZones[id] ?? 'Europe/London';
        return { ok: true, user: { id, team_id: this.teamId, name: id.toLowerCase(), tz, tz_label: tz, is_bot: false } };
      }
      case 'usergroups.users.list': {
        const users = this.usergroups[String(params.usergroup)];
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle':
        return { ok: true };
      case 'oauth.v2.access':
        return {
          ok: true,
          app_id: 'A0APP00001',
          authed_user: { id: 'U0INSTALL1' },
          scope: String(params.scope ?? 'chat:write,commands'),
          token_type: 'bot',
          access_token: 'xoxb-installed-workspace-token',
          bot_user_id: this.botUserId,
          team: { id: 'T0INSTALL1', name: 'Installed team' },
          enterprise: null,
          is_enterprise_install: false,
        };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      default: {
        const why = `the fake Slack does not implement ${method}: add it to dev/fake-slack-api.ts if the app needs it`;
        this.refusals.push(why);
        process.stderr.write(`fake Slack: ${why}\n`);
        return { ok: false, error: 'unknown_method', response_metadata: { messages: [why] } };
      }
    }
  }

  // --- Socket Mode ---

  private onSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data) => {
      const message = safeJson(String(data)) as { envelope_id?: string; payload?: unknown } | string;
      if (typeof message === 'object' && message.envelope_id) {
        this.pendingAcks.get(message.envelope_id)?.(message.payload ?? null);
        this.pendingAcks.delete(message.envelope_id);
      }
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0APP00001' } }));
  }

  get socketConnections(): number {
    return this.sockets.size;
  }

  /** Sends a Socket Mode envelope and resolves with the app's acknowledgement payload. */
  sendEnvelope(type: 'events_api' | 'slash_commands' | 'interactive', payload: Record<string, unknown>, timeoutMs = 5_000): Promise<unknown> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
    const envelopeId = `env-${Math.random().toString(36).slice(2)}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no acknowledgement over the socket')), timeoutMs);
      this.pendingAcks.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
