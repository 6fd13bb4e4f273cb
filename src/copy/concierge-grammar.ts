// `/concierge` as a small language, shared by the Slack command and the local console: the
// command name, the subcommands and their arguments, and the words that explain them. Pure.
import { z } from 'zod';
import type { RetryTarget } from '../support/failed-syncs.ts';

export const commandName = '/concierge';

/** Ids of our own records (escalations, failed syncs) as people copy them. */
export const recordIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const usageText = {
  usage: [
    `*${commandName}* — Xero fixes and support hand-off`,
    `• \`${commandName} <code or question>\` — find the fix, e.g. \`${commandName} XERO11 on my report\``,
    `• \`${commandName} status\` — health of this workspace's Xero connections`,
    `• \`${commandName} errors\` — failed exports, newest first, with Retry and Archive`,
    `• \`${commandName} retry <id|all>\` — retry one failed export or all of them (admins)`,
    `• \`${commandName} reconnect\` — reconnect Xero (admins)`,
    `• \`${commandName} disconnect <organisation>\` — disconnect an organisation from Xero, after a confirmation (admins)`,
    `• \`${commandName} escalate [error]\` — send an error to the support team`,
    `• \`${commandName} help\` — this message`,
  ].join('\n'),
  unknownSubcommand: (word: string, suggestion: string) => `Unknown subcommand \`${word}\`. Did you mean \`${commandName} ${suggestion}\`?`,
  badArguments: (problem: string) => `That did not work: ${problem}.`,
  retryNeedsTarget: 'retry needs a failed export id or `all`, e.g. `retry all`',
  retryOneTarget: 'retry takes one id or `all`',
  noArguments: (sub: string) => `\`${sub}\` takes no arguments`,
  badId: 'that does not look like a failed export id (copy it from `errors`)',
  disconnectNeedsName: 'disconnect needs the organisation, e.g. `disconnect Demo Co`',
} as const;

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
