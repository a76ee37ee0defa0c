import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

/** The database handle every query module takes; inside a transaction it is the transaction. */
export type Db = BetterSQLite3Database<typeof schema>;

/** An open database with the raw connection kept for closing. */
export interface OpenDatabase {
  db: Db;
  /** Reads one pragma's current value, for checks and diagnostics. */
  pragma(name: string): unknown;
  close(): void;
}

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');

/**
 * Opens (creating if needed) the SQLite file at `file`, sets the durability pragmas and applies
 * pending migrations. `synchronous=FULL` is set explicitly: an accepted request must survive a
 * power cut, and WAL alone may leave it at NORMAL.
 */
export function openDatabase(file: string): OpenDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { db, pragma: (name) => sqlite.pragma(name, { simple: true }), close: () => sqlite.close() };
}
