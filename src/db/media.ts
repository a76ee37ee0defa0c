import type { Db } from './client.ts';
import { media } from './schema.ts';

/** A stored file's row. */
export type MediaRow = typeof media.$inferSelect;

/** Links a stored file to the conversation it was sent in; returns its id. */
export function recordMedia(db: Db, row: typeof media.$inferInsert): number {
  return db.insert(media).values(row).returning({ id: media.id }).get().id;
}
