import { and, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { processedInbound } from './schema.ts';

/**
 * Records that a message was accepted. Returns false when this (channel, message id) was seen
 * before, so the caller drops the duplicate.
 */
export function recordInbound(db: Db, channel: string, messageId: string, conversationId: number): boolean {
  const result = db.insert(processedInbound).values({ channel, messageId, conversationId }).onConflictDoNothing().run();
  return result.changes === 1;
}

/** Whether a message was already accepted: a cheap check before any slow work on it. */
export function isInboundSeen(db: Db, channel: string, messageId: string): boolean {
  return (
    db
      .select({ one: processedInbound.channel })
      .from(processedInbound)
      .where(and(eq(processedInbound.channel, channel), eq(processedInbound.messageId, messageId)))
      .get() !== undefined
  );
}
