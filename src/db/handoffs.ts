import { and, asc, desc, eq, gt, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { conversations, handoffs, staffUsers } from './schema.ts';

/** A handoff row. */
export type Handoff = typeof handoffs.$inferSelect;

/** The conversation's waiting or claimed handoff, if it has one. */
export function openHandoff(db: Db, conversationId: number): Handoff | undefined {
  return db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.conversationId, conversationId), ne(handoffs.status, 'closed')))
    .get();
}

/** Puts a conversation in the queue. */
export function createHandoff(db: Db, conversationId: number, priority: number, reason: string, now: Date): Handoff {
  return db.insert(handoffs).values({ conversationId, priority, reason, createdAt: now }).returning().get();
}

/** Raises a waiting or claimed handoff's priority (never lowers it). */
export function raisePriority(db: Db, id: number, priority: number): void {
  db.update(handoffs)
    .set({ priority: sql`max(${handoffs.priority}, ${priority})` })
    .where(eq(handoffs.id, id))
    .run();
}

/** 1 for the next to be served: higher priority first, then first come, first served. */
export function queuePosition(db: Db, handoff: Handoff): number {
  const ahead = db
    .select({ n: sql<number>`count(*)` })
    .from(handoffs)
    .where(
      and(
        eq(handoffs.status, 'waiting'),
        or(
          gt(handoffs.priority, handoff.priority),
          and(eq(handoffs.priority, handoff.priority), lt(handoffs.id, handoff.id)),
        ),
      ),
    )
    .get();
  return (ahead?.n ?? 0) + 1;
}

/** Flags a waiting handoff nobody claimed in time, for the queue to highlight. */
export function markOverdue(db: Db, id: number): void {
  db.update(handoffs).set({ overdue: true }).where(eq(handoffs.id, id)).run();
}

/** Gives a waiting handoff to a staff member; false if it is not waiting any more. */
export function claimHandoff(db: Db, id: number, staffUserId: number, now: Date): boolean {
  return (
    db
      .update(handoffs)
      .set({ status: 'claimed', claimedBy: staffUserId, claimedAt: now })
      .where(and(eq(handoffs.id, id), eq(handoffs.status, 'waiting')))
      .run().changes === 1
  );
}

/** Puts a claimed handoff back in the queue. */
export function releaseHandoff(db: Db, id: number): boolean {
  return (
    db
      .update(handoffs)
      .set({ status: 'waiting', claimedBy: null, claimedAt: null })
      .where(and(eq(handoffs.id, id), eq(handoffs.status, 'claimed')))
      .run().changes === 1
  );
}

/** Hands a claimed handoff to another staff member. */
export function transferHandoff(db: Db, id: number, staffUserId: number, now: Date): boolean {
  return (
    db
      .update(handoffs)
      .set({ claimedBy: staffUserId, claimedAt: now })
      .where(and(eq(handoffs.id, id), eq(handoffs.status, 'claimed')))
      .run().changes === 1
  );
}

/** Closes an open handoff; false if it was already closed. */
export function closeHandoff(db: Db, id: number, by: 'staff' | 'user', now: Date): boolean {
  return (
    db
      .update(handoffs)
      .set({ status: 'closed', closedBy: by, closedAt: now })
      .where(and(eq(handoffs.id, id), ne(handoffs.status, 'closed')))
      .run().changes === 1
  );
}

/** A handoff by id. */
export function findHandoff(db: Db, id: number): Handoff | undefined {
  return db.select().from(handoffs).where(eq(handoffs.id, id)).get();
}

/** The queue as staff see it: one status or several, most urgent and oldest first. */
export function listHandoffs(db: Db, statuses: Handoff['status'][], limit = 200) {
  const closed = statuses.includes('closed');
  return db
    .select({
      handoff: handoffs,
      channel: conversations.channel,
      locale: conversations.locale,
      claimedByName: staffUsers.displayName,
    })
    .from(handoffs)
    .innerJoin(conversations, eq(handoffs.conversationId, conversations.id))
    .leftJoin(staffUsers, eq(handoffs.claimedBy, staffUsers.id))
    .where(inArray(handoffs.status, statuses))
    .orderBy(...(closed ? [desc(handoffs.closedAt)] : [desc(handoffs.priority), asc(handoffs.id)]))
    .limit(limit)
    .all();
}
