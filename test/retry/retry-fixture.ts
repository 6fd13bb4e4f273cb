// What the retry tests and bench:retry start from: the fake Xero with N organisations (limits on
// a scaled clock), a real database holding their connections from one real consent, failed
// exports queued for them, and worker processes draining the queue.
import { FakeXero, type FakeXeroOptions } from '../../dev/fake-xero-api.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import type { DatabaseProvider } from '../../src/db/schema-files.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { createTestDatabase, type TestDatabase } from '../db/test-databases.ts';
import { startJsonLineWorker, type JsonLineWorker } from '../json-line-worker.ts';
import { consentAndStore, redirectUri } from '../support/xero-health-fixture.ts';
import type { RetryWorkerOptions } from './retry-worker-process.ts';

export const teamId = 'T0RETRY001';
const workerScript = new URL('./retry-worker-process.ts', import.meta.url).pathname;

export interface RetryWorkerEvent {
  ready?: true;
  id?: string;
  outcome?: string;
  kept?: boolean;
  error?: string;
  done?: true;
  retried?: number;
  at: number;
}

export interface RetryFixture {
  fake: FakeXero;
  gateway: XeroNodeGateway;
  db: Database;
  testDb: TestDatabase;
  timeScale: number;
  /** Connection id and tenant id per organisation, in order. */
  organisations: { name: string; tenantId: string; connectionId: string }[];
  startWorker(owner: string, options?: Partial<Omit<RetryWorkerOptions, 'settings' | 'xero' | 'owner'>>): JsonLineWorker<RetryWorkerEvent>;
  close(): Promise<void>;
}

export async function startRetryFixture(input: { provider: DatabaseProvider; organisations: number; timeScale: number; fake?: FakeXeroOptions }): Promise<RetryFixture> {
  const names = Array.from({ length: input.organisations }, (_, i) => `Org ${String(i + 1).padStart(3, '0')}`);
  const fake = await FakeXero.start({ redirectUris: [redirectUri], organisations: names.map((name) => ({ name })), timeScale: input.timeScale, ...input.fake });
  const gateway = new XeroNodeGateway({ clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri, identityUrl: fake.identityUrl, apiUrl: fake.apiUrl, timeoutMs: 5000 });
  const testDb = await createTestDatabase(input.provider);
  const db = await openDatabase(testDb.settings, { warn: () => {} });
  const ids = await consentAndStore(fake, gateway, db, teamId);
  const organisations = fake.organisationList.map((org) => ({ name: org.name, tenantId: org.tenantId, connectionId: ids[org.name]! }));
  const workers: JsonLineWorker<RetryWorkerEvent>[] = [];
  return {
    fake,
    gateway,
    db,
    testDb,
    timeScale: input.timeScale,
    organisations,
    startWorker(owner, options = {}) {
      const worker = startJsonLineWorker<RetryWorkerEvent>(workerScript, {
        RETRY_WORKER: JSON.stringify({
          settings: testDb.settings,
          xero: { clientId: fake.clientId, clientSecret: fake.clientSecret, identityUrl: fake.identityUrl, apiUrl: fake.apiUrl },
          timeScale: input.timeScale,
          owner,
          parallel: 10,
          leaseMs: 3000,
          gatewayTimeoutMs: 5000,
          baseDelayMs: 200,
          ...options,
        } satisfies RetryWorkerOptions),
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await db.close();
      await testDb.drop();
      await fake.close();
    },
  };
}

/** A sales invoice the fake accepts, numbered so an earlier send can be found. */
export function invoicePayload(number: string) {
  return {
    Type: 'ACCREC',
    Contact: { Name: 'Bayside Club' },
    InvoiceNumber: number,
    Reference: `Order ${number}`,
    Date: '2026-11-02',
    DueDate: '2026-12-02',
    LineItems: [{ Description: 'Consulting', Quantity: 1, UnitAmount: 120, AccountCode: '200' }],
  };
}

/** Stores `perOrganisation` failed invoice exports for each organisation, queued (or waiting as failed); returns their ids. */
export async function seedFailures(fixture: Pick<RetryFixture, 'organisations' | 'db'>, perOrganisation: number, prefix = 'INV', status: 'queued' | 'failed' = 'queued'): Promise<string[]> {
  const ids: string[] = [];
  for (const [o, org] of fixture.organisations.entries()) {
    const inputs = Array.from({ length: perOrganisation }, (_, i) => {
      const number = `${prefix}-${o + 1}-${i + 1}`;
      return {
        slackTeamId: teamId,
        connectionId: org.connectionId,
        externalReference: number,
        kind: 'invoice',
        payload: invoicePayload(number),
        errorMessage: 'The request timed out',
        idempotencyKey: `intake-${number}`,
        status,
      };
    });
    ids.push(...(await fixture.db.failedSyncs.createMany(inputs)).map((f) => f.id));
  }
  return ids;
}
