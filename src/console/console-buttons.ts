// The buttons a console reply prints, and how a person presses one there: by typing its number or
// its name. Each press does what the Slack button does, through the same use-cases; a button the
// console cannot run says so, so nobody types at a button that cannot work.
import type { ConciergeCommand } from '../copy/concierge-grammar.ts';

/** The answer a button belongs to: its article (null when none was found) and the question. */
export interface AnswerRef {
  a: string | null;
  q: string;
}

/** What pressing a button means in the console. */
export type ConsolePress =
  | { kind: 'feedback'; helpful: boolean; ref: AnswerRef }
  | { kind: 'escalate'; ref: AnswerRef | null }
  | { kind: 'article'; ref: AnswerRef & { a: string } }
  | { kind: 'command'; command: Exclude<ConciergeCommand, { kind: 'escalate' }> }
  | { kind: 'slack_only' };

export interface PrintedButton {
  label: string;
  press: ConsolePress;
}

/** A reply as the console prints it: text, then the buttons it offers. */
export interface ConsoleReply {
  text: string;
  buttons: PrintedButton[];
}

/** The line printed under a reply with buttons: how to press each, and which only work in Slack. */
export function pressHint(buttons: readonly PrintedButton[]): string {
  const listed = buttons.map((b, i) => `${i + 1} ${b.label}${b.press.kind === 'slack_only' ? ' (in Slack only)' : ''}`);
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

/** Buttons as the console prints them: "[Retry] [Escalate]". */
export function buttonRow(buttons: readonly PrintedButton[]): string {
  return buttons.map((b) => `[${b.label}]`).join(' ');
}
