// One "bot instance" for the refresh race: opens the shared database, waits for "go" on standard
// input, asks for a working token through ConnectionAccess and prints the access token's hash.
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';
import { createConnectionAccess } from '../../src/support/xero-tokens.ts';
import { XeroNodeGateway, type XeroNodeGatewayOptions } from '../../src/xero/xero-gateway.ts';

const job = JSON.parse(process.env.REFRESH_WORKER ?? '') as { settings: DatabaseSettings; gateway: XeroNodeGatewayOptions; connectionId: string };
const db = await openDatabase(job.settings, { warn: () => {} });
const access = createConnectionAccess({ tokenSets: db.tokenSets, connections: db.connections, xero: new XeroNodeGateway(job.gateway), now: () => new Date() });
process.stdout.write('ready\n');
const input = createInterface({ input: process.stdin });
await new Promise((resolve) => input.once('line', resolve));
input.close();
process.stdin.destroy();
const { accessToken } = await access.accessFor(job.connectionId);
process.stdout.write(`${createHash('sha256').update(accessToken).digest('hex')}\n`);
await db.close();
