import type { Update } from 'grammy/types';
import { type Inbound, senderNameOf } from '../../domain/inbound.ts';

/** The channel name Telegram conversations are stored under. */
export const channelName = 'telegram';

/** What an update means for the assistant. */
export type TelegramReading =
  | {
      type: 'inbound';
      inbound: Inbound;
      /** Telegram's id of the file to fetch, for photos, documents and voice notes. */
      fileId?: string;
      /** A button press: answer the callback and take the keyboard off `messageId`. */
      callback?: { id: string; messageId: number | undefined };
    }
  /** Something deliberately left alone; `reason` is for the debug log. */
  | { type: 'ignore'; reason: string };

/**
 * Reads a raw Bot API update, purely. Private chats only: a message in a group becomes one
 * "I work in private chat" notice per group (deduplicated on the group id); channel posts,
 * edits and membership updates are ignored.
 */
export function toInbound(update: Update): TelegramReading {
  const id = `u${update.update_id}`;
  if (update.callback_query) {
    const query = update.callback_query;
    const chat = query.message?.chat;
    if (chat?.type !== 'private') return { type: 'ignore', reason: 'callback outside a private chat' };
    return {
      type: 'inbound',
      inbound: {
        channel: channelName,
        chatId: String(chat.id),
        messageId: id,
        ...senderNameOf([query.from.first_name, query.from.last_name].filter(Boolean).join(' ')),
        kind: 'choice',
        choiceId: query.data ?? '',
      },
      callback: { id: query.id, messageId: query.message?.message_id },
    };
  }
  const message = update.message;
  if (!message) {
    const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
    return { type: 'ignore', reason: `${kind} update` };
  }
  const chatId = String(message.chat.id);
  const base = {
    channel: channelName,
    chatId,
    messageId: id,
    ...senderNameOf([message.from?.first_name, message.from?.last_name].filter(Boolean).join(' ')),
    sentAt: new Date(message.date * 1000),
  };
  if (message.chat.type !== 'private') {
    return {
      type: 'inbound',
      inbound: { channel: channelName, chatId, messageId: `group:${chatId}`, kind: 'unsupported', what: 'group' },
    };
  }
  if (message.text !== undefined) {
    const command = message.entities?.[0]?.type === 'bot_command' && message.entities[0].offset === 0;
    const name = command ? message.text.slice(1).split(/[\s@]/)[0] : undefined;
    return {
      type: 'inbound',
      inbound: name ? { ...base, kind: 'command', command: name } : { ...base, kind: 'text', text: message.text },
    };
  }
  const caption = message.caption !== undefined ? { caption: message.caption } : {};
  const largest = message.photo?.at(-1);
  if (largest) {
    return {
      type: 'inbound',
      inbound: { ...base, kind: 'media', media: 'photo', ...size(largest.file_size), ...caption },
      fileId: largest.file_id,
    };
  }
  if (message.document) {
    const d = message.document;
    return {
      type: 'inbound',
      inbound: {
        ...base,
        kind: 'media',
        media: 'document',
        ...size(d.file_size),
        ...(d.mime_type ? { mime: d.mime_type } : {}),
        ...(d.file_name ? { fileName: d.file_name } : {}),
        ...caption,
      },
      fileId: d.file_id,
    };
  }
  if (message.voice) {
    const v = message.voice;
    return {
      type: 'inbound',
      inbound: {
        ...base,
        kind: 'media',
        media: 'voice',
        ...size(v.file_size),
        ...(v.mime_type ? { mime: v.mime_type } : {}),
      },
      fileId: v.file_id,
    };
  }
  if (message.contact) {
    return { type: 'inbound', inbound: { ...base, kind: 'contact', phone: message.contact.phone_number } };
  }
  if (message.location) {
    const { latitude, longitude } = message.location;
    return { type: 'inbound', inbound: { ...base, kind: 'location', latitude, longitude } };
  }
  const what = ['sticker', 'animation', 'video', 'video_note', 'audio', 'poll', 'dice', 'game', 'venue', 'story'].find(
    (k) => k in message,
  );
  return { type: 'inbound', inbound: { ...base, kind: 'unsupported', what: what ?? 'other' } };
}

function size(bytes: number | undefined): { size?: number } {
  return bytes === undefined ? {} : { size: bytes };
}
