import { and, asc, eq, gt, min, sql } from 'drizzle-orm';
import type { OutboundMessage } from '../domain/messages.ts';
import type { Db } from './client.ts';
import { outbox } from './schema.ts';

/** A reply waiting in the outbox. */
export type OutboxRow = typeof outbox.$inferSelect;

/** Queues a reply for delivery, due at once; it is sent after the surrounding transaction commits. */
export function enqueueReply(
  db: Db,
  reply: { conversationId: number; channel: string; chatId: string; payload: OutboundMessage },
  now: Date,
): void {
  db.insert(outbox)
    .values({ ...reply, createdAt: now, nextAttemptAt: now })
    .run();
}

/**
 * The oldest pending reply of each chat on `channel` that is due by `now`. Only a chat's oldest
 * reply is offered, so a chat's replies leave in order even while an earlier one is retried.
 */
export function dueReplies(db: Db, channel: string, now: Date, limit: number): OutboxRow[] {
  const heads = db
    .select({ id: min(outbox.id).as('head_id') })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending')))
    .groupBy(outbox.conversationId)
    .as('heads');
  return db
    .select()
    .from(outbox)
    .innerJoin(heads, eq(outbox.id, heads.id))
    .where(sql`${outbox.nextAttemptAt} <= ${now.getTime()}`)
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all()
    .map((r) => r.outbox);
}

/** When the next pending reply on `channel` becomes due, if any is pending. */
export function nextDueAt(db: Db, channel: string): Date | undefined {
  const row = db
    .select({ at: min(outbox.nextAttemptAt) })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending')))
    .get();
  return row?.at ?? undefined;
}

/**
 * Makes every pending reply on `channel` due now, e.g. when the channel has just become ready
 * and what waited for it should leave without waiting out its back-off.
 */
export function makeDue(db: Db, channel: string, now: Date): void {
  db.update(outbox)
    .set({ nextAttemptAt: now })
    .where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending'), gt(outbox.nextAttemptAt, now)))
    .run();
}

/** Marks a reply delivered. */
export function markSent(db: Db, id: number): void {
  db.update(outbox).set({ status: 'sent', sentAt: new Date(), lastError: null }).where(eq(outbox.id, id)).run();
}

/** Records a failed attempt and when to try again. */
export function markRetry(db: Db, id: number, attempts: number, nextAttemptAt: Date, error: string): void {
  db.update(outbox).set({ attempts, nextAttemptAt, lastError: error }).where(eq(outbox.id, id)).run();
}

/** Gives up on a reply (permanent error or too many attempts); it stays for staff to see. */
export function markFailed(db: Db, id: number, attempts: number, error: string): void {
  db.update(outbox).set({ status: 'failed', attempts, lastError: error }).where(eq(outbox.id, id)).run();
}

/** Gives up on every pending reply of a conversation, e.g. once the user has blocked the bot. */
export function failPending(db: Db, conversationId: number, error: string): void {
  db.update(outbox)
    .set({ status: 'failed', lastError: error })
    .where(and(eq(outbox.conversationId, conversationId), eq(outbox.status, 'pending')))
    .run();
}
