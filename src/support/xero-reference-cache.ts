// Reference data (accounts, tax rates, currencies, lock dates) changes rarely, while one bad
// export often comes with dozens like it: a short per-organisation cache keeps a batch of
// diagnoses to a few Xero calls, inside the 60-a-minute limit. Concurrent misses share one call.

export const defaultReferenceTtlMs = 60_000;
/** Organisations kept at once; the least recently used goes first. */
const defaultMaxTenants = 500;

export interface ReferenceCache {
  /** The cached value for (tenant, topic), or `load()`'s, kept for the TTL. A failed load is not kept. */
  get<T>(tenantId: string, topic: string, load: () => Promise<T>): Promise<T>;
  /** Forgets an organisation's data (after we changed it, or Xero told us it changed). */
  forget(tenantId: string): void;
  /** Forgets everything (a scheduled re-read of Xero wants what Xero holds now). */
  forgetAll(): void;
}

export function createReferenceCache(options: { ttlMs?: number; maxTenants?: number; now?: () => number } = {}): ReferenceCache {
  const ttlMs = options.ttlMs ?? defaultReferenceTtlMs;
  const maxTenants = options.maxTenants ?? defaultMaxTenants;
  const now = options.now ?? Date.now;
  // tenant -> topic -> entry; Map order doubles as recency.
  const tenants = new Map<string, Map<string, { at: number; value: Promise<unknown> }>>();

  return {
    get<T>(tenantId: string, topic: string, load: () => Promise<T>): Promise<T> {
      const topics = tenants.get(tenantId) ?? new Map<string, { at: number; value: Promise<unknown> }>();
      tenants.delete(tenantId);
      tenants.set(tenantId, topics);
      while (tenants.size > maxTenants) tenants.delete(tenants.keys().next().value!);
      const hit = topics.get(topic);
      if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
      const value = load();
      const entry = { at: now(), value };
      topics.set(topic, entry);
      value.catch(() => {
        if (topics.get(topic) === entry) topics.delete(topic);
      });
      return value;
    },
    forget(tenantId) {
      tenants.delete(tenantId);
    },
    forgetAll() {
      tenants.clear();
    },
  };
}
