import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from './client.ts';
import { findConversation } from './conversations.ts';
import { whatsappAliases } from './schema.ts';

/** One WhatsApp id a person writes from, and the conversation it leads to. */
export type WhatsAppAlias = typeof whatsappAliases.$inferSelect;

/** The alias row of a WhatsApp id, if it was ever seen. */
export function findAlias(db: Db, wid: string): WhatsAppAlias | undefined {
  return db.select().from(whatsappAliases).where(eq(whatsappAliases.wid, wid)).get();
}

/**
 * Records that `wid` leads to the conversation `chatId` (the first answer wins: an id never
 * moves to another conversation), with the phone when known; `messageAt` when a message came
 * from it. Returns the row as stored.
 */
export function saveAlias(
  db: Db,
  alias: { wid: string; chatId: string; phone?: string | undefined; messageAt?: Date | undefined },
): WhatsAppAlias {
  db.insert(whatsappAliases)
    .values({
      wid: alias.wid,
      chatId: alias.chatId,
      phone: alias.phone ?? null,
      lastMessageAt: alias.messageAt ?? null,
    })
    .onConflictDoNothing()
    .run();
  const changes: Partial<WhatsAppAlias> = {};
  if (alias.phone) changes.phone = alias.phone;
  if (alias.messageAt) changes.lastMessageAt = alias.messageAt;
  if (Object.keys(changes).length > 0) {
    db.update(whatsappAliases).set(changes).where(eq(whatsappAliases.wid, alias.wid)).run();
  }
  return findAlias(db, alias.wid) as WhatsAppAlias;
}

/**
 * Where a reply to the conversation `chatId` goes: the id its person wrote from last (they may
 * have moved from their phone id to a private `@lid` one, or back), or `chatId` itself.
 */
export function replyTarget(db: Db, chatId: string): string {
  const last = db
    .select({ wid: whatsappAliases.wid })
    .from(whatsappAliases)
    .where(and(eq(whatsappAliases.chatId, chatId), isNotNull(whatsappAliases.lastMessageAt)))
    .orderBy(desc(whatsappAliases.lastMessageAt))
    .limit(1)
    .get();
  return last?.wid ?? chatId;
}

/**
 * The alias table as the WhatsApp channel uses it (its `AliasStore`): channels know no storage,
 * so the composition root hands them this.
 */
export function whatsappAliasStore(db: Db, channel = 'whatsapp') {
  return {
    find: (wid: string) => findAlias(db, wid),
    save: (alias: Parameters<typeof saveAlias>[1]) => void saveAlias(db, alias),
    replyTarget: (chatId: string) => replyTarget(db, chatId),
    hasConversation: (chatId: string) => findConversation(db, channel, chatId) !== undefined,
  };
}
