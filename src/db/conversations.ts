import { and, eq } from 'drizzle-orm';
import type { ShownOption } from '../domain/messages.ts';
import type { Db } from './client.ts';
import { conversations } from './schema.ts';

/** A conversation row as the engine reads it. */
export type Conversation = typeof conversations.$inferSelect;

/** Finds the conversation of a chat, creating it (Arabic, no snapshot yet) on first contact. */
export function findOrCreateConversation(db: Db, channel: string, chatId: string, flowVersion: number): Conversation {
  const found = findConversation(db, channel, chatId);
  if (found) return found;
  return db.insert(conversations).values({ channel, chatId, flowVersion }).returning().get();
}

/** Finds the conversation of a chat, if the chat has ever written. */
export function findConversation(db: Db, channel: string, chatId: string): Conversation | undefined {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId)))
    .get();
}

/** A conversation by id. */
export function findConversationById(db: Db, id: number): Conversation | undefined {
  return db.select().from(conversations).where(eq(conversations.id, id)).get();
}

/** Saves the dialog state written by one handled message. */
export function saveConversationState(
  db: Db,
  id: number,
  state: { locale: string; flowVersion: number; snapshot: unknown; options: ShownOption[] },
): void {
  db.update(conversations)
    .set({ ...state, updatedAt: new Date() })
    .where(eq(conversations.id, id))
    .run();
}

/** Remembers what the platform reports of a chat's sender: their phone (E.164) and their name. */
export function saveSenderProfile(db: Db, id: number, sender: { platformPhone?: string; profileName?: string }): void {
  db.update(conversations).set(sender).where(eq(conversations.id, id)).run();
}

/** Marks a chat the platform will no longer deliver to (the user blocked the bot). */
export function markUnreachable(db: Db, id: number): void {
  db.update(conversations).set({ status: 'unreachable' }).where(eq(conversations.id, id)).run();
}

/** Marks a chat reachable again: the user wrote to us, so the platform delivers again. */
export function markActive(db: Db, id: number): void {
  db.update(conversations).set({ status: 'active' }).where(eq(conversations.id, id)).run();
}
