// `concierge keys rotate`: re-encrypt every stored token under CONCIERGE_ENCRYPTION_KEY, after
// which the keys in CONCIERGE_OLD_ENCRYPTION_KEYS are no longer needed.
// `concierge keys id`: the id of each key on standard input, to find the one a start-up error
// names among backups; keys are read from standard input so they stay out of shell history.
import { createInterface } from 'node:readline';
import { loadConfig } from '../../config.ts';
import { keyId, openDatabase } from '../../db/index.ts';
import { parseFlags, type CliIo } from '../main.ts';
import { UsageError } from '../usage.ts';

async function printKeyIds(io: CliIo): Promise<number> {
  let bad = 0;
  let lineNo = 0;
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
    lineNo++;
    if (!line.trim()) continue;
    const key = Buffer.from(line.trim(), 'base64');
    if (key.length === 32) {
      io.stdout.write(`${keyId(key)}\n`);
    } else {
      bad++;
      io.stderr.write(`concierge: line ${lineNo} is not a key (expected 32 bytes encoded as base64)\n`);
    }
  }
  return bad ? 1 : 0;
}

export async function runKeys(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'rotate' && sub !== 'id') throw new UsageError(sub ? `unknown keys subcommand "${sub}" (expected rotate or id)` : 'keys needs a subcommand: rotate or id');
  const { positionals } = parseFlags(rest, {});
  if (positionals.length) throw new UsageError(`keys ${sub} takes no arguments, got "${positionals.join(' ')}"`);
  if (sub === 'id') return printKeyIds(io);
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
