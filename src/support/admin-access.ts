// Who may change things: retry, reconnect, archive, claim and resolve are for admins only, and
// every attempt (allowed or refused) lands in the audit log.
import { fail, type Result } from './result.ts';
import type { AuditLog } from './stores.ts';

export interface Actor {
  teamId: string;
  userId: string;
}

export interface AdminPolicy {
  adminUserIds: readonly string[];
  adminUsergroupId: string | undefined;
}

/** Members of a Slack user group; the Slack layer answers it (and caches it). */
export interface UsergroupDirectory {
  members(teamId: string, usergroupId: string): Promise<readonly string[]>;
}

export interface AdminAccessDeps {
  policy: AdminPolicy;
  usergroups: UsergroupDirectory;
  audit: AuditLog;
}

/** Audit action names: dotted verbs. */
export type AdminAction = 'failed_sync.retry' | 'failed_sync.archive' | 'failed_sync.restore_contact' | 'xero.connect' | 'xero.reconnect' | 'xero.disconnect_request' | 'xero.disconnect' | 'escalation.claim' | 'escalation.resolve';

export async function isAdmin(deps: Pick<AdminAccessDeps, 'policy' | 'usergroups'>, actor: Actor): Promise<boolean> {
  if (deps.policy.adminUserIds.includes(actor.userId)) return true;
  if (!deps.policy.adminUsergroupId) return false;
  const members = await deps.usergroups.members(actor.teamId, deps.policy.adminUsergroupId);
  return members.includes(actor.userId);
}

/** Who the audit log names when a request carried no user (or team) id. */
export const unknownActor = '(unknown)';

/**
 * Runs `work` only for admins. Every attempt is audited once, after the fact, with its outcome:
 * denied, ok, or failed with the error code.
 */
export async function asAdmin<T, E extends string>(
  deps: AdminAccessDeps,
  actor: Actor,
  action: AdminAction,
  target: string | null,
  work: () => Promise<Result<T, E>>,
): Promise<Result<T, E | 'not_authorized'>> {
  // Payloads are client data: a missing id must still leave a refused attempt in the audit log.
  const who = { teamId: typeof actor.teamId === 'string' && actor.teamId ? actor.teamId : unknownActor, userId: typeof actor.userId === 'string' && actor.userId ? actor.userId : unknownActor };
  let allowed = false;
  if (who.userId !== unknownActor) {
    try {
      allowed = await isAdmin(deps, actor);
    } catch {
      // Fail closed: without the group's members we cannot tell, so we refuse.
      allowed = false;
    }
  }
  if (!allowed) {
    await deps.audit.append({ slackTeamId: who.teamId, actor: who.userId, action, target, details: { outcome: 'denied' } });
    return fail('not_authorized');
  }
  const result = await work();
  await deps.audit.append({
    slackTeamId: actor.teamId,
    actor: actor.userId,
    action,
    target,
    details: result.ok ? { outcome: 'ok' } : { outcome: 'failed', error: result.error },
  });
  return result;
}
