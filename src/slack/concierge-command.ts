// Each `/concierge` subcommand mapped to one use-case and one reply builder (the grammar itself is
// src/copy/concierge-grammar.ts). The slash-command listener and the local console both run it.
import type { Answer } from '../knowledge/answer.ts';
import type { Actor } from '../support/admin-access.ts';
import type { Result } from '../support/result.ts';
import type { SupportService } from '../support/support-service.ts';
import type { ConnectLink, ConnectLinkError } from '../support/xero-connect.ts';
import { buildAnswerBlocks, type Capabilities } from './blocks/answer-blocks.ts';
import { buildConnectionHealthReply } from './blocks/health-blocks.ts';
import { buildDisconnectReply, buildFailedSyncsReply, buildUsageReply, notice, type SlackReply } from './blocks/support-blocks.ts';
import { failedSyncErrorText, text } from './user-text.ts';
import { failedSyncPageSize, type ConciergeCommand } from '../copy/concierge-grammar.ts';

// The grammar moved out of the Slack layer; these names stay importable from here.
export { failedSyncPageSize, parseConciergeCommand, repliesImmediately, storesSomething, type ConciergeCommand } from '../copy/concierge-grammar.ts';

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
      return answerReply(support.answer(command.question), capabilities);
    case 'status': {
      const [view, webhooks] = await Promise.all([support.connectionHealth(actor.teamId, { live: true }), support.webhookHealth(actor.teamId)]);
      return buildConnectionHealthReply(view, { now, getArticle: (id) => support.getArticle(id), webhooks });
    }
    case 'errors': {
      const page = await support.listFailedSyncs(actor.teamId, failedSyncPageSize);
      const diagnoses = await support.storedDiagnoses(page.items.map((sync) => sync.id));
      return buildFailedSyncsReply(page, { diagnoses, xeroConfigured: capabilities.xero });
    }
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

/** An answer to `/concierge <question>`: shareable in the channel, with the buttons that can work here. */
export function answerReply(answer: Answer, capabilities: Capabilities): SlackReply {
  return buildAnswerBlocks(answer, { shareable: true, capabilities });
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
