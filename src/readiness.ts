// /readyz: ready when the database answers and every committed migration is applied.
import type { ReadinessProbe } from './health-routes.ts';

export interface ReadinessSource {
  ping(): Promise<void>;
  migrationStatus(): Promise<{ pending: string[] }>;
}

export function databaseReadiness(db: ReadinessSource): ReadinessProbe {
  return async () => {
    try {
      await db.ping();
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { database: { ok: false, detail }, migrations: { ok: false, detail: 'not checked: the database is unreachable' } };
    }
    const { pending } = await db.migrationStatus();
    return {
      database: { ok: true },
      migrations: pending.length ? { ok: false, detail: `not applied yet: ${pending.join(', ')}` } : { ok: true },
    };
  };
}
