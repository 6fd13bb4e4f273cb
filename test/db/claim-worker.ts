// A separate process that claims failed-sync retries from the shared queue, for the
// concurrency test and `npm run bench:db`. Reads its job from the CLAIM_WORKER variable (JSON),
// prints one JSON line per event, and starts claiming when it reads "go" on standard input.
//   drain: claim and complete batches until nothing is queued or held by anyone.
//   holdAfter: after that many batches, claim one more and stop working while holding it
//              (the test then kills the process, as a crash would).
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';

interface WorkerJob {
  settings: DatabaseSettings;
  owner: string;
  slackTeamId: string;
  batch: number;
  leaseMs: number;
  holdAfter?: number;
}

const job = JSON.parse(process.env.CLAIM_WORKER ?? '') as WorkerJob;
const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);

const openStart = performance.now();
const db = await openDatabase(job.settings, { warn: () => {} });
// performance.now() counts from process start, so the second figure includes Node's own start-up.
say({ ready: true, openMs: performance.now() - openStart, sinceProcessStartMs: performance.now() });
const input = createInterface({ input: process.stdin });
await new Promise((resolve) => input.once('line', resolve));
// An open standard input would keep the process alive after the work is done.
input.close();
process.stdin.destroy();

let batches = 0;
let claimed = 0;
for (;;) {
  const now = new Date();
  const jobs = await db.failedSyncs.claimDue(job.owner, { limit: job.batch, leaseMs: job.leaseMs, now });
  if (jobs.length > 0) {
    if (job.holdAfter !== undefined && batches === job.holdAfter) {
      say({ held: jobs.map((j) => j.id), at: now.getTime(), leaseUntil: jobs[0]!.lease!.until.getTime() });
      await new Promise(() => setInterval(() => {}, 60_000));
    }
    say({ claimed: jobs.map((j) => j.id), at: now.getTime() });
    for (const j of jobs) await db.failedSyncs.complete(j.id, job.owner, { xeroId: `xero-${j.id}` });
    batches++;
    claimed += jobs.length;
    continue;
  }
  const waiting = await db.failedSyncs.listByTeam(job.slackTeamId, { status: ['queued', 'retrying'], limit: 1 });
  if (waiting.length === 0) break;
  await sleep(50);
}
say({ done: true, count: claimed, at: Date.now() });
await db.close();
