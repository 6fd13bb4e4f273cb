// The escalation modal's submit: field problems go back inline (response_action: errors) and
// keep the modal open. A valid form is stored before Slack is acknowledged, so a case the
// reporter saw accepted survives a crash; posting it to triage comes after the acknowledgement.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { validateEscalationForm, type EscalationField, type EscalationForm, type FiledEscalation } from '../../../support/escalate.ts';
import { decodeModalOrigin } from '../../blocks/escalation-blocks.ts';
import { escalationBlocks, inputActionId, viewIds } from '../../ids.ts';
import type { ListenerDeps } from '../../listener-deps.ts';
import { escalationText, fieldErrorText } from '../../user-text.ts';
import { sendCaseErrorText } from '../../../copy/case-conversation-text.ts';

const blockOfField: Record<EscalationField, string> = {
  errorText: escalationBlocks.error,
  reportId: escalationBlocks.report,
  occurredAt: escalationBlocks.occurredAt,
  connectionId: escalationBlocks.connection,
  notes: escalationBlocks.notes,
};

const textState = z.object({ value: z.string().nullish() });
// Any number is read as a date so that an impossible one is refused by name, not as "missing".
const dateTimeState = z.object({ selected_date_time: z.number().nullish() });
const selectState = z.object({ selected_option: z.object({ value: z.string().max(64) }).nullish() });

/** Reads the modal's state; anything malformed counts as empty and is caught by validation. */
export function readEscalationForm(values: unknown): EscalationForm {
  const input = (block: string): unknown => (values as Record<string, Record<string, unknown>> | undefined)?.[block]?.[inputActionId];
  const textOf = (block: string) => {
    const parsed = textState.safeParse(input(block));
    return parsed.success ? (parsed.data.value ?? undefined) : undefined;
  };
  const when = dateTimeState.safeParse(input(escalationBlocks.occurredAt));
  const connection = selectState.safeParse(input(escalationBlocks.connection));
  return {
    errorText: textOf(escalationBlocks.error),
    reportId: textOf(escalationBlocks.report),
    occurredAt: when.success && typeof when.data.selected_date_time === 'number' ? new Date(when.data.selected_date_time * 1000) : null,
    connectionId: connection.success ? connection.data.selected_option?.value : undefined,
    notes: textOf(escalationBlocks.notes),
  };
}

export function registerEscalationSubmit(app: App, deps: ListenerDeps): void {
  app.view(viewIds.escalationModal, async ({ ack, view, body }) => {
    const form = readEscalationForm(view.state?.values);
    const problems = validateEscalationForm(form, deps.now());
    const fields = Object.keys(problems) as EscalationField[];
    if (fields.length) {
      await ack({ response_action: 'errors', errors: Object.fromEntries(fields.map((f) => [blockOfField[f], fieldErrorText[problems[f]!]])) });
      return;
    }
    const userId = body.user.id;
    const origin = decodeModalOrigin(view.private_metadata) ?? { channelId: userId, threadTs: null, articleId: null };
    let filed: FiledEscalation;
    const actor = { teamId: body.team?.id ?? view.team_id, userId };
    try {
      if (origin.conversationId) {
        // The Edit of a collected case: sent once, like its Send button.
        const sent = await deps.support.sendCase(actor, origin.conversationId, form);
        if (!sent.ok) {
          await ack({ response_action: 'errors', errors: { [escalationBlocks.error]: sendCaseErrorText[sent.error] } });
          return;
        }
        filed = sent.value;
      } else {
        filed = await deps.support.fileEscalation({
          actor,
          channelId: origin.channelId,
          threadTs: origin.threadTs,
          articleId: origin.articleId,
          form,
          reporterTimeZone: origin.timeZone ?? null,
        });
      }
    } catch (error) {
      // Not stored: the modal stays open with everything the reporter typed, and says so.
      deps.logger.error({ err: error }, 'could not store an escalation');
      await ack({ response_action: 'errors', errors: { [escalationBlocks.error]: escalationText.notSaved } });
      return;
    }
    await ack();
    await deps.postEscalation(filed);
  });
}
