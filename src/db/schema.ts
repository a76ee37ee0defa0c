import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
const createdAt = () => integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now);

/** One beneficiary's chat on one channel, with the dialog's persisted state. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    locale: text('locale').notNull().default('ar'),
    /** The version of the root flow that wrote `snapshot`; a mismatch restarts the dialog. */
    flowVersion: integer('flow_version').notNull(),
    /** XState persisted snapshot of the root actor, as JSON. */
    snapshot: text('snapshot', { mode: 'json' }),
    /** The options last shown, so that a typed number or label can be read as a choice. */
    options: text('options', { mode: 'json' }).$type<ShownOption[]>().notNull().default(sql`'[]'`),
    /** The sender's phone (E.164) as the platform reports it (WhatsApp); sensitive, never logged. */
    platformPhone: text('platform_phone'),
    /** `unreachable` once the platform says the user blocked us; no reply is attempted then. */
    status: text('status', { enum: ['active', 'unreachable'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now),
  },
  (t) => [uniqueIndex('conversations_channel_chat').on(t.channel, t.chatId)],
);

/** An option as shown to the user, with its label in every language for matching typed text. */
export interface ShownOption {
  id: string;
  labels: string[];
}

/** Every inbound message id ever accepted, so that a redelivered message is dropped. */
export const processedInbound = sqliteTable(
  'processed_inbound',
  {
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.channel, t.messageId] }),
    index('processed_inbound_recent').on(t.conversationId, t.createdAt),
  ],
);

/** Every message in and out of a conversation, as sent and received (original text). */
export const transcript = sqliteTable(
  'transcript',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    author: text('author', { enum: ['user', 'bot', 'staff', 'system'] }).notNull(),
    /** Inbound kind (text, choice, media…) or `message` for outbound. */
    kind: text('kind').notNull(),
    text: text('text'),
    /** Structured extras: a choice id, media id, location, the options shown. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>(),
    messageId: text('message_id'),
    createdAt: createdAt(),
  },
  (t) => [index('transcript_conversation').on(t.conversationId, t.id)],
);

/** Replies waiting to be delivered; drained per channel with retries and back-off. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    payload: text('payload', { mode: 'json' }).$type<OutboundMessage>().notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull().default(now),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('outbox_pending').on(t.channel, t.status, t.nextAttemptAt),
    index('outbox_conversation').on(t.conversationId, t.status, t.id),
  ],
);

/** A reply rendered for a channel: text in the user's language and the options to offer. */
export interface OutboundMessage {
  locale: string;
  text: string;
  options?: { id: string; label: string }[];
}

/** Durable deadlines: XState `after` transitions do not survive a restore, these do. */
export const timers = sqliteTable(
  'timers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    conversationId: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    fireAt: integer('fire_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('timers_conversation_key').on(t.conversationId, t.key), index('timers_due').on(t.fireAt)],
);

/** Each privacy-notice decision, kept as evidence of consent under the PDPL. */
export const consents = sqliteTable('consents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conversationId: integer('conversation_id')
    .notNull()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  decision: text('decision', { enum: ['given', 'declined', 'withdrawn'] }).notNull(),
  noticeVersion: integer('notice_version').notNull(),
  createdAt: createdAt(),
});

/** A file a beneficiary sent (photo, document, voice note), stored under DATA_DIR/media. */
export const media = sqliteTable('media', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  conversationId: integer('conversation_id')
    .notNull()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['photo', 'document', 'voice', 'video'] }).notNull(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  /** Path relative to DATA_DIR; the file itself is sensitive and only served to logged-in staff. */
  path: text('path').notNull(),
  fileName: text('file_name'),
  createdAt: createdAt(),
});
