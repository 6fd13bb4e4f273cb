// Xero's API limits as the fake enforces them, and the counters tests and benchmarks read:
// per organisation 5 calls in progress, 60 a minute, 5,000 a day; 10,000 a minute for the app.
// `timeScale` shrinks every window (0.01 makes a Xero minute 600 ms) so a benchmark can drive
// many "minutes" quickly; Retry-After is then scaled too, in fractional seconds.
import { Refusal } from './refusal.ts';

export const xeroMinuteMs = 60_000;
export const xeroDayMs = 24 * 60 * xeroMinuteMs;

export interface FakeXeroLimits {
  /** Per organisation per minute (Xero: 60). */
  minute: number;
  /** Per organisation per day (Xero: 5000). */
  day: number;
  /** Per app across organisations per minute (Xero: 10,000). */
  appMinute: number;
  /** Calls in progress per organisation (Xero: 5). */
  concurrent: number;
}

export const xeroLimits: FakeXeroLimits = { minute: 60, day: 5000, appMinute: 10_000, concurrent: 5 };

export type LimitProblem = 'minute' | 'day' | 'appminute' | 'concurrent';

export interface TenantCounters {
  /** API calls that reached the organisation (refused ones included). */
  calls: number;
  /** The most calls in progress at once. */
  maxConcurrent: number;
  /** The most calls that arrived within any one (scaled) minute. */
  maxPerMinute: number;
  /** 429s sent, by the limit that was hit. */
  tooManyRequests: Record<LimitProblem, number>;
}

interface Tenant extends TenantCounters {
  inFlight: number;
  /** Arrival times inside the last (scaled) minute, oldest first. */
  recent: number[];
}

interface Window {
  start: number;
  count: number;
}

export class RateLimits {
  limits: FakeXeroLimits;
  timeScale: number;
  private tenants = new Map<string, Tenant>();
  private windows = new Map<string, Window>();

  constructor(limits: Partial<FakeXeroLimits> = {}, timeScale = 1) {
    this.limits = { ...xeroLimits, ...limits };
    this.timeScale = timeScale;
  }

  /** A person-readable line: how long one of Xero's minutes lasts here. */
  describeScale(): string {
    const minuteMs = Math.round(xeroMinuteMs * this.timeScale);
    return this.timeScale === 1 ? 'time scale 1 (real time: a Xero minute lasts 60 s)' : `time scale ${this.timeScale} (a Xero minute lasts ${minuteMs} ms, a day ${Math.round(xeroDayMs * this.timeScale)} ms)`;
  }

  get minuteMs(): number {
    return xeroMinuteMs * this.timeScale;
  }

  private tenant(tenantId: string): Tenant {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { calls: 0, maxConcurrent: 0, maxPerMinute: 0, tooManyRequests: { minute: 0, day: 0, appminute: 0, concurrent: 0 }, inFlight: 0, recent: [] };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  /** A call for the organisation arrived; it stays in progress until `leave`. */
  enter(tenantId: string, now: number): void {
    const tenant = this.tenant(tenantId);
    tenant.calls += 1;
    tenant.inFlight += 1;
    tenant.maxConcurrent = Math.max(tenant.maxConcurrent, tenant.inFlight);
    const since = now - this.minuteMs;
    while (tenant.recent.length && tenant.recent[0]! <= since) tenant.recent.shift();
    tenant.recent.push(now);
    tenant.maxPerMinute = Math.max(tenant.maxPerMinute, tenant.recent.length);
  }

  leave(tenantId: string): void {
    const tenant = this.tenants.get(tenantId);
    if (tenant) tenant.inFlight = Math.max(0, tenant.inFlight - 1);
  }

  private retryAfter(ms: number): string {
    // Xero sends whole seconds; a scaled fake needs fractions to stay meaningful.
    if (this.timeScale === 1) return String(Math.max(1, Math.ceil(ms / 1000)));
    return String(Math.max(0.001, Math.ceil(ms) / 1000));
  }

  private window(name: string, lengthMs: number, now: number): Window & { resetsIn: number } {
    let w = this.windows.get(name);
    if (!w || now - w.start >= lengthMs) {
      w = { start: now, count: 0 };
      this.windows.set(name, w);
    }
    return Object.assign(w, { resetsIn: w.start + lengthMs - now });
  }

  /** The remaining-calls headers as they stand, without counting a call. */
  remaining(tenantId: string, now: number): Record<string, string> {
    const day = this.window(`day:${tenantId}`, xeroDayMs * this.timeScale, now);
    const app = this.window('appminute', this.minuteMs, now);
    const minute = this.window(`minute:${tenantId}`, this.minuteMs, now);
    return {
      'x-daylimit-remaining': String(Math.max(0, this.limits.day - day.count)),
      'x-appminlimit-remaining': String(Math.max(0, this.limits.appMinute - app.count)),
      'x-minlimit-remaining': String(Math.max(0, this.limits.minute - minute.count)),
    };
  }

  /** Counts one call against the limits: the headers to answer with, or a 429 Refusal. */
  take(tenantId: string, now: number): Record<string, string> {
    const tenant = this.tenant(tenantId);
    const refuse = (problem: LimitProblem, retryAfterMs: number, detail: string) => {
      tenant.tooManyRequests[problem] += 1;
      return new Refusal(
        429,
        { Title: 'Too Many Requests', Status: 429, Detail: detail },
        { ...this.remaining(tenantId, now), 'retry-after': this.retryAfter(retryAfterMs), 'x-rate-limit-problem': problem },
        `${problem} limit`,
      );
    };
    if (tenant.inFlight > this.limits.concurrent) throw refuse('concurrent', 1000 * this.timeScale, 'Concurrent request limit exceeded');
    const checks = [
      { problem: 'day' as const, limit: this.limits.day, w: this.window(`day:${tenantId}`, xeroDayMs * this.timeScale, now) },
      { problem: 'appminute' as const, limit: this.limits.appMinute, w: this.window('appminute', this.minuteMs, now) },
      { problem: 'minute' as const, limit: this.limits.minute, w: this.window(`minute:${tenantId}`, this.minuteMs, now) },
    ];
    const hit = checks.find((c) => c.w.count >= c.limit);
    if (hit) throw refuse(hit.problem, hit.w.resetsIn, `Rate limit exceeded: ${hit.problem}`);
    for (const c of checks) c.w.count += 1;
    return this.remaining(tenantId, now);
  }

  counters(): Record<string, TenantCounters> {
    return Object.fromEntries(
      [...this.tenants].map(([id, t]) => [id, { calls: t.calls, maxConcurrent: t.maxConcurrent, maxPerMinute: t.maxPerMinute, tooManyRequests: { ...t.tooManyRequests } }]),
    );
  }

  /** Starts the counters afresh (limits windows and calls in progress are kept). */
  resetCounters(): void {
    for (const t of this.tenants.values()) {
      Object.assign(t, { calls: 0, maxConcurrent: t.inFlight, maxPerMinute: 0, tooManyRequests: { minute: 0, day: 0, appminute: 0, concurrent: 0 }, recent: [] });
    }
  }
}
