// The words of the case conversation, shared by Slack and the console: the question for what is
// missing, the summary people confirm, and what happens after Send. Plain text with *bold*, which
// both Slack mrkdwn and a terminal read well.
import type { CollectedCase, MissingField } from '../support/case-conversation.ts';
import type { SendCaseError } from '../support/collect-case.ts';

const fieldNames: Record<MissingField, string> = {
  message: 'the full error message',
  report: 'which report (name or ID) it was',
  time: 'roughly when it failed',
  org: 'which organisation',
};

/** "Which report was it, and roughly when?" for the fields still missing. */
export function askFor(missing: readonly MissingField[]): string {
  const has = (f: MissingField) => missing.includes(f);
  if (has('report') && has('time') && missing.length === 2) return 'Which report was it, and roughly when did it fail?';
  if (missing.length === 1 && has('report')) return 'Which report was it (its name or ID)?';
  if (missing.length === 1 && has('time')) return 'Roughly when did it fail (for example "today at 9:40" or "yesterday 3pm")?';
  if (missing.length === 1 && has('message')) return 'Could you paste the full error message, exactly as it appears?';
  if (missing.length === 1 && has('org')) return 'Which organisation was it in?';
  const names = missing.map((f) => fieldNames[f]);
  return `Could you tell me ${names.slice(0, -1).join(', ')}${names.length > 1 ? ' and ' : ''}${names[names.length - 1]}?`;
}

export const caseText = {
  intro: 'If it persists, support can look into it. Here is what I have so far:',
  nothingYet: 'Nothing yet.',
  replyHint: 'Reply in this thread; say "cancel" to stop.',
  summaryIntro: 'Here is the case I will send to support:',
  send: 'Send to support',
  edit: 'Edit',
  cancelled: 'OK, I have stopped collecting this case. Nothing was sent.',
  sent: (caseRef: string) => `Sent to support as case ${caseRef}.`,
  sentMessage: 'Sent to support.',
  labels: { codes: 'Codes', message: 'Error', report: 'Report', time: 'When', org: 'Organisation' },
  assumed: (order: string) => `(read as ${order})`,
} as const;

export const sendCaseErrorText: Record<SendCaseError, string> = {
  case_not_found: 'I cannot find that case any more. Start again by pasting the error.',
  case_not_ready: 'That case is still missing details: answer the question in the thread first.',
  case_already_sent: 'This case was already sent to support; it is filed once.',
  case_cancelled: 'That case was cancelled. Paste the error again to start a new one.',
  case_expired: 'That case expired (cases wait a day). Paste the error again to start a new one.',
  not_the_reporter: 'Only the person who reported this error can send it.',
  case_incomplete: 'The case needs the error and when it failed. Press Edit to fill them in.',
};

/** The collected fields as "label: value" lines, in the order support reads them. */
export function summaryLines(fields: CollectedCase, timeZone: string): string[] {
  const lines: string[] = [];
  const l = caseText.labels;
  if (fields.codes.length) lines.push(`*${l.codes}:* ${fields.codes.join(', ')}`);
  if (fields.message) lines.push(`*${l.message}:* ${fields.message}`);
  if (fields.report) lines.push(`*${l.report}:* ${fields.report}`);
  if (fields.time) lines.push(`*${l.time}:* ${describeTime(fields.time, timeZone)}${fields.assumedOrder ? ` ${caseText.assumed(fields.assumedOrder)}` : ''}`);
  if (fields.org) lines.push(`*${l.org}:* ${fields.org}`);
  return lines;
}

/** "20 Nov 2026, 14:05 Europe/London (14:05 UTC)": the reporter's clock and support's. */
export function describeTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return timeZone === 'UTC' ? `${format('UTC')} UTC` : `${format(timeZone)} ${timeZone} (${format('UTC')} UTC)`;
}
