import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { prepared } from './prepared.ts';
import { consents } from './schema.ts';

const insert = prepared((db) =>
  db
    .insert(consents)
    .values({
      conversationId: sql.placeholder('conversationId'),
      decision: sql.placeholder('decision'),
      noticeVersion: sql.placeholder('noticeVersion'),
      purpose: sql.placeholder('purpose'),
    })
    .prepare(),
);

const latestPrivacy = prepared((db) =>
  db
    .select({ decision: consents.decision })
    .from(consents)
    .where(and(eq(consents.conversationId, sql.placeholder('conversationId')), eq(consents.purpose, 'privacy')))
    .orderBy(desc(consents.id))
    .limit(1)
    .prepare(),
);

/** Keeps a privacy-notice decision as evidence: which notice version, what was decided, when. */
export function recordConsent(
  db: Db,
  conversationId: number,
  decision: 'given' | 'declined' | 'withdrawn',
  noticeVersion: number,
  purpose: 'privacy' | 'health' = 'privacy',
): void {
  insert(db).run({ conversationId, decision, noticeVersion, purpose });
}

/** The chat's latest decision on the health data of an application, with its date. */
export function healthConsentOf(
  db: Db,
  conversationId: number,
): { decision: 'given' | 'declined' | 'withdrawn'; at: Date } | undefined {
  const row = db
    .select({ decision: consents.decision, at: consents.createdAt })
    .from(consents)
    .where(and(eq(consents.conversationId, conversationId), eq(consents.purpose, 'health')))
    .orderBy(desc(consents.id))
    .limit(1)
    .get();
  return row ?? undefined;
}

/** Whether the chat's latest decision on the privacy notice is consent: only then is it told of changes. */
export function hasConsent(db: Db, conversationId: number): boolean {
  return privacyDecisionOf(db, conversationId) === 'given';
}

/** The chat's latest decision on the privacy notice, if it made one. */
export function privacyDecisionOf(db: Db, conversationId: number): 'given' | 'declined' | 'withdrawn' | undefined {
  return latestPrivacy(db).get({ conversationId })?.decision;
}
