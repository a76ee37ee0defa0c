import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { prepared, setTo } from './prepared.ts';
import { caseEvents, handoffs, ratings, tickets } from './schema.ts';

/** A rating row. */
export type Rating = typeof ratings.$inferSelect;

/** What is known of a rating when it is asked or answered. */
export type RatingRow = Pick<
  typeof ratings.$inferInsert,
  'conversationId' | 'subject' | 'subjectId' | 'staffUserId' | 'channel' | 'score' | 'comment'
>;

/** The conflict target of "asked once per item": the partial unique index `ratings_once`. */
const onceTarget = {
  target: [ratings.subject, ratings.subjectId],
  targetWhere: sql`subject != 'faq'`,
};

const ask = prepared((db) =>
  db
    .insert(ratings)
    .values({
      conversationId: sql.placeholder('conversationId'),
      subject: sql.placeholder('subject'),
      subjectId: sql.placeholder('subjectId'),
      staffUserId: sql.placeholder('staffUserId'),
      channel: sql.placeholder('channel'),
      askedAt: sql.placeholder('now'),
      createdAt: sql.placeholder('now'),
    })
    // DO NOTHING, written as an update that never happens: drizzle puts a DO NOTHING's WHERE
    // after it, where SQLite does not take it; an update whose WHERE is false changes no row.
    .onConflictDoUpdate({ ...onceTarget, set: { subject: sql`${ratings.subject}` }, setWhere: sql`0` })
    .prepare(),
);

const answer = prepared((db) =>
  db
    .insert(ratings)
    .values({
      conversationId: sql.placeholder('conversationId'),
      subject: sql.placeholder('subject'),
      subjectId: sql.placeholder('subjectId'),
      staffUserId: sql.placeholder('staffUserId'),
      channel: sql.placeholder('channel'),
      score: sql.placeholder('score'),
      comment: sql.placeholder('comment'),
      askedAt: sql.placeholder('now'),
      answeredAt: sql.placeholder('now'),
      createdAt: sql.placeholder('now'),
    })
    .onConflictDoUpdate({
      ...onceTarget,
      set: {
        score: sql`coalesce(excluded.score, ${ratings.score})`,
        comment: sql`coalesce(excluded.comment, ${ratings.comment})`,
        answeredAt: sql`coalesce(${ratings.answeredAt}, excluded.answered_at)`,
        staffUserId: sql`coalesce(${ratings.staffUserId}, excluded.staff_user_id)`,
        channel: sql`case when ${ratings.channel} = '' then excluded.channel else ${ratings.channel} end`,
      },
    })
    .prepare(),
);

const bySubject = prepared((db) =>
  db
    .select()
    .from(ratings)
    .where(and(eq(ratings.subject, sql.placeholder('subject')), eq(ratings.subjectId, sql.placeholder('subjectId'))))
    .prepare(),
);

const recentFaq = prepared((db) =>
  db
    .select()
    .from(ratings)
    .where(
      and(
        eq(ratings.conversationId, sql.placeholder('conversationId')),
        eq(ratings.subject, 'faq'),
        eq(ratings.subjectId, sql.placeholder('subjectId')),
        gte(ratings.answeredAt, sql.placeholder('since')),
      ),
    )
    .orderBy(desc(ratings.id))
    .prepare(),
);

const rescored = prepared((db) =>
  db
    .update(ratings)
    .set({ score: setTo('score'), answeredAt: setTo('now') })
    .where(eq(ratings.id, sql.placeholder('id')))
    .prepare(),
);

/** Who had the conversation of a handoff, was given a ticket, served a case: {@link handlingStaff}. */
const staffOf = {
  handoff: prepared((db) =>
    db
      .select({ staff: handoffs.claimedBy })
      .from(handoffs)
      .where(eq(handoffs.id, sql.placeholder('id')))
      .prepare(),
  ),
  ticket: prepared((db) =>
    db
      .select({ staff: tickets.assignedTo })
      .from(tickets)
      .where(eq(tickets.id, sql.placeholder('id')))
      .prepare(),
  ),
  case: prepared((db) =>
    db
      .select({ staff: caseEvents.staffUserId })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, sql.placeholder('id')), eq(caseEvents.toStage, 'served')))
      .orderBy(desc(caseEvents.id))
      .limit(1)
      .prepare(),
  ),
};

/**
 * Notes that a rating of an item is asked (no score yet). Returns false when the item was asked
 * before — answered or not —, so that nobody is asked twice about the same thing.
 */
export function noteAsked(db: Db, row: Omit<RatingRow, 'score' | 'comment'>, now: Date): boolean {
  return (
    ask(db).run({
      conversationId: row.conversationId,
      subject: row.subject,
      subjectId: row.subjectId,
      staffUserId: row.staffUserId ?? null,
      channel: row.channel ?? '',
      now,
    }).changes === 1
  );
}

/**
 * Keeps an answer: a score (null when skipped) and perhaps a comment. Asked once per item, an
 * item's answer updates its row; a later score replaces an earlier one (an old button pressed
 * again), a skip or a missing comment never erases what was given. Never throws on a repeat.
 */
export function saveAnswer(db: Db, row: RatingRow, now: Date): void {
  answer(db).run({
    conversationId: row.conversationId,
    subject: row.subject,
    subjectId: row.subjectId,
    staffUserId: row.staffUserId ?? null,
    channel: row.channel ?? '',
    score: row.score ?? null,
    comment: row.comment ?? null,
    now,
  });
}

/** The rating of an item that is asked once (not an FAQ answer). */
export function findRating(db: Db, subject: Rating['subject'], subjectId: number): Rating | undefined {
  return bySubject(db).get({ subject, subjectId });
}

/** A conversation's latest rating of an FAQ answer since `since`, to change rather than repeat it. */
export function recentFaqRating(db: Db, conversationId: number, subjectId: number, since: Date): Rating | undefined {
  // A placeholder in a `where` is bound as given: the date as the column stores it.
  return recentFaq(db).get({ conversationId, subjectId, since: since.getTime() });
}

/** Changes a rating's score (an FAQ answer rated again from an old button). */
export function rescore(db: Db, id: number, score: number, now: Date): void {
  rescored(db).run({ id, score, now });
}

/**
 * The staff member whose work an item was, when the flow did not say: who had the conversation
 * (a handoff), who the complaint is assigned to (a ticket), who served the request (a case).
 */
export function handlingStaff(db: Db, subject: Rating['subject'], subjectId: number): number | null {
  if (subject === 'faq') return null;
  return staffOf[subject](db).get({ id: subjectId })?.staff ?? null;
}
