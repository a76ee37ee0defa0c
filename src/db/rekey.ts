import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseFileName } from './backup.ts';
import { openEncrypted } from './client.ts';
import { sqlcipherKey } from './dataKey.ts';
import { decryptMedia, encryptMedia, isEncryptedMedia, mediaKeyId, mediaKeys } from './fileCipher.ts';

/** The next key, kept on disk while a rotation runs so that an interrupted one can be finished. */
export const nextKeyFileName = 'data.key.next';

/** Thrown when the key cannot be rotated; the message says what to do. */
export class RekeyError extends Error {
  override name = 'RekeyError';
}

/** What a rotation did. */
export interface RekeyResult {
  /** The new secret: written to the key file, or (with DATA_KEY) to be set by the operator. */
  secret: string;
  filesReencrypted: number;
}

/**
 * Rotates the data key, with the assistant stopped: every received file is re-encrypted under the
 * new key, then the database (SQLite3MultipleCiphers' `rekey`, outside WAL mode), then the key file
 * is replaced. The next key is written first to `data.key.next`, so running the rotation again
 * after a crash finishes it (files already under the new key are skipped). Backups made before
 * keep the old key: keep it as long as those backups.
 */
export function rekeyData(options: {
  dataDir: string;
  oldSecret: string;
  newSecret?: string;
  keyFile?: string;
}): RekeyResult {
  const next = join(options.dataDir, nextKeyFileName);
  const secret = existsSync(next)
    ? readFileSync(next, 'utf8').trim()
    : (options.newSecret ?? randomBytes(32).toString('hex'));
  if (secret.length < 32) throw new RekeyError('The new key must have at least 32 characters.');
  if (secret === options.oldSecret) throw new RekeyError('The new key is the old one: nothing to rotate.');
  if (!existsSync(next)) writeFileSync(next, `${secret}\n`, { mode: 0o600, flag: 'wx' });

  const database = join(options.dataDir, databaseFileName);
  let databaseDone = false;
  if (existsSync(database)) {
    try {
      openEncrypted(database, options.oldSecret).close();
    } catch (error) {
      // An interrupted rotation that already rekeyed the database: only the rest is left to do.
      openEncrypted(database, secret).close();
      databaseDone = true;
      void error;
    }
  }
  // Leaving WAL mode needs the only connection: this is what refuses while the assistant runs,
  // before anything is changed.
  const connection = existsSync(database) && !databaseDone ? openEncrypted(database, options.oldSecret) : undefined;
  try {
    if (connection) {
      connection.pragma('wal_checkpoint(TRUNCATE)');
      const mode = connection.pragma('journal_mode = DELETE', { simple: true });
      if (mode !== 'delete') throw new RekeyError('The database is in use: stop the assistant, then rotate the key.');
    }
    const filesReencrypted = reencryptFiles(options.dataDir, options.oldSecret, secret);
    if (connection) {
      connection.pragma(`rekey=${sqlcipherKey(secret)}`);
      connection.pragma('journal_mode = WAL');
    }
    if (options.keyFile) renameSync(next, options.keyFile);
    else rmSync(next, { force: true });
    return { secret, filesReencrypted };
  } catch (error) {
    if (error instanceof RekeyError) throw error;
    throw new RekeyError(
      `The data could not be re-encrypted (${(error as Error).message}): stop the assistant and run the rotation again.`,
      { cause: error },
    );
  } finally {
    connection?.close();
  }
}
function reencryptFiles(dataDir: string, oldSecret: string, newSecret: string): number {
  const oldKeys = mediaKeys(oldSecret);
  const newKeys = mediaKeys(newSecret);
  const root = join(dataDir, 'media');
  let count = 0;
  for (const shard of existsSync(root) ? readdirSync(root) : []) {
    const folder = join(root, shard);
    if (!statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder)) {
      if (name.endsWith('.tmp')) continue;
      const file = join(folder, name);
      const stored = readFileSync(file);
      if (isEncryptedMedia(stored) && mediaKeyId(stored).equals(newKeys.id)) continue;
      const temporary = `${file}.rekey.tmp`;
      writeFileSync(temporary, encryptMedia(newKeys, decryptMedia(oldKeys, stored)), { mode: 0o600 });
      renameSync(temporary, file);
      count += 1;
    }
  }
  return count;
}
