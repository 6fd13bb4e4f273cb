// One bot process of `npm run bench:xero`: opens the database named in BENCH_SETTINGS, then on
// standard input: "sweep" checks every connection's health once against the fake Xero, "refresh"
// runs the token refresh job's work once (every due set), "exit" stops. Prints one JSON line each.
import { createInterface } from 'node:readline';
import { openDatabase, type DatabaseSettings } from '../src/db/index.ts';
import * as sweep from '../src/jobs/sweep-connection-health.ts';
import { checkConnection } from '../src/support/check-connection.ts';
import { createConnectionAccess, refreshDueTokenSets } from '../src/support/xero-tokens.ts';
import { XeroNodeGateway, type XeroNodeGatewayOptions } from '../src/xero/xero-gateway.ts';

const { settings, xero } = JSON.parse(process.env.BENCH_SETTINGS ?? '{}') as { settings: DatabaseSettings; xero: XeroNodeGatewayOptions };
const db = await openDatabase(settings, { migrate: false, warn: () => {} });
const gateway = new XeroNodeGateway(xero);
const now = () => new Date();
const deps = { connections: db.connections, exports: db.failedSyncs, xero: gateway, access: createConnectionAccess({ tokenSets: db.tokenSets, connections: db.connections, xero: gateway, now }) };
console.log(JSON.stringify({ ready: true }));
for await (const line of createInterface({ input: process.stdin })) {
  const started = performance.now();
  if (line === 'sweep') {
    const result = await sweep.exec({ connections: db.connections, check: (id) => checkConnection(deps, id), alerts: undefined });
    console.log(JSON.stringify({ done: true, ms: performance.now() - started, ...result }));
  } else if (line === 'refresh') {
    const result = await refreshDueTokenSets({ tokenSets: db.tokenSets, xero: gateway, now }, { limit: 10_000 });
    console.log(JSON.stringify({ done: true, ms: performance.now() - started, ...result }));
  } else break;
}
await db.close();
process.exit(0);
