// A fake Xero, the real xero-node adapter pointed at it, and a real database holding connections
// made through a real consent: what the health tests start from.
import { FakeXero, type FakeXeroOptions } from '../../dev/fake-xero-api.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { checkConnection, type CheckConnectionDeps } from '../../src/support/check-connection.ts';
import type { ConnectionAccess } from '../../src/support/connection-access.ts';
import { createConnectionAccess } from '../../src/support/xero-tokens.ts';
import { XeroError, type XeroTokenSet } from '../../src/support/xero-gateway.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { createTestDatabase, type TestDatabase } from '../db/test-databases.ts';

export const redirectUri = 'http://localhost:3000/xero/callback';

export interface HealthFixture {
  fake: FakeXero;
  gateway: XeroNodeGateway;
  db: Database;
  testDb: TestDatabase;
  /** Connection ids by organisation name. */
  ids: Record<string, string>;
  deps(overrides?: Partial<CheckConnectionDeps>): CheckConnectionDeps;
  close(): Promise<void>;
}

/** Consents as the fake's user and stores what Xero lists (or only `tenantIds`), as the callback would. */
export async function consentAndStore(
  fake: FakeXero,
  gateway: XeroNodeGateway,
  db: Database,
  teamId: string,
  options: { slackUserId?: string; tenantIds?: string[] } = {},
): Promise<Record<string, string>> {
  const slackUserId = options.slackUserId ?? 'U0CONNECT1';
  const consent = await fetch(await gateway.consentUrl('state-1'), { redirect: 'manual' });
  const back = new URL(consent.headers.get('location') ?? '');
  const tokens = await gateway.exchangeCode({ code: back.searchParams.get('code') ?? '', state: 'state-1' });
  const ids: Record<string, string> = {};
  const tokenSet = await db.tokenSets.create({
    slackTeamId: teamId,
    tokens,
    connectedBySlackUserId: slackUserId,
    connectedByXeroEmail: gateway.identityOf(tokens).email ?? null,
  });
  for (const tenant of await gateway.listConnections(tokens.accessToken)) {
    if (options.tenantIds && !options.tenantIds.includes(tenant.tenantId)) continue;
    const stored = await db.connections.upsert({
      slackTeamId: teamId,
      tenantId: tenant.tenantId,
      tenantName: tenant.tenantName,
      tenantType: tenant.tenantType,
      xeroConnectionId: tenant.connectionId,
      tokenSetId: tokenSet.id,
    });
    ids[tenant.tenantName] = stored.id;
  }
  return ids;
}

export async function startHealthFixture(options: FakeXeroOptions = {}, gatewayTimeoutMs = 2_000): Promise<HealthFixture> {
  const fake = await FakeXero.start({ redirectUris: [redirectUri], organisations: [{ name: 'Demo Co' }, { name: 'Second Co' }], ...options });
  const gateway = new XeroNodeGateway({ clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri, identityUrl: fake.identityUrl, apiUrl: fake.apiUrl, timeoutMs: gatewayTimeoutMs });
  const testDb = await createTestDatabase('sqlite');
  const db = await openDatabase(testDb.settings, { warn: () => {} });
  const ids = await consentAndStore(fake, gateway, db, 'T0TEAM0001');
  return {
    fake,
    gateway,
    db,
    testDb,
    ids,
    deps: (overrides = {}) => ({ connections: db.connections, exports: db.failedSyncs, xero: gateway, access: createConnectionAccess({ tokenSets: db.tokenSets, connections: db.connections, xero: gateway, now: () => new Date() }), ...overrides }),
    async close() {
      await db.close();
      await testDb.drop();
      await fake.close();
    },
  };
}

/** Refreshes on every call (no lease, nothing stored): enough to see Xero refuse an aged-out set. */
export function refreshingAccess(db: Database, gateway: XeroNodeGateway): ConnectionAccess {
  return {
    async accessFor(id) {
      const c = await db.connections.get(id);
      const set = c && (await db.tokenSets.getWithTokens(c.tokenSetId));
      if (!c || !set) throw new XeroError('tenant_not_connected', 'gone');
      const tokens: XeroTokenSet = await gateway.refresh(set.tokens);
      return { accessToken: tokens.accessToken, tenantId: c.tenantId, expiresAt: tokens.expiresAt };
    },
  };
}

export { checkConnection };
