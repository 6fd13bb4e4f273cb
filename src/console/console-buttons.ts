// The buttons a console reply prints, and how a person presses one there: by typing its number or
// its name. Each press does what the Slack button does, through the same use-cases; a button the
// console cannot run says so, so nobody types at a button that cannot work.
import type { KnownBlock } from '@slack/types';
import { decodeAnswerRef, decodeRecordId, type AnswerRef } from '../slack/action-values.ts';
import type { ConciergeCommand } from '../copy/concierge-grammar.ts';
import { actionIds, closestArticleActionIds } from '../slack/ids.ts';

export interface PrintedButton {
  label: string;
  actionId: string;
  value: string | undefined;
}

/** What pressing a button means in the console. */
export type ConsolePress =
  | { kind: 'feedback'; helpful: boolean; ref: AnswerRef }
  | { kind: 'escalate'; ref: AnswerRef | null }
  | { kind: 'article'; ref: AnswerRef & { a: string } }
  | { kind: 'command'; command: Exclude<ConciergeCommand, { kind: 'escalate' }> }
  | { kind: 'slack_only' };

/** Every button of the reply, in the order printed. */
export function printedButtons(blocks: readonly KnownBlock[]): PrintedButton[] {
  const buttons: PrintedButton[] = [];
  for (const block of blocks) {
    const elements = block.type === 'actions' ? block.elements : block.type === 'section' && block.accessory ? [block.accessory] : [];
    for (const e of elements) {
      if (e.type === 'button') buttons.push({ label: e.text.text, actionId: e.action_id ?? '', value: e.value });
    }
  }
  return buttons;
}

const closestIds: ReadonlySet<string> = new Set(closestArticleActionIds);

export function consolePress(button: PrintedButton): ConsolePress {
  const ref = decodeAnswerRef(button.value);
  switch (button.actionId) {
    case actionIds.feedbackHelpful:
    case actionIds.feedbackNotHelpful:
      return ref ? { kind: 'feedback', helpful: button.actionId === actionIds.feedbackHelpful, ref } : { kind: 'slack_only' };
    case actionIds.escalate:
      return { kind: 'escalate', ref };
    case actionIds.retryFailed:
    case actionIds.retryAllSyncs:
      return { kind: 'command', command: { kind: 'retry', target: { kind: 'all' } } };
    case actionIds.retrySync: {
      const id = decodeRecordId(button.value);
      return id ? { kind: 'command', command: { kind: 'retry', target: { kind: 'one', id } } } : { kind: 'slack_only' };
    }
    case actionIds.showFailedSyncs:
      return { kind: 'command', command: { kind: 'errors' } };
    case actionIds.checkConnection:
      return { kind: 'command', command: { kind: 'status' } };
    case actionIds.reconnect:
      return { kind: 'command', command: { kind: 'reconnect' } };
    default:
      if (closestIds.has(button.actionId) && ref?.a) return { kind: 'article', ref: { ...ref, a: ref.a } };
      return { kind: 'slack_only' };
  }
}

/** The line printed under a reply with buttons: how to press each, and which only work in Slack. */
export function pressHint(buttons: readonly PrintedButton[]): string {
  const listed = buttons.map((b, i) => `${i + 1} ${b.label}${consolePress(b).kind === 'slack_only' ? ' (in Slack only)' : ''}`);
  return `To press a button, type its number or its name: ${listed.join(' · ')}`;
}

/** The button a typed line presses, if any: its number, or its name with or without the brackets. */
export function pressedButton(line: string, buttons: readonly PrintedButton[]): PrintedButton | null {
  const typed = line.trim().replace(/^\[(.*)\]$/, '$1').trim();
  if (/^\d{1,2}$/.test(typed)) return buttons[Number(typed) - 1] ?? null;
  const named = buttons.filter((b) => b.label.toLowerCase() === typed.toLowerCase());
  // Several rows can share a name ("Retry"); only a number tells them apart.
  return named.length === 1 ? named[0]! : null;
}
