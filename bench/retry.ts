// `npm run bench:retry`: 5,000 failed exports across 50 organisations re-sent by worker processes
// (three on PostgreSQL, then one on SQLite) through the real xero-node client to the fake Xero,
// whose limits run on a scaled clock. Prints how much of Xero's per-organisation minute the
// limiter used (target >= 95%), 429s (target 0), duplicates (target 0), the delay from a reconnect
// to the organisation's first re-send, and then a PostgreSQL run with one worker killed mid-drain.
// BENCH_RETRY_TIME_SCALE (default 1, real time, the most the limiter accepts): a smaller scale asks for
// more calls a second than a shared machine drives (0.5 wanted 100/s; a loaded 2-core machine drove 42).
// Workers wait for a permit as long as the bot does (defaultRetryPacing.permitWaitMs, scaled): with
// 200 ms, sends deferred and re-claimed so often that the organisations' minutes went 18-25% unused.
import { queueRetries } from '../src/support/retry-requests.ts';
import { defaultRetryPacing } from '../src/support/retry-export.ts';
import type { DatabaseProvider } from '../src/db/schema-files.ts';
import { postgresAvailable, postgresServerUrl } from '../test/db/test-databases.ts';
import { seedFailures, startRetryFixture, teamId, type RetryFixture } from '../test/retry/retry-fixture.ts';

const organisations = 50;
const perOrganisation = 100;
const reconnectOrganisations = 10;
const timeScale = Number(process.env.BENCH_RETRY_TIME_SCALE ?? 1);
// The SQLite and kill runs drain 20 a organisation by default (--full: 100, as the main run).
const smallPerOrganisation = process.argv.includes('--full') ? perOrganisation : 20;
const minuteMs = 60_000 * timeScale;
const xeroMinuteLimit = 60;

