// The `concierge` command: parses the subcommand and hands over to one module per command.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config.ts';
import { DatabaseError } from '../db/database-error.ts';
import { KnowledgeError } from '../knowledge/load-knowledge.ts';
import { usage, UsageError } from './usage.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

// Loaded on demand: `ask` should not pay for the database modules it never touches.
const commands: Record<string, () => Promise<Command>> = {
  ask: async () => (await import('./commands/ask.ts')).runAsk,
  kb: async () => (await import('./commands/kb.ts')).runKb,
  db: async () => (await import('./commands/db.ts')).runDb,
  keys: async () => (await import('./commands/keys.ts')).runKeys,
  extract: async () => (await import('./commands/extract.ts')).runExtract,
  failures: async () => (await import('./commands/failures.ts')).runFailures,
};

/** Parses flags strictly so an unknown option is a usage error rather than a silent no-op. */
export function parseFlags<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export async function main(argv: string[], io: CliIo = process): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    (name ? io.stdout : io.stderr).write(usage);
    return name ? 0 : 2;
  }
  const loadCommand = commands[name];
  try {
    if (!loadCommand) throw new UsageError(`unknown command "${name}"`);
    return await (await loadCommand())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`concierge: ${err.message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof DatabaseError) {
      io.stderr.write(`concierge: ${err.code}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof ConfigError || err instanceof KnowledgeError) {
      io.stderr.write(`concierge: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
