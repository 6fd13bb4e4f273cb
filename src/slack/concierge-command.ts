// `/concierge` as a small language: parsing is pure, and each subcommand maps to one use-case
// and one reply builder. The slash-command listener and the local console both run it.
import type { Actor } from '../support/admin-access.ts';
import type { RetryTarget } from '../support/failed-syncs.ts';
import type { Result } from '../support/result.ts';
import type { SupportService } from '../support/support-service.ts';
import type { ConnectLink, ConnectLinkError } from '../support/xero-connect.ts';
import { recordIdSchema } from './action-values.ts';
import { buildAnswerBlocks, type Capabilities } from './blocks/answer-blocks.ts';
import { buildConnectionHealthReply } from './blocks/health-blocks.ts';
import { buildDisconnectReply, buildFailedSyncsReply, buildUsageReply, notice, type SlackReply } from './blocks/support-blocks.ts';
import { failedSyncErrorText, text, usageText } from './user-text.ts';

export type ConciergeCommand =
  | { kind: 'help' }
  | { kind: 'usage'; problem: string }
  | { kind: 'ask'; question: string }
  | { kind: 'status' }
  | { kind: 'errors' }
  | { kind: 'retry'; target: RetryTarget }
  | { kind: 'connect' }
  | { kind: 'reconnect' }
  | { kind: 'disconnect'; organisation: string }
  | { kind: 'escalate'; prefill: string };

const subcommands = ['help', 'status', 'errors', 'retry', 'connect', 'reconnect', 'disconnect', 'escalate'] as const;

/** How many failed syncs one `errors` reply lists. */
export const failedSyncPageSize = 10;

export function parseConciergeCommand(input: string): ConciergeCommand {
  const trimmed = input.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  const args = rest.filter(Boolean);
  switch (word) {
    case '':
    case 'help':
    case '-h':
    case '--help':
      return { kind: 'help' };
    case 'status':
    case 'errors':
    case 'connect':
    case 'reconnect':
      return args.length ? { kind: 'usage', problem: usageText.badArguments(usageText.noArguments(word)) } : { kind: word };
    case 'retry': {
      if (args.length === 0) return { kind: 'usage', problem: usageText.badArguments(usageText.retryNeedsTarget) };
      if (args.length > 1) return { kind: 'usage', problem: usageText.badArguments(usageText.retryOneTarget) };
      const target = args[0]!;
      if (target.toLowerCase() === 'all') return { kind: 'retry', target: { kind: 'all' } };
      const id = target.replace(/^`|`$/g, '');
      return recordIdSchema.safeParse(id).success
        ? { kind: 'retry', target: { kind: 'one', id } }
        : { kind: 'usage', problem: usageText.badArguments(usageText.badId) };
    }
    case 'disconnect':
      return args.length ? { kind: 'disconnect', organisation: args.join(' ') } : { kind: 'usage', problem: usageText.badArguments(usageText.disconnectNeedsName) };
    case 'escalate':
      return { kind: 'escalate', prefill: trimmed.slice(first.length).trim() };
  }
  // One word that is nearly a subcommand is a typo, not a question.
  if (args.length === 0 && /^-|^[a-z]{3,12}$/.test(word)) {
    const suggestion = subcommands.find((s) => editDistance(word, s) <= 2);
    if (word.startsWith('-') || suggestion) return { kind: 'usage', problem: usageText.unknownSubcommand(first, suggestion ?? 'help') };
  }
  return { kind: 'ask', question: trimmed };
}

/** Replies that need nothing but the knowledge base can be sent inside the acknowledgement. */
export function repliesImmediately(command: ConciergeCommand): boolean {
  return command.kind === 'help' || command.kind === 'usage' || command.kind === 'ask';
}

/** Commands that change something (queue retries, store a link's state, audit an admin attempt): stored before Slack is acknowledged. */
export function storesSomething(command: ConciergeCommand): boolean {
  return command.kind === 'retry' || command.kind === 'connect' || command.kind === 'reconnect' || command.kind === 'disconnect';
}

/** Where a command was typed: a connect link reports back there. */
export interface CommandOrigin {
  channelId: string | null;
  threadTs: string | null;
}

export async function runConciergeCommand(
  command: Exclude<ConciergeCommand, { kind: 'escalate' }>,
  actor: Actor,
  support: SupportService,
  capabilities: Capabilities,
  origin: CommandOrigin = { channelId: null, threadTs: null },
  now: Date = new Date(),
): Promise<SlackReply> {
  switch (command.kind) {
    case 'help':
      return buildUsageReply();
    case 'usage':
      return buildUsageReply(command.problem);
    case 'ask':
      return buildAnswerBlocks(support.answer(command.question), { shareable: true, capabilities });
    case 'status':
      return buildConnectionHealthReply(await support.connectionHealth(actor.teamId, { live: true }), { now, getArticle: (id) => support.getArticle(id) });
    case 'errors':
      return buildFailedSyncsReply(await support.listFailedSyncs(actor.teamId, failedSyncPageSize));
    case 'retry': {
      const result = await support.retryFailedSyncs(actor, command.target, { source: 'command', channelId: origin.channelId, threadTs: origin.threadTs, timeZone: null });
      if (result.ok) return notice(text.retryQueued(result.value.queued));
      return notice(result.error === 'not_authorized' ? text.notAuthorized : failedSyncErrorText[result.error]);
    }
    case 'connect':
    case 'reconnect':
      return connectLinkReply(await support.connectLink(actor, command.kind, origin), command.kind);
    case 'disconnect': {
      const result = await support.requestDisconnect(actor, command.organisation);
      return result.ok ? buildDisconnectReply(command.organisation, result.value) : notice(text.notAuthorized);
    }
  }
}

/** The link, or why there is none; always for the asker's eyes only. */
export function connectLinkReply(result: Result<ConnectLink, ConnectLinkError | 'not_recorded'>, purpose: 'connect' | 'reconnect'): SlackReply {
  if (result.ok) return notice(text.connectLink(purpose, result.value.url));
  const problems: Record<ConnectLinkError | 'not_recorded', string> = {
    not_authorized: text.notAuthorized,
    connection_not_found: text.connectionNotFound,
    xero_not_configured: text.xeroNotConfigured,
    not_recorded: text.notRecorded,
  };
  return notice(problems[result.error]);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
