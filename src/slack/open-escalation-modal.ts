// Opens the escalation modal. views.open is the first call made: the trigger_id Slack gives us
// expires about 3 seconds after the click, so the organisation picker (which needs the
// database) and the reporter's time zone (users.info, carried to the submit in private_metadata)
// are added afterwards with views.update.
import type { WebClient } from '@slack/web-api';
import { buildEscalationModal, type ModalOrigin, type ModalPrefill } from './blocks/escalation-blocks.ts';
import type { ListenerDeps } from './listener-deps.ts';
import { userTimeZone } from './user-time-zone.ts';
import { describeSlackError } from './web-api-errors.ts';

export interface OpenModalRequest {
  client: WebClient;
  triggerId: string;
  teamId: string;
  origin: ModalOrigin;
  /** Who is filing: the case shows the time of failure in their zone beside UTC. */
  reporterId: string;
  prefillError: string;
  /** Already known (the Edit of a collected case). */
  prefill?: ModalPrefill | undefined;
  /** Read the report, time and organisation out of this text, in the user's zone, after opening. */
  extractFrom?: { text: string; userId: string; sentAt: Date } | undefined;
}

/** True when the modal opened. */
export async function openEscalationModal(deps: ListenerDeps, request: OpenModalRequest): Promise<boolean> {
  const log = deps.logger.child({ component: 'escalation-modal' });
  const input = { origin: request.origin, prefillError: request.prefillError, prefill: request.prefill, now: deps.now(), connections: [] };
  let opened;
  try {
    opened = await request.client.views.open({ trigger_id: request.triggerId, view: buildEscalationModal(input) });
  } catch (error) {
    const { code, detail } = describeSlackError(error);
    log.warn({ code, slackError: detail }, 'could not open the escalation modal');
    return false;
  }
  try {
    const connections = await deps.support.listConnections(request.teamId);
    // The Edit of a collected case keeps the conversation's zone; any other form reads the reporter's.
    const reporterZone = request.origin.conversationId ? undefined : await userTimeZone(request.client, request.reporterId, deps.logger);
    let prefill = request.prefill;
    if (request.extractFrom?.text.trim()) {
      const { text, userId, sentAt } = request.extractFrom;
      const timeZone = userId === request.reporterId && reporterZone ? reporterZone : await userTimeZone(request.client, userId, deps.logger);
      const form = await deps.support.prefillEscalation(request.teamId, text, timeZone, sentAt);
      prefill = { reportId: form.reportId, occurredAt: form.occurredAt, connectionId: form.connectionId };
    }
    const found = prefill && (prefill.reportId || prefill.occurredAt || prefill.connectionId);
    if ((connections.length || found || reporterZone) && opened.view?.id) {
      await request.client.views.update({
        view_id: opened.view.id,
        ...(opened.view.hash ? { hash: opened.view.hash } : {}),
        view: buildEscalationModal({ ...input, origin: { ...request.origin, timeZone: reporterZone }, prefill, connections }),
      });
    }
  } catch (error) {
    // The modal works without the picker; the escalation just carries no organisation.
    log.warn({ err: error }, 'could not add the organisation picker to the escalation modal');
  }
  return true;
}
