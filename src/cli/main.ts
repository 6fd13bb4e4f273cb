// The `concierge` command: parses the subcommand and hands over to one module per command.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config.ts';
import { KnowledgeError } from '../knowledge/load-knowledge.ts';
import { runAsk } from './commands/ask.ts';
import { runDb } from './commands/db.ts';
import { runKb } from './commands/kb.ts';
import { runKeys } from './commands/keys.ts';
import { usage, UsageError } from './usage.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  ask: runAsk,
  db: runDb,
  kb: runKb,
  keys: runKeys,
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
  const command = commands[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`concierge: ${err.message}\n\n${usage}`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof KnowledgeError) {
      io.stderr.write(`concierge: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
