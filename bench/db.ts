// `npm run bench:db`: how fast worker processes claim failed-sync retries from one queue (1 and
// 4 processes, SQLite and PostgreSQL), and how long opening an already-migrated SQLite
// database takes, against the 300 ms start-up target.
import { openDatabase } from '../src/db/index.ts';
import { seedQueue, startWorker } from '../test/db/claim-workers.ts';
import { createTestDatabase, postgresAvailable, postgresServerUrl, type TestDatabase } from '../test/db/test-databases.ts';

const jobs = 2000;
const batch = 10;
const startupRuns = 5;
const startupTargetMs = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function claimRate(test: TestDatabase, workers: number, round: number): Promise<number> {
  const team = `T-bench-${round}`;
  await seedQueue(test.settings, team, jobs);
  const started = Array.from({ length: workers }, (_, i) => startWorker(test.settings, `bench-${round}-${i}`, team, { batch, leaseMs: 60_000 }));
  await Promise.all(started.map((w) => w.next((e) => e.ready === true)));
  const go = Date.now();
  for (const w of started) w.child.stdin!.write('go\n');
  const done = await Promise.all(started.map((w) => w.next((e) => e.done === true)));
  await Promise.all(started.map((w) => w.exited));
  const claimed = done.reduce((sum, e) => sum + (e.count ?? 0), 0);
  if (claimed !== jobs) throw new Error(`claimed ${claimed} of ${jobs} jobs`);
  return jobs / ((Math.max(...done.map((e) => e.at!)) - go) / 1000);
}

async function startupTimes(test: TestDatabase): Promise<{ open: number; total: number }> {
  const open: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < startupRuns; i++) {
    const w = startWorker(test.settings, 'startup', 'T-none', { batch, leaseMs: 1000 });
    const ready = await w.next((e) => e.ready === true);
    open.push(ready.openMs!);
    total.push(ready.sinceProcessStartMs!);
    w.child.stdin!.write('go\n');
    await w.exited;
  }
  return { open: median(open), total: median(total) };
}

const pgUp = await postgresAvailable();
console.log(`Claim throughput: ${jobs} queued jobs, batches of ${batch}, each job claimed then completed (jobs per second).`);
let round = 0;
for (const provider of ['sqlite', 'postgresql'] as const) {
  if (provider === 'postgresql' && !pgUp) {
    console.log(`  postgresql: skipped, no server at ${postgresServerUrl}`);
    continue;
  }
  const test = await createTestDatabase(provider);
  try {
    await (await openDatabase(test.settings, { warn: () => {} })).close();
    for (const workers of [1, 4]) {
      const rate = await claimRate(test, workers, round++);
      console.log(`  ${provider.padEnd(10)} ${workers} worker process${workers > 1 ? 'es' : '  '}: ${Math.round(rate).toString().padStart(6)} claims/s`);
    }
  } finally {
    await test.drop();
  }
}

const test = await createTestDatabase('sqlite');
try {
  await (await openDatabase(test.settings, { warn: () => {} })).close();
  const { open, total } = await startupTimes(test);
  const verdict = open <= startupTargetMs ? 'within' : 'OVER';
  console.log(`Start-up on SQLite with migrations already applied (median of ${startupRuns} processes):`);
  console.log(`  openDatabase(): ${Math.round(open)} ms, ${verdict} the ${startupTargetMs} ms target`);
  console.log(`  from process start to database ready, Node's own start-up included: ${Math.round(total)} ms`);
} finally {
  await test.drop();
}
