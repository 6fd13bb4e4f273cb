// The Web API client's transport over node:http: the real WebClient, with the options the bot gives
// it, against the fake Slack and a bare loopback server, doing what it did over Node's fetch (results,
// rate limits, HTTP errors, timeouts, lost answers); and the bot's HTTP side never loading undici.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ErrorCode, WebClient, type WebAPIHTTPError, type WebAPIRequestError } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../dev/fake-slack-api.ts';
import { nodeHttpFetch } from '../../src/slack/node-http-fetch.ts';
import { onceOnlyRetryConfig, webClientOptions } from '../../src/slack/slack-clients.ts';

const quietLogger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error', setName() {} } as never;
const token = 'xoxb-test-token';

let fake: FakeSlack;
let raw: Server;
let rawUrl: string;
const rawRoutes: Record<string, (res: ServerResponse) => void> = {
  '/gzip/auth.test': (res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(JSON.stringify({ ok: true, user_id: 'U0GZIP0001' }))),
  '/redirect/auth.test': (res) => res.writeHead(302, { location: 'https://elsewhere.example/api/auth.test' }).end(),
  '/hang/auth.test': () => {},
  '/cut/auth.test': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '500' });
    res.write(gzipSync(JSON.stringify({ ok: true, padding: 'x'.repeat(400) })).subarray(0, 20));
    setTimeout(() => res.socket?.destroy(), 50);
  },
};

beforeAll(async () => {
  fake = await FakeSlack.start();
  raw = createServer((req, res) => {
    const route = rawRoutes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});
afterAll(async () => {
  raw?.closeAllConnections();
  await new Promise((resolve) => raw?.close(resolve));
  await fake?.close();
});

const client = (apiUrl: string, extra: Partial<ConstructorParameters<typeof WebClient>[1]> = {}) =>
  new WebClient(token, { ...webClientOptions({ apiUrl, logger: quietLogger }), ...extra });

describe('the Web API client over node:http', () => {
  it('is what the bot gives every Web API client', () => {
    expect(webClientOptions({ apiUrl: undefined, logger: quietLogger }).fetch).toBe(nodeHttpFetch);
  });

  it('posts the call with its token and reads the result and the scopes header', async () => {
    fake.on('auth.test', () => ({ ok: true, user_id: 'U0BOT00001', team_id: fake.teamId }));
    const result = await client(fake.apiUrl).auth.test();
    expect(result).toMatchObject({ ok: true, user_id: 'U0BOT00001' });
    expect(fake.callsOf('auth.test').at(-1)?.token).toBe(token);
    const posted = await client(fake.apiUrl).chat.postMessage({ channel: 'C0SUPPORT1', text: 'héllo – ünïcode ✓', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'ça va' } }] });
    expect(posted.ok).toBe(true);
    expect(fake.callsOf('chat.postMessage').at(-1)?.params).toMatchObject({ channel: 'C0SUPPORT1', text: 'héllo – ünïcode ✓' });
  });

  it("waits out Slack's Retry-After on a 429 and then succeeds", async () => {
    const before = fake.callsOf('chat.postMessage').length;
    fake.failNext('chat.postMessage', { rateLimitSeconds: 1 });
    const result = await client(fake.apiUrl).chat.postMessage({ channel: 'C0SUPPORT1', text: 'after the limit' });
    expect(result.ok).toBe(true);
    expect(fake.callsOf('chat.postMessage').length - before).toBe(2);
  });

  it('turns a non-200 answer into an HTTP error with its status, headers and body', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    const error = (await client(fake.apiUrl, { retryConfig: onceOnlyRetryConfig })
      .chat.postMessage({ channel: 'C0SUPPORT1', text: 'x' })
      .catch((e: unknown) => e)) as WebAPIHTTPError;
    expect(error.code).toBe(ErrorCode.HTTPError);
    expect(error.statusCode).toBe(503);
    expect(error.headers['content-type']).toBe('text/html');
    expect(error.body).toContain('upstream error');
  });

  it('reports a connection reset as a request error, which a once-only post never repeats', async () => {
    const before = fake.callsOf('chat.postMessage').length;
    fake.failNext('chat.postMessage', { answerLost: 'reset' });
    const error = (await client(fake.apiUrl, { retryConfig: onceOnlyRetryConfig })
      .chat.postMessage({ channel: 'C0SUPPORT1', text: 'x' })
      .catch((e: unknown) => e)) as WebAPIRequestError;
    expect(error.code).toBe(ErrorCode.RequestError);
    expect(fake.callsOf('chat.postMessage').length - before).toBe(1);
  });

  it('gives up on a call Slack never answers once the timeout passes', async () => {
    const error = (await client(`${rawUrl}/hang/`, { retryConfig: onceOnlyRetryConfig, timeout: 200 })
      .auth.test()
      .catch((e: unknown) => e)) as WebAPIRequestError;
    expect(error.code).toBe(ErrorCode.RequestError);
    expect(error.original.name).toMatch(/TimeoutError|AbortError/);
  });

  it('refuses to follow a redirect, as the client asks', async () => {
    const error = (await client(`${rawUrl}/redirect/`, { retryConfig: onceOnlyRetryConfig })
      .auth.test()
      .catch((e: unknown) => e)) as WebAPIRequestError;
    expect(error.code).toBe(ErrorCode.RequestError);
    expect(error.message).toContain('redirected to https://elsewhere.example/api/auth.test');
  });

  it('fails a compressed answer whose connection is cut halfway, rather than waiting for ever', async () => {
    const error = (await client(`${rawUrl}/cut/`, { retryConfig: onceOnlyRetryConfig })
      .auth.test()
      .catch((e: unknown) => e)) as WebAPIRequestError;
    expect(error.code).toBe(ErrorCode.RequestError);
  });

  it('inflates a compressed answer', async () => {
    expect(await client(`${rawUrl}/gzip/`).auth.test()).toMatchObject({ ok: true, user_id: 'U0GZIP0001' });
  });

  it('sends a file upload (a multipart body) through Node\'s fetch, which builds it', async () => {
    fake.on('files.upload', () => ({ ok: true }));
    const result = await client(fake.apiUrl).apiCall('files.upload', { file: Buffer.from('receipt bytes'), filename: 'r.txt' });
    expect(result.ok).toBe(true);
    expect(fake.callsOf('files.upload').at(-1)?.token).toBe(token);
  });
});

