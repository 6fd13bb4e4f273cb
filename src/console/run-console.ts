// The local console: reads questions and `/concierge ...` commands line by line and prints what
// the Slack app would reply, as text. `/concierge escalate` asks for the modal's fields in turn.
// The buttons it prints are pressed by typing their number or name (console-buttons.ts).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../logger.ts';
import { commandName, parseConciergeCommand } from '../copy/concierge-grammar.ts';
import { escalationText, fieldErrorText, text } from '../copy/user-text.ts';
import type { Capabilities } from '../support/capabilities.ts';
import { consoleActor } from '../support/console-workspace.ts';
import { validateEscalationForm, type EscalationField, type EscalationForm } from '../support/escalate.ts';
import type { SupportService } from '../support/support-service.ts';
import { answerText } from './answer-text.ts';
import { caseText } from './case-text.ts';
import { pressedButton, pressHint, type ConsoleReply, type PrintedButton } from './console-buttons.ts';
import { mrkdwnToText } from './render-blocks-as-text.ts';
import { commandReply } from './slack-command-replies.ts';

/** The escalation form's fields the console asks for, in order (it has no Xero connections to pick). */
const askedFields = ['errorText', 'reportId', 'occurredAt', 'notes'] as const satisfies readonly EscalationField[];
type AskedField = (typeof askedFields)[number];

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  support: SupportService;
  /** Which buttons can work in this deployment; the console prints only those. */
  capabilities: Capabilities;
  logger: Logger;
  now?: () => Date;
  /** Show a "> " prompt (when a person is typing, not a pipe). */
  prompt?: boolean;
}

export const consoleText = {
  prompt: '> ',
  escalateIntro: 'Escalating to the support team. Answer each question: Enter accepts the suggestion in [brackets] or skips an optional one; type cancel at any question to stop.',
  optionalHint: 'optional, Enter to skip',
  whenHint: 'YYYY-MM-DD HH:MM, Enter for now',
  badDate: 'Use YYYY-MM-DD HH:MM, e.g. 2025-03-14 09:30.',
  cancelWord: 'cancel',
  cancelled: 'Escalation cancelled: nothing was filed.',
  filed:
    "Filed in the console's own database (console.db in the data folder). The console is a sandbox: its cases are never posted to Slack, not even once the bot is connected.",
  unknownSlash: (word: string) => `Only ${commandName} works here, not ${word}.`,
  slackOnly: (label: string) => `"${label}" works in Slack only; the console cannot press it.`,
} as const;

