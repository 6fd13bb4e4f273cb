// Xero's limits on the call-permit primitive: one scope per organisation ("org:<tenantId>") with
// its concurrency, minute and day windows, and the app-wide minute shared by all of them.
import { callPermits, type CallPermitOptions, type CallPermits } from '../call-permits.ts';
import type { DbClient } from '../prisma-client.ts';
import type { DatabaseProvider } from '../schema-files.ts';
import type { CallPermit, PermitDecision, XeroCallGate, XeroLimits } from '../../support/xero-rate-limits.ts';

const appScope = 'app';
const organisationScope = (tenantId: string) => `org:${tenantId}`;

export interface XeroCallGateRepository extends XeroCallGate {
  /** Forgets permits too old to count against any window. */
  prune(now?: Date): Promise<number>;
  readonly limits: XeroLimits;
}

export function createXeroCallGate(prisma: DbClient, provider: DatabaseProvider, limits: XeroLimits, options: CallPermitOptions & { now?: () => Date } = {}): XeroCallGateRepository {
  const permits: CallPermits = callPermits(prisma, provider, options);
  const now = options.now ?? (() => new Date());
  const scopeLimits = {
    concurrent: limits.concurrentPerOrganisation,
    leaseMs: limits.permitLeaseMs,
    windows: [
      { limit: limits.perOrganisationMinute, ms: limits.minuteMs, reported: 'minute' as const },
      { limit: limits.perOrganisationDay, ms: limits.dayMs, reported: 'day' as const },
    ],
  };
  // Room for what other processes grant between two recounts of the app-wide minute.
  const shared = { scope: appScope, limit: limits.appPerMinute, ms: limits.minuteMs, reserve: Math.ceil(limits.appPerMinute * 0.02) };

  return {
    limits,
    async tryAcquire(tenantId, holder): Promise<PermitDecision> {
      const grant = await permits.acquire({ scope: organisationScope(tenantId), holder, now: now(), limits: scopeLimits, shared });
      if (grant.granted) return { granted: true, permit: { id: grant.id, tenantId } };
      const reason = grant.reason === 'shared' ? 'app' : grant.reason === 'window' ? (grant.window === 0 ? 'minute' : 'day') : grant.reason;
      return { granted: false, reason, retryAt: grant.retryAt };
    },

    release(permit: CallPermit) {
      return permits.release(permit.id, now());
    },

    async noteHeadroom(tenantId, headroom) {
      const at = now();
      // Xero's figures matter once they run low; noting them then (with more room left than calls
      // can be in flight) still stops us in time, and spares a write on every call.
      const low = (remaining: number | undefined, threshold: number) => remaining !== undefined && remaining <= threshold;
      if (low(headroom.minuteRemaining, limits.concurrentPerOrganisation * 2) || low(headroom.dayRemaining, limits.concurrentPerOrganisation * 20)) {
        await permits.noteRemaining(organisationScope(tenantId), { minute: headroom.minuteRemaining, day: headroom.dayRemaining }, at);
      }
      // The app row is everyone's: written only when the app minute runs low.
      if (headroom.appMinuteRemaining !== undefined && headroom.appMinuteRemaining < limits.appPerMinute * 0.1) {
        await permits.noteRemaining(appScope, { minute: headroom.appMinuteRemaining }, at);
      }
    },

    pause(tenantId, problem, until) {
      return permits.pause(problem === 'app' ? appScope : organisationScope(tenantId), until, problem, now());
    },

    prune(at = now()) {
      return permits.prune(new Date(at.getTime() - limits.dayMs - limits.permitLeaseMs));
    },
  };
}
