// The route table, and /healthz and /readyz on it: liveness always, readiness only with a
// reachable, migrated database and not while shutting down.
import { describe, expect, it } from 'vitest';
import { healthRoutes } from '../src/health-routes.ts';
import { createHttpServer } from '../src/http-server.ts';
import { createLogger } from '../src/logger.ts';
import { databaseReadiness, type ReadinessSource } from '../src/readiness.ts';

async function serve(db: ReadinessSource) {
  const http = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }) });
  http.register(...healthRoutes({ readiness: databaseReadiness(db), isClosing: () => http.closing }));
  const { port } = await http.listen();
  return { http, base: `http://127.0.0.1:${port}` };
}

describe('health endpoints', () => {
  it('reports ready with a reachable, migrated database', async () => {
    const { http, base } = await serve({ ping: async () => {}, migrationStatus: async () => ({ pending: [] }), checkKeys: async () => {} });
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    await http.close(1_000);
  });

  it('reports not ready, with the reason, when the database is down or migrations are pending', async () => {
    const down = await serve({ ping: async () => Promise.reject(new Error('Cannot reach PostgreSQL at db:5432')), migrationStatus: async () => ({ pending: [] }), checkKeys: async () => {} });
    const response = await fetch(`${down.base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'not_ready', checks: { database: { ok: false, detail: 'Cannot reach PostgreSQL at db:5432' } } });
    expect((await fetch(`${down.base}/healthz`)).status).toBe(200);
    await down.http.close(1_000);

    const pending = await serve({ ping: async () => {}, migrationStatus: async () => ({ pending: ['20260101_init'] }), checkKeys: async () => {} });
    const body = (await (await fetch(`${pending.base}/readyz`)).json()) as { checks: { migrations: { detail: string } } };
    expect(body.checks.migrations.detail).toContain('20260101_init');
    await pending.http.close(1_000);
  });

  it('rejects other methods and unknown paths', async () => {
    const { http, base } = await serve({ ping: async () => {}, migrationStatus: async () => ({ pending: [] }), checkKeys: async () => {} });
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/slack/events`, { method: 'POST' })).status).toBe(404);
    await http.close(1_000);
  });
});

describe('route table', () => {
  it('serves each registered method + path, 404 JSON for unknown paths, 405 with Allow for other methods', async () => {
    const http = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }) });
    http.register(
      { method: 'POST', path: '/hooks/xero', handle: (_req, res) => void res.writeHead(202).end() },
      { method: 'GET', path: '/hooks/xero', handle: (_req, res) => void res.writeHead(200).end('ok') },
    );
    const { port } = await http.listen();
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/hooks/xero`, { method: 'POST' })).status).toBe(202);
    expect(await (await fetch(`${base}/hooks/xero?x=1`)).text()).toBe('ok');
    const unknown = await fetch(`${base}/hooks/nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    expect(await unknown.json()).toEqual({ error: 'not_found' });
    const wrong = await fetch(`${base}/hooks/xero`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, GET, HEAD');
    expect(() => http.register({ method: 'GET', path: '/hooks/xero', handle: () => {} })).toThrow(/registered twice/);
    await http.close(1_000);
  });

  it('answers 500 when a handler fails, and keeps serving', async () => {
    const http = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }) });
    http.register(
      { method: 'GET', path: '/throws', handle: () => { throw new Error('boom'); } },
      { method: 'GET', path: '/rejects', handle: async () => Promise.reject(new Error('boom')) },
    );
    const { port } = await http.listen();
    expect((await fetch(`http://127.0.0.1:${port}/throws`)).status).toBe(500);
    expect((await fetch(`http://127.0.0.1:${port}/rejects`)).status).toBe(500);
    await http.close(1_000);
  });
});
