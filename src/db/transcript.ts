import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { transcript } from './schema.ts';

/** One transcript line to write. */
export type TranscriptEntry = typeof transcript.$inferInsert;

/** Appends a message, in or out, to a conversation's transcript. */
export function appendTranscript(db: Db, entry: TranscriptEntry): void {
  db.insert(transcript).values(entry).run();
}

/** A conversation's transcript, oldest first. */
export function readTranscript(db: Db, conversationId: number) {
  return db.select().from(transcript).where(eq(transcript.conversationId, conversationId)).orderBy(transcript.id).all();
}

/** The last thing the bot said in a conversation, to show again when a chat resumes. */
export function lastOutbound(db: Db, conversationId: number) {
  return db
    .select()
    .from(transcript)
    .where(and(eq(transcript.conversationId, conversationId), eq(transcript.direction, 'out')))
    .orderBy(desc(transcript.id))
    .limit(1)
    .get();
}
