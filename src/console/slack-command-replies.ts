// The one place the console still reads Slack replies: the `/concierge` subcommands (status,
// errors, retry, connect, disconnect, help) are rendered by their Slack builders and printed as
// text. Answers and cases have their own console text (answer-text.ts, case-text.ts); giving
// these commands theirs too would let the lint rule cover this file as well.
import type { KnownBlock } from '@slack/types';
import type { ConciergeCommand } from '../copy/concierge-grammar.ts';
import { consoleActor } from '../support/console-workspace.ts';
import type { Capabilities } from '../support/capabilities.ts';
import type { SupportService } from '../support/support-service.ts';
import { decodeAnswerRef, decodeRecordId } from '../slack/action-values.ts';
import { runConciergeCommand } from '../slack/concierge-command.ts';
import { actionIds } from '../slack/ids.ts';
import type { ConsolePress, ConsoleReply, PrintedButton } from './console-buttons.ts';
import { renderBlocksAsText } from './render-blocks-as-text.ts';

function pressOf(actionId: string, value: string | undefined): ConsolePress {
  const ref = decodeAnswerRef(value);
  switch (actionId) {
    case actionIds.feedbackHelpful:
    case actionIds.feedbackNotHelpful:
      return ref ? { kind: 'feedback', helpful: actionId === actionIds.feedbackHelpful, ref } : { kind: 'slack_only' };
    case actionIds.escalate:
      return { kind: 'escalate', ref };
    case actionIds.retryFailed:
    case actionIds.retryAllSyncs:
      return { kind: 'command', command: { kind: 'retry', target: { kind: 'all' } } };
    case actionIds.retrySync: {
      const id = decodeRecordId(value);
      return id ? { kind: 'command', command: { kind: 'retry', target: { kind: 'one', id } } } : { kind: 'slack_only' };
    }
    case actionIds.showFailedSyncs:
      return { kind: 'command', command: { kind: 'errors' } };
    case actionIds.checkConnection:
      return { kind: 'command', command: { kind: 'status' } };
    case actionIds.reconnect:
      return { kind: 'command', command: { kind: 'reconnect' } };
    default:
      return { kind: 'slack_only' };
  }
}

/** Every button of the reply, in the order printed. */
function printedButtons(blocks: readonly KnownBlock[]): PrintedButton[] {
  const buttons: PrintedButton[] = [];
  for (const block of blocks) {
    const elements = block.type === 'actions' ? block.elements : block.type === 'section' && block.accessory ? [block.accessory] : [];
    for (const e of elements) {
      if (e.type === 'button') buttons.push({ label: e.text.text, press: pressOf(e.action_id ?? '', e.value) });
    }
  }
  return buttons;
}

export async function commandReply(command: Exclude<ConciergeCommand, { kind: 'escalate' }>, support: SupportService, capabilities: Capabilities): Promise<ConsoleReply> {
  const { blocks } = await runConciergeCommand(command, consoleActor, support, capabilities);
  return { text: renderBlocksAsText(blocks), buttons: printedButtons(blocks) };
}
