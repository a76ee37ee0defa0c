import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DataKeyError, keyFileSecret, sqlcipherKey } from './dataKey.ts';
import * as schema from './schema.ts';

/** The database handle every query module takes; inside a transaction it is the transaction. */
export type Db = BetterSQLite3Database<typeof schema>;

/** The raw SQLite connection (better-sqlite3's API), for the few tools that need it: backup, rekey. */
export type Connection = Database.Database;

/** An open database with the raw connection kept for closing. */
export interface OpenDatabase {
  db: Db;
  /** Reads one pragma's current value, for checks and diagnostics. */
  pragma(name: string): unknown;
  /** The raw connection, for the backup and the key rotation. */
  connection: Connection;
  close(): void;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Opens a database file encrypted under `secret` (SQLCipher format, key derived from the secret),
 * without migrating or tuning it. The key is the first thing set: nothing is read before it.
 */
export function openEncrypted(file: string, secret: string, options: { readonly?: boolean } = {}): Connection {
  const sqlite = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  try {
    sqlite.pragma(`cipher='sqlcipher'`);
    sqlite.pragma(`key=${sqlcipherKey(secret)}`);
    // Reading the schema proves the key: a wrong one fails here with "file is not a database".
    sqlite.prepare('select count(*) from sqlite_master').get();
  } catch (error) {
    sqlite.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new DataKeyError(
        `${file} cannot be read with this key (file is not a database): set DATA_KEY (or put back the data.key) it was encrypted with.`,
        { cause: error },
      );
    }
    throw error;
  }
  return sqlite;
}

/**
 * Opens (creating if needed) the SQLite file at `file`, encrypted at rest with a key derived from
 * `secret` (by default the key file beside it, see `dataKey.ts`), sets the durability pragmas and
 * applies pending migrations. A database written before encryption is encrypted in place first.
 * `synchronous=FULL` is set explicitly: an accepted request must survive a power cut, and WAL alone
 * may leave it at NORMAL.
 */
export function openDatabase(file: string, secret?: string): OpenDatabase {
  let sqlite: Connection;
  if (file === ':memory:') {
    sqlite = new Database(file);
  } else {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const key = secret ?? keyFileSecret(dirname(file)).secret;
    if (isPlaintextDatabase(file)) encryptInPlace(file, key);
    sqlite = openEncrypted(file, key);
  }
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Every page read from the file is decrypted: 32 MB of cache (not SQLite's 2 MB) keeps the
  // conversations and indexes in use decrypted in memory.
  sqlite.pragma('cache_size = -32768');
  // What is deleted (a purge, an erasure) is overwritten where that costs no extra write.
  sqlite.pragma('secure_delete = FAST');
  const db = drizzle(sqlite as never, { schema }) as Db;
  migrate(db, { migrationsFolder });
  return {
    db,
    connection: sqlite,
    pragma: (name) => sqlite.pragma(name, { simple: true }),
    close: () => sqlite.close(),
  };
}

/** True when `file` is an unencrypted SQLite database (it starts with SQLite's own header). */
export function isPlaintextDatabase(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    const read = readSync(fd, header, 0, 16, 0);
    return read === 16 && header.toString('latin1') === 'SQLite format 3\0';
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypts a database written before encryption at rest, in place. Its WAL is folded in first and
 * the rekey runs outside WAL mode, as SQLite3MultipleCiphers asks; the assistant must not be running.
 */
function encryptInPlace(file: string, secret: string): void {
  const sqlite = new Database(file);
  try {
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma(`cipher='sqlcipher'`);
    sqlite.pragma(`rekey=${sqlcipherKey(secret)}`);
  } finally {
    sqlite.close();
  }
}
