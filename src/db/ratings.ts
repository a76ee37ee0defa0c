import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { ratings } from './schema.ts';

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

/**
 * Notes that a rating of an item is asked (no score yet). Returns false when the item was asked
 * before — answered or not —, so that nobody is asked twice about the same thing.
 */
export function noteAsked(db: Db, row: Omit<RatingRow, 'score' | 'comment'>, now: Date): boolean {
  // Written out: drizzle puts a DO NOTHING's WHERE after it, where SQLite does not take it.
  const at = now.getTime();
  return (
    db.run(
      sql`insert into ratings (conversation_id, subject, subject_id, staff_user_id, channel, asked_at, created_at)
        values (${row.conversationId}, ${row.subject}, ${row.subjectId}, ${row.staffUserId ?? null}, ${row.channel ?? ''}, ${at}, ${at})
        on conflict (subject, subject_id) where subject != 'faq' do nothing`,
    ).changes === 1
  );
}

/**
 * Keeps an answer: a score (null when skipped) and perhaps a comment. Asked once per item, an
 * item's answer updates its row; a later score replaces an earlier one (an old button pressed
 * again), a skip or a missing comment never erases what was given. Never throws on a repeat.
 */
export function saveAnswer(db: Db, row: RatingRow, now: Date): void {
  db.insert(ratings)
    .values({ ...row, askedAt: now, answeredAt: now, createdAt: now })
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
    .run();
}

/** The rating of an item that is asked once (not an FAQ answer). */
export function findRating(db: Db, subject: Rating['subject'], subjectId: number): Rating | undefined {
  return db
    .select()
    .from(ratings)
    .where(and(eq(ratings.subject, subject), eq(ratings.subjectId, subjectId)))
    .get();
}

/** A conversation's latest rating of an FAQ answer since `since`, to change rather than repeat it. */
export function recentFaqRating(db: Db, conversationId: number, subjectId: number, since: Date): Rating | undefined {
  return db
    .select()
    .from(ratings)
    .where(
      and(
        eq(ratings.conversationId, conversationId),
        eq(ratings.subject, 'faq'),
        eq(ratings.subjectId, subjectId),
        gte(ratings.answeredAt, since),
      ),
    )
    .orderBy(desc(ratings.id))
    .get();
}

/** Changes a rating's score (an FAQ answer rated again from an old button). */
export function rescore(db: Db, id: number, score: number, now: Date): void {
  db.update(ratings).set({ score, answeredAt: now }).where(eq(ratings.id, id)).run();
}

/**
 * The staff member whose work an item was, when the flow did not say: who had the conversation
 * (a handoff), who the complaint is assigned to (a ticket), who served the request (a case).
 */
export function handlingStaff(db: Db, subject: Rating['subject'], subjectId: number): number | null {
  const query =
    subject === 'handoff'
      ? sql`select claimed_by as staff from handoffs where id = ${subjectId}`
      : subject === 'ticket'
        ? sql`select assigned_to as staff from tickets where id = ${subjectId}`
        : subject === 'case'
          ? sql`select staff_user_id as staff from case_events where case_id = ${subjectId} and to_stage = 'served' order by id desc limit 1`
          : undefined;
  return (query && db.get<{ staff: number | null }>(query)?.staff) ?? null;
}
