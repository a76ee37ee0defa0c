import { and, count, eq, gte } from 'drizzle-orm';
import type { Db } from './client.ts';
import { processedInbound } from './schema.ts';

/**
 * Records that a message was accepted. Returns false when this (channel, message id) was seen
 * before, so the caller drops the duplicate.
 */
export function recordInbound(
  db: Db,
  channel: string,
  messageId: string,
  conversationId: number,
  createdAt: Date,
): boolean {
  const result = db
    .insert(processedInbound)
    .values({ channel, messageId, conversationId, createdAt })
    .onConflictDoNothing()
    .run();
  return result.changes === 1;
}

/** Whether a message was already accepted: a cheap check before slow work on it. */
export function isInboundSeen(db: Db, channel: string, messageId: string): boolean {
  return (
    db
      .select({ one: processedInbound.channel })
      .from(processedInbound)
      .where(and(eq(processedInbound.channel, channel), eq(processedInbound.messageId, messageId)))
      .get() !== undefined
  );
}

/** How many messages a conversation sent since `since`: the measure of a flood. */
export function countInboundSince(db: Db, conversationId: number, since: Date): number {
  return (
    db
      .select({ n: count() })
      .from(processedInbound)
      .where(and(eq(processedInbound.conversationId, conversationId), gte(processedInbound.createdAt, since)))
      .get()?.n ?? 0
  );
}
