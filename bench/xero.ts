// `npm run bench:xero`: 1,000 Xero connections on 200 token sets (one consent covering five
// organisations each) against the fake Xero. Three bot processes on one PostgreSQL database and
// one on SQLite each sweep every connection's health, then all token sets are made due and every
// process runs the refresh job's work at once. Printed, from the fake's own call log: the time for
// a full sweep, Xero calls per connection, refreshes per due token set (target exactly 1),
// invalid_grant answers (target 0), and what a live verdict adds to a connection answer (p50/p99).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { FakeXero } from '../dev/fake-xero-api.ts';
import { openDatabase, type Database } from '../src/db/index.ts';
import { createClient } from '../src/db/prisma-client.ts';
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

interface Step {
  ms?: number;
  checked?: number;
  due?: number;
  refreshed?: number;
  rejected?: number;
  failed?: number;
}

/** Bot processes on one database; `run` sends them all one command at once and returns their answers. */
async function startSweepers(test: TestDatabase, processes: number) {
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, [new URL('./xero-sweeper.ts', import.meta.url).pathname], {
      env: { ...process.env, BENCH_SETTINGS: JSON.stringify({ settings: test.settings, xero: xeroOptions }) },
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const lines = children.map((child) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
  const next = async (i: number) => JSON.parse(String((await lines[i]!.next()).value)) as Step;
  await Promise.all(children.map((_, i) => next(i)));
  return {
    async run(command: 'sweep' | 'refresh'): Promise<{ ms: number; answers: Step[] }> {
      const go = performance.now();
      for (const child of children) child.stdin!.write(`${command}\n`);
      const answers = await Promise.all(children.map((_, i) => next(i)));
      return { ms: performance.now() - go, answers };
    },
    async close(): Promise<void> {
      await Promise.all(children.map((child) => new Promise((resolve) => (child.stdin!.end('exit\n'), child.once('exit', resolve)))));
    },
  };
}

/** Every token set's access token lapsed a second ago: each is due for the refresh job. */
async function makeAllDue(test: TestDatabase): Promise<void> {
  const handle = await createClient(test.settings.database);
  try {
    await handle.prisma.xeroTokenSet.updateMany({ data: { accessTokenExpiresAt: new Date(Date.now() - 1_000) } });
  } finally {
    await handle.prisma.$disconnect();
  }
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
    const sweepers = await startSweepers(test, processes);
    const label = `  ${provider.padEnd(10)} ${processes} process${processes > 1 ? 'es' : '  '}:`;
    try {
      let callsBefore = fake.calls.length;
      const swept = await sweepers.run('sweep');
      const calls = fake.calls.slice(callsBefore).filter((c) => c.route === 'connections' || c.route === 'organisation').length;
      const connections = tokenSets * perSet;
      console.log(
        `${label} full sweep ${(swept.ms / 1000).toFixed(1)} s (each process checked ${swept.answers.map((a) => a.checked ?? 0).join(', ')}); ` +
          `${(calls / connections).toFixed(2)} Xero calls per connection in total, ${(calls / connections / processes).toFixed(2)} per connection per process`,
      );

      await makeAllDue(test);
      callsBefore = fake.calls.length;
      const refreshed = await sweepers.run('refresh');
      const refreshCalls = fake.calls.slice(callsBefore).filter((c) => c.route === 'token' && c.grantType === 'refresh_token');
      const perSetCounts = new Map<string, number>();
      for (const c of refreshCalls) if (c.status === 200 && c.authEventId) perSetCounts.set(c.authEventId, (perSetCounts.get(c.authEventId) ?? 0) + 1);
      const counts = [...perSetCounts.values()];
      const invalidGrant = refreshCalls.filter((c) => c.status === 400).length;
      const missed = tokenSets - perSetCounts.size;
      console.log(
        `${label} refresh of ${tokenSets} due token sets by every process at once ${(refreshed.ms / 1000).toFixed(1)} s; ` +
          `refreshes per due token set ${(refreshCalls.filter((c) => c.status === 200).length / tokenSets).toFixed(2)} (min ${missed ? 0 : Math.min(...counts)}, max ${Math.max(0, ...counts)}; target exactly 1), ` +
          `invalid_grant ${invalidGrant} (target 0), other failures ${refreshed.answers.reduce((n, a) => n + (a.failed ?? 0), 0)}`,
      );
    } finally {
      await sweepers.close();
    }
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
await fake.close();
