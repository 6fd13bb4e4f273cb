// `npm run bench:xero`: 1,000 Xero connections on 200 token sets (one consent covering five
// organisations each) against the fake Xero. Three bot processes on one PostgreSQL database and
// one on SQLite each sweep every connection's health; printed: the time for a full sweep, Xero
// calls per connection, and what a live verdict adds to a connection answer (p50/p99).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FakeXero } from '../dev/fake-xero-api.ts';
import { openDatabase, type Database } from '../src/db/index.ts';
import { createAnswerEngine } from '../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../src/knowledge/load-knowledge.ts';
import { checkConnection } from '../src/support/check-connection.ts';
import { diagnoseAnswer } from '../src/support/connection-health.ts';
import { createConnectionAccess } from '../src/support/xero-tokens.ts';
import { XeroNodeGateway } from '../src/xero/xero-gateway.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../test/db/test-databases.ts';
import { consentAndStore, redirectUri } from '../test/support/xero-health-fixture.ts';

const tokenSets = 200;
const perSet = 5;
const latencyRuns = 200;

const fake = await FakeXero.start({
  redirectUris: [redirectUri],
  organisations: Array.from({ length: tokenSets * perSet }, (_, i) => ({ name: `Org ${String(i).padStart(4, '0')}` })),
  accessTokenTtlMs: 24 * 60 * 60_000,
  limits: { minute: 1e6, day: 1e9, appMinute: 1e9, concurrent: 1e3 },
});
const xeroOptions = { clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri, identityUrl: fake.identityUrl, apiUrl: fake.apiUrl, timeoutMs: 10_000 };
const gateway = new XeroNodeGateway(xeroOptions);

async function seed(db: Database): Promise<void> {
  const orgs = fake.organisationList;
  for (let s = 0; s < tokenSets; s++) {
    const tenantIds = orgs.slice(s * perSet, (s + 1) * perSet).map((o) => o.tenantId);
    fake.setConsent({ tenantIds });
    await consentAndStore(fake, gateway, db, `T-bench-${s}`, { tenantIds });
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sweepWith(test: TestDatabase, processes: number): Promise<{ ms: number; calls: number; checked: number[] }> {
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, [new URL('./xero-sweeper.ts', import.meta.url).pathname], {
      env: { ...process.env, BENCH_SETTINGS: JSON.stringify({ settings: test.settings, xero: xeroOptions }) },
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = children.map((child) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
  const next = async (i: number) => JSON.parse(String((await lines[i]!.next()).value)) as { ms?: number; checked?: number };
  await Promise.all(children.map((_, i) => next(i)));
  const callsBefore = fake.calls.length;
  const go = performance.now();
  for (const child of children) child.stdin!.write('go\n');
  const done = await Promise.all(children.map((_, i) => next(i)));
  const ms = performance.now() - go;
  const calls = fake.calls.slice(callsBefore).filter((c) => c.route === 'connections' || c.route === 'organisation').length;
  return { ms, calls, checked: done.map((d) => d.checked ?? 0) };
}

const engine = createAnswerEngine(loadKnowledge(new URL('../knowledge/', import.meta.url).pathname));
console.log(`Health sweep: ${tokenSets * perSet} connections on ${tokenSets} token sets, checks 8 at a time per process, against the fake Xero.`);
const rounds: Array<{ provider: 'sqlite' | 'postgresql'; processes: number }> = [{ provider: 'sqlite', processes: 1 }];
if (await postgresAvailable()) rounds.push({ provider: 'postgresql', processes: 3 });
else console.log('  postgresql: skipped, no server');
for (const { provider, processes } of rounds) {
  const test = await createTestDatabase(provider);
  const db = await openDatabase(test.settings, { warn: () => {} });
  try {
    await seed(db);
    const { ms, calls, checked } = await sweepWith(test, processes);
    const connections = tokenSets * perSet;
    console.log(
      `  ${provider.padEnd(10)} ${processes} process${processes > 1 ? 'es' : '  '}: full sweep ${(ms / 1000).toFixed(1)} s (each process checked ${checked.join(', ')}); ` +
        `${(calls / connections).toFixed(2)} Xero calls per connection in total, ${(calls / connections / processes).toFixed(2)} per connection per process`,
    );
    if (provider === 'sqlite') {
      // A connection answer in a workspace of five connections: the answer alone, with a fresh
      // stored verdict (database read only), and with a live check (the stored one is stale).
      const answer = engine.answer('XERO11 on my report');
      const health = { check: (id: string, o?: { timeoutMs?: number }) => checkConnection({ connections: db.connections, exports: db.failedSyncs, xero: gateway, access: createConnectionAccess({ tokenSets: db.tokenSets, connections: db.connections, xero: gateway, now: () => new Date() }), ...(o?.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) }, id) };
      const measure = async (later: number) => {
        const times: number[] = [];
        for (let i = 0; i < latencyRuns; i++) {
          const team = `T-bench-${i % tokenSets}`;
          const started = performance.now();
          await diagnoseAnswer({ connections: db.connections, health, now: () => new Date(Date.now() + later) }, team, answer);
          times.push(performance.now() - started);
        }
        return `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms`;
      };
      const bare: number[] = [];
      for (let i = 0; i < latencyRuns; i++) {
        const started = performance.now();
        engine.answer('XERO11 on my report');
        bare.push(performance.now() - started);
      }
      console.log(`  answer to "XERO11" alone: p50 ${percentile(bare, 50).toFixed(2)} ms, p99 ${percentile(bare, 99).toFixed(2)} ms`);
      console.log(`  extra for the verdict of 5 connections, stored and fresh: ${await measure(0)}`);
      console.log(`  extra for the verdict of 5 connections, checked live:     ${await measure(10 * 60_000)}`);
    }
  } finally {
    await db.close();
    await test.drop();
  }
}
console.log('Token refresh (refreshes per due token set, invalid_grant count): reported by the token-refresh part (worktree xtokens) once merged.');
await fake.close();
