// A stand-in ConnectionAccess until token refresh lands (worktree xtokens): it hands out the
// stored access token as it is, never refreshing. A connection already marked needs_reconnect
// answers refresh_rejected, as the real one will. Replace this one file when merging.
import type { ConnectionAccess } from './connection-access.ts';
import type { XeroConnectionWithTokens } from './records.ts';
import { XeroError } from './xero-gateway.ts';

export function storedConnectionAccess(connections: { getWithTokens(id: string): Promise<XeroConnectionWithTokens | null> }): ConnectionAccess {
  return {
    async accessFor(connectionId) {
      const connection = await connections.getWithTokens(connectionId);
      if (!connection) throw new XeroError('tenant_not_connected', `connection ${connectionId} is not stored`);
      if (connection.status === 'needs_reconnect') throw new XeroError('refresh_rejected', 'the stored token set was refused before: reconnect');
      return { accessToken: connection.tokens.accessToken, tenantId: connection.tenantId, expiresAt: connection.tokens.expiresAt };
    },
  };
}
