import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { prepared } from './prepared.ts';
import { media } from './schema.ts';

/** A stored file's row. */
export type MediaRow = typeof media.$inferSelect;

// Without `id` and `createdAt`: the database numbers and dates the row.
const insert = prepared((db) =>
  db
    .insert(media)
    .values({
      conversationId: sql.placeholder('conversationId'),
      kind: sql.placeholder('kind'),
      mime: sql.placeholder('mime'),
      size: sql.placeholder('size'),
      sha256: sql.placeholder('sha256'),
      path: sql.placeholder('path'),
      fileName: sql.placeholder('fileName'),
    })
    .returning({ id: media.id })
    .prepare(),
);

/** Links a stored file to the conversation it was sent in; returns its id. */
export function recordMedia(db: Db, row: typeof media.$inferInsert): number {
  // A row given its own id or date (never the engine's) is written as given.
  if (row.id !== undefined || row.createdAt !== undefined) {
    return db.insert(media).values(row).returning({ id: media.id }).get().id;
  }
  return (insert(db).get({ ...row, fileName: row.fileName ?? null }) as { id: number }).id;
}
