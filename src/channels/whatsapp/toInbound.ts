import { type Inbound, senderNameOf } from '../../domain/inbound.ts';
import { toE164 } from '../../domain/phone.ts';

/** The channel name WhatsApp conversations are stored under. */
export const channelName = 'whatsapp';

/** The fields of a whatsapp-web.js `Message` the assistant reads (as its JSON shows them). */
export interface WhatsAppMessage {
  /** `id` is the message's own id; `_serialized` embeds the chat's id, which changes with `@lid`. */
  id: { _serialized: string; id?: string; fromMe?: boolean };
  from: string;
  to?: string;
  fromMe: boolean;
  body: string;
  type: string;
  timestamp: number;
  hasMedia: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  location?: { latitude: number | string; longitude: number | string } | undefined;
  vCards?: string[];
  _data?: { mimetype?: string; size?: number; filename?: string; notifyName?: string };
  /** The sender's contact; for an `@lid` sender whose phone WhatsApp knows, its id is the phone id. */
  getContact?: () => Promise<{ id?: { _serialized: string } } | undefined>;
}

/** Who wrote, as the channel resolved it: the conversation their ids lead to, and their phone. */
export interface WhatsAppSender {
  chatId: string;
  /** E.164, when WhatsApp told it. */
  phone?: string;
}

/** What a message means for the assistant. */
export type WhatsAppReading = { type: 'inbound'; inbound: Inbound } | { type: 'ignore'; reason: string };

/** Message types that are WhatsApp's own bookkeeping, not something a person said. */
const systemTypes = new Set([
  'revoked',
  'e2e_notification',
  'notification',
  'notification_template',
  'call_log',
  'protocol',
  'reaction',
  'ciphertext',
  'gp2',
  'group_notification',
  'broadcast_notification',
  'debug',
]);

/**
 * Reads a whatsapp-web.js message, purely. Own messages, groups, status updates, broadcasts,
 * WhatsApp's system messages and messages from before the number was linked (`linkedAt`, Unix
 * seconds) are ignored. `sender` is who the channel found behind the id (one person may write
 * from a phone id and from an `@lid` one); without it the chat is the sender's id and the phone
 * is read from it where it carries one. Duplicates are recognised on the message's own id, which
 * stays the same whichever id the chat goes by.
 */
export function toInbound(message: WhatsAppMessage, linkedAt: number, sender?: WhatsAppSender): WhatsAppReading {
  const from = message.from;
  if (message.fromMe || message.id.fromMe) return { type: 'ignore', reason: 'own message' };
  if (message.isStatus || from === 'status@broadcast') return { type: 'ignore', reason: 'status update' };
  if (from.endsWith('@g.us')) return { type: 'ignore', reason: 'group' };
  if (message.broadcast || from.endsWith('@broadcast') || from.endsWith('@newsletter')) {
    return { type: 'ignore', reason: 'broadcast or channel' };
  }
  if (message.timestamp < linkedAt) return { type: 'ignore', reason: 'from before the link' };
  if (systemTypes.has(message.type)) return { type: 'ignore', reason: `${message.type} message` };

  const senderPhone = sender ? sender.phone : phoneOfWid(from);
  const base = {
    channel: channelName,
    chatId: sender?.chatId ?? from,
    messageId: message.id.id ?? message.id._serialized,
    ...(senderPhone ? { senderPhone } : {}),
    ...senderNameOf(message._data?.notifyName),
    ...(Number.isFinite(message.timestamp) ? { sentAt: new Date(message.timestamp * 1000) } : {}),
  };
  const inbound = (rest: DistributiveOmit<Inbound, 'channel' | 'chatId' | 'messageId'>): WhatsAppReading => ({
    type: 'inbound',
    inbound: { ...base, ...rest } as Inbound,
  });
  const file = {
    ...(message._data?.mimetype ? { mime: message._data.mimetype } : {}),
    ...(message._data?.size !== undefined ? { size: message._data.size } : {}),
  };
  switch (message.type) {
    case 'chat':
      return inbound({ kind: 'text', text: message.body });
    case 'image':
      return inbound({ kind: 'media', media: 'photo', ...file, ...caption(message.body) });
    case 'document':
      return inbound({
        kind: 'media',
        media: 'document',
        ...file,
        ...(message._data?.filename ? { fileName: message._data.filename } : {}),
        ...caption(message.body),
      });
    case 'ptt':
    case 'audio':
      return inbound({ kind: 'media', media: 'voice', ...file });
    case 'location':
      return inbound({
        kind: 'location',
        latitude: Number(message.location?.latitude),
        longitude: Number(message.location?.longitude),
      });
    case 'vcard':
    case 'multi_vcard':
      return inbound({ kind: 'contact', phone: phoneOfVCards(message.vCards ?? [message.body]) });
    default:
      return inbound({ kind: 'unsupported', what: message.type });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function caption(body: string): { caption?: string } {
  return body ? { caption: body } : {};
}

/** The phone (E.164) in a phone-based WhatsApp id (`9665…@c.us`); `@lid` ids carry none. */
export function phoneOfWid(wid: string): string | undefined {
  return wid.endsWith('@c.us') ? toE164(`+${wid.split('@')[0]}`) : undefined;
}

/** The first valid phone number in a list of vCards (`TEL;type=CELL;waid=9665…:+966 5…`). */
export function phoneOfVCards(vCards: string[]): string | undefined {
  for (const card of vCards) {
    for (const line of card.split(/\r?\n/)) {
      if (!/^(item\d+\.)?TEL/i.test(line)) continue;
      const phone = toE164(line.slice(line.lastIndexOf(':') + 1));
      if (phone) return phone;
    }
  }
  return undefined;
}