interface Arrival {
  tenantId: string;
  status: number;
  at: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * Per organisation, the (scaled) minutes from its first call that ended with work still waiting:
 * their calls against Xero's 60. Minutes at the tail, once the backlog is gone, say nothing about pace.
 */
function minuteShare(arrivals: Arrival[], minuteMs: number): { share: number; minutes: number } {
  const byTenant = new Map<string, number[]>();
  for (const a of arrivals) if (a.status < 400) byTenant.set(a.tenantId, [...(byTenant.get(a.tenantId) ?? []), a.at]);
  let calls = 0;
  let minutes = 0;
  for (const times of byTenant.values()) {
    times.sort((a, b) => a - b);
    const first = times[0]!;
    const last = times.at(-1)!;
    for (let start = first; start + minuteMs < last; start += minuteMs) {
      calls += times.filter((t) => t >= start && t < start + minuteMs).length;
      minutes++;
    }
  }
  return { share: minutes ? calls / (minutes * xeroMinuteLimit) : NaN, minutes };
}

async function run(provider: DatabaseProvider, workerCount: number, options: { kill?: boolean; reconnects?: boolean; organisations?: number; perOrganisation?: number; timeScale?: number }) {
  const arrivals: Arrival[] = [];
  const perOrganisation = options.perOrganisation ?? 100;
  const fixture: RetryFixture = await startRetryFixture({
    provider,
    organisations: options.organisations ?? organisations,
    timeScale: options.timeScale ?? timeScale,
    fake: { onCall: (call) => void (call.route === 'invoices' && call.tenantId && arrivals.push({ tenantId: call.tenantId, status: call.status, at: Date.now() })) },
  });
  try {
    fixture.fake.setLatency(20, 20);
    // Some organisations start disconnected: their exports wait as failed until a reconnect hands them back.
    const waiting = options.reconnects ? fixture.organisations.slice(0, reconnectOrganisations) : [];
    const ids = [
      ...(await seedFailures({ ...fixture, organisations: waiting }, perOrganisation, 'WAIT', 'failed')),
      ...(await seedFailures({ ...fixture, organisations: fixture.organisations.slice(waiting.length) }, perOrganisation, 'INV')),
    ];
    const workers = Array.from({ length: workerCount }, (_, i) => fixture.startWorker(`${provider}-worker-${i}`, { parallel: workerCount === 1 ? 40 : 20, leaseMs: 5000, permitWaitMs: Math.round(defaultRetryPacing.permitWaitMs * (options.timeScale ?? timeScale)) }));
    await Promise.all(workers.map((w) => w.next((e) => e.ready === true)));
    const started = Date.now();
    const reconnectDelays: number[] = [];
    // Each waiting organisation is reconnected at its own moment during the first part of the drain.
    const reconnectsDone = Promise.all(
      waiting.map(async (org, i) => {
        await new Promise((resolve) => setTimeout(resolve, 500 + ((minuteMs * 0.5) / waiting.length) * i));
        const at = Date.now();
        const result = await queueRetries({ failedSyncs: fixture.db.failedSyncs, retryRequests: fixture.db.retryRequests }, { slackTeamId: teamId, source: 'reconnect' }, { kind: 'connections', connectionIds: [org.connectionId] });
        if (!result.ok) throw new Error(`reconnect of ${org.name} queued nothing: ${result.error}`);
        for (;;) {
          const first = arrivals.find((a) => a.tenantId === org.tenantId && a.at >= at);
          if (first) return reconnectDelays.push(first.at - at);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }),
    );
    let killedAt: number | undefined;
    if (options.kill) {
      const victim = workers[0]!;
      await victim.next((e) => e.outcome === 'synced' && arrivals.length > (fixture.organisations.length * perOrganisation) / 3);
      victim.child.kill('SIGKILL');
      killedAt = Date.now() - started;
    }
    await reconnectsDone;
    await Promise.all(workers.slice(options.kill ? 1 : 0).map((w) => w.next((e) => e.done === true)));
    const elapsed = Date.now() - started;
    const rows = await Promise.all(ids.map((id) => fixture.db.failedSyncs.get(id)));
    const counters = fixture.fake.counters();
    const invoices = fixture.organisations.reduce((n, org) => n + fixture.fake.booksOf(org.tenantId).documentsOf('invoice').length, 0);
    const runMinuteMs = 60_000 * (options.timeScale ?? timeScale);
    return {
      total: ids.length,
      minuteMs: runMinuteMs,
      callsPerSecond: arrivals.length / (elapsed / 1000),
      allowedPerSecond: (fixture.organisations.length * xeroMinuteLimit) / (runMinuteMs / 1000),
      elapsed,
      killedAt,
      synced: rows.filter((r) => r?.status === 'synced').length,
      found: rows.filter((r) => r?.lastOutcome === 'found').length,
      invoices,
      tooMany: counters.totals.tooManyRequests,
      duplicates: counters.totals.duplicates,
      maxConcurrent: counters.totals.maxConcurrent,
      maxPerMinute: counters.totals.maxPerMinute,
      share: minuteShare(arrivals, runMinuteMs),
      reconnectDelays,
    };
  } finally {
    await fixture.close();
  }
}

function report(label: string, r: Awaited<ReturnType<typeof run>>) {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(`${label}`);
  console.log(`  drained ${r.synced} of ${r.total} in ${(r.elapsed / 1000).toFixed(1)} s (${(r.elapsed / r.minuteMs).toFixed(2)} Xero minutes); invoices in Xero ${r.invoices}, found in Xero after an unanswered send ${r.found}`);
  console.log(
    r.share.minutes
      ? `  calls per organisation-minute: ${pct(r.share.share)} of Xero's 60 (target >= 95%) over ${r.share.minutes} organisation-minutes with work waiting`
      : '  calls per organisation-minute: n/a (every organisation was drained within its first minute)',
  );
  const machineBound = r.share.minutes > 0 && r.share.share < 0.95 && r.callsPerSecond < r.allowedPerSecond * 0.9;
  console.log(`  pace: ${r.callsPerSecond.toFixed(1)} Xero calls/s made, ${r.allowedPerSecond.toFixed(1)} calls/s allowed by the limits of these organisations${machineBound ? ' (fewer than allowed: the workers, not Xero\'s limits, set the pace)' : ''}`);
  console.log(`  429s received: ${r.tooMany} (target 0); duplicates created: ${r.duplicates} (target 0); most in progress at once for one organisation ${r.maxConcurrent} (limit 5), most in one minute ${r.maxPerMinute} (limit 60)`);
  if (r.reconnectDelays.length) {
    console.log(`  reconnect -> first re-send: p50 ${percentile(r.reconnectDelays, 50)} ms, p99 ${percentile(r.reconnectDelays, 99)} ms (${r.reconnectDelays.length} reconnects during the drain)`);
  }
  if (r.killedAt !== undefined) console.log(`  one worker killed with SIGKILL ${(r.killedAt / 1000).toFixed(1)} s into the drain: lost ${r.total - r.synced}, duplicated ${r.duplicates}`);
}

const scaleLine = (scale: number) => `time scale ${scale}: a Xero minute lasts ${(60 * scale).toFixed(1)} s`;
const started = Date.now();
console.log(`bench:retry — failed invoice exports re-sent through xero-node to the fake Xero, ${scaleLine(timeScale)}`);
const pgUp = await postgresAvailable();
if (pgUp) {
  report(`PostgreSQL, 3 worker processes, ${organisations * perOrganisation} exports across ${organisations} organisations (${reconnectOrganisations} reconnected during the drain):`, await run('postgresql', 3, { reconnects: true }));
} else console.log(`PostgreSQL: skipped, no server at ${postgresServerUrl}`);
const unbound = await run('sqlite', 1, { perOrganisation: smallPerOrganisation });
report(`SQLite, 1 worker process, ${organisations * smallPerOrganisation} exports across ${organisations} organisations:`, unbound);
// What this machine drives when no organisation reaches its minute: the pace the main run could have had.
console.log(`  machine: ${unbound.callsPerSecond.toFixed(1)} calls/s with no limit binding, against the ${unbound.allowedPerSecond.toFixed(1)} calls/s the main run's limits allow at this scale`);
if (pgUp) {
  report(`PostgreSQL, 3 worker processes, ${organisations * smallPerOrganisation} exports across ${organisations} organisations, one worker killed mid-drain:`, await run('postgresql', 3, { kill: true, perOrganisation: smallPerOrganisation }));
  // Few enough organisations that the limits, not the CPU, bind: does the limiter use Xero's whole minute?
  report(`PostgreSQL, 3 worker processes, 3 organisations x 130 exports, ${scaleLine(0.2)} (limits bind, not the CPU):`, await run('postgresql', 3, { organisations: 3, perOrganisation: 130, timeScale: 0.2 }));
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
