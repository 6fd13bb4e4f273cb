// Which keys seal and open secrets. A configured key wins; SQLite without one gets a key
// generated once into the data folder (owner-only), so a newcomer needs no set-up; PostgreSQL
// without one is refused, because several instances would each invent their own key.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseError } from './database-error.ts';
import { generateKey, SecretBox } from './secret-box.ts';
import type { DatabaseProvider } from './schema-files.ts';

export interface KeySettings {
  provider: DatabaseProvider;
  dataDir: string;
  encryptionKey: string | undefined;
  oldEncryptionKeys: string[];
}

export const generatedKeyFile = 'encryption.key';

function decodeKey(base64: string, source: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) {
    throw new DatabaseError('encryption_key_invalid', `${source} is not 32 bytes encoded as base64. Replace it with the key your secrets were written with.`);
  }
  return key;
}

function generatedKey(dataDir: string, warn: (message: string) => void): Buffer {
  const path = join(dataDir, generatedKeyFile);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails if another process created the file first; then that key is the one to use.
    writeFileSync(path, `${generateKey().toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
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

export function loadSecretBox(settings: KeySettings, warn: (message: string) => void): SecretBox {
  const old = settings.oldEncryptionKeys.map((k, i) => decodeKey(k, `CONCIERGE_OLD_ENCRYPTION_KEYS entry ${i + 1}`));
  if (settings.encryptionKey) return new SecretBox(decodeKey(settings.encryptionKey, 'CONCIERGE_ENCRYPTION_KEY'), old);
  if (settings.provider === 'postgresql') {
    throw new DatabaseError(
      'encryption_key_missing',
      'CONCIERGE_ENCRYPTION_KEY is not set. With PostgreSQL every instance must share one key: generate it with `openssl rand -base64 32`, ' +
        'keep it in your secret store and set CONCIERGE_ENCRYPTION_KEY to it on every instance.',
    );
  }
  return new SecretBox(generatedKey(settings.dataDir, warn), old);
}
