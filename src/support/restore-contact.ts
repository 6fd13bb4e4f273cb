// "Restore contact in Xero" on a failure whose contact is archived: admins only, audited. The
// request is checked and audited before Slack is acknowledged; the Xero write follows, and looks
// at the contact first so pressing twice (or after a crash) never writes twice. Once the contact
// is ACTIVE the failure is diagnosed again, which moves it to ready-to-retry.
import { asAdmin, type Actor, type AdminAccessDeps } from './admin-access.ts';
import { diagnoseFailure, documentOf, type DiagnoseDeps, type DiagnoseError, type FailureDiagnosis } from './diagnose-failure.ts';
import { fail, ok, type Result } from './result.ts';
import { isXeroError, type XeroGateway } from './xero-gateway.ts';
import { CallDeferred } from './xero-rate-limits.ts';

export interface RestoreContactDeps extends AdminAccessDeps, DiagnoseDeps {
  xeroWrites: Pick<XeroGateway, 'restoreContact'>;
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
  diagnosis: FailureDiagnosis;
}

/** Sets the archived contact back to ACTIVE in Xero, audits the write, and re-diagnoses the failure. */
export async function restoreContact(deps: RestoreContactDeps, actor: Actor, target: RestoreTarget): Promise<Result<RestoredContact, RestoreContactError>> {
  let restored = false;
  let contactName: string;
  try {
    const access = await deps.access.accessFor(target.connectionId);
    const current = await deps.xero.findContact(access.accessToken, access.tenantId, target.contact);
    if (!current) return fail('contact_not_found');
    contactName = current.name;
    if (current.status === 'ARCHIVED') {
      const after = await deps.xeroWrites.restoreContact(access.accessToken, access.tenantId, current.contactId);
      restored = after.status === 'ACTIVE';
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
  const diagnosis = await diagnoseFailure(deps, target.failedSyncId, { teamId: actor.teamId });
  return diagnosis.ok ? ok({ restored, contactName, diagnosis: diagnosis.value }) : diagnosis;
}
