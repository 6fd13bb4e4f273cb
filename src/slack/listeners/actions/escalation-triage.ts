// Claim and Resolve, on the triage message or in App Home. The change is stored before Slack is
// acknowledged; then both the triage message and the reporter's confirmation are re-rendered and
// the person who pressed is answered when it did not work.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { decodeRecordId } from '../../action-values.ts';
import { notice } from '../../blocks/support-blocks.ts';
import { actionIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { tellUser } from '../../reply.ts';
import { text, triageErrorText } from '../../user-text.ts';
import { publishHome } from '../events/app-home-opened.ts';
import { fail } from '../../../support/result.ts';
import { storeBeforeAck } from '../../store-before-ack.ts';
import { readButtonPress } from './button-context.ts';

export function registerEscalationTriage(app: App, deps: ListenerDeps): void {
  for (const [actionId, change] of [
    [actionIds.claimEscalation, 'claimEscalation'],
    [actionIds.resolveEscalation, 'resolveEscalation'],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client, context, respond }) => {
      const press = readButtonPress(body, action, context);
      const id = decodeRecordId(press.value);
      const result = await storeBeforeAck(deps.logger, ack, () => (id ? deps.support[change](press.actor, id) : Promise.resolve(fail('escalation_not_found' as const))));
      if (result.ok) await deps.support.refreshEscalationMessages(result.value);
      else {
        const message = result.error === 'not_authorized' ? text.notAuthorized : result.error === 'not_recorded' ? text.notRecorded : triageErrorText[result.error];
        await tellUser({ respond, client, userId: press.actor.userId }, notice(message), deps.logger);
      }
      if (press.inAppHome) await publishHome(deps, client, press.actor.teamId, press.actor.userId);
    });
  }
}
