import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openEncrypted } from './client.ts';

/** The database file's name under `DATA_DIR`. */
export const databaseFileName = 'assistant.db';

/** Thrown when a backup cannot be made or restored; the message says what to do. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/** What a backup holds: a folder with the database (still encrypted) and the received files (encrypted). */
export interface Backup {
  dir: string;
  database: string;
}

/**
 * Makes a consistent copy of the database while the assistant runs, and copies the received files
 * beside it. The copy is one read transaction (`VACUUM INTO`): every committed message up to its
 * start, nothing half-written, no pause for the assistant (WAL lets it write meanwhile). It is
 * encrypted under the same key: SQLite3MultipleCiphers' `VACUUM INTO` writes the copy with the
 * source's cipher. (Its backup API refuses an encrypted source: better-sqlite3 opens the target
 * without a key, "backup is not supported with incompatible source and target databases".)
 * The key is never copied: keep it apart from the backups.
 */
export function backupDatabase(options: {
  dataDir: string;
  secret: string;
  into: string;
  /** Keep this many backups in `into` (this one included), deleting the oldest beyond. */
  keep?: number;
  now?: Date;
}): Backup {
  const source = join(options.dataDir, databaseFileName);
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source}: check DATA_DIR.`);
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const dir = join(options.into, `ataa-${stamp}`);
  if (existsSync(dir)) throw new BackupError(`${dir} already exists: wait a second and run the backup again.`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const database = join(dir, databaseFileName);
  const connection = openEncrypted(source, options.secret);
  try {
    connection.pragma('busy_timeout = 5000');
    connection.prepare('VACUUM INTO ?').run(database);
  } finally {
    connection.close();
  }
  verify(database, options.secret);
  // Files are written before their rows commit and removed after: every file the copy refers to is there.
  const media = join(options.dataDir, 'media');
  if (existsSync(media)) cpSync(media, join(dir, 'media'), { recursive: true, filter: (f) => !f.endsWith('.tmp') });
  if (options.keep !== undefined) pruneBackups(options.into, options.keep);
  return { dir, database };
}

/** Deletes the oldest backups in `folder` beyond the newest `keep` (their names sort by time). */
function pruneBackups(folder: string, keep: number): void {
  const backups = readdirSync(folder)
    .filter((name) => /^ataa-\d{8}-\d{6}$/.test(name))
    .sort();
  for (const name of backups.slice(0, Math.max(0, backups.length - keep))) {
    rmSync(join(folder, name), { recursive: true, force: true });
  }
}

/**
 * Puts a backup back in place of the current data, with the assistant stopped. The backup is
 * checked first (it opens under the key, and passes SQLite's integrity check); the current
 * database is kept aside as `assistant.db.before-restore-<time>`, never deleted.
 */
export function restoreBackup(options: { dataDir: string; secret: string; from: string; now?: Date }): void {
  const database = join(options.from, databaseFileName);
  if (!existsSync(database)) throw new BackupError(`There is no ${databaseFileName} in ${options.from}.`);
  verify(database, options.secret);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const target = join(options.dataDir, databaseFileName);
  const stamp = (options.now ?? new Date()).getTime();
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(target + suffix)) renameSync(target + suffix, `${target}.before-restore-${stamp}${suffix}`);
  }
  cpSync(database, target);
  const media = join(options.from, 'media');
  if (existsSync(media)) cpSync(media, join(options.dataDir, 'media'), { recursive: true, force: false });
}

function verify(database: string, secret: string): void {
  let connection: ReturnType<typeof openEncrypted> | undefined;
  try {
    connection = openEncrypted(database, secret, { readonly: true });
    const result = connection.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new BackupError(`${database} fails SQLite's integrity check (${String(result)}).`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      `${database} cannot be read under this key (${(error as Error).message}): restore with the DATA_KEY or data.key it was made under.`,
      { cause: error },
    );
  } finally {
    connection?.close();
  }
}
