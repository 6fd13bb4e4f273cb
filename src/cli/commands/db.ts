// `concierge db migrate|status`: bring the configured database up to the committed migrations,
// or show where it stands. The app applies migrations at start-up too; this is for deploy steps.
import { loadConfig } from '../../config.ts';
import { describeDatabase, openDatabase } from '../../db/index.ts';
import { parseFlags, type CliIo } from '../main.ts';
import { UsageError } from '../usage.ts';

export async function runDb(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'migrate' && sub !== 'status') {
    throw new UsageError(sub ? `unknown db subcommand "${sub}" (expected migrate or status)` : 'db needs a subcommand: migrate or status');
  }
  const { positionals } = parseFlags(rest, {});
  if (positionals.length) throw new UsageError(`db ${sub} takes no arguments, got "${positionals.join(' ')}"`);
  const config = loadConfig();
  const where = describeDatabase(config.database);
  const db = await openDatabase(config, { migrate: false, warn: (m) => io.stderr.write(`warning: ${m}\n`) });
  try {
    if (sub === 'migrate') {
      const applied = await db.migrate();
      const { applied: all } = await db.migrationStatus();
      if (applied.length) io.stdout.write(`Applied ${applied.length} migration(s) to ${where}:\n${applied.map((n) => `  ${n}\n`).join('')}`);
      else io.stdout.write(`${where} is up to date (${all.length} migration(s) applied).\n`);
      return 0;
    }
    const status = await db.migrationStatus();
    io.stdout.write(`${where}: ${status.applied.length} migration(s) applied, ${status.pending.length} pending.\n`);
    for (const name of status.pending) io.stdout.write(`  pending: ${name}\n`);
    return status.pending.length ? 1 : 0;
  } finally {
    await db.close();
  }
}
