// "Restore contact in Xero" on a failure whose contact is archived: admins only, audited. The
// request is checked and audited before Slack is acknowledged; the Xero write follows, and looks
// at the contact first so pressing twice (or after a crash) never writes twice. Once the contact
// is ACTIVE, every export of that organisation waiting on this contact is queued for a retry under
// one request that reports to the admin, and the pressed one is diagnosed again for the reply.
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import { diagnoseFailure, documentOf, type DiagnoseDeps, type DiagnoseError, type FailureDiagnosis } from './diagnose-failure.ts';
import type { FailedSync, RetryRequestInput } from './records.ts';
import { fail, ok, type Result } from './result.ts';
import { maxRetryBatch } from './retry-requests.ts';
import { isXeroError, type XeroContactState, type XeroGateway } from './xero-gateway.ts';
import { CallDeferred } from './xero-rate-limits.ts';

export interface RestoreContactDeps extends AdminAccessDeps, DiagnoseDeps {
  xeroWrites: Pick<XeroGateway, 'restoreContact'>;
  /** One organisation's exports waiting for a fix of this cause, newest first. */
  waitingForCause(connectionId: string, errorCode: string, limit: number): Promise<FailedSync[]>;
  /** Queues exports whose cause is gone under one retry request reporting to `where`; the ids queued. */
  queueFixed(slackTeamId: string, ids: readonly string[], where: RetryRequestInput | null): Promise<string[]>;
}

export type RestoreContactError = DiagnoseError | 'not_authorized' | 'contact_not_found' | 'contact_not_restorable';

export interface RestoreTarget {
  failedSyncId: string;
  connectionId: string;
  contact: { contactId?: string; name?: string };
}

/** Admins only, audited: checks the failure is about a contact. Call before acknowledging. */
export function requestContactRestore(deps: RestoreContactDeps, actor: Actor, failedSyncId: string): Promise<Result<RestoreTarget, RestoreContactError>> {
  return asAdmin(deps, actor, 'failed_sync.restore_contact', failedSyncId, async () => {
    const failure = await deps.failedSyncs.get(failedSyncId);
    if (!failure || failure.slackTeamId !== actor.teamId) return fail('failed_sync_not_found');
    if (failure.errorCode !== 'CONTACT_NOT_FOUND') return fail('not_diagnosable');
    if (!failure.connectionId) return fail('no_connection');
    const contact = documentOf(failure.payload)?.Contact as { ContactID?: unknown; Name?: unknown } | undefined;
    const contactId = typeof contact?.ContactID === 'string' ? contact.ContactID : undefined;
    const name = typeof contact?.Name === 'string' ? contact.Name : undefined;
    if (!contactId && !name) return fail('contact_not_found');
    return ok({ failedSyncId, connectionId: failure.connectionId, contact: contactId ? { contactId } : { name: name! } });
  });
}

export interface RestoredContact {
  /** False when the contact was already ACTIVE (restored earlier, or by someone in Xero). */
  restored: boolean;
  contactName: string;
  /** Exports queued for a retry because the contact is active now (the pressed one and others using the contact). */
  queued: number;
  diagnosis: FailureDiagnosis;
}

/** The export's contact is this Xero contact: by id, or by name when the export names it only. */
function usesContact(failure: Pick<FailedSync, 'payload'>, contact: XeroContactState): boolean {
  const named = documentOf(failure.payload)?.Contact as { ContactID?: unknown; Name?: unknown } | undefined;
  if (typeof named?.ContactID === 'string') return named.ContactID.toLowerCase() === contact.contactId.toLowerCase();
  return typeof named?.Name === 'string' && named.Name.trim().toLowerCase() === contact.name.trim().toLowerCase();
}

/**
 * Sets the archived contact back to ACTIVE in Xero, audits the write, queues every waiting export
 * that uses it (reporting to `where`, else the admin's DM) and re-diagnoses the pressed failure.
 */
export async function restoreContact(deps: RestoreContactDeps, actor: Actor, target: RestoreTarget, where?: RetryRequestInput | null): Promise<Result<RestoredContact, RestoreContactError>> {
  let restored = false;
  let active: XeroContactState;
  try {
    const access = await deps.access.accessFor(target.connectionId);
    const current = await deps.xero.findContact(access.accessToken, access.tenantId, target.contact);
    if (!current) return fail('contact_not_found');
    active = current;
    if (current.status === 'ARCHIVED') {
      const after = await deps.xeroWrites.restoreContact(access.accessToken, access.tenantId, current.contactId);
      restored = after.status === 'ACTIVE';
      active = after;
      await deps.audit.append({
        slackTeamId: actor.teamId,
        actor: actor.userId,
        action: 'xero.contact_restored',
        target: current.contactId,
        details: { failedSyncId: target.failedSyncId, status: after.status },
      });
    } else if (current.status !== 'ACTIVE') return fail('contact_not_restorable');
  } catch (error) {
    if (error instanceof CallDeferred) return fail('xero_unavailable');
    if (!isXeroError(error)) throw error;
    return fail(['refresh_rejected', 'unauthorized', 'tenant_not_connected', 'forbidden'].includes(error.code) ? 'needs_reconnect' : 'xero_unavailable');
  }
  let queued: string[] = [];
  if (active.status === 'ACTIVE') {
    const waiting = await deps.waitingForCause(target.connectionId, 'CONTACT_NOT_FOUND', maxRetryBatch);
    const ids = waiting.filter((f) => f.slackTeamId === actor.teamId && (f.id === target.failedSyncId || usesContact(f, active))).map((f) => f.id);
    queued = await deps.queueFixed(actor.teamId, ids, where ?? { slackTeamId: actor.teamId, source: 'restore', slackUserId: actor.userId });
  }
  // Read only: the retry is queued above, under the one request for every export of this contact.
  const diagnosis = await diagnoseFailure(deps, target.failedSyncId, { teamId: actor.teamId, requeue: false });
  if (!diagnosis.ok) return diagnosis;
  const value = queued.includes(target.failedSyncId) ? { ...diagnosis.value, action: 'queued_retry' as const } : diagnosis.value;
  return ok({ restored, contactName: active.name, queued: queued.length, diagnosis: value });
}
