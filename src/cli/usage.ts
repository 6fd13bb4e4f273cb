// The CLI's help text and the error every command raises for bad arguments (exit code 2).

export const usage = `Usage: concierge <command> [options]

Commands:
  ask [--json] [QUESTION...]   Answer a question or pasted error from the knowledge base.
                               With no QUESTION, answers one question per line of standard input.
  extract [--json] [--tz ZONE] [--sent ISO-TIME] [--locale L] [--org NAME]... [--batch]
                               Read the error codes, message, report, time and organisation
                               from a paste on standard input (--batch: JSON lines {text, tz, sent}).
  kb lint                      Check every knowledge article; exits 1 and lists file:field problems.
  kb list [--json]             List the knowledge articles.
  db migrate                   Create or upgrade the database (DATABASE_URL) to the current schema.
  db status                    Show applied and pending migrations; exits 1 when some are pending.
  keys rotate                  Re-encrypt stored tokens under CONCIERGE_ENCRYPTION_KEY.
  keys id                      Print the id of each key read from standard input (one per line).
  failures import FILE.jsonl   Store failed exports, one JSON object per line (the fields of
                               POST /api/sync-failures); exits 1 when a line was rejected.
  help                         Show this message.
`;

export class UsageError extends Error {
  readonly code = 'cli_usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
