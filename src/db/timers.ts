import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { prepared } from './prepared.ts';
import { conversations, timers } from './schema.ts';

const upsert = prepared((db) =>
  db
    .insert(timers)
    .values({
      conversationId: sql.placeholder('conversationId'),
      key: sql.placeholder('key'),
      fireAt: sql.placeholder('fireAt'),
    })
    .onConflictDoUpdate({ target: [timers.conversationId, timers.key], set: { fireAt: sql`excluded.fire_at` } })
    .prepare(),
);

const remove = prepared((db) =>
  db
    .delete(timers)
    .where(and(eq(timers.conversationId, sql.placeholder('conversationId')), eq(timers.key, sql.placeholder('key'))))
    .prepare(),
);

const take = prepared((db) =>
  db
    .delete(timers)
    .where(eq(timers.id, sql.placeholder('id')))
    .prepare(),
);

const due = prepared((db) =>
  db
    .select({
      id: timers.id,
      key: timers.key,
      fireAt: timers.fireAt,
      channel: conversations.channel,
      chatId: conversations.chatId,
    })
    .from(timers)
    .innerJoin(conversations, eq(timers.conversationId, conversations.id))
    .where(lte(timers.fireAt, sql.placeholder('now')))
    .orderBy(asc(timers.fireAt))
    .limit(sql.placeholder('limit'))
    .prepare(),
);

/** Sets (or moves) a conversation's deadline named `key`. */
export function setTimer(db: Db, conversationId: number, key: string, fireAt: Date): void {
  upsert(db).run({ conversationId, key, fireAt });
}

/** Cancels a conversation's deadline named `key`; a no-op if it is not set. */
export function cancelTimer(db: Db, conversationId: number, key: string): void {
  remove(db).run({ conversationId, key });
}

/**
 * Takes a due timer out of the table. Returns false if it was cancelled or already fired, so
 * a deadline fires at most once even when a scheduler tick races a restart.
 */
export function takeTimer(db: Db, id: number): boolean {
  return take(db).run({ id }).changes === 1;
}

/** Timers due by `now`, with the chat each belongs to. */
export function dueTimers(db: Db, now: Date, limit: number) {
  // A placeholder in a `where` is bound as given: the date as the column stores it.
  return due(db).all({ now: now.getTime(), limit });
}
