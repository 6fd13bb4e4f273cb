// /readyz: ready when the database answers, every committed migration is applied and the
// configured keys still open the database's key check.
import type { ReadinessProbe } from './health-routes.ts';

export interface ReadinessSource {
  ping(): Promise<void>;
  migrationStatus(): Promise<{ pending: string[] }>;
  checkKeys(): Promise<void>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function databaseReadiness(db: ReadinessSource): ReadinessProbe {
  return async () => {
    try {
      await db.ping();
    } catch (error) {
      const notChecked = { ok: false, detail: 'not checked: the database is unreachable' };
      return { database: { ok: false, detail: message(error) }, migrations: notChecked, keys: notChecked };
    }
    const { pending } = await db.migrationStatus();
    const keys = await db.checkKeys().then(
      () => ({ ok: true }),
      (error: unknown) => ({ ok: false, detail: message(error) }),
    );
    return {
      database: { ok: true },
      migrations: pending.length ? { ok: false, detail: `not applied yet: ${pending.join(', ')}` } : { ok: true },
      keys,
    };
  };
}
