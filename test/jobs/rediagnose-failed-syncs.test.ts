// The re-diagnosis job on its own, with small in-memory stand-ins for the store and the diagnosis:
// which exports it reads, and when a diagnosis may queue a re-send.
import { describe, expect, it } from 'vitest';
import { exec, type RediagnoseDeps } from '../../src/jobs/rediagnose-failed-syncs.ts';
import type { DiagnosisState, FailureDiagnosis } from '../../src/support/diagnose-failure.ts';

function setup(stored: Record<string, DiagnosisState | null>, now: Date, xeroShows: DiagnosisState = 'cause_gone') {
  const calls: { id: string; requeue: boolean }[] = [];
  let forgotten = 0;
  const deps: RediagnoseDeps = {
    due: async (before, limit) => {
      expect(before.getTime()).toBe(now.getTime() - 10 * 60_000);
      return Object.keys(stored).slice(0, limit);
    },
    lastDiagnoses: async (ids) => ids.flatMap((id) => (stored[id] ? [{ failedSyncId: id, state: stored[id] }] : [])),
    diagnose: async (id, options) => {
      calls.push({ id, ...options });
      const action: FailureDiagnosis['action'] = xeroShows === 'cause_gone' && options.requeue ? 'queued_retry' : 'none';
      return { ok: true, value: { failedSyncId: id, state: xeroShows, action } as FailureDiagnosis };
    },
    forgetCachedReads: () => void forgotten++,
    now: () => now,
  };
  return { deps, calls, forgotten: () => forgotten };
}

describe('rediagnose-failed-syncs', () => {
  const now = new Date('2026-11-30T10:00:00Z');

  it('queues an export whose cause was present (or never read) and is gone now, reading Xero afresh once per run', async () => {
    const { deps, calls, forgotten } = setup({ a: 'cause_present', b: null }, now);
    expect(await exec(deps)).toEqual({ diagnosed: 2, queued: 2, recordedSynced: 0, skipped: 0 });
    expect(calls).toEqual([{ id: 'a', requeue: true }, { id: 'b', requeue: true }]);
    expect(forgotten()).toBe(1);
  });

  it('does not re-send again an export already found fixed that Xero still refused: it only reads and stores', async () => {
    const { deps, calls } = setup({ a: 'cause_gone' }, now);
    expect(await exec(deps)).toEqual({ diagnosed: 1, queued: 0, recordedSynced: 0, skipped: 0 });
    expect(calls).toEqual([{ id: 'a', requeue: false }]);
  });

  it('reads nothing (and keeps the cache) when nothing is due', async () => {
    const { deps, calls, forgotten } = setup({}, now);
    expect(await exec(deps)).toEqual({ diagnosed: 0, queued: 0, recordedSynced: 0, skipped: 0 });
    expect(calls).toEqual([]);
    expect(forgotten()).toBe(0);
  });
});
