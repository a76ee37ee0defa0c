import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { MediaRow } from './media.ts';
import { jsonOrNull, prepared, rawPlaceholder } from './prepared.ts';
import { outbox, transcript } from './schema.ts';

/** One transcript line to write. */
export type TranscriptEntry = typeof transcript.$inferInsert;

/**
 * A mark on an inbound transcript row (`payload.flag`): `emergency`, which staff must not miss,
 * when the edge read words of emergency or distress in it, whatever the flow then did; `rating`,
 * which staff must not see, for an answer to a rating question (a score, a comment, an old
 * rating button): no staff member learns who rated their work, or how; `aboutStaff`, which only
 * managers see, for what a person wrote or sent in a complaint about a staff member; `health`,
 * which only the roles that need health details see (researchers, managers), for an application's
 * description of a need and its documents, and the bot's messages that repeat them.
 */
export type TranscriptFlag = 'emergency' | 'rating' | 'aboutStaff' | 'health';

/**
 * The payload of an inbound transcript row of kind `media`: enough for the console to show the
 * file (inline, or as «name (size)») without a join. The caption, if any, is the row's `text`.
 */
export interface MediaTranscriptPayload {
  /** What the person sent, as the platform called it. */
  media: MediaRow['kind'];
  /** The stored file's `media` row (served to staff by id); absent when the file was not kept. */
  mediaId?: number;
  /** The name the sender gave the file (documents), as sent. */
  fileName?: string;
  /** The stored file's type, read from its bytes; for a file not kept, the platform's claim if any. */
  mime?: string;
  /** The stored file's size in bytes; for a file not kept, the platform's claim if any. */
  size?: number;
  /** Why the file was not kept (over the size cap, a kind not accepted, not fetched); never stored. */
  rejected?: 'tooLarge' | 'type' | 'unavailable';
}

const insert = prepared((db) =>
  db
    .insert(transcript)
    .values({
      conversationId: sql.placeholder('conversationId'),
      direction: sql.placeholder('direction'),
      author: sql.placeholder('author'),
      kind: sql.placeholder('kind'),
      text: sql.placeholder('text'),
      // Most rows have no payload: NULL, not the text 'null' the column's encoder would write.
      payload: rawPlaceholder('payload'),
      messageId: sql.placeholder('messageId'),
      createdAt: sql.placeholder('createdAt'),
    })
    .prepare(),
);

const lastOut = prepared((db) =>
  db
    .select()
    .from(transcript)
    .where(and(eq(transcript.conversationId, sql.placeholder('conversationId')), eq(transcript.direction, 'out')))
    .orderBy(desc(transcript.id))
    .limit(1)
    .prepare(),
);

/** Appends a message, in or out, to a conversation's transcript. */
export function appendTranscript(db: Db, entry: TranscriptEntry): void {
  insert(db).run({
    ...entry,
    text: entry.text ?? null,
    payload: jsonOrNull(entry.payload),
    messageId: entry.messageId ?? null,
    createdAt: entry.createdAt ?? new Date(),
  });
}

/** A conversation's transcript, oldest first. */
export function readTranscript(db: Db, conversationId: number) {
  return db.select().from(transcript).where(eq(transcript.conversationId, conversationId)).orderBy(transcript.id).all();
}

/** The last thing the bot said in a conversation, to show again when a chat resumes. */
export function lastOutbound(db: Db, conversationId: number) {
  return lastOut(db).get({ conversationId });
}

/**
 * Marks what a person sent in this conversation as `flag`: their messages with exactly this text,
 * the message that carried this file (a complaint about a staff member, written and sent before
 * it was filed), and the assistant's messages that echo the text (its summary before sending).
 */
export function flagSent(
  db: Db,
  conversationId: number,
  sent: { text: string; mediaId?: number | null },
  flag: TranscriptFlag,
): void {
  db.update(transcript)
    .set({ payload: sql`json_set(coalesce(${transcript.payload}, '{}'), '$.flag', ${flag})` })
    .where(
      and(
        eq(transcript.conversationId, conversationId),
        or(
          and(eq(transcript.direction, 'in'), eq(transcript.text, sent.text)),
          and(eq(transcript.direction, 'out'), sql`instr(${transcript.text}, ${sent.text}) > 0`),
          sent.mediaId ? sql`json_extract(${transcript.payload}, '$.mediaId') = ${sent.mediaId}` : sql`0`,
        ),
      ),
    )
    .run();
  flagUnsent(db, conversationId, sent.text, flag);
}

/** Marks the replies still in the outbox of this conversation that echo `text` (the staff's unsent list shows them). */
function flagUnsent(db: Db, conversationId: number, text: string, flag: TranscriptFlag): void {
  db.update(outbox)
    .set({ payload: sql`json_set(${outbox.payload}, '$.flag', ${flag})` })
    .where(
      and(
        eq(outbox.conversationId, conversationId),
        sql`instr(json_extract(${outbox.payload}, '$.text'), ${text}) > 0`,
        sql`json_extract(${outbox.payload}, '$.flag') is null`,
      ),
    )
    .run();
}

/**
 * Marks an application's health details in its conversation as `health`: the messages, in or
 * out, that hold the description of the need (the person's answer and the bot's summary), and
 * those that carried its documents. A message marked already (an emergency) keeps its mark.
 */
export function flagHealth(db: Db, conversationId: number, sent: { text?: string; mediaIds: number[] }): void {
  const text = sent.text?.trim();
  const matches = [
    ...(text ? [sql`instr(${transcript.text}, ${text}) > 0`] : []),
    ...sent.mediaIds.map((id) => sql`json_extract(${transcript.payload}, '$.mediaId') = ${id}`),
  ];
  if (matches.length === 0) return;
  db.update(transcript)
    .set({ payload: sql`json_set(coalesce(${transcript.payload}, '{}'), '$.flag', 'health')` })
    .where(
      and(
        eq(transcript.conversationId, conversationId),
        sql`json_extract(${transcript.payload}, '$.flag') is null`,
        or(...matches),
      ),
    )
    .run();
  if (text) flagUnsent(db, conversationId, text, 'health');
}

/** The mark on the message that carried a stored file, if any (e.g. part of a complaint about staff). */
export function flagOfMedia(db: Db, mediaId: number): TranscriptFlag | undefined {
  const row = db
    .select({ flag: sql<string | null>`json_extract(${transcript.payload}, '$.flag')` })
    .from(transcript)
    .where(sql`json_extract(${transcript.payload}, '$.mediaId') = ${mediaId}`)
    .get();
  return (row?.flag ?? undefined) as TranscriptFlag | undefined;
}
