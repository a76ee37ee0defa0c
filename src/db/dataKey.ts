import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The key file written under `DATA_DIR` when `DATA_KEY` is not set (development, trials). */
export const keyFileName = 'data.key';

/** Thrown when the data cannot be opened safely: no key in production, or an unreadable key file. */
export class DataKeyError extends Error {
  override name = 'DataKeyError';
}

/** What a production start without `DATA_KEY` says, in one line. */
export const productionKeyMissing =
  'DATA_KEY is not set: in production the database key must come from the environment (generate one with `openssl rand -hex 32` and keep it apart from the data and its backups).';

/** The secret the database and the media files are encrypted under, and where it came from. */
export interface DataKey {
  secret: string;
  source: 'env' | 'file';
  /** The key file, when the secret is kept in one. */
  file?: string;
  /** True when the key file was created just now (a new data folder). */
  generated: boolean;
}

/**
 * Finds the data secret: `DATA_KEY` when set; in production nothing else (a key beside the data
 * protects nothing once the disk or a backup is copied); otherwise `<dataDir>/data.key`, created
 * with 0600 the first time so that `npm start` needs no set-up.
 */
export function resolveDataKey(options: { dataDir: string; envKey?: string; production: boolean }): DataKey {
  if (options.envKey) return { secret: options.envKey, source: 'env', generated: false };
  if (options.production) {
    throw new DataKeyError(productionKeyMissing);
  }
  return keyFileSecret(options.dataDir);
}

/** Reads `<dataDir>/data.key`, creating it (0600, 32 random bytes as hex) when there is none. */
export function keyFileSecret(dataDir: string): DataKey {
  const file = join(dataDir, keyFileName);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!existsSync(file) && hasEncryptedDatabase(dataDir)) {
    // A new key would only make the existing data unreadable (and look like a fresh start).
    throw new DataKeyError(
      `${file} is missing but ${join(dataDir, 'assistant.db')} is encrypted: put the key file back, or set DATA_KEY to its key.`,
    );
  }
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
    return { secret: readSecret(file), source: 'file', file, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { secret: readSecret(file), source: 'file', file, generated: false };
}

/** True when `dataDir` holds the assistant's database, already encrypted (not SQLite's plain header). */
function hasEncryptedDatabase(dataDir: string): boolean {
  const database = join(dataDir, 'assistant.db');
  if (!existsSync(database) || statSync(database).size === 0) return false;
  const fd = openSync(database, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.toString('latin1') !== 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

function readSecret(file: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new DataKeyError(
      `The key file ${file} is damaged (shorter than 32 characters): restore it from where you keep it.`,
    );
  }
  return secret;
}

/** What a derived key is for: each purpose gets its own key from the one secret. */
export type KeyPurpose = 'database' | 'media' | 'media-id';

/** A 256-bit key for one purpose, derived from the data secret with HKDF-SHA256. */
export function deriveKey(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'ataa-data-key', `ataa:${purpose}`, 32));
}

/** The database key as SQLCipher's raw-key literal (no slow passphrase derivation at each open). */
export function sqlcipherKey(secret: string): string {
  return `"x'${deriveKey(secret, 'database').toString('hex')}'"`;
}
