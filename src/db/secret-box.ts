// AES-256-GCM for secrets at rest (Slack and Xero tokens). Every ciphertext names the key that
// sealed it, so retired keys keep decrypting until `concierge keys rotate` re-seals everything
// under the current key, and a missing or wrong key is reported as such rather than as garbage.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DatabaseError } from './database-error.ts';

const version = 'v1';
const ivBytes = 12;

/** A short fingerprint of a key, stored with each ciphertext; it reveals nothing usable about the key. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('concierge-key-id').update(key).digest('hex').slice(0, 12);
}

export function generateKey(): Buffer {
  return randomBytes(32);
}

export class SecretBox {
  readonly currentKeyId: string;
  readonly #current: Buffer;
  readonly #keys: Map<string, Buffer>;

  /** `current` seals; it and every key in `old` open. */
  constructor(current: Buffer, old: Buffer[] = []) {
    for (const key of [current, ...old]) {
      if (key.length !== 32) throw new RangeError('encryption keys must be 32 bytes');
    }
    this.#current = current;
    this.currentKeyId = keyId(current);
    this.#keys = new Map([...old, current].map((key) => [keyId(key), key]));
  }

  /** Ids of every key this box opens with, the current one first. */
  get keyIds(): string[] {
    return [this.currentKeyId, ...[...this.#keys.keys()].filter((kid) => kid !== this.currentKeyId)];
  }

  hasKey(kid: string): boolean {
    return this.#keys.has(kid);
  }

  /** Seals under the current key; `kid` picks an old one (only the key check writes under old keys). */
  seal(plaintext: string, kid: string = this.currentKeyId): string {
    const key = kid === this.currentKeyId ? this.#current : this.#keys.get(kid);
    if (!key) throw new RangeError(`no key with id ${kid}`);
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${version}.${kid}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [version, kid, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** The id of the key `sealed` was sealed with; undefined when it is not one of our ciphertexts. */
  static keyIdOf(sealed: string): string | undefined {
    const [v, kid] = sealed.split('.');
    return v === version && kid ? kid : undefined;
  }

  open(sealed: string): string {
    const parts = sealed.split('.');
    const [v, kid, iv, body, tag] = parts;
    if (parts.length !== 5 || v !== version || !kid || !iv || !body || !tag) {
      throw new DatabaseError('secret_decrypt_failed', 'A stored secret is not in the expected encrypted format: the row was written by something else or damaged. Reconnect the workspace or Xero organisation to store it again.');
    }
    const key = this.#keys.get(kid);
    if (!key) {
      throw new DatabaseError(
        'encryption_key_unknown',
        `A stored secret was encrypted with key ${kid}, which is neither CONCIERGE_ENCRYPTION_KEY (key ${this.currentKeyId}) nor one of CONCIERGE_OLD_ENCRYPTION_KEYS. ` +
          `Set CONCIERGE_ENCRYPTION_KEY to the key the data was written with, or add that key to CONCIERGE_OLD_ENCRYPTION_KEYS.`,
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${v}.${kid}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch (err) {
      throw new DatabaseError(
        'secret_decrypt_failed',
        `A stored secret failed its integrity check under key ${kid}: it was altered or damaged after it was written. Reconnect the workspace or Xero organisation to store it again.`,
        { cause: err },
      );
    }
  }

  /** Seals JSON; `openJson` gives it back. */
  sealJson(value: unknown): string {
    return this.seal(JSON.stringify(value));
  }

  openJson<T>(sealed: string): T {
    return JSON.parse(this.open(sealed)) as T;
  }
}
