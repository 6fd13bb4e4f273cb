// The one HTTP server, in every mode: /healthz and /readyz for orchestrators, and (when Slack
// is configured) Slack's endpoints. Closing it stops new connections and lets requests in
// progress finish.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.ts';

export interface ReadinessCheck {
  ok: boolean;
  /** What is wrong and what to do, when not ok. */
  detail?: string;
}

export type ReadinessProbe = () => Promise<Record<string, ReadinessCheck>>;

/** Handles a request and returns true, or returns false to let the server answer 404. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface HttpServerOptions {
  port: number;
  host?: string;
  readiness: ReadinessProbe;
  routes?: RouteHandler;
  logger: Logger;
  /** How long /readyz waits for its checks before calling them failed. */
  readinessTimeoutMs?: number;
}

export interface HttpServer {
  server: Server;
  listen(): Promise<AddressInfo>;
  /** Stops accepting connections and waits for open requests, at most `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const log = options.logger.child({ component: 'http' });
  let closing = false;

  async function ready(res: ServerResponse): Promise<void> {
    const checks = await withTimeout(
      options.readiness().catch((error: unknown) => ({ readiness: { ok: false, detail: error instanceof Error ? error.message : String(error) } })),
      options.readinessTimeoutMs ?? 3_000,
      () => ({ readiness: { ok: false, detail: 'checks did not answer in time' } }),
    );
    const ok = !closing && Object.values(checks).every((c) => c.ok);
    sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : closing ? 'shutting_down' : 'not_ready', checks });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/healthz' || path === '/readyz') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' });
        if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
        void ready(res);
        return;
      }
      if (options.routes?.(req, res)) return;
      sendJson(res, 404, { error: 'not_found' });
    } catch (error) {
      log.error({ err: error, path }, 'request handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
      else res.destroy();
    }
  });
  // Slack sends small bodies quickly; slow or stalled clients are dropped.
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;

  return {
    server,
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
