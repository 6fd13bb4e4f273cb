// Xero connection health as stored in the database. Live checks and reconnecting need the Xero
// integration, which is not configured yet: those answer so instead of pretending.
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import { fail, type Result } from './result.ts';
import type { ConnectionRecord, ConnectionStore } from './stores.ts';

export interface ConnectionDeps extends AdminAccessDeps {
  connections: ConnectionStore;
}

export function listConnections(deps: ConnectionDeps, teamId: string): Promise<ConnectionRecord[]> {
  return deps.connections.listByTeam(teamId);
}

export type ReconnectError = 'not_authorized' | 'xero_not_configured';

/** Admin-only; always xero_not_configured until the Xero integration lands. */
export function reconnectXero(deps: ConnectionDeps, actor: Actor): Promise<Result<never, ReconnectError>> {
  return asAdmin(deps, actor, 'xero.reconnect', null, async () => fail('xero_not_configured'));
}
