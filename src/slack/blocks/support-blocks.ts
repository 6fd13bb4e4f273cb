// Replies about connections and failed exports, and the short notices (usage, refusals, results)
// that `/concierge` and the buttons answer with.
import type { KnownBlock } from '@slack/types';
import type { FailedSyncPage } from '../../support/failed-syncs.ts';
import type { FailedSyncRecord } from '../../support/stores.ts';
import type { DisconnectChoice } from '../../support/disconnect-xero.ts';
import { encodeDisconnectRef } from '../action-values.ts';
import { actionIds } from '../ids.ts';
import { text, usageText } from '../user-text.ts';
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

export function failedSyncBlocks(sync: FailedSyncRecord, withButtons: boolean): KnownBlock[] {
  const blocks: KnownBlock[] = [section(failedSyncLine(sync))];
  if (withButtons) {
    blocks.push(
      actions(`sync_${sync.id}`, [
        button({ actionId: actionIds.retrySync, label: text.retry, value: sync.id }),
        button({ actionId: actionIds.archiveSync, label: text.archive, value: sync.id }),
      ]),
    );
  }
  return blocks;
}

export function buildFailedSyncsReply(page: FailedSyncPage): SlackReply {
  if (!page.items.length) return notice(text.noFailedSyncs);
  const blocks: Blocks = [header(text.failedSyncsTitle)];
  for (const sync of page.items) blocks.push(...failedSyncBlocks(sync, true));
  if (page.hasMore) blocks.push(context(text.moreFailedSyncs(page.items.length)));
  blocks.push(actions('failed_syncs_all', [button({ actionId: actionIds.retryAllSyncs, label: text.retryAll, value: 'all', style: 'primary' })]));
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