/** Local date-time "YYYY-MM-DD HH:MM" (or an ISO string); null when unreadable. */
export function parseConsoleDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(value.trim());
  const date = match
    ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]))
    : new Date(value.trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "YYYY-MM-DD HH:MM" in this machine's zone, the form parseConsoleDate reads. */
export function formatConsoleDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export async function runConsole(options: ConsoleOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  const rl = createInterface({ input: options.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const write = (value: string) => options.output.write(value.endsWith('\n') ? value : `${value}\n`);
  // The buttons of the latest reply: the ones a typed number or name can press.
  let buttons: PrintedButton[] = [];
  /** A reply as Slack would show it, then how to press its buttons here. */
  const show = (reply: ConsoleReply) => {
    write(reply.text);
    buttons = reply.buttons;
    if (buttons.length) write(pressHint(buttons));
  };
  const nextLine = async (question?: string): Promise<string | null> => {
    if (question) options.output.write(question);
    const next = await lines.next();
    return next.done ? null : next.value;
  };

  /** How each field is asked and what an answer means; a string is why the answer was refused. */
  const questions: Record<AskedField, { prompt(form: EscalationForm): string; read(line: string): Partial<EscalationForm> | string }> = {
    errorText: {
      prompt: (form) => `${escalationText.errorLabel}${form.errorText ? ` [${form.errorText}]` : ''}: `,
      read: (line) => (line.trim() ? { errorText: line } : {}),
    },
    reportId: {
      prompt: (form) => `${escalationText.reportLabel}${form.reportId ? ` [${form.reportId}]` : ''} (${consoleText.optionalHint}): `,
      // Enter keeps what was read from the pasted error, if anything.
      read: (line) => (line.trim() ? { reportId: line.trim() } : {}),
    },
    occurredAt: {
      prompt: (form) => `${escalationText.occurredAtLabel}${suggestedTime ? ` [${formatConsoleDate(form.occurredAt ?? now())}]` : ''} (${consoleText.whenHint}): `,
      read: (line) => {
        if (!line.trim()) return { occurredAt: suggestedTime ?? now() };
        const date = parseConsoleDate(line);
        return date ? { occurredAt: date } : consoleText.badDate;
      },
    },
    notes: {
      prompt: () => `${escalationText.notesLabel} (${consoleText.optionalHint}): `,
      read: (line) => ({ notes: line.trim() || undefined }),
    },
  };

  /** A time read from the pasted error, offered as the default answer. */
  let suggestedTime: Date | null = null;

  async function escalate(prefill: string): Promise<void> {
    write(consoleText.escalateIntro);
    // The report and the time in the pasted text are offered, read in this machine's zone.
    const read = prefill.trim()
      ? await options.support.prefillEscalation(consoleActor.teamId, prefill, Intl.DateTimeFormat().resolvedOptions().timeZone, now())
      : null;
    suggestedTime = read?.occurredAt ?? null;
    const form: EscalationForm = { errorText: prefill || undefined, reportId: read?.reportId, occurredAt: suggestedTime ?? now(), connectionId: read?.connectionId, notes: undefined };
    // Re-asks until the answer passes the modal's own checks, so a refused answer never sticks.
    const ask = async (field: AskedField): Promise<boolean> => {
      for (;;) {
        const line = await nextLine(questions[field].prompt(form));
        if (line === null || line.trim().toLowerCase() === consoleText.cancelWord) return false;
        const answer = questions[field].read(line);
        if (typeof answer === 'string') {
          write(answer);
          continue;
        }
        const problem = validateEscalationForm({ ...form, ...answer }, now())[field];
        if (problem) {
          write(fieldErrorText[problem]);
          continue;
        }
        Object.assign(form, answer);
        return true;
      }
    };
    let fields: readonly AskedField[] = askedFields;
    while (fields.length) {
      for (const field of fields) {
        if (!(await ask(field))) return void write(consoleText.cancelled);
      }
      // Each answer passed on its own; this only catches what the clock changed meanwhile.
      const problems = validateEscalationForm(form, now());
      fields = askedFields.filter((field) => problems[field]);
      for (const field of fields) write(fieldErrorText[problems[field]!]);
    }
    // Stored only: console cases stay in the console's own database and are never published.
    const filed = await options.support.fileEscalation({
      actor: consoleActor,
      channelId: consoleActor.userId,
      threadTs: null,
      articleId: null,
      form,
      // The times were typed in this machine's zone; the case shows it beside UTC.
      reporterTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    const submitted = await options.support.describeEscalation(filed.escalation);
    // The case as support would read it.
    show({ text: caseText(submitted), buttons: [] });
    write(consoleText.filed);
  }

  /** Does what the Slack button does, through the same use-case. */
  async function press(button: PrintedButton): Promise<void> {
    const pressed = button.press;
    switch (pressed.kind) {
      case 'feedback': {
        const { a, q } = pressed.ref;
        const outcome = await options.support.recordFeedback({
          slackTeamId: consoleActor.teamId,
          slackUserId: consoleActor.userId,
          question: q,
          articleId: a,
          helpful: pressed.helpful,
          channelId: null,
          messageTs: null,
        });
        return void write(mrkdwnToText(text.feedbackCounted(pressed.helpful, outcome)));
      }
      case 'escalate':
        return escalate(pressed.ref?.q ?? '');
      case 'article': {
        const answer = options.support.answerWithArticle(pressed.ref.a, pressed.ref.q);
        return answer ? show(answerText(answer, options.capabilities)) : void write(text.articleGone);
      }
      case 'command':
        return show(await commandReply(pressed.command, options.support, options.capabilities));
      case 'slack_only':
        return void write(consoleText.slackOnly(button.label));
    }
  }

  async function handle(line: string): Promise<void> {
    const trimmed = line.trim();
    const button = pressedButton(trimmed, buttons);
    if (button) return press(button);
    if (!trimmed.startsWith('/')) return show(answerText(options.support.answer(trimmed), options.capabilities));
    const [word = ''] = trimmed.split(/\s+/);
    if (word !== commandName) return void write(consoleText.unknownSlash(word));
    const command = parseConciergeCommand(trimmed.slice(word.length));
    if (command.kind === 'escalate') return escalate(command.prefill);
    show(await commandReply(command, options.support, options.capabilities));
  }

  for (;;) {
    const line = await nextLine(options.prompt ? consoleText.prompt : undefined);
    if (line === null) break;
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (trimmed === 'exit' || trimmed === 'quit') break;
    try {
      await handle(trimmed);
    } catch (error) {
      options.logger.error({ err: error }, 'console command failed');
      write(text.internalError);
    }
    write('');
  }
  rl.close();
}
