// Three bot instances, each its own process with the real scheduler and database coordinator,
// schedule one job every second on one shared database. Every slot must run exactly once in
// total, and a slot whose runner died must not run again on another instance.
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseSettings } from '../../src/db/index.ts';
import type { JobRun } from '../../src/jobs/job-runs.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../db/test-databases.ts';
import { startJsonLineWorker, type JsonLineWorker } from '../json-line-worker.ts';

const pgUp = await postgresAvailable();
const created: TestDatabase[] = [];
const started: Instance[] = [];
afterAll(async () => {
  for (const w of started) w.child.kill('SIGKILL');
  for (const db of created) await db.drop();
});

const workerScript = new URL('./schedule-worker.ts', import.meta.url).pathname;

interface WorkerEvent {
  ready?: true;
  asked?: string;
  allowed?: boolean;
  ran?: string;
  hanging?: string;
  stopped?: true;
}
type Instance = JsonLineWorker<WorkerEvent>;

function startInstance(settings: DatabaseSettings, owner: string, options: { budgetMs: number; livenessMs?: number; hangOnFirstRun?: boolean; claimDelayMs?: number }): Instance {
  const worker = startJsonLineWorker<WorkerEvent>(workerScript, { SCHEDULE_WORKER: JSON.stringify({ settings, owner, ...options }) });
  started.push(worker);
  return worker;
}

/** What the database says happened: the slot rows, and how often the job body ran per slot. */
async function recorded(settings: DatabaseSettings): Promise<{ runs: JobRun[]; bodiesPerSlot: Map<string, string[]> }> {
  const db = await openDatabase(settings, { warn: () => {} });
  try {
    const runs = (await db.jobRuns.list({ job: 'tick', limit: 1000 })).reverse();
    const bodiesPerSlot = new Map<string, string[]>();
    for (const e of await db.audit.list({ action: 'tick', limit: 1000 })) {
      bodiesPerSlot.set(e.target!, [...(bodiesPerSlot.get(e.target!) ?? []), e.actor]);
    }
    return { runs, bodiesPerSlot };
  } finally {
    await db.close();
  }
}

