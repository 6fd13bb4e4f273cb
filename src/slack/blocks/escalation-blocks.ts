// The escalation modal, the triage message the support team works from, and the reporter's
// confirmation. Claims and resolutions re-render the last two from the stored escalation.
import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import { escalationLimits, type EscalationDetails, type PublishError } from '../../support/escalate.ts';
import type { Result } from '../../support/result.ts';
import type { ConnectionRecord, EscalationRecord } from '../../support/stores.ts';
import { actionIds, escalationBlocks, inputActionId, viewIds } from '../ids.ts';
import { escalationText, publishErrorText, verdictText } from '../user-text.ts';
import { describeTime } from '../../copy/case-conversation-text.ts';
import type { HealthVerdict } from '../../support/check-connection.ts';
import { actions, button, clip, context, escapeMrkdwn, header, limits, quote, section, shortId, slackDate, type Blocks } from './block-kit.ts';

/** Where the escalation came from, carried through the modal in private_metadata. */
const modalOriginSchema = z.object({
  c: z.string().max(40),
  t: z.string().max(40).nullable(),
  a: z.string().max(100).nullable(),
  /** The case conversation the form edits: submitting it sends that case, once. */
  v: z.string().max(40).optional(),
  /** The reporter's IANA zone (users.info), read when the modal opened: the case shows their clock beside UTC. */
  z: z.string().max(64).optional(),
});

export interface ModalOrigin {
  channelId: string;
  threadTs: string | null;
  articleId: string | null;
  conversationId?: string | undefined;
  timeZone?: string | undefined;
}

export function encodeModalOrigin(origin: ModalOrigin): string {
  return JSON.stringify({
    c: origin.channelId,
    t: origin.threadTs,
    a: origin.articleId,
    ...(origin.conversationId ? { v: origin.conversationId } : {}),
    ...(origin.timeZone ? { z: origin.timeZone } : {}),
  });
}

export function decodeModalOrigin(metadata: string | undefined): ModalOrigin | null {
  try {
    const parsed = modalOriginSchema.safeParse(JSON.parse(metadata ?? ''));
    if (!parsed.success) return null;
    const origin: ModalOrigin = { channelId: parsed.data.c, threadTs: parsed.data.t, articleId: parsed.data.a };
    if (parsed.data.v) origin.conversationId = parsed.data.v;
    if (parsed.data.z) origin.timeZone = parsed.data.z;
    return origin;
  } catch {
    return null;
  }
}

export interface EscalationModalInput {
  origin: ModalOrigin;
  prefillError: string;
  /** What extraction found in the text the form was opened from. */
  prefill?: ModalPrefill | undefined;
  now: Date;
  /** Empty: no organisation picker (it appears via views.update once connections are loaded). */
  connections: readonly ConnectionRecord[];
}

export interface ModalPrefill {
  reportId?: string | undefined;
  occurredAt?: Date | null | undefined;
  connectionId?: string | undefined;
}

const maxSelectOptions = 100;
const optionTextLimit = 75;

export function buildEscalationModal(input: EscalationModalInput): ModalView {
  const blocks: KnownBlock[] = [
    context(escalationText.intro),
    textInput(escalationBlocks.error, escalationText.errorLabel, escalationText.errorPlaceholder, {
      multiline: true,
      initial: clip(input.prefillError.trim(), escalationLimits.errorText),
      maxLength: escalationLimits.errorText,
      optional: false,
    }),
    textInput(escalationBlocks.report, escalationText.reportLabel, escalationText.reportPlaceholder, {
      multiline: false,
      initial: clip(input.prefill?.reportId ?? '', escalationLimits.reportId),
      maxLength: escalationLimits.reportId,
      optional: true,
    }),
    {
      type: 'input',
      block_id: escalationBlocks.occurredAt,
      label: { type: 'plain_text', text: escalationText.occurredAtLabel },
      element: { type: 'datetimepicker', action_id: inputActionId, initial_date_time: Math.floor((input.prefill?.occurredAt ?? input.now).getTime() / 1000) },
    },
  ];
  if (input.connections.length) {
    const options: PlainTextOption[] = input.connections.slice(0, maxSelectOptions).map((c) => ({
      text: { type: 'plain_text', text: clip(c.tenantName, optionTextLimit) },
      value: c.id,
    }));
    blocks.push({
      type: 'input',
      block_id: escalationBlocks.connection,
      optional: true,
      label: { type: 'plain_text', text: escalationText.connectionLabel },
      element: {
        type: 'static_select',
        action_id: inputActionId,
        placeholder: { type: 'plain_text', text: escalationText.connectionPlaceholder },
        options,
        ...(options.length === 1
          ? { initial_option: options[0] }
          : options.some((o) => o.value === input.prefill?.connectionId)
            ? { initial_option: options.find((o) => o.value === input.prefill?.connectionId) }
            : {}),
      },
    });
  }
  blocks.push(
    textInput(escalationBlocks.notes, escalationText.notesLabel, escalationText.notesPlaceholder, {
      multiline: true,
      maxLength: escalationLimits.notes,
      optional: true,
    }),
  );
  return {
    type: 'modal',
    callback_id: viewIds.escalationModal,
    private_metadata: encodeModalOrigin(input.origin).slice(0, limits.privateMetadata),
    title: { type: 'plain_text', text: escalationText.modalTitle },
    submit: { type: 'plain_text', text: escalationText.submit },
    close: { type: 'plain_text', text: escalationText.cancel },
    blocks,
  };
}

