// Diagnose on a failed export (`/concierge errors`, App Home): acknowledged at once because Xero
// may take longer than Slack's 3 seconds; the diagnosis (and anything it moved on by itself, stored
// before this reply) follows as an ephemeral message, or a DM from App Home.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeRecordId } from '../../action-values.ts';
import { buildDiagnosisReply, diagnoseErrorText } from '../../blocks/diagnosis-blocks.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { text } from '../../user-text.ts';
import { publishHome } from '../events/app-home-opened.ts';
import { readButtonPress, retryOriginOf } from './button-context.ts';

export function registerDiagnoseFailedSync(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>({ action_id: actionIds.diagnoseSync }, async ({ ack, body, action, client, context, respond }) => {
    await ack();
    const press = readButtonPress(body, action, context);
    const reply = { respond, client, userId: press.actor.userId };
    const id = decodeRecordId(press.value);
    if (!id) return tellUser(reply, notice(diagnoseErrorText.failed_sync_not_found), deps.logger);
    try {
      const origin = retryOriginOf(press, 'diagnosis');
      const [result, canRestore] = await Promise.all([deps.support.diagnoseFailure(press.actor, id, origin), deps.support.isAdmin(press.actor)]);
      await tellUser(reply, buildDiagnosisReply(result, { now: deps.now(), canRestore }), deps.logger);
      if (press.inAppHome && result.ok) await publishHome(deps, client, press.actor.teamId, press.actor.userId);
    } catch (error) {
      deps.logger.error({ err: error, code: 'diagnosis_failed', failedSyncId: id }, 'could not diagnose a failed export');
      await tellUser(reply, notice(text.internalError), deps.logger);
    }
  });
}