describe('memory', () => {
  // Node's fetch (undici) costs about 13 MB once loaded; an ES module import of node:http loads it.
  it('serves HTTP and calls Slack without loading undici', async () => {
    const before = fake.callsOf('chat.postMessage').length;
    const root = join(import.meta.dirname, '../..');
    const script = `
      const { createHttpServer } = await import(${JSON.stringify(join(root, 'src/http-server.ts'))});
      const { webClientOptions } = await import(${JSON.stringify(join(root, 'src/slack/slack-clients.ts'))});
      const { WebClient } = await import('@slack/web-api');
      const logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error', setName() {} };
      const { createLogger } = await import(${JSON.stringify(join(root, 'src/logger.ts'))});
      const { nodeHttpFetch } = await import(${JSON.stringify(join(root, 'src/slack/node-http-fetch.ts'))});
      const server = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }), routes: [{ method: 'GET', path: '/healthz', handle: (_req, res) => void res.end('ok') }] });
      const { port } = await server.listen();
      if ((await (await nodeHttpFetch('http://127.0.0.1:' + port + '/healthz')).text()) !== 'ok') throw new Error('no answer');
      await new WebClient('xoxb-t', webClientOptions({ apiUrl: ${JSON.stringify(fake.apiUrl)}, logger })).chat.postMessage({ channel: 'C0SUPPORT1', text: 'x' });
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => m.includes('undici'))));
      await server.close(1000);
    `;
    // Not execFileSync: the fake Slack answering the child runs in this process.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([]);
    expect(fake.callsOf('chat.postMessage').length - before).toBe(1);
  });
});
