import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from './client.ts';
import { conversations, timers } from './schema.ts';

/** Sets (or moves) a conversation's deadline named `key`. */
export function setTimer(db: Db, conversationId: number, key: string, fireAt: Date): void {
  db.insert(timers)
    .values({ conversationId, key, fireAt })
    .onConflictDoUpdate({ target: [timers.conversationId, timers.key], set: { fireAt } })
    .run();
}

/** Cancels a conversation's deadline named `key`; a no-op if it is not set. */
export function cancelTimer(db: Db, conversationId: number, key: string): void {
  db.delete(timers)
    .where(and(eq(timers.conversationId, conversationId), eq(timers.key, key)))
    .run();
}

/**
 * Takes a due timer out of the table. Returns false if it was cancelled or already fired, so
 * a deadline fires at most once even when a scheduler tick races a restart.
 */
export function takeTimer(db: Db, id: number): boolean {
  return db.delete(timers).where(eq(timers.id, id)).run().changes === 1;
}

/** Timers due by `now`, with the chat each belongs to. */
export function dueTimers(db: Db, now: Date, limit: number) {
  return db
    .select({
      id: timers.id,
      key: timers.key,
      fireAt: timers.fireAt,
      channel: conversations.channel,
      chatId: conversations.chatId,
    })
    .from(timers)
    .innerJoin(conversations, eq(timers.conversationId, conversations.id))
    .where(lte(timers.fireAt, now))
    .orderBy(asc(timers.fireAt))
    .limit(limit)
    .all();
}
