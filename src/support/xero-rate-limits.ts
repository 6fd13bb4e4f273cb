// Xero's rate limits, as the use-cases see them: ask for a permit before every Accounting API
// call to an organisation, give it back after. The permits live in the database (src/db/
// call-permits.ts), so every bot instance on one database shares the same counts; a killed
// process's permit lapses with its lease. Xero's own figures (remaining headers, a 429's
// Retry-After) tighten what we allow, never loosen it.
import type { XeroError} from './xero-gateway.ts';
import { isXeroError, type RateLimitProblem, type XeroRateHeadroom } from './xero-gateway.ts';

/** Xero's published limits and the windows they count over. */
export interface XeroLimits {
  /** Calls in flight at once per organisation (Xero: 5). */
  concurrentPerOrganisation: number;
  /** Per organisation per minute (Xero: 60). */
  perOrganisationMinute: number;
  /** Per organisation per day (Xero: 5,000). */
  perOrganisationDay: number;
  /** Per app per minute, across all organisations (Xero: 10,000). */
  appPerMinute: number;
  /** Length of "a minute" and "a day": shorter in tests and benchmarks against a scaled fake. */
  minuteMs: number;
  dayMs: number;
  /**
   * How long a permit stays in flight when its holder never gives it back (a killed process).
   * Longer than the HTTP timeout, or a slow call's permit would lapse while Xero still counts it.
   */
  permitLeaseMs: number;
}

export const xeroLimits: XeroLimits = {
  concurrentPerOrganisation: 5,
  perOrganisationMinute: 60,
  perOrganisationDay: 5000,
  appPerMinute: 10_000,
  minuteMs: 60_000,
  dayMs: 24 * 60 * 60_000,
  permitLeaseMs: 30_000,
};

/** Xero's limits with time scaled as the fake Xero scales it (0.01: a minute lasts 600 ms). The permit lease is real time: it covers an HTTP call. */
export function scaledXeroLimits(timeScale: number, limits: XeroLimits = xeroLimits): XeroLimits {
  if (!(timeScale > 0 && timeScale <= 1)) throw new Error(`rate_limit_scale_invalid: the time scale must be more than 0 and at most 1, got ${timeScale}`);
  return { ...limits, minuteMs: limits.minuteMs * timeScale, dayMs: limits.dayMs * timeScale };
}

export interface CallPermit {
  id: string;
  tenantId: string;
}

export type PermitRefusal = 'paused' | 'concurrent' | 'minute' | 'day' | 'app';

export type PermitDecision = { granted: true; permit: CallPermit } | { granted: false; reason: PermitRefusal; retryAt: Date };

/** The database side of the limiter (src/db/call-permits.ts). */
export interface XeroCallGate {
  /** A permit for one call to the organisation now, or when to ask again. Never waits. */
  tryAcquire(tenantId: string, holder: string): Promise<PermitDecision>;
  /** The call is over (answered, failed or timed out). */
  release(permit: CallPermit): Promise<void>;
  /** What Xero said remains after a call: lower than our own count means Xero knows better. */
  noteHeadroom(tenantId: string, headroom: XeroRateHeadroom): Promise<void>;
  /** A 429: no call to the organisation (or, for 'app', to any) before `until`. */
  pause(tenantId: string, problem: RateLimitProblem, until: Date): Promise<void>;
}

export interface RateLimitedCallOptions {
  holder: string;
  /** Wait for a permit at most this long (default 0: answer with `waiting` at once). */
  maxWaitMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** No permit for now: the organisation's limit (or a pause) holds until `retryAt`. */
export class CallDeferred extends Error {
  readonly reason: PermitRefusal;
  readonly retryAt: Date;
  constructor(reason: PermitRefusal, retryAt: Date) {
    super(`rate limit (${reason}): next call allowed at ${retryAt.toISOString()}`);
    this.name = 'CallDeferred';
    this.reason = reason;
    this.retryAt = retryAt;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for a permit (up to maxWaitMs), or throws CallDeferred with the time to come back. */
export async function acquirePermit(gate: XeroCallGate, tenantId: string, options: RateLimitedCallOptions): Promise<CallPermit> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? defaultSleep;
  const deadline = now().getTime() + (options.maxWaitMs ?? 0);
  for (;;) {
    const decision = await gate.tryAcquire(tenantId, options.holder);
    if (decision.granted) return decision.permit;
    const waitMs = decision.retryAt.getTime() - now().getTime();
    if (decision.retryAt.getTime() > deadline) throw new CallDeferred(decision.reason, decision.retryAt);
    await sleep(Math.max(5, waitMs));
  }
}

/**
 * Runs one Xero call under a permit. A 429 pauses the organisation (or the app) for Retry-After
 * and is rethrown. The permit is given back when Xero answered; a call that got no answer (a
 * timeout, a dropped connection) may still be running at Xero, so its permit rides out its lease.
 */
export async function rateLimitedCall<T>(gate: XeroCallGate, tenantId: string, options: RateLimitedCallOptions, call: () => Promise<T>): Promise<T> {
  const permit = await acquirePermit(gate, tenantId, options);
  let answered = true;
  try {
    return await call();
  } catch (error) {
    if (isXeroError(error) && error.code === 'rate_limited') await gate.pause(tenantId, error.details.problem ?? 'minute', pauseEnd(error, options.now?.() ?? new Date()));
    answered = !isXeroError(error) || !(error.code === 'timeout' || (error.code === 'xero_unavailable' && error.details.status === undefined));
    throw error;
  } finally {
    if (answered) await gate.release(permit);
  }
}

/** When a 429 says calls may resume (Retry-After; a second when Xero gave none). */
export function pauseEnd(error: XeroError, now: Date): Date {
  return new Date(now.getTime() + (error.details.retryAfterMs ?? 1000));
}
