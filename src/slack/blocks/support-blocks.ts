// Replies about connections and failed exports, and the short notices (usage, refusals, results)
// that `/concierge` and the buttons answer with.
import type { Button, KnownBlock } from '@slack/types';
import { diagnosisCauseOf, type FailureDiagnosis } from '../../support/diagnose-failure.ts';
import { storedDiagnosisContext } from './diagnosis-blocks.ts';
import type { FailedSyncPage } from '../../support/failed-syncs.ts';
import type { FailedSyncRecord } from '../../support/stores.ts';
import type { DisconnectChoice } from '../../support/disconnect-xero.ts';
import { encodeDisconnectRef } from '../action-values.ts';
import { actionIds } from '../ids.ts';
import { diagnosisText, text, usageText } from '../user-text.ts';
import { actions, button, clip, context, escapeMrkdwn, header, section, slackDate, type Blocks } from './block-kit.ts';

export interface SlackReply {
  text: string;
  blocks: Blocks;
}

/** A one-paragraph reply; `text` doubles as the notification text. */
export function notice(mrkdwn: string): SlackReply {
  return { text: mrkdwn, blocks: [section(mrkdwn)] };
}

export function buildUsageReply(problem?: string): SlackReply {
  const body = problem ? `${problem}\n\n${usageText.usage}` : usageText.usage;
  return { text: problem ?? usageText.usage, blocks: [section(body)] };
}

export function failedSyncLine(sync: FailedSyncRecord): string {
  const code = sync.errorCode ? `\`${escapeMrkdwn(sync.errorCode)}\` · ` : '';
  return [
    `*${escapeMrkdwn(clip(sync.externalReference, 200))}* (${escapeMrkdwn(sync.kind)})`,
    escapeMrkdwn(clip(sync.errorMessage.replace(/\s+/g, ' '), 300)),
    `${code}failed ${slackDate(sync.occurredAt)} · id \`${sync.id}\``,
  ].join('\n');
}

/** What a failure line can add: its last stored diagnosis, and Diagnose and Retry when Xero is configured. */
export interface FailedSyncExtras {
  diagnosis?: FailureDiagnosis | undefined;
  xeroConfigured?: boolean;
}

export function failedSyncBlocks(sync: FailedSyncRecord, withButtons: boolean, extras: FailedSyncExtras = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [section(failedSyncLine(sync))];
  if (extras.diagnosis) blocks.push(storedDiagnosisContext(extras.diagnosis));
  const buttons: Button[] = [];
  // Diagnosing only reads Xero: everyone may.
  if (extras.xeroConfigured && diagnosisCauseOf(sync.errorCode)) buttons.push(button({ actionId: actionIds.diagnoseSync, label: diagnosisText.diagnose, value: sync.id }));
  // Without Xero nothing would re-send the export, so only Archive is offered.
  if (withButtons && extras.xeroConfigured) buttons.push(button({ actionId: actionIds.retrySync, label: text.retry, value: sync.id }));
  if (withButtons) buttons.push(button({ actionId: actionIds.archiveSync, label: text.archive, value: sync.id }));
  if (buttons.length) blocks.push(actions(`sync_${sync.id}`, buttons));
  return blocks;
}

export function buildFailedSyncsReply(page: FailedSyncPage, options: { diagnoses?: readonly FailureDiagnosis[]; xeroConfigured?: boolean } = {}): SlackReply {
  if (!page.items.length) return notice(text.noFailedSyncs);
  const blocks: Blocks = [header(text.failedSyncsTitle)];
  const diagnoses = new Map((options.diagnoses ?? []).map((d) => [d.failedSyncId, d]));
  for (const sync of page.items) blocks.push(...failedSyncBlocks(sync, true, { diagnosis: diagnoses.get(sync.id), xeroConfigured: options.xeroConfigured ?? false }));
  if (page.hasMore) blocks.push(context(text.moreFailedSyncs(page.items.length)));
  if (options.xeroConfigured) blocks.push(actions('failed_syncs_all', [button({ actionId: actionIds.retryAllSyncs, label: text.retryAll, value: 'all', style: 'primary' })]));
  return { text: `${text.failedSyncsTitle}: ${page.items.length}${page.hasMore ? '+' : ''}`, blocks };
}

/** `/concierge disconnect <name>`: the confirmation with Disconnect / Cancel, or the names to pick from. */
export function buildDisconnectReply(query: string, choice: DisconnectChoice): SlackReply {
  if (choice.kind === 'choose') return notice(text.disconnectWhich(escapeMrkdwn(query), choice.reason, choice.organisations.map(escapeMrkdwn)));
  const message = text.disconnectConfirm(escapeMrkdwn(choice.tenantName));
  const value = encodeDisconnectRef(choice);
  return {
    text: message,
    blocks: [
      section(message),
      actions('xero_disconnect', [
        button({ actionId: actionIds.confirmDisconnect, label: text.disconnect, value, style: 'danger' }),
        button({ actionId: actionIds.cancelDisconnect, label: text.cancel, value }),
      ]),
    ],
  };
}
