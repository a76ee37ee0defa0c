import { and, eq, sql } from 'drizzle-orm';
import type { ShownOption } from '../domain/messages.ts';
import type { Db } from './client.ts';
import { prepared, setTo } from './prepared.ts';
import { conversations } from './schema.ts';

/** A conversation row as the engine reads it. */
export type Conversation = typeof conversations.$inferSelect;

const byChat = prepared((db) =>
  db
    .select()
    .from(conversations)
    .where(
      and(eq(conversations.channel, sql.placeholder('channel')), eq(conversations.chatId, sql.placeholder('chatId'))),
    )
    .prepare(),
);

const byId = prepared((db) =>
  db
    .select()
    .from(conversations)
    .where(eq(conversations.id, sql.placeholder('id')))
    .prepare(),
);

const insert = prepared((db) =>
  db
    .insert(conversations)
    .values({
      channel: sql.placeholder('channel'),
      chatId: sql.placeholder('chatId'),
      flowVersion: sql.placeholder('flowVersion'),
    })
    .returning()
    .prepare(),
);

const saveState = prepared((db) =>
  db
    .update(conversations)
    .set({
      locale: setTo('locale'),
      flowVersion: setTo('flowVersion'),
      snapshot: setTo('snapshot'),
      options: setTo('options'),
      floodSince: setTo('floodSince'),
      floodCount: setTo('floodCount'),
      updatedAt: setTo('updatedAt'),
    })
    .where(eq(conversations.id, sql.placeholder('id')))
    .prepare(),
);

/** Finds the conversation of a chat, creating it (Arabic, no snapshot yet) on first contact. */
export function findOrCreateConversation(db: Db, channel: string, chatId: string, flowVersion: number): Conversation {
  return findConversation(db, channel, chatId) ?? (insert(db).get({ channel, chatId, flowVersion }) as Conversation);
}

/** Finds the conversation of a chat, if the chat has ever written. */
export function findConversation(db: Db, channel: string, chatId: string): Conversation | undefined {
  return byChat(db).get({ channel, chatId });
}

/** A conversation by id. */
export function findConversationById(db: Db, id: number): Conversation | undefined {
  return byId(db).get({ id });
}

/** The dialog state one handled message leaves, with the flood guard's window. */
export interface ConversationState {
  locale: string;
  flowVersion: number;
  /** The persisted snapshot as JSON; null when the conversation starts again. */
  snapshot: string | null;
  options: ShownOption[];
  floodSince: number;
  floodCount: number;
}

/** Saves the dialog state written by one handled message. */
export function saveConversationState(db: Db, id: number, state: ConversationState): void {
  saveState(db).run({ ...state, id, updatedAt: new Date() });
}

const saveSender = prepared((db) =>
  db
    .update(conversations)
    .set({
      platformPhone: sql`coalesce(${sql.placeholder('platformPhone')}, ${conversations.platformPhone})`,
      profileName: sql`coalesce(${sql.placeholder('profileName')}, ${conversations.profileName})`,
    })
    .where(eq(conversations.id, sql.placeholder('id')))
    .prepare(),
);

/** Remembers what the platform reports of a chat's sender: their phone (E.164) and their name. */
export function saveSenderProfile(db: Db, id: number, sender: { platformPhone?: string; profileName?: string }): void {
  saveSender(db).run({ id, platformPhone: sender.platformPhone ?? null, profileName: sender.profileName ?? null });
}

/** Marks a chat the platform will no longer deliver to (the user blocked the bot). */
export function markUnreachable(db: Db, id: number): void {
  db.update(conversations).set({ status: 'unreachable' }).where(eq(conversations.id, id)).run();
}

/** Marks a chat reachable again: the user wrote to us, so the platform delivers again. */
export function markActive(db: Db, id: number): void {
  db.update(conversations).set({ status: 'active' }).where(eq(conversations.id, id)).run();
}
