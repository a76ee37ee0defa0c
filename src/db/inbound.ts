import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { prepared } from './prepared.ts';
import { processedInbound } from './schema.ts';

const insert = prepared((db) =>
  db
    .insert(processedInbound)
    .values({
      channel: sql.placeholder('channel'),
      messageId: sql.placeholder('messageId'),
      conversationId: sql.placeholder('conversationId'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing()
    .prepare(),
);

const seen = prepared((db) =>
  db
    .select({ one: processedInbound.channel })
    .from(processedInbound)
    .where(
      and(
        eq(processedInbound.channel, sql.placeholder('channel')),
        eq(processedInbound.messageId, sql.placeholder('messageId')),
      ),
    )
    .prepare(),
);

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
  return insert(db).run({ channel, messageId, conversationId, createdAt }).changes === 1;
}

/** Whether a message was already accepted: a cheap check before slow work on it. */
export function isInboundSeen(db: Db, channel: string, messageId: string): boolean {
  return seen(db).get({ channel, messageId }) !== undefined;
}
