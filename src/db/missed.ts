import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Locale } from '../domain/messages.ts';
import type { MissedReason } from '../domain/missedReasons.ts';
import type { Db } from './client.ts';
import { prepared } from './prepared.ts';
import { missedMessages } from './schema.ts';

export type MissedMessage = typeof missedMessages.$inferSelect;

const upsert = prepared((db) =>
  db
    .insert(missedMessages)
    .values({
      lang: sql.placeholder('lang'),
      text: sql.placeholder('text'),
      reason: sql.placeholder('reason'),
      lastAt: sql.placeholder('now'),
      createdAt: sql.placeholder('now'),
    })
    .onConflictDoUpdate({
      target: [missedMessages.lang, missedMessages.text],
      set: { count: sql`${missedMessages.count} + 1`, lastAt: sql`excluded.last_at`, reason: sql`excluded.reason` },
    })
    .prepare(),
);

/** Counts an (already anonymised) message the assistant did not understand, one row per wording. */
export function recordMissed(db: Db, lang: Locale, text: string, now: Date, reason: MissedReason = 'unclear'): void {
  upsert(db).run({ lang, text, now, reason });
}

/** The messages waiting for a manager (most frequent first), or those already taught (newest first). */
export function listMissed(db: Db, taught: boolean, limit = 200): MissedMessage[] {
  return db
    .select()
    .from(missedMessages)
    .where(taught ? isNotNull(missedMessages.intent) : isNull(missedMessages.intent))
    .orderBy(
      ...(taught ? [desc(missedMessages.assignedAt)] : [desc(missedMessages.count), desc(missedMessages.lastAt)]),
    )
    .limit(limit)
    .all();
}

/** Teaches a waiting message as `intent`; false when it is gone or was taught already. */
export function assignMissed(
  db: Db,
  id: number,
  intent: string,
  staffUserId: number,
  now: Date,
): MissedMessage | undefined {
  return db
    .update(missedMessages)
    .set({ intent, assignedBy: staffUserId, assignedAt: now })
    .where(and(eq(missedMessages.id, id), isNull(missedMessages.intent)))
    .returning()
    .get();
}

/** What managers taught, as training phrases: per language, per intent. */
export function taughtPhrases(db: Db): { lang: Locale; intent: string; text: string }[] {
  return db
    .select({ lang: missedMessages.lang, intent: missedMessages.intent, text: missedMessages.text })
    .from(missedMessages)
    .where(isNotNull(missedMessages.intent))
    .orderBy(missedMessages.id)
    .all()
    .map((row) => ({ lang: row.lang, intent: row.intent ?? '', text: row.text }));
}
