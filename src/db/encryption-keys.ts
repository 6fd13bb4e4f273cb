// Which keys seal and open secrets. A configured key wins; SQLite without one gets a key
// generated once into the data folder (owner-only), so a newcomer needs no set-up; PostgreSQL
// without one is refused, because several instances would each invent their own key. A key is
// generated only for a database that holds no secret yet: otherwise a lost key file would be
// silently replaced and every stored token become unreadable.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseError } from './database-error.ts';
import { generateKey, SecretBox } from './secret-box.ts';
import type { DatabaseProvider } from './schema-files.ts';
import { secureDataDir } from './sqlite-files.ts';

export interface KeySettings {
  provider: DatabaseProvider;
  dataDir: string;
  encryptionKey: string | undefined;
  oldEncryptionKeys: string[];
}

export const generatedKeyFile = 'encryption.key';

/** The configured keys, checked before anything connects; `current` undefined means "use the key file". */
export interface ConfiguredKeys {
  current: Buffer | undefined;
  old: Buffer[];
}

function decodeKey(base64: string, source: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) {
    throw new DatabaseError('encryption_key_invalid', `${source} is not 32 bytes encoded as base64. Replace it with the key your secrets were written with.`);
  }
  return key;
}

export function configuredKeys(settings: KeySettings): ConfiguredKeys {
  const old = settings.oldEncryptionKeys.map((k, i) => decodeKey(k, `CONCIERGE_OLD_ENCRYPTION_KEYS entry ${i + 1}`));
  if (settings.encryptionKey) return { current: decodeKey(settings.encryptionKey, 'CONCIERGE_ENCRYPTION_KEY'), old };
  if (settings.provider === 'postgresql') {
    throw new DatabaseError(
      'encryption_key_missing',
      'CONCIERGE_ENCRYPTION_KEY is not set. With PostgreSQL every instance must share one key: generate it with `openssl rand -base64 32`, ' +
        'keep it in your secret store and set CONCIERGE_ENCRYPTION_KEY to it on every instance.',
    );
  }
  return { current: undefined, old };
}

export function generatedKeyPath(dataDir: string): string {
  return join(dataDir, generatedKeyFile);
}

/**
 * The key in the data folder, created when missing and `storedKeyIds` finds nothing sealed in
 * the database; when it finds something, the missing file is an error naming the key needed.
 */
async function generatedKey(dataDir: string, where: string, storedKeyIds: () => Promise<string[]>, warn: (message: string) => void): Promise<Buffer> {
  const path = generatedKeyPath(dataDir);
  secureDataDir(dataDir);
  if (!existsSync(path)) {
    const needed = await storedKeyIds();
    if (needed.length) {
      throw new DatabaseError(
        'encryption_key_missing',
        `CONCIERGE_ENCRYPTION_KEY is not set and the generated key file ${path} is missing, but ${where} holds secrets encrypted with key ${needed.join(' and key ')}. ` +
          `No new key was generated and nothing was changed. Restore ${path} from the backup taken with the database, ` +
          `or set CONCIERGE_ENCRYPTION_KEY to the key with id ${needed[0]} (\`concierge keys id\` prints a key's id).`,
      );
    }
    try {
      // 'wx' fails if another process created the file first; then that key is the one to use.
      writeFileSync(path, `${generateKey().toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    warn(`${path} can be read by other users; restrict it with \`chmod 600 ${path}\`.`);
  }
  warn(
    `CONCIERGE_ENCRYPTION_KEY is not set: tokens are encrypted with the generated key in ${path}. ` +
      `Back that file up with the database (without it the tokens cannot be read), or set CONCIERGE_ENCRYPTION_KEY to its content.`,
  );
  return decodeKey(readFileSync(path, 'utf8'), path);
}

export interface OpenedKeys {
  box: SecretBox;
  /** Where the current key came from, for messages: the variable or the key file's path. */
  currentSource: string;
}

export async function loadSecretBox(
  keys: ConfiguredKeys,
  settings: KeySettings,
  context: { where: string; storedKeyIds: () => Promise<string[]>; warn: (message: string) => void },
): Promise<OpenedKeys> {
  if (keys.current) return { box: new SecretBox(keys.current, keys.old), currentSource: 'CONCIERGE_ENCRYPTION_KEY' };
  const key = await generatedKey(settings.dataDir, context.where, context.storedKeyIds, context.warn);
  return { box: new SecretBox(key, keys.old), currentSource: `the generated key in ${generatedKeyPath(settings.dataDir)}` };
}
