import { and, desc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { consents } from './schema.ts';

/** Keeps a privacy-notice decision as evidence: which notice version, what was decided, when. */
export function recordConsent(
  db: Db,
  conversationId: number,
  decision: 'given' | 'declined' | 'withdrawn',
  noticeVersion: number,
  purpose: 'privacy' | 'health' = 'privacy',
): void {
  db.insert(consents).values({ conversationId, decision, noticeVersion, purpose }).run();
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
  const latest = db
    .select({ decision: consents.decision })
    .from(consents)
    .where(and(eq(consents.conversationId, conversationId), eq(consents.purpose, 'privacy')))
    .orderBy(desc(consents.id))
    .limit(1)
    .get();
  return latest?.decision;
}
