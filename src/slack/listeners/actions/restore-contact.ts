// "Restore contact in Xero" (admins): the press is checked and audited before Slack is
// acknowledged; the Xero write follows (it may take longer than 3 seconds) and looks at the contact
// first, so a second press writes nothing. The reply carries the new diagnosis: queued for a retry.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeRecordId } from '../../action-values.ts';
import { buildDiagnosisReply, diagnoseErrorText, restoreErrorText } from '../../blocks/diagnosis-blocks.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { diagnosisText, text } from '../../user-text.ts';
import type { RestoreContactError } from '../../../support/restore-contact.ts';
import { publishHome } from '../events/app-home-opened.ts';
import { readButtonPress, retryOriginOf } from './button-context.ts';

function problemText(error: RestoreContactError | 'xero_not_configured' | 'not_recorded'): string {
  if (error === 'not_authorized') return text.notAuthorized;
  if (error === 'not_recorded') return text.notRecorded;
  if (error === 'contact_not_found' || error === 'contact_not_restorable') return restoreErrorText[error];
  return diagnoseErrorText[error];
}

export function registerRestoreContact(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ action_id: actionIds.restoreContact }, async ({ ack, body, action, client, context, respond }) => {
    const press = readButtonPress(body, action, context);
    const reply = { respond, client, userId: press.actor.userId };
    const id = decodeRecordId(press.value);
    if (!id) {
      await ack();
      return tellUser(reply, notice(diagnoseErrorText.failed_sync_not_found), deps.logger);
    }
    const request = await storeBeforeAck(deps.logger, ack, () => deps.support.requestContactRestore(press.actor, id));
    if (!request.ok) return tellUser(reply, notice(problemText(request.error)), deps.logger);
    try {
      const origin = retryOriginOf(press, 'restore');
      const restored = await deps.support.restoreContact(press.actor, request.value, origin);
      if (!restored.ok) return await tellUser(reply, notice(problemText(restored.error)), deps.logger);
      const { contactName, diagnosis, queued } = restored.value;
      const done = restored.value.restored ? diagnosisText.restored(contactName) : diagnosisText.alreadyActive(contactName);
      const outcome = queued ? `${done} ${diagnosisText.queuedWithContact(queued)}` : done;
      const diagnosed = buildDiagnosisReply({ ok: true, value: diagnosis }, { now: deps.now(), canRestore: true });
      await tellUser(reply, { text: `${outcome}\n${diagnosed.text}`, blocks: [...notice(outcome).blocks, ...diagnosed.blocks] }, deps.logger);
      if (press.inAppHome) await publishHome(deps, client, press.actor.teamId, press.actor.userId);
    } catch (error) {
      deps.logger.error({ err: error, code: 'contact_restore_failed', failedSyncId: id }, 'could not restore a contact in Xero');
      await tellUser(reply, notice(text.internalError), deps.logger);
    }
  });
}
