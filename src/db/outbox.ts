import { and, asc, count, desc, eq, gt, lt, lte, min, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { OutboundMessage } from '../domain/messages.ts';
import type { Db } from './client.ts';
import { prepared, setTo } from './prepared.ts';
import { conversations, outbox } from './schema.ts';

/** A reply waiting in the outbox. Its `createdAt` is when it was queued (again, after a resend). */
export type OutboxRow = typeof outbox.$inferSelect;

const insert = prepared((db) =>
  db
    .insert(outbox)
    .values({
      conversationId: sql.placeholder('conversationId'),
      channel: sql.placeholder('channel'),
      chatId: sql.placeholder('chatId'),
      payload: sql.placeholder('payload'),
      createdAt: sql.placeholder('now'),
      nextAttemptAt: sql.placeholder('now'),
    })
    .prepare(),
);

/** Queues a reply for delivery, due at once; it is sent after the surrounding transaction commits. */
export function enqueueReply(
  db: Db,
  reply: { conversationId: number; channel: string; chatId: string; payload: OutboundMessage },
  now: Date,
): void {
  insert(db).run({ ...reply, now });
}

const earlierPending = alias(outbox, 'earlier');

// Walks the channel's pending replies in the order they were queued (index outbox_queue) and
// stops at `limit`: its cost does not grow with how much waits.
const due = prepared((db) =>
  db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.channel, sql.placeholder('channel')),
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, sql.placeholder('now')),
        notExists(
          db
            .select({ id: earlierPending.id })
            .from(earlierPending)
            .where(
              and(
                eq(earlierPending.conversationId, outbox.conversationId),
                eq(earlierPending.status, 'pending'),
                lt(earlierPending.id, outbox.id),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(sql.placeholder('limit'))
    .prepare(),
);

/**
 * The oldest pending reply of each chat on `channel` that is due by `now`. Only a chat's oldest
 * reply is offered, so a chat's replies leave in order even while an earlier one is retried.
 */
export function dueReplies(db: Db, channel: string, now: Date, limit: number): OutboxRow[] {
  // A placeholder in a `where` is bound as given: the date as the column stores it.
  return due(db).all({ channel, now: now.getTime(), limit });
}

const nextDue = prepared((db) =>
  db
    .select({ at: min(outbox.nextAttemptAt) })
    .from(outbox)
    .where(and(eq(outbox.channel, sql.placeholder('channel')), eq(outbox.status, 'pending')))
    .prepare(),
);

/** When the next pending reply on `channel` becomes due, if any is pending. */
export function nextDueAt(db: Db, channel: string): Date | undefined {
  return nextDue(db).get({ channel })?.at ?? undefined;
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

const sent = prepared((db) =>
  db
    .update(outbox)
    .set({ status: 'sent', sentAt: setTo('sentAt'), lastError: null })
    .where(eq(outbox.id, sql.placeholder('id')))
    .prepare(),
);

/** Marks a reply delivered. */
export function markSent(db: Db, id: number, sentAt = new Date()): void {
  sent(db).run({ id, sentAt });
}

const retry = prepared((db) =>
  db
    .update(outbox)
    .set({
      attempts: setTo('attempts'),
      nextAttemptAt: setTo('nextAttemptAt'),
      lastError: setTo('error'),
    })
    .where(eq(outbox.id, sql.placeholder('id')))
    .prepare(),
);

/** Records a failed attempt and when to try again. */
export function markRetry(db: Db, id: number, attempts: number, nextAttemptAt: Date, error: string): void {
  retry(db).run({ id, attempts, nextAttemptAt, error });
}

const failed = prepared((db) =>
  db
    .update(outbox)
    .set({ status: 'failed', attempts: setTo('attempts'), lastError: setTo('error') })
    .where(eq(outbox.id, sql.placeholder('id')))
    .prepare(),
);

/** Gives up on a reply (permanent error or too many attempts); it stays for staff to see. */
export function markFailed(db: Db, id: number, attempts: number, error: string): void {
  failed(db).run({ id, attempts, error });
}

/** Gives up on every pending reply of a conversation, e.g. once the user has blocked the bot. */
export function failPending(db: Db, conversationId: number, error: string): void {
  db.update(outbox)
    .set({ status: 'failed', lastError: error })
    .where(and(eq(outbox.conversationId, conversationId), eq(outbox.status, 'pending')))
    .run();
}

/** How much waits on `channel`: pending replies and when the oldest was queued. */
export function outboxDepth(db: Db, channel: string): { pending: number; oldestQueuedAt: Date | undefined } {
  const row = db
    .select({ pending: count(), oldest: min(outbox.createdAt) })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending')))
    .get();
  return { pending: row?.pending ?? 0, oldestQueuedAt: row?.oldest ?? undefined };
}

/** A reply that failed for good, with its conversation's reachability, for staff to see. */
export type FailedReply = OutboxRow & { reachable: boolean };

/** Replies that failed for good, newest first. */
export function failedReplies(db: Db, limit = 200): FailedReply[] {
  return db
    .select({ row: outbox, status: conversations.status })
    .from(outbox)
    .innerJoin(conversations, eq(conversations.id, outbox.conversationId))
    .where(eq(outbox.status, 'failed'))
    .orderBy(desc(outbox.id))
    .limit(limit)
    .all()
    .map(({ row, status }) => ({ ...row, reachable: status === 'active' }));
}

/** One reply by id. */
export function findReply(db: Db, id: number): OutboxRow | undefined {
  return db.select().from(outbox).where(eq(outbox.id, id)).get();
}

/**
 * Queues a failed reply again, as if new: due now, no attempts, queued now (so its deadline and
 * its age on `/health` count from now). Only a failed reply: false for any other.
 */
export function requeueFailed(db: Db, id: number, now: Date): boolean {
  const result = db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, lastError: null, nextAttemptAt: now, createdAt: now })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'failed')))
    .run();
  return result.changes === 1;
}
