import type { Db } from './client.ts';
import { consents } from './schema.ts';

/** Keeps a privacy-notice decision as evidence: which notice version, what was decided, when. */
export function recordConsent(
  db: Db,
  conversationId: number,
  decision: 'given' | 'declined' | 'withdrawn',
  noticeVersion: number,
): void {
  db.insert(consents).values({ conversationId, decision, noticeVersion }).run();
}
