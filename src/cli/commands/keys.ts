// `concierge keys rotate`: re-encrypt every stored token under CONCIERGE_ENCRYPTION_KEY, after
// which the keys in CONCIERGE_OLD_ENCRYPTION_KEYS are no longer needed.
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/index.ts';
import { parseFlags, type CliIo } from '../main.ts';
import { UsageError } from '../usage.ts';

export async function runKeys(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rotate') throw new UsageError(sub ? `unknown keys subcommand "${sub}" (expected rotate)` : 'keys needs a subcommand: rotate');
  const { positionals } = parseFlags(rest, {});
  if (positionals.length) throw new UsageError(`keys rotate takes no arguments, got "${positionals.join(' ')}"`);
  const config = loadConfig();
  const db = await openDatabase(config, { warn: (m) => io.stderr.write(`warning: ${m}\n`) });
  try {
    const result = await db.rotateKeys();
    const { installations, xeroTokenSets } = result.reencrypted;
    await db.audit.append({ actor: 'cli', action: 'keys.rotated', details: { keyId: result.currentKeyId, installations, xeroTokenSets, alreadyCurrent: result.alreadyCurrent } });
    io.stdout.write(
      `Re-encrypted ${installations} Slack installation(s) and ${xeroTokenSets} Xero token set(s) under key ${result.currentKeyId}; ` +
        `${result.alreadyCurrent} already used it.\n`,
    );
    if (result.skippedConcurrent) io.stdout.write(`${result.skippedConcurrent} secret(s) changed while this ran and were left alone; run it again to check them.\n`);
    if (config.oldEncryptionKeys.length) io.stdout.write('Every secret now uses the current key: CONCIERGE_OLD_ENCRYPTION_KEYS can be removed.\n');
    return 0;
  } finally {
    await db.close();
  }
}
