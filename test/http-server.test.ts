// /healthz and /readyz: liveness always, readiness only with a reachable, migrated database and
// not while shutting down.
import { describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/http-server.ts';
import { createLogger } from '../src/logger.ts';
import { databaseReadiness, type ReadinessSource } from '../src/readiness.ts';

async function serve(db: ReadinessSource) {
  const http = createHttpServer({ port: 0, host: '127.0.0.1', logger: createLogger({ level: 'silent' }), readiness: databaseReadiness(db) });
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
