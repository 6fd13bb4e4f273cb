// What the scheduler needs from storage to run each slot of a job on one instance only. The
// database implements it (src/db/repositories/job-runs.ts); tests may pass an in-memory one.

export type JobRunOutcome = 'ok' | 'failed';

export interface JobRun {
  job: string;
  /** The scheduled time this run is for; with `job` it names the run. */
  slot: Date;
  /** Which instance runs it. */
  owner: string;
  startedAt: Date;
  /** Until then the run holds back the job's later slots, unless it finishes first. */
  leaseUntil: Date;
  finishedAt: Date | null;
  /** null while running, or for good when its runner died. */
  outcome: JobRunOutcome | null;
}

/**
 * started: this instance runs the slot. taken: another instance already started it (it is never
 * started twice, even after its runner died). busy: an earlier run of the job has neither
 * finished nor outlived its lease, so this slot is skipped, as a local overlap would be.
 */
export type SlotClaim = 'started' | 'taken' | 'busy';

export interface JobRunStore {
  startSlot(run: { job: string; slot: Date; owner: string; leaseMs: number; now: Date }): Promise<SlotClaim>;
  /** Moves the lease of an unfinished run this owner started to `leaseUntil`; false when there was no such run. */
  renew(run: { job: string; slot: Date; owner: string; leaseUntil: Date }): Promise<boolean>;
  /** Records the end of a run this owner started; false when there was no such run. */
  finish(run: { job: string; slot: Date; owner: string; outcome: JobRunOutcome; now: Date }): Promise<boolean>;
  /** Newest slot first. */
  list(options?: { job?: string; limit?: number }): Promise<JobRun[]>;
  /** Deletes runs of slots before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}
