// App Home for one person. Buttons that change things appear for admins only; everyone sees the
// same facts. Slack refuses a Home view of more than 100 blocks, so the sections are capped.
import type { HomeView, KnownBlock } from '@slack/types';
import { storedHealth } from '../../support/check-connection.ts';
import { homeLimits, type HomeOverview } from '../../support/home-overview.ts';
import type { ConnectionStatus, EscalationRecord } from '../../support/stores.ts';
import { actionIds } from '../ids.ts';
import { actionLabels, escalationText, homeText } from '../user-text.ts';
import { actions, button, clip, context, divider, escapeMrkdwn, header, limits, section, shortId, slackDate } from './block-kit.ts';
import { escalationStatusLine } from './escalation-blocks.ts';
import { storedLine } from './health-blocks.ts';
import { failedSyncBlocks } from './support-blocks.ts';

const needsReconnect: readonly ConnectionStatus[] = ['needs_reconnect', 'token_expired'];

export interface HomeOptions {
  isAdmin: boolean;
  /** Xero is configured: failures get Diagnose and (for admins) Retry buttons. */
  xeroConfigured?: boolean;
  /** "checked 12 minutes ago" is counted from here (default: now). */
  now?: Date;
}

function oneLine(value: string, max: number): string {
  return escapeMrkdwn(clip(value.replace(/\s+/g, ' '), max));
}

function escalationLine(e: EscalationRecord): string {
  const notes = e.notes ? `\n>_${escalationText.notes}:_ ${oneLine(e.notes, 150)}` : '';
  return `*#${shortId(e.id)}* · ${escalationStatusLine(e)} · ${escalationText.reporter(e.reporterSlackUserId)} · ${slackDate(e.createdAt)}\n>${oneLine(e.errorText, 150)}${notes}`;
}

export function buildHomeView(overview: HomeOverview, options: HomeOptions): HomeView {
  const blocks: KnownBlock[] = [header(homeText.title), section(homeText.intro), divider()];

  blocks.push(section(`*${homeText.connections}*`));
  if (!overview.connections.length) blocks.push(section(homeText.none));
  if (options.isAdmin) blocks.push(actions('home_connect', [button({ actionId: actionIds.connectXero, label: homeText.connectXero, value: 'connect' })]));
  const connections = overview.connections.slice(0, homeLimits.connections);
  for (const c of connections) {
    // The link is admin-only, so only admins see the button; it reconnects this organisation.
    const reconnect = options.isAdmin && needsReconnect.includes(c.status) ? button({ actionId: actionIds.reconnect, label: actionLabels.reconnect, value: c.id, style: 'primary' }) : undefined;
    blocks.push(section(storedLine(c, storedHealth(c), options.now ?? new Date()), reconnect));
  }
  if (overview.connections.length > connections.length) blocks.push(context(homeText.more(overview.connections.length - connections.length)));

  blocks.push(divider(), section(`*${homeText.failedSyncs}*`));
  if (!overview.failedSyncs.length) blocks.push(section(homeText.none));
  const diagnoses = new Map((overview.diagnoses ?? []).map((d) => [d.failedSyncId, d]));
  for (const sync of overview.failedSyncs) blocks.push(...failedSyncBlocks(sync, options.isAdmin, { diagnosis: diagnoses.get(sync.id), xeroConfigured: options.xeroConfigured ?? false }));
  if (overview.moreFailedSyncs) blocks.push(context(homeText.moreInList));

  blocks.push(divider(), section(`*${homeText.openEscalations}*`));
  if (!overview.openEscalations.length) blocks.push(section(homeText.none));
  for (const e of overview.openEscalations) {
    blocks.push(section(escalationLine(e)));
    if (options.isAdmin) {
      const buttons = [];
      if (e.status === 'open') buttons.push(button({ actionId: actionIds.claimEscalation, label: escalationText.claim, value: e.id, style: 'primary' }));
      buttons.push(button({ actionId: actionIds.resolveEscalation, label: escalationText.resolve, value: e.id }));
      blocks.push(actions(`home_escalation_${e.id}`, buttons));
    }
  }

  blocks.push(divider(), section(`*${homeText.myEscalations}*`));
  if (!overview.myEscalations.length) blocks.push(section(homeText.none));
  for (const e of overview.myEscalations) blocks.push(section(escalationLine(e)));

  return { type: 'home', blocks: capBlocks(blocks, limits.viewBlocks) };
}

/** Keeps a view inside Slack's block limit, saying so in the last block. */
export function capBlocks(blocks: KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(homeText.more(blocks.length - kept.length))];
}
