// One bot instance's retry worker, as its own process: the real database, the real xero-node
// adapter against the fake Xero, the rate limiter on the database. Options come as JSON in
// RETRY_WORKER; it prints JSON lines (ready, one per retried export, done) and exits when the
// queue holds nothing queued or being retried, or when its standard input closes.
import { fileURLToPath } from 'node:url';
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';
import { createAnswerEngine } from '../../src/knowledge/answer-engine.ts';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.ts';
import { classifyFailure } from '../../src/support/classify-failure.ts';
import { drainRetryQueue, withCachedLookups } from '../../src/support/retry-worker.ts';
import { scaledXeroLimits } from '../../src/support/xero-rate-limits.ts';
import { createConnectionAccess } from '../../src/support/xero-tokens.ts';
import { XeroNodeGateway } from '../../src/xero/xero-gateway.ts';

export interface RetryWorkerOptions {
  settings: DatabaseSettings;
  xero: { clientId: string; clientSecret: string; identityUrl: string; apiUrl: string };
  timeScale: number;
  owner: string;
  parallel: number;
  leaseMs: number;
  gatewayTimeoutMs: number;
  /** Backoff of transient failures, in ms. */
  baseDelayMs: number;
  /** How long a send waits for its organisation's next permit before deferring; 200 ms unless given. */
  permitWaitMs?: number;
}

const options = JSON.parse(process.env.RETRY_WORKER ?? '{}') as RetryWorkerOptions;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ ...event, at: Date.now() })}\n`);

const db = await openDatabase(options.settings, { warn: () => {}, migrate: false });
// A permit outlives the HTTP timeout, so a slow call never loses its place while Xero still counts it.
const gate = db.xeroCallGate({ ...scaledXeroLimits(options.timeScale), permitLeaseMs: options.gatewayTimeoutMs * 2 });
const pendingNotes = new Set<Promise<void>>();
const gateway = new XeroNodeGateway({
  ...options.xero,
  redirectUri: 'http://localhost:3000/xero/callback',
  timeoutMs: options.gatewayTimeoutMs,
  onHeadroom: (tenantId, headroom) => {
    const note = gate.noteHeadroom(tenantId, headroom).catch((error: unknown) => {
      emit({ error: String(error) });
    });
    pendingNotes.add(note);
    void note.finally(() => pendingNotes.delete(note));
  },
});
const engine = createAnswerEngine(loadKnowledge(fileURLToPath(new URL('../../knowledge', import.meta.url))));
const now = () => new Date();
const deps = withCachedLookups({
  queue: db.failedSyncs,
  failedSyncs: db.failedSyncs,
  connections: db.connections,
  access: createConnectionAccess({ tokenSets: db.tokenSets, connections: db.connections, xero: gateway, now }),
  xero: gateway,
  gate,
  classify: (error: { message: string; xeroBody?: unknown }) => classifyFailure(engine, error),
  now,
  pacing: { baseDelayMs: options.baseDelayMs, maxDelayMs: options.baseDelayMs * 8, permitWaitMs: options.permitWaitMs ?? 200, unknownOutcomeDelayMs: options.gatewayTimeoutMs },
});

const stop = new AbortController();
process.stdin.on('end', () => stop.abort());
process.stdin.resume();
emit({ ready: true });
let retried = 0;
while (!stop.signal.aborted) {
  const result = await drainRetryQueue(deps, {
    owner: options.owner,
    parallel: options.parallel,
    leaseMs: options.leaseMs,
    stopWhenIdle: true,
    signal: stop.signal,
    onResult: (r) => emit({ id: r.id, outcome: r.settlement.kind, kept: r.kept, ...('errorMessage' in r.settlement ? { message: r.settlement.errorMessage } : {}) }),
    onError: (error) => emit({ error: String(error) }),
  });
  retried += result.retried;
  const pending = await db.failedSyncs.countPending();
  if (pending === 0) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await Promise.allSettled([...pendingNotes]);
emit({ done: true, retried });
await db.close();
process.exit(0);
