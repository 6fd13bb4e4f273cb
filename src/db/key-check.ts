// The key check: for every key that sealed data in this database, a known text sealed with it.
// Start-up opens each one, so a lost key file or a wrong CONCIERGE_ENCRYPTION_KEY stops the bot
// with the id of the key it needs, instead of a bot that reports ready and then fails every
// request of an OAuth-installed workspace.
import { DatabaseError } from './database-error.ts';
import type { DbClient } from './prisma-client.ts';
import { SecretBox } from './secret-box.ts';

const checkText = 'xero-concierge key check';

// A database whose migrations are not applied yet (`concierge db status` opens without applying).
function isMissingTable(err: unknown): boolean {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; originalMessage?: string } } } } | null;
  const cause = e?.meta?.driverAdapterError?.cause;
  return e?.code === 'P2021' || cause?.kind === 'TableDoesNotExist' || cause?.originalCode === '42P01' || /no such table/.test(cause?.originalMessage ?? '');
}

function isDuplicate(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'P2002';
}

/** The check rows, or null when the table is not there yet (a database not migrated yet). */
async function checkRows(prisma: DbClient): Promise<{ keyId: string; sealed: string }[] | null> {
  try {
    return await prisma.encryptionKeyCheck.findMany({ select: { keyId: true, sealed: true } });
  } catch (err) {
    if (isMissingTable(err)) return null;
    throw err;
  }
}

/** One stored secret per key id, from databases written before the key check existed. */
async function sealedSecretsByKey(prisma: DbClient): Promise<Map<string, string>> {
  const byKey = new Map<string, string>();
  try {
    const installations = await prisma.slackInstallation.findMany({ select: { secretsEncrypted: true } });
    const tokenSets = await prisma.xeroTokenSet.findMany({ select: { tokensEncrypted: true } });
    for (const sealed of [...installations.map((r) => r.secretsEncrypted), ...tokenSets.map((r) => r.tokensEncrypted)]) {
      const kid = SecretBox.keyIdOf(sealed);
      if (kid && !byKey.has(kid)) byKey.set(kid, sealed);
    }
  } catch (err) {
    if (!isMissingTable(err)) throw err;
  }
  return byKey;
}

/** Ids of the keys this database needs: from the check, else from the stored secrets. */
export async function storedKeyIds(prisma: DbClient): Promise<string[]> {
  const rows = await checkRows(prisma);
  if (rows?.length) return rows.map((r) => r.keyId);
  return [...(await sealedSecretsByKey(prisma)).keys()];
}

function describeKeys(box: SecretBox, currentSource: string): string {
  const [current, ...old] = box.keyIds;
  return `${currentSource} is key ${current}${old.length ? `; CONCIERGE_OLD_ENCRYPTION_KEYS holds key ${old.join(', key ')}` : ''}`;
}

function assertOpens(box: SecretBox, currentSource: string, kid: string, sealed: string, expected: string | undefined): void {
  if (!box.hasKey(kid)) {
    throw new DatabaseError(
      'encryption_key_unknown',
      `This database holds secrets encrypted with key ${kid}, which is not among the configured keys (${describeKeys(box, currentSource)}). ` +
        `Nothing was changed. Set CONCIERGE_ENCRYPTION_KEY to the key with id ${kid} (with no CONCIERGE_ENCRYPTION_KEY, restore the generated encryption.key from the backup taken with the database), ` +
        `or add that key to CONCIERGE_OLD_ENCRYPTION_KEYS; \`concierge keys id\` prints a key's id.`,
    );
  }
  let opened: string;
  try {
    opened = box.open(sealed);
  } catch (err) {
    throw new DatabaseError('encryption_key_check_failed', `The stored data sealed with key ${kid} does not open with that key: it was altered or damaged. Restore the database from a backup.`, { cause: err });
  }
  if (expected !== undefined && opened !== expected) {
    throw new DatabaseError('encryption_key_check_failed', `The key check for key ${kid} holds an unexpected value: the table EncryptionKeyCheck was altered. Restore the database from a backup.`);
  }
}

async function insertCheck(prisma: DbClient, box: SecretBox, kid: string): Promise<void> {
  try {
    await prisma.encryptionKeyCheck.create({ data: { keyId: kid, sealed: box.seal(checkText, kid) } });
  } catch (err) {
    // Another instance starting at the same moment wrote it first.
    if (!isDuplicate(err)) throw err;
  }
}

/**
 * Throws a DatabaseError naming the key needed unless every key that sealed data here is
 * configured and opens its check. With `record`, adds the current key's check (and, for a
 * database written before checks existed, one per key its secrets were verified with).
 */
export async function verifyKeys(prisma: DbClient, box: SecretBox, options: { currentSource: string; record: boolean }): Promise<void> {
  const rows = await checkRows(prisma);
  const verified: string[] = [];
  if (rows?.length) {
    for (const row of rows) assertOpens(box, options.currentSource, row.keyId, row.sealed, checkText);
  } else {
    // No check yet: the secrets themselves prove the keys before a check is written for them.
    for (const [kid, sealed] of await sealedSecretsByKey(prisma)) {
      assertOpens(box, options.currentSource, kid, sealed, undefined);
      verified.push(kid);
    }
  }
  if (!options.record || rows === null) return;
  const have = new Set([...(rows ?? []).map((r) => r.keyId)]);
  for (const kid of new Set([...verified, box.currentKeyId])) {
    if (!have.has(kid)) await insertCheck(prisma, box, kid);
  }
}

/** After `keys rotate`: only the current key is needed any more. */
export async function recordRotation(prisma: DbClient, box: SecretBox): Promise<void> {
  await insertCheck(prisma, box, box.currentKeyId);
  await prisma.encryptionKeyCheck.deleteMany({ where: { keyId: { not: box.currentKeyId } } });
}
