// Retry and Archive on each failed export, and Retry all, from `/concierge errors` or App Home.
// The change (and its audit entry) is stored before Slack is acknowledged.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeRecordId } from '../../action-values.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { failedSyncErrorText, text } from '../../user-text.ts';
import { publishHome } from '../events/app-home-opened.ts';
import type { FailedSyncError } from '../../../support/failed-syncs.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { readButtonPress, retryOriginOf } from './button-context.ts';

function failureText(error: FailedSyncError | 'not_recorded'): string {
  return error === 'not_authorized' ? text.notAuthorized : error === 'not_recorded' ? text.notRecorded : failedSyncErrorText[error];
}

export function registerFailedSyncButtons(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { action_id: new RegExp(`^(${actionIds.retrySync}|${actionIds.retryAllSyncs}|${actionIds.archiveSync})$`) },
    async ({ ack, body, action, client, context, respond }) => {
      const press = readButtonPress(body, action, context);
      const id = decodeRecordId(press.value);
      let message: string;
      if (action.action_id === actionIds.retryAllSyncs || (action.action_id === actionIds.retrySync && id)) {
        const target = action.action_id === actionIds.retryAllSyncs ? ({ kind: 'all' } as const) : ({ kind: 'one', id: id! } as const);
        const origin = retryOriginOf(press, 'button');
        const result = await storeBeforeAck(deps.logger, ack, () => deps.support.retryFailedSyncs(press.actor, target, origin));
        message = result.ok ? text.retryQueued(result.value.queued) : failureText(result.error);
      } else if (action.action_id === actionIds.archiveSync && id) {
        const result = await storeBeforeAck(deps.logger, ack, () => deps.support.archiveFailedSync(press.actor, id));
        message = result.ok ? text.archived(result.value.externalReference) : failureText(result.error);
      } else {
        await ack();
        message = failedSyncErrorText.failed_sync_not_found;
      }
      await tellUser({ respond, client, userId: press.actor.userId }, notice(message), deps.logger);
      if (press.inAppHome) await publishHome(deps, client, press.actor.teamId, press.actor.userId);
    },
  );
}
