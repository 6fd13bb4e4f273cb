// One bot process of `npm run bench:xero`: opens the database named in BENCH_SETTINGS, waits for
// "go" on stdin, sweeps every connection's health once against the fake Xero, prints the result.
import { openDatabase, type DatabaseSettings } from '../src/db/index.ts';
import * as sweep from '../src/jobs/sweep-connection-health.ts';
import { checkConnection } from '../src/support/check-connection.ts';
import { createConnectionAccess } from '../src/support/xero-tokens.ts';
import { XeroNodeGateway, type XeroNodeGatewayOptions } from '../src/xero/xero-gateway.ts';

const { settings, xero } = JSON.parse(process.env.BENCH_SETTINGS ?? '{}') as { settings: DatabaseSettings; xero: XeroNodeGatewayOptions };
const db = await openDatabase(settings, { migrate: false, warn: () => {} });
const gateway = new XeroNodeGateway(xero);
const deps = { connections: db.connections, exports: db.failedSyncs, xero: gateway, access: createConnectionAccess({ tokenSets: db.tokenSets, connections: db.connections, xero: gateway, now: () => new Date() }) };
console.log(JSON.stringify({ ready: true }));
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const started = performance.now();
const result = await sweep.exec({ connections: db.connections, check: (id) => checkConnection(deps, id), alerts: undefined });
console.log(JSON.stringify({ done: true, ms: performance.now() - started, ...result }));
await db.close();
process.exit(0);
