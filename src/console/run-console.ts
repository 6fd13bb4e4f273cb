// The local console: reads questions and `/concierge ...` commands line by line and prints what
// the Slack app would reply, as text. `/concierge escalate` asks for the modal's fields in turn.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Logger } from '../logger.ts';
import { buildAnswerBlocks } from '../slack/blocks/answer-blocks.ts';
import { buildEscalationCaseBlocks, buildReporterConfirmation } from '../slack/blocks/escalation-blocks.ts';
import { parseConciergeCommand, runConciergeCommand } from '../slack/concierge-command.ts';
import { commandName } from '../slack/ids.ts';
import { escalationText, fieldErrorText, text } from '../slack/user-text.ts';
import type { Actor } from '../support/admin-access.ts';
import { validateEscalationForm, type EscalationField, type EscalationForm } from '../support/escalate.ts';
import type { SupportService } from '../support/support-service.ts';
import { renderBlocksAsText } from './render-blocks-as-text.ts';

export const consoleActor: Actor = { teamId: 'local', userId: 'console' };

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  support: SupportService;
  logger: Logger;
  now?: () => Date;
  /** Show a "> " prompt (when a person is typing, not a pipe). */
  prompt?: boolean;
}

export const consoleText = {
  prompt: '> ',
  escalateIntro: 'Escalating to the support team. Answer each question; press Enter to accept the suggestion in [brackets].',
  whenHint: 'YYYY-MM-DD HH:MM, Enter for now',
  badDate: 'Use YYYY-MM-DD HH:MM, e.g. 2025-03-14 09:30.',
  cancelled: 'Escalation cancelled: nothing was saved.',
  unknownSlash: (word: string) => `Only ${commandName} works here, not ${word}.`,
} as const;

/** Local date-time "YYYY-MM-DD HH:MM" (or an ISO string); null when unreadable. */
export function parseConsoleDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(value.trim());
  const date = match
    ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]))
    : new Date(value.trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

export async function runConsole(options: ConsoleOptions): Promise<void> {
  const now = options.now ?? (() => new Date());
  const rl = createInterface({ input: options.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const write = (value: string) => options.output.write(value.endsWith('\n') ? value : `${value}\n`);
  const nextLine = async (question?: string): Promise<string | null> => {
    if (question) options.output.write(question);
    const next = await lines.next();
    return next.done ? null : next.value;
  };

  async function escalate(prefill: string): Promise<void> {
    write(consoleText.escalateIntro);
    const form: EscalationForm = { errorText: prefill || undefined, reportId: undefined, occurredAt: now(), connectionId: undefined, notes: undefined };
    const ask = async (field: EscalationField): Promise<boolean> => {
      switch (field) {
        case 'errorText': {
          const line = await nextLine(`${escalationText.errorLabel}${form.errorText ? ` [${form.errorText}]` : ''}: `);
          if (line === null) return false;
          if (line.trim()) form.errorText = line;
          return true;
        }
        case 'reportId': {
          const line = await nextLine(`${escalationText.reportLabel} (optional): `);
          if (line === null) return false;
          form.reportId = line.trim() || undefined;
          return true;
        }
        case 'occurredAt': {
          for (;;) {
            const line = await nextLine(`${escalationText.occurredAtLabel} (${consoleText.whenHint}): `);
            if (line === null) return false;
            if (!line.trim()) return true;
            const date = parseConsoleDate(line);
            if (date) {
              form.occurredAt = date;
              return true;
            }
            write(consoleText.badDate);
          }
        }
        case 'notes': {
          const line = await nextLine(`${escalationText.notesLabel} (optional): `);
          if (line === null) return false;
          form.notes = line.trim() || undefined;
          return true;
        }
        default:
          return true;
      }
    };
    let fields: EscalationField[] = ['errorText', 'reportId', 'occurredAt', 'notes'];
    while (fields.length) {
      for (const field of fields) {
        if (!(await ask(field))) return void write(consoleText.cancelled);
      }
      const problems = validateEscalationForm(form, now());
      fields = Object.keys(problems) as EscalationField[];
      for (const field of fields) write(fieldErrorText[problems[field]!]);
    }
    const filed = await options.support.fileEscalation({ actor: consoleActor, channelId: consoleActor.userId, threadTs: null, articleId: null, form });
    const submitted = await options.support.publishEscalation(filed);
    // The case as support will read it, then what the reporter is told.
    write(renderBlocksAsText(buildEscalationCaseBlocks(submitted)));
    write(renderBlocksAsText(buildReporterConfirmation(submitted.escalation, submitted.delivery).blocks));
  }

  async function handle(line: string): Promise<void> {
    const trimmed = line.trim();
    if (!trimmed.startsWith('/')) return void write(renderBlocksAsText(buildAnswerBlocks(options.support.answer(trimmed)).blocks));
    const [word = ''] = trimmed.split(/\s+/);
    if (word !== commandName) return void write(consoleText.unknownSlash(word));
    const command = parseConciergeCommand(trimmed.slice(word.length));
    if (command.kind === 'escalate') return escalate(command.prefill);
    const reply = await runConciergeCommand(command, consoleActor, options.support);
    write(renderBlocksAsText(reply.blocks));
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
