// `npm run xero:fake` as a newcomer uses it: its own process, the environment it prints taken at
// its word by the real adapter, and one line per call (never a token) on its output.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';
import { xeroPlayground } from '../../dev/xero-playground.ts';

const fakeScript = new URL('../../dev/xero-fake.ts', import.meta.url).pathname;
const child = spawn(process.execPath, [fakeScript, '--port', '0'], { env: { PATH: process.env.PATH ?? '' }, stdio: 'pipe' });
let output = '';
child.stdout.on('data', (d: Buffer) => (output += d.toString()));
child.stderr.on('data', (d: Buffer) => (output += d.toString()));

async function until<T>(check: () => T, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const env: Record<string, string> = {};

beforeAll(async () => {
  await until(() => output.includes('Every call is shown below'), 'the fake to start');
  for (const match of output.matchAll(/^ {2}(XERO_[A-Z_]+)=(\S+)$/gm)) env[match[1]!] = match[2]!;
});

afterAll(async () => {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
});

describe('npm run xero:fake', () => {
  it('prints the environment the bot needs, which works as printed', async () => {
    expect(Object.keys(env).sort()).toEqual(['XERO_API_URL', 'XERO_CLIENT_ID', 'XERO_CLIENT_SECRET', 'XERO_IDENTITY_URL', 'XERO_REDIRECT_URI']);
    expect(env.XERO_IDENTITY_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const gateway = new XeroNodeGateway({ clientId: env.XERO_CLIENT_ID!, clientSecret: env.XERO_CLIENT_SECRET!, redirectUri: env.XERO_REDIRECT_URI!, identityUrl: env.XERO_IDENTITY_URL!, apiUrl: env.XERO_API_URL! });
    const back = new URL((await fetch(await gateway.consentUrl('s1'), { redirect: 'manual' })).headers.get('location') ?? '');
    const tokens = await gateway.exchangeCode({ code: back.searchParams.get('code') ?? '', state: 's1' });
    const connections = await gateway.listConnections(tokens.accessToken);
    expect(connections.map((c) => c.tenantName).sort()).toEqual(xeroPlayground.organisations.map((o) => o.name).sort());
    await gateway.getOrganisation(tokens.accessToken, xeroPlayground.organisations[0].tenantId);

    await until(() => output.includes('GET /api.xro/2.0/Organisation'), 'the Organisation call line');
    expect(output).toMatch(/POST \/connect\/token +200 {2}grant_type=authorization_code/);
    expect(output).toMatch(/GET \/connections +200/);
    for (const secret of [tokens.accessToken, tokens.refreshToken, tokens.idToken!, back.searchParams.get('code')!]) expect(output).not.toContain(secret);
  });

  it('shows each write with its Idempotency-Key, a replay as such, and the limits with their time scale', async () => {
    expect(output).toContain('Limits: 60 calls a minute, 5 at once, 5000 a day per organisation; 10000 a minute per app; time scale 1 (real time: a Xero minute lasts 60 s).');
    const gateway = new XeroNodeGateway({ clientId: env.XERO_CLIENT_ID!, clientSecret: env.XERO_CLIENT_SECRET!, redirectUri: env.XERO_REDIRECT_URI!, identityUrl: env.XERO_IDENTITY_URL!, apiUrl: env.XERO_API_URL! });
    const tokens = (await (await fetch(`${env.XERO_API_URL}/_fake/tokens`, { method: 'POST', body: '{}' })).json()) as { access_token: string };
    const tenant = xeroPlayground.organisations[0].tenantId;
    const input = { kind: 'invoice' as const, payload: { Contact: { Name: 'Bayside Club' }, LineItems: [{ Description: 'Tour', Quantity: 1, UnitAmount: 90, AccountCode: '200' }] }, idempotencyKey: 'playground-key-1' };
    const first = await gateway.sendDocument(tokens.access_token, tenant, input);
    expect((await gateway.sendDocument(tokens.access_token, tenant, input)).document).toEqual(first.document);
    await until(() => output.includes('(replayed: nothing new created)'), 'the replayed call line');
    expect(output).toMatch(/PUT \/api\.xro\/2\.0\/Invoices +200 {2}tenant=\S+ {2}key=playground-key-1\n/);
    expect(output).toMatch(/PUT \/api\.xro\/2\.0\/Invoices +200 {2}tenant=\S+ {2}key=playground-key-1 \(replayed: nothing new created\)/);
  });

  it('flags a route it does not fake', async () => {
    await fetch(`${env.XERO_API_URL}/api.xro/2.0/Journals`);
    await until(() => output.includes('GET /api.xro/2.0/Journals'), 'the unexpected call line');
    expect(output).toMatch(/GET \/api\.xro\/2\.0\/Journals +404 {2}<- NOT FAKED/);
  });
});
