import { and, asc, desc, eq, gt, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { prepared, setTo } from './prepared.ts';
import { beneficiaries, conversations, handoffs, staffUsers } from './schema.ts';

/** A handoff row. */
export type Handoff = typeof handoffs.$inferSelect;

const open = prepared((db) =>
  db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.conversationId, sql.placeholder('conversationId')), ne(handoffs.status, 'closed')))
    .prepare(),
);

const insert = prepared((db) =>
  db
    .insert(handoffs)
    .values({
      conversationId: sql.placeholder('conversationId'),
      priority: sql.placeholder('priority'),
      reason: sql.placeholder('reason'),
      createdAt: sql.placeholder('now'),
    })
    .returning()
    .prepare(),
);

const raise = prepared((db) =>
  db
    .update(handoffs)
    .set({ priority: sql`max(${handoffs.priority}, ${sql.placeholder('priority')})` })
    .where(eq(handoffs.id, sql.placeholder('id')))
    .prepare(),
);

const ahead = prepared((db) =>
  db
    .select({ n: sql<number>`count(*)` })
    .from(handoffs)
    .where(
      and(
        eq(handoffs.status, 'waiting'),
        or(
          gt(handoffs.priority, sql.placeholder('priority')),
          and(eq(handoffs.priority, sql.placeholder('priority')), lt(handoffs.id, sql.placeholder('id'))),
        ),
      ),
    )
    .prepare(),
);

const overdue = prepared((db) =>
  db
    .update(handoffs)
    .set({ overdue: true })
    .where(eq(handoffs.id, sql.placeholder('id')))
    .prepare(),
);

const claim = prepared((db) =>
  db
    .update(handoffs)
    .set({ status: 'claimed', claimedBy: setTo('staffUserId'), claimedAt: setTo('now') })
    .where(and(eq(handoffs.id, sql.placeholder('id')), eq(handoffs.status, 'waiting')))
    .prepare(),
);

const release = prepared((db) =>
  db
    .update(handoffs)
    .set({ status: 'waiting', claimedBy: null, claimedAt: null })
    .where(and(eq(handoffs.id, sql.placeholder('id')), eq(handoffs.status, 'claimed')))
    .prepare(),
);

const transfer = prepared((db) =>
  db
    .update(handoffs)
    .set({ claimedBy: setTo('staffUserId'), claimedAt: setTo('now') })
    .where(and(eq(handoffs.id, sql.placeholder('id')), eq(handoffs.status, 'claimed')))
    .prepare(),
);

const close = prepared((db) =>
  db
    .update(handoffs)
    .set({ status: 'closed', closedBy: setTo('by'), closedAt: setTo('now') })
    .where(and(eq(handoffs.id, sql.placeholder('id')), ne(handoffs.status, 'closed')))
    .prepare(),
);

const claimedByStaff = prepared((db) =>
  db
    .select()
    .from(handoffs)
    .where(and(eq(handoffs.claimedBy, sql.placeholder('staffUserId')), eq(handoffs.status, 'claimed')))
    .prepare(),
);

/** The conversation's waiting or claimed handoff, if it has one. */
export function openHandoff(db: Db, conversationId: number): Handoff | undefined {
  return open(db).get({ conversationId });
}

/** Puts a conversation in the queue. */
export function createHandoff(db: Db, conversationId: number, priority: number, reason: string, now: Date): Handoff {
  return insert(db).get({ conversationId, priority, reason, now }) as Handoff;
}

/** Raises a waiting or claimed handoff's priority (never lowers it). */
export function raisePriority(db: Db, id: number, priority: number): void {
  raise(db).run({ id, priority });
}

/** 1 for the next to be served: higher priority first, then first come, first served. */
export function queuePosition(db: Db, handoff: Handoff): number {
  const row = ahead(db).get({ priority: handoff.priority, id: handoff.id });
  return (row?.n ?? 0) + 1;
}

