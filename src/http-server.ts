// The one HTTP server, in every mode. It knows no endpoint itself: each adapter registers its
// routes (health, Slack, later the Xero callback and webhooks, the intake API) in one table of
// method + path. Closing it stops new connections and lets requests in progress finish.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';

// Not `import ... from 'node:http'`: an ES module import of node:http builds its namespace, which
// reads http.WebSocket and loads Node's fetch (undici) with it, about 13 MB of memory for nothing
// the bot uses (Node 24). CommonJS packages that require it, Bolt among them, do not.
const { createServer } = process.getBuiltinModule('node:http');

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: RouteMethod;
  /** Exact path, without query string. */
  path: string;
  /** Answers the request. A throw or rejection is logged and answered 500 if nothing was sent yet. */
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  routes?: readonly Route[];
}

export interface HttpServer {
  server: Server;
  /** True once close() was called: readiness reports it, new work should not start. */
  readonly closing: boolean;
  /** Adds routes; a method + path registered twice is a programming error and throws. */
  register(...routes: Route[]): void;
  listen(): Promise<AddressInfo>;
  /** Stops accepting connections and waits for open requests, at most `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

export type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/** Reads the body, giving up as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Keep draining (and discarding) so the client can read our 413.
        req.resume();
        finish({ ok: false, reason: 'too_large' });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = () => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const log = options.logger.child({ component: 'http' });
  let closing = false;
  // path -> method -> route
  const table = new Map<string, Map<string, Route>>();

  function register(...routes: Route[]): void {
    for (const route of routes) {
      const methods = table.get(route.path) ?? new Map<string, Route>();
      if (methods.has(route.method)) throw new Error(`route ${route.method} ${route.path} is registered twice`);
      methods.set(route.method, route);
      table.set(route.path, methods);
    }
  }
  register(...(options.routes ?? []));

  function failed(res: ServerResponse, path: string, error: unknown): void {
    log.error({ err: error, path }, 'request handler failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
    else res.destroy();
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const methods = table.get(path);
    if (!methods) return sendJson(res, 404, { error: 'not_found' });
    // HEAD is GET without a body; Node drops the body for HEAD responses.
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? '');
    const route = methods.get(method);
    if (!route) {
      const allow = [...methods.keys()].flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ');
      return sendJson(res, 405, { error: 'method_not_allowed', allow }, { allow });
    }
    try {
      const handled = route.handle(req, res);
      if (handled) handled.catch((error: unknown) => failed(res, path, error));
    } catch (error) {
      failed(res, path, error);
    }
  });
  // Slack sends small bodies quickly; slow or stalled clients are dropped.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;

  return {
    server,
    get closing() {
      return closing;
    },
    register,
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close(timeoutMs) {
      closing = true;
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const forced = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          log.warn('requests still open at shutdown were cut off');
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
      });
      await Promise.race([closed, forced]);
      clearTimeout(timer);
    },
  };
}