function textInput(
  blockId: string,
  label: string,
  placeholder: string,
  options: { multiline: boolean; maxLength: number; optional: boolean; initial?: string },
): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: options.optional,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: inputActionId,
      multiline: options.multiline,
      max_length: options.maxLength,
      placeholder: { type: 'plain_text', text: placeholder },
      ...(options.initial ? { initial_value: options.initial } : {}),
    },
  };
}

export function escalationStatusLine(escalation: EscalationRecord): string {
  if (escalation.status === 'resolved') return escalationText.statusResolved(escalation.resolvedBySlackUserId);
  if (escalation.status === 'claimed' && escalation.assigneeSlackUserId) return escalationText.statusClaimed(escalation.assigneeSlackUserId);
  return escalationText.statusOpen;
}

/** The case as support reads it, without buttons: the triage message's body, and what the console shows. */
export function buildEscalationCaseBlocks(details: EscalationDetails, threadPermalink: string | null = null): Blocks {
  const { escalation, article } = details;
  const fields: string[] = [];
  if (escalation.codes.length) fields.push(`*${escalationText.codes}*\n${escapeMrkdwn(escalation.codes.join(', '))}`);
  if (escalation.reportId) fields.push(`*${escalationText.report}*\n${escapeMrkdwn(escalation.reportId)}`);
  if (escalation.occurredAt) {
    // The reporter's clock and UTC spelled out, beside Slack's own rendering in the reader's zone.
    const spelled = describeTime(escalation.occurredAt.toISOString(), escalation.reporterTimeZone ?? 'UTC');
    fields.push(`*${escalationText.occurredAt}*\n${slackDate(escalation.occurredAt)}\n${spelled}`);
  }
  if (details.connectionName) fields.push(`*${escalationText.connection}*\n${escapeMrkdwn(details.connectionName)}`);
  if (article) fields.push(`*${escalationText.article}*\n${escapeMrkdwn(article.title)}`);
  // The link is Slack's own permalink (chat.getPermalink); without one, the channel is named instead.
  if (escalation.threadTs) {
    fields.push(`*${escalationText.thread}*\n${threadPermalink ? `<${threadPermalink}|${escalationText.openThread}>` : `<#${escalation.channelId}>`}`);
  }
  const blocks: Blocks = [
    header(escalationText.triageTitle(shortId(escalation.id))),
    section(`${escalationText.reporter(escalation.reporterSlackUserId)}\n${escalationStatusLine(escalation)}`),
  ];
  if (fields.length) blocks.push({ type: 'section', fields: fields.map((f) => ({ type: 'mrkdwn', text: clip(f, 2000) })) });
  const verdict = escalation.connectionVerdict as HealthVerdict | null;
  if (verdict && verdict in verdictText && escalation.connectionCheckedAt) {
    const org = details.connectionName ?? escalationText.theOrganisation;
    blocks.push(context(`${escalationText.verdictAtReport}: ${verdictText[verdict](escapeMrkdwn(org), slackDate(escalation.connectionCheckedAt))} (${slackDate(escalation.connectionCheckedAt)})`));
  }
  blocks.push(...quotedSections(escalationText.error, escalation.errorText));
  if (escalation.notes) blocks.push(...quotedSections(escalationText.notes, escalation.notes));
  return blocks;
}

export function buildTriageBlocks(details: EscalationDetails, threadPermalink: string | null = null): Blocks {
  const { escalation } = details;
  const blocks = buildEscalationCaseBlocks(details, threadPermalink);
  if (escalation.status !== 'resolved') {
    const buttons = [];
    if (escalation.status === 'open') buttons.push(button({ actionId: actionIds.claimEscalation, label: escalationText.claim, value: escalation.id, style: 'primary' }));
    buttons.push(button({ actionId: actionIds.resolveEscalation, label: escalationText.resolve, value: escalation.id }));
    blocks.push(actions(`escalation_${escalation.id}`, buttons));
  }
  blocks.push(context(`${escalation.id} · ${slackDate(escalation.createdAt)}`));
  return blocks;
}

export function triageFallbackText(details: EscalationDetails): string {
  return `${escalationText.triageTitle(shortId(details.escalation.id))}: ${clip(details.escalation.errorText, 200)}`;
}

export function buildReporterConfirmation(escalation: EscalationRecord, delivery: Result<unknown, PublishError> | null): { text: string; blocks: Blocks } {
  const id = shortId(escalation.id);
  const lines: string[] = [];
  if (escalation.postedAt || delivery?.ok) lines.push(escalationText.confirmPosted(id));
  else lines.push(escalationText.confirmQueued(id, delivery && !delivery.ok ? publishErrorText[delivery.error] : publishErrorText.slack_error));
  if (escalation.status === 'claimed' && escalation.assigneeSlackUserId) lines.push(escalationText.claimedNotice(escalation.assigneeSlackUserId));
  if (escalation.status === 'resolved') lines.push(escalationText.resolvedNotice(escalation.resolvedBySlackUserId));
  return { text: lines.join('\n'), blocks: [section(lines.join('\n')), context(escalationStatusLine(escalation))] };
}

/** Error and notes can reach 3,000 characters each: split over sections rather than cut. */
function quotedSections(label: string, value: string): Blocks {
  return chunk(value, limits.sectionText - 200).map((part, i) => section(`${i === 0 ? `*${label}*\n` : ''}${quote(part, limits.sectionText - 20)}`));
}

function chunk(value: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < value.length; i += size) parts.push(value.slice(i, i + size));
  return parts.length ? parts : [''];
}
