// Xero connection health as stored in the database.
import type { AdminAccessDeps } from './admin-access.ts';
import type { ConnectionRecord, ConnectionStore } from './stores.ts';

export interface ConnectionDeps extends AdminAccessDeps {
  connections: ConnectionStore;
}

export function listConnections(deps: ConnectionDeps, teamId: string): Promise<ConnectionRecord[]> {
  return deps.connections.listByTeam(teamId);
}