/** Flags a waiting handoff nobody claimed in time, for the queue to highlight. */
export function markOverdue(db: Db, id: number): void {
  overdue(db).run({ id });
}

/** Gives a waiting handoff to a staff member; false if it is not waiting any more. */
export function claimHandoff(db: Db, id: number, staffUserId: number, now: Date): boolean {
  return claim(db).run({ id, staffUserId, now }).changes === 1;
}

/** Puts a claimed handoff back in the queue. */
export function releaseHandoff(db: Db, id: number): boolean {
  return release(db).run({ id }).changes === 1;
}

/** Hands a claimed handoff to another staff member. */
export function transferHandoff(db: Db, id: number, staffUserId: number, now: Date): boolean {
  return transfer(db).run({ id, staffUserId, now }).changes === 1;
}

/** Closes an open handoff; false if it was already closed. */
export function closeHandoff(db: Db, id: number, by: 'staff' | 'user', now: Date): boolean {
  return close(db).run({ id, by, now }).changes === 1;
}

/** The open handoffs a staff member has claimed. */
export function claimedBy(db: Db, staffUserId: number): Handoff[] {
  return claimedByStaff(db).all({ staffUserId });
}

const lastIn = (column: string) =>
  sql.raw(
    // An answer to a rating question is not "the last message": staff never see it; nor is what the
    // queue (every officer's) must not show — a complaint about staff, an application's health details.
    `(select ${column} from transcript t where t.conversation_id = handoffs.conversation_id and t.direction = 'in' and coalesce(json_extract(t.payload, '$.flag'), '') not in ('rating', 'aboutStaff', 'health') order by t.id desc limit 1)`,
  );

/** The queue's rows of one status, in the order `closed` says: latest closed first, or most urgent and oldest. */
function queueOf(db: Db, closed: boolean) {
  return db
    .select({
      handoff: handoffs,
      channel: conversations.channel,
      locale: conversations.locale,
      profileName: conversations.profileName,
      phone: conversations.platformPhone,
      beneficiaryName: beneficiaries.name,
      claimedByName: staffUsers.displayName,
      lastKind: sql<string | null>`${lastIn('kind')}`,
      lastText: sql<string | null>`${lastIn('text')}`,
      lastAt: sql<number | null>`${lastIn('created_at')}`,
    })
    .from(handoffs)
    .innerJoin(conversations, eq(handoffs.conversationId, conversations.id))
    .leftJoin(beneficiaries, eq(conversations.beneficiaryId, beneficiaries.id))
    .leftJoin(staffUsers, eq(handoffs.claimedBy, staffUsers.id))
    .where(eq(handoffs.status, sql.placeholder('status')))
    .orderBy(...(closed ? [desc(handoffs.closedAt)] : [desc(handoffs.priority), asc(handoffs.id)]))
    .limit(sql.placeholder('limit'))
    .prepare();
}

const openQueue = prepared((db) => queueOf(db, false));
const closedQueue = prepared((db) => queueOf(db, true));

/** The queue as staff see it: one status, most urgent and oldest first (closed: latest first). */
export function listHandoffs(db: Db, status: Handoff['status'], limit = 200) {
  return (status === 'closed' ? closedQueue : openQueue)(db).all({ status, limit });
}

/** One row of {@link listHandoffs}. */
export type QueueRow = ReturnType<typeof listHandoffs>[number];

const counts = prepared((db) =>
  db
    .select({
      waiting: sql<number>`count(*)`,
      emergencies: sql<number>`coalesce(sum(${handoffs.priority} >= 2), 0)`,
      newest: sql<number>`coalesce(max(${handoffs.id}), 0)`,
    })
    .from(handoffs)
    .where(eq(handoffs.status, 'waiting'))
    .prepare(),
);

/** How many wait now, and how many of them are emergencies: the console's title and alerts. */
export function queueCounts(db: Db): { waiting: number; emergencies: number; newest: number } {
  return counts(db).get() ?? { waiting: 0, emergencies: 0, newest: 0 };
}
