// Xero's API limits as the fake enforces them, and the counters tests and benchmarks read:
// per organisation 5 calls in progress, 60 a minute, 5,000 a day; 10,000 a minute for the app.
// The minute limits are sliding (no more than 60 calls in ANY 60 s), the strictest reading, so a
// client that passes here passes however Xero aligns its windows; the day is one fixed window.
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

/** Accepted calls' times, oldest first, for a limit over any span of `length` ms. */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  /** Calls within (now - length, now]. */
  count(now: number, length: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - length) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** When the oldest call in the span leaves it. */
  freesAt(length: number): number {
    return (this.times[this.head] ?? 0) + length;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

export class RateLimits {
  limits: FakeXeroLimits;
  timeScale: number;
  private tenants = new Map<string, Tenant>();
  private windows = new Map<string, Window>();
  private sliding = new Map<string, SlidingWindow>();

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

  private slidingWindow(name: string): SlidingWindow {
    let w = this.sliding.get(name);
    if (!w) {
      w = new SlidingWindow();
      this.sliding.set(name, w);
    }
    return w;
  }

  /** The remaining-calls headers as they stand, without counting a call. */
  remaining(tenantId: string, now: number): Record<string, string> {
    const day = this.window(`day:${tenantId}`, xeroDayMs * this.timeScale, now);
    const app = this.slidingWindow('appminute').count(now, this.minuteMs);
    const minute = this.slidingWindow(`minute:${tenantId}`).count(now, this.minuteMs);
    return {
      'x-daylimit-remaining': String(Math.max(0, this.limits.day - day.count)),
      'x-appminlimit-remaining': String(Math.max(0, this.limits.appMinute - app)),
      'x-minlimit-remaining': String(Math.max(0, this.limits.minute - minute)),
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
    const day = this.window(`day:${tenantId}`, xeroDayMs * this.timeScale, now);
    if (day.count >= this.limits.day) throw refuse('day', day.resetsIn, 'Rate limit exceeded: day');
    const app = this.slidingWindow('appminute');
    if (app.count(now, this.minuteMs) >= this.limits.appMinute) throw refuse('appminute', app.freesAt(this.minuteMs) - now, 'Rate limit exceeded: appminute');
    const minute = this.slidingWindow(`minute:${tenantId}`);
    if (minute.count(now, this.minuteMs) >= this.limits.minute) throw refuse('minute', minute.freesAt(this.minuteMs) - now, 'Rate limit exceeded: minute');
    day.count += 1;
    app.add(now);
    minute.add(now);
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