async function untilSlots(instances: Instance[], count: number, after = ''): Promise<void> {
  const deadline = Date.now() + 20_000;
  const slots = () => new Set(instances.flatMap((w) => w.events.filter((e) => e.ran && e.ran > after).map((e) => e.ran)));
  while (slots().size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(slots().size, 'slots run in time').toBeGreaterThanOrEqual(count);
}

async function stopAll(instances: Instance[]): Promise<void> {
  for (const w of instances) w.send('stop');
  expect(await Promise.all(instances.map((w) => w.exited))).toEqual(instances.map(() => 0));
}

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`a job scheduled by three instances on one ${provider} database`, () => {
    it('runs each slot exactly once in total', { timeout: 120_000 }, async () => {
      const test = await createTestDatabase(provider);
      created.push(test);
      const instances = ['a', 'b', 'c'].map((owner) => startInstance(test.settings, owner, { budgetMs: 5_000 }));
      await Promise.all(instances.map((w) => w.next((e) => e.ready === true)));
      for (const w of instances) w.send('go');
      await untilSlots(instances, 6);
      await stopAll(instances);

      const { runs, bodiesPerSlot } = await recorded(test.settings);
      for (const [slot, runners] of bodiesPerSlot) expect(runners, `slot ${slot}`).toHaveLength(1);
      expect(runs.length).toBeGreaterThanOrEqual(6);
      expect([...bodiesPerSlot.keys()].sort()).toEqual(runs.map((r) => r.slot.toISOString()));
      for (const run of runs) {
        expect(run.outcome).toBe('ok');
        expect(run.finishedAt).not.toBeNull();
        expect(bodiesPerSlot.get(run.slot.toISOString())).toEqual([run.owner]);
      }
      // Every instance asked about every slot it saw; all but one were told no.
      const answers = instances.flatMap((w) => w.events.filter((e) => e.asked !== undefined));
      for (const run of runs) {
        const forSlot = answers.filter((e) => e.asked === run.slot.toISOString());
        expect(forSlot.filter((e) => e.allowed)).toHaveLength(1);
      }
      expect(answers.filter((e) => !e.allowed).length).toBeGreaterThan(0);
    });

    it("never runs a dead runner's slot again, and resumes the job after that run's time budget", { timeout: 120_000 }, async () => {
      const test = await createTestDatabase(provider);
      created.push(test);
      const budgetMs = 3_000;
      // The others claim 300 ms late, so the crasher wins the first slot they all ask for.
      const crasher = startInstance(test.settings, 'crasher', { budgetMs, hangOnFirstRun: true });
      const others = ['a', 'b'].map((owner) => startInstance(test.settings, owner, { budgetMs, claimDelayMs: 300 }));
      await Promise.all([crasher, ...others].map((w) => w.next((e) => e.ready === true)));
      for (const w of [crasher, ...others]) w.send('go');

      const { hanging } = await crasher.next((e) => e.hanging !== undefined);
      // The others asked for that very slot and were refused (one of them may have missed the
      // slot on a loaded machine, never both); then the crasher dies with the run unfinished.
      await Promise.all(others.map((w) => w.next((e) => e.asked !== undefined && e.asked > hanging!)));
      const askedForHanging = others.flatMap((w) => w.events.filter((e) => e.asked === hanging));
      expect(askedForHanging.length).toBeGreaterThan(0);
      expect(askedForHanging.filter((e) => e.allowed)).toEqual([]);
      crasher.child.kill('SIGKILL');
      await crasher.exited;
      await untilSlots(others, 3, hanging);
      await stopAll(others);

      const { runs, bodiesPerSlot } = await recorded(test.settings);
      const dead = runs.find((r) => r.slot.toISOString() === hanging)!;
      expect(dead).toMatchObject({ owner: 'crasher', finishedAt: null, outcome: null });
      expect(bodiesPerSlot.get(hanging!)).toEqual(['crasher']);
      for (const [slot, runners] of bodiesPerSlot) expect(runners, `slot ${slot}`).toHaveLength(1);
      // Nothing ran again before the dead run's lease was over; after it, the job went on.
      const later = runs.filter((r) => r.slot > dead.slot);
      expect(later.length).toBeGreaterThanOrEqual(3);
      for (const run of later) {
        expect(run.owner).not.toBe('crasher');
        expect(run.startedAt.getTime()).toBeGreaterThanOrEqual(dead.leaseUntil.getTime());
        expect(run.outcome).toBe('ok');
      }
      expect(dead.leaseUntil.getTime() - dead.startedAt.getTime()).toBe(budgetMs);
    });

    it('a live runner holds the job past its first lease; a SIGKILLed one releases it long before the budget', { timeout: 120_000 }, async () => {
      const test = await createTestDatabase(provider);
      created.push(test);
      const budgetMs = 5 * 60_000;
      const livenessMs = 1_500;
      const crasher = startInstance(test.settings, 'crasher', { budgetMs, livenessMs, hangOnFirstRun: true });
      const others = ['a', 'b'].map((owner) => startInstance(test.settings, owner, { budgetMs, livenessMs, claimDelayMs: 300 }));
      await Promise.all([crasher, ...others].map((w) => w.next((e) => e.ready === true)));
      for (const w of [crasher, ...others]) w.send('go');

      const { hanging } = await crasher.next((e) => e.hanging !== undefined);
      // Alive but slow for three leases: its renewals keep every later slot from starting.
      await new Promise((r) => setTimeout(r, 3 * livenessMs));
      expect(others.flatMap((w) => w.events.filter((e) => e.ran && e.ran > hanging!))).toEqual([]);
      const killedAt = Date.now();
      crasher.child.kill('SIGKILL');
      await crasher.exited;
      await untilSlots(others, 2, hanging);
      const resumedAfterMs = Date.now() - killedAt;
      await stopAll(others);

      const { runs } = await recorded(test.settings);
      const dead = runs.find((r) => r.slot.toISOString() === hanging)!;
      expect(dead).toMatchObject({ owner: 'crasher', finishedAt: null });
      const heldMs = dead.leaseUntil.getTime() - dead.startedAt.getTime();
      expect(heldMs).toBeGreaterThan(2 * livenessMs);
      expect(heldMs).toBeLessThan(budgetMs);
      // The job went on within seconds of the crash, not after the five-minute budget.
      expect(resumedAfterMs).toBeLessThan(30_000);
      for (const run of runs.filter((r) => r.slot > dead.slot)) expect(run.startedAt.getTime()).toBeGreaterThanOrEqual(dead.leaseUntil.getTime());
    });
  });
}
