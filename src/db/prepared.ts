import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './client.ts';

/**
 * A query built by drizzle and compiled by SQLite once per database connection, then only bound
 * and run: drizzle keeps no statement cache, and building the SQL and compiling it again costs
 * ten times running it. `build` writes the query with `sql.placeholder(name)` where values go and
 * ends in `.prepare()`. The database and every transaction opened on it share one connection, so
 * what is prepared on one serves all of them.
 *
 * @example
 * const byId = prepared((db) => db.select().from(t).where(eq(t.id, sql.placeholder('id'))).prepare());
 * byId(tx).get({ id: 1 });
 */
export function prepared<T>(build: (db: Db) => T): (db: Db) => T {
  const byConnection = new WeakMap<object, T>();
  return (db) => {
    // drizzle's session holds the connection; a transaction's handle has its database's session.
    const session = (db as unknown as { session: object }).session;
    let query = byConnection.get(session);
    if (query === undefined) {
      query = build(db);
      byConnection.set(session, query);
    }
    return query;
  };
}

/**
 * A placeholder in an update's `set`: drizzle encodes its value as the column's (a date as epoch
 * milliseconds), like `sql.placeholder` in a `where`, but its types accept no placeholder there.
 */
export function setTo(name: string): never {
  return sql.placeholder(name) as never;
}

/**
 * A placeholder passed to SQLite as given, without the column's encoding: for a JSON column that
 * may be null, whose encoder would write the text 'null' (see {@link jsonOrNull}).
 */
export function rawPlaceholder(name: string): SQL {
  return sql`${sql.placeholder(name)}`;
}

/** A JSON column's value as SQLite keeps it: its JSON text, or NULL for none. */
export function jsonOrNull(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}
