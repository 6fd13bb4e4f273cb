// Tokens that never lapse, on the real databases with the real xero-node against the fake Xero:
// three processes needing a refresh at once cause one refresh; a refresh whose answer is lost
// after Xero rotated still ends connected; two organisations of one consent keep working across
// many refreshes; tokens never sit unencrypted in the database.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXero } from '../../dev/fake-xero-api.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { createConnectionAccess, freshTokens, type XeroTokenDeps } from '../../src/support/xero-tokens.ts';
import type { XeroTokenSet } from '../../src/support/xero-gateway.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { createTestDatabase, postgresAvailable, rawQuery, type TestDatabase } from '../db/test-databases.ts';

const pgUp = await postgresAvailable();
const redirectUri = 'http://localhost:3000/xero/callback';
const workerScript = new URL('./refresh-worker.ts', import.meta.url).pathname;

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`Xero token refresh on ${provider}`, () => {
    let test: TestDatabase;
    let db: Database;
    let xero: FakeXero;
    let gateway: XeroNodeGateway;
    const gatewayOptions = () => ({ clientId: xero.clientId, clientSecret: xero.clientSecret, redirectUri, identityUrl: xero.identityUrl, apiUrl: xero.apiUrl, timeoutMs: 1_000 });

    beforeAll(async () => {
      test = await createTestDatabase(provider);
      db = await openDatabase(test.settings, { warn: () => {} });
      xero = await FakeXero.start({ redirectUris: [redirectUri], organisations: [{ name: 'Demo Co' }, { name: 'Kiwi Travel Ltd' }] });
      gateway = new XeroNodeGateway(gatewayOptions());
    });
    afterAll(async () => {
      expect(xero?.unexpected).toEqual([]);
      await xero?.close();
      await db?.close();
      await test?.drop();
    });

    /** A consent at the fake, stored as the callback stores it; the access token already due. */
    async function connected(team: string): Promise<{ setId: string; connectionIds: string[]; authEventId: string }> {
      const consent = await fetch(await gateway.consentUrl('s'), { redirect: 'manual' });
      const back = new URL(consent.headers.get('location') ?? '');
      const tokens = await gateway.exchangeCode({ code: back.searchParams.get('code')!, state: 's' });
      const tenants = await gateway.listConnections(tokens.accessToken);
      const set = await db.tokenSets.create({ slackTeamId: team, tokens: { ...tokens, expiresAt: new Date(Date.now() - 1000) }, connectedBySlackUserId: 'U1', authEventId: tenants[0]!.authEventId ?? null });
      const connectionIds = [];
      for (const t of tenants) connectionIds.push((await db.connections.upsert({ slackTeamId: team, tenantId: t.tenantId, tenantName: t.tenantName, tenantType: t.tenantType, xeroConnectionId: t.connectionId, tokenSetId: set.id })).id);
      return { setId: set.id, connectionIds, authEventId: xero.authEventOf(tokens.refreshToken)! };
    }

    const deps = (): XeroTokenDeps => ({ tokenSets: db.tokenSets, xero: gateway, now: () => new Date(), policy: { retryDelayMs: 10 } });

    it('three processes needing a refresh at once cause exactly one refresh at Xero, and all get its token', async () => {
      const { connectionIds, authEventId } = await connected('T-race');
      const workers = [0, 1, 2].map((i) => {
        const child = spawn(process.execPath, [workerScript], {
          env: { PATH: process.env.PATH ?? '', REFRESH_WORKER: JSON.stringify({ settings: test.settings, gateway: gatewayOptions(), connectionId: connectionIds[i % 2] }) },
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        const lines: string[] = [];
        const ready = new Promise<void>((resolve) => createInterface({ input: child.stdout! }).on('line', (line) => (line === 'ready' ? resolve() : lines.push(line))));
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        return { child, lines, ready, exited };
      });
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.child.stdin!.write('go\n');
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0]);
      // One refresh call reached Xero at all: not one rotation plus grace-window replays.
      expect(xero.callsTo('token').filter((c) => c.grantType === 'refresh_token' && c.authEventId === authEventId)).toHaveLength(1);
      expect(xero.refreshCount(authEventId)).toBe(1);
      expect(new Set(workers.map((w) => w.lines[0])).size).toBe(1);
    }, 60_000);

    it('a refresh whose answer is lost after Xero rotated still ends connected (same refresh token, grace window)', async () => {
      const { setId, connectionIds, authEventId } = await connected('T-lost');
      xero.loseNextResponse(1, 'token');
      const access = createConnectionAccess({ ...deps(), connections: db.connections });
      const got = await access.accessFor(connectionIds[0]!);
      expect(xero.refreshCount(authEventId)).toBe(1);
      expect(xero.graceReplays(authEventId)).toBe(1);
      await expect(gateway.getOrganisation(got.accessToken, got.tenantId)).resolves.toMatchObject({ organisation: { name: 'Demo Co' } });
      expect((await db.tokenSets.get(setId))?.rejectedAt).toBeNull();
      expect((await db.connections.get(connectionIds[0]!))?.status).toBe('connected');
    });

    it('two organisations from one consent both keep working across many refreshes', async () => {
      const { setId, connectionIds, authEventId } = await connected('T-two');
      const access = createConnectionAccess({ ...deps(), connections: db.connections });
      for (let round = 0; round < 12; round++) {
        for (const id of connectionIds) {
          const { accessToken, tenantId } = await access.accessFor(id);
          await expect(gateway.getOrganisation(accessToken, tenantId)).resolves.toBeDefined();
        }
        // The access token lapses again: the next round must refresh.
        await rawQuery(test, `UPDATE "XeroTokenSet" SET "accessTokenExpiresAt" = ${provider === 'sqlite' ? '0' : "now() - interval '1 minute'"} WHERE "id" = '${setId}'`);
      }
      expect(xero.refreshCount(authEventId)).toBe(12);
      expect((await db.connections.listByTokenSet(setId)).map((c) => c.status)).toEqual(['connected', 'connected']);
    });

    it('refreshes a set whose refresh token is 45 days old even though its access token is fresh', async () => {
      const { setId, authEventId } = await connected('T-old');
      const tokens = (await db.tokenSets.getWithTokens(setId))!.tokens;
      const fresh: XeroTokenSet = await freshTokens(deps(), setId);
      expect(xero.refreshCount(authEventId)).toBe(1);
      const later = new Date(Date.now() + 46 * 24 * 3600_000);
      await rawQuery(test, `UPDATE "XeroTokenSet" SET "accessTokenExpiresAt" = ${provider === 'sqlite' ? String(later.getTime()) : `'${later.toISOString()}'`} WHERE "id" = '${setId}'`);
      expect(await freshTokens(deps(), setId)).toMatchObject({ accessToken: fresh.accessToken });
      await freshTokens({ ...deps(), now: () => later }, setId);
      expect(xero.refreshCount(authEventId)).toBe(2);
      expect(tokens.refreshToken).not.toBe(fresh.refreshToken);
    });

    it('keeps no token readable in the database', async () => {
      const sets = await rawQuery(test, 'SELECT * FROM "XeroTokenSet"');
      const dump = JSON.stringify(sets);
      for (const set of sets) {
        const { tokens } = (await db.tokenSets.getWithTokens(String(set.id)))!;
        expect(dump).not.toContain(tokens.accessToken);
        expect(dump).not.toContain(tokens.refreshToken);
      }
    });
  });
}
