// `concierge keys rotate`: re-seals every stored secret under the current key, so retired keys
// can then be dropped from CONCIERGE_OLD_ENCRYPTION_KEYS. Everything is decrypted before
// anything is written, so a missing key stops the run with nothing changed.
import type { DbClient } from './prisma-client.ts';
import { SecretBox } from './secret-box.ts';

export interface KeyRotationResult {
  currentKeyId: string;
  /** Secrets re-sealed under the current key. */
  reencrypted: { installations: number; xeroTokenSets: number };
  /** Secrets that were already under the current key. */
  alreadyCurrent: number;
  /** Secrets changed by someone else during the run (they are sealed under the current key by then). */
  skippedConcurrent: number;
}

export async function rotateKeys(prisma: DbClient, box: SecretBox): Promise<KeyRotationResult> {
  const installations = await prisma.slackInstallation.findMany({ select: { id: true, secretsEncrypted: true } });
  const connections = await prisma.xeroTokenSet.findMany({ select: { id: true, tokensEncrypted: true } });
  const stale = (sealed: string) => SecretBox.keyIdOf(sealed) !== box.currentKeyId;
  const plan = {
    installations: installations.filter((r) => stale(r.secretsEncrypted)).map((r) => ({ id: r.id, old: r.secretsEncrypted, plain: box.open(r.secretsEncrypted) })),
    connections: connections.filter((r) => stale(r.tokensEncrypted)).map((r) => ({ id: r.id, old: r.tokensEncrypted, plain: box.open(r.tokensEncrypted) })),
  };
  const result: KeyRotationResult = {
    currentKeyId: box.currentKeyId,
    reencrypted: { installations: 0, xeroTokenSets: 0 },
    alreadyCurrent: installations.length + connections.length - plan.installations.length - plan.connections.length,
    skippedConcurrent: 0,
  };
  // Each write is conditional on the old ciphertext, so a secret replaced meanwhile is left alone.
  for (const item of plan.installations) {
    const { count } = await prisma.slackInstallation.updateMany({ where: { id: item.id, secretsEncrypted: item.old }, data: { secretsEncrypted: box.seal(item.plain) } });
    if (count === 1) result.reencrypted.installations++;
    else result.skippedConcurrent++;
  }
  for (const item of plan.connections) {
    const { count } = await prisma.xeroTokenSet.updateMany({ where: { id: item.id, tokensEncrypted: item.old }, data: { tokensEncrypted: box.seal(item.plain) } });
    if (count === 1) result.reencrypted.xeroTokenSets++;
    else result.skippedConcurrent++;
  }
  return result;
}
