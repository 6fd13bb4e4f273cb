// Disconnecting an organisation: an admin names it, confirms within ten minutes, and the connection
// is removed in Xero and marked disconnected here. The row stays so its exports and escalations
// keep their history. When it was the last live connection of its token set, the authorization is
// revoked at Xero and the set retired (tokens wiped, never refreshed again): nobody would use it.
// Nothing here talks to Slack: the edge renders what these return.
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import type { ConnectionAccess } from './connection-access.ts';
import type { HealthUpdate, XeroConnection, XeroTokenSetWithTokens } from './records.ts';
import { fail, ok, type Result } from './result.ts';
import { isXeroError, type XeroGateway } from './xero-gateway.ts';

/** A confirmation older than this is refused: the person may no longer mean it. */
export const disconnectConfirmMs = 10 * 60_000;

export interface DisconnectDeps extends AdminAccessDeps {
  /** Undefined when XERO_CLIENT_ID and XERO_CLIENT_SECRET are not set. */
  xero: Pick<XeroGateway, 'deleteConnection' | 'revokeToken'> | undefined;
  access: ConnectionAccess;
  xeroConnections: {
    get(id: string): Promise<XeroConnection | null>;
    listByTeam(slackTeamId: string): Promise<XeroConnection[]>;
    listByTokenSet(tokenSetId: string): Promise<XeroConnection[]>;
    updateHealth(id: string, update: HealthUpdate): Promise<XeroConnection | null>;
  };
  tokenSets: {
    getWithTokens(id: string): Promise<XeroTokenSetWithTokens | null>;
    retire(id: string, now?: Date): Promise<boolean>;
  };
  now: () => Date;
}

export type DisconnectChoice =
  /** Exactly one organisation matched: ask for confirmation, stamped with when it was asked. */
  | { kind: 'confirm'; connectionId: string; tenantName: string; requestedAt: Date }
  /** None or several matched: the names the admin can pick from. */
  | { kind: 'choose'; reason: 'unknown' | 'ambiguous'; organisations: string[] };

/** Admins: find the organisation to disconnect by name (case-insensitive), connection id or tenant id. */
export function requestDisconnect(deps: DisconnectDeps, actor: Actor, query: string): Promise<Result<DisconnectChoice, 'not_authorized'>> {
  return asAdmin(deps, actor, 'xero.disconnect_request', null, async (): Promise<Result<DisconnectChoice, never>> => {
    const connected = (await deps.xeroConnections.listByTeam(actor.teamId)).filter((c) => c.status !== 'disconnected');
    const wanted = query.trim().toLowerCase();
    const byId = connected.filter((c) => c.id === query.trim() || c.tenantId.toLowerCase() === wanted);
    const matches = byId.length ? byId : connected.filter((c) => c.tenantName.trim().toLowerCase() === wanted);
    if (matches.length === 1) return ok({ kind: 'confirm', connectionId: matches[0]!.id, tenantName: matches[0]!.tenantName, requestedAt: deps.now() });
    return ok({ kind: 'choose', reason: matches.length ? 'ambiguous' : 'unknown', organisations: connected.map((c) => c.tenantName) });
  });
}

export type DisconnectError = 'confirmation_expired' | 'connection_not_found' | 'already_disconnected' | 'xero_not_configured' | 'xero_unavailable';

// Xero no longer knows the connection (or our tokens for it): nothing left to remove there.
const goneInXero = new Set(['not_found', 'forbidden', 'tenant_not_connected', 'refresh_rejected']);

/**
 * Admins, from the confirmation button: removes the connection in Xero with a fresh token, then
 * marks it disconnected here. A transient Xero failure changes nothing, so pressing again is safe.
 */
export function confirmDisconnect(deps: DisconnectDeps, actor: Actor, connectionId: string, requestedAt: Date): Promise<Result<XeroConnection, DisconnectError | 'not_authorized'>> {
  return asAdmin(deps, actor, 'xero.disconnect', connectionId, async (): Promise<Result<XeroConnection, DisconnectError>> => {
    const age = deps.now().getTime() - requestedAt.getTime();
    if (!(age <= disconnectConfirmMs)) return fail('confirmation_expired');
    const connection = await deps.xeroConnections.get(connectionId);
    if (!connection || connection.slackTeamId !== actor.teamId) return fail('connection_not_found');
    if (connection.status === 'disconnected') return fail('already_disconnected');
    const xero = deps.xero;
    if (!xero) return fail('xero_not_configured');
    try {
      const access = await deps.access.accessFor(connection.id);
      await xero.deleteConnection(access.accessToken, connection.xeroConnectionId);
    } catch (error) {
      if (!isXeroError(error) || !goneInXero.has(error.code)) return fail('xero_unavailable');
    }
    const updated = await deps.xeroConnections.updateHealth(connection.id, { status: 'disconnected', reason: 'disconnected_by_admin', checkedAt: deps.now() });
    if (!updated) return fail('connection_not_found');
    await retireIfOrphaned(deps, xero, connection.tokenSetId);
    return ok(updated);
  });
}

/** The token set of no live connection is revoked at Xero (best effort) and retired here. */
async function retireIfOrphaned(deps: DisconnectDeps, xero: Pick<XeroGateway, 'revokeToken'>, tokenSetId: string): Promise<void> {
  const siblings = await deps.xeroConnections.listByTokenSet(tokenSetId);
  if (siblings.some((c) => c.status !== 'disconnected')) return;
  const set = await deps.tokenSets.getWithTokens(tokenSetId);
  if (!set) return;
  try {
    // A rejected set's tokens are already dead at Xero.
    if (!set.rejectedAt) await xero.revokeToken(set.tokens);
  } catch {
    // Xero unreachable: the tokens are wiped here all the same, and an unused refresh token
    // lapses at Xero within 60 days; the disconnect itself has already happened.
  }
  await deps.tokenSets.retire(tokenSetId, deps.now());
}
