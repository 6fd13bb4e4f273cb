// How use-cases reach one Xero organisation without knowing where tokens live or how they are
// refreshed: the token-refresh use-case implements it (refreshing first when the access token is
// about to lapse, once across every instance); health checks and retries only ask for a token.
import type { XeroTokenSet } from './xero-gateway.ts';

export interface TenantAccess {
  accessToken: string;
  /** Xero's tenant id, sent as xero-tenant-id. */
  tenantId: string;
  /** When the access token handed out stops working. */
  expiresAt: XeroTokenSet['expiresAt'];
}

export interface ConnectionAccess {
  /**
   * A working access token for the connection. Throws a XeroError: `refresh_rejected` when only a
   * reconnect can help (the connection is then marked needs_reconnect), or a transient code.
   */
  accessFor(connectionId: string, options?: { refused?: string }): Promise<TenantAccess>;
}
