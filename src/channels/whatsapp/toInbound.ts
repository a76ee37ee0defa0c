import { toE164 } from '../../domain/phone.ts';
import { type Inbound, senderNameOf } from '../../engine/inbound.ts';

/** The channel name WhatsApp conversations are stored under. */
export const channelName = 'whatsapp';

/** The fields of a whatsapp-web.js `Message` the assistant reads (as its JSON shows them). */
export interface WhatsAppMessage {
  id: { _serialized: string; fromMe?: boolean };
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
 * seconds) are ignored. A sender's phone is taken from their WhatsApp id where it carries one.
 */
export function toInbound(message: WhatsAppMessage, linkedAt: number): WhatsAppReading {
  const from = message.from;
  if (message.fromMe || message.id.fromMe) return { type: 'ignore', reason: 'own message' };
  if (message.isStatus || from === 'status@broadcast') return { type: 'ignore', reason: 'status update' };
  if (from.endsWith('@g.us')) return { type: 'ignore', reason: 'group' };
  if (message.broadcast || from.endsWith('@broadcast') || from.endsWith('@newsletter')) {
    return { type: 'ignore', reason: 'broadcast or channel' };
  }
  if (message.timestamp < linkedAt) return { type: 'ignore', reason: 'from before the link' };
  if (systemTypes.has(message.type)) return { type: 'ignore', reason: `${message.type} message` };

  const senderPhone = from.endsWith('@c.us') ? toE164(`+${from.split('@')[0]}`) : undefined;
  const base = {
    channel: channelName,
    chatId: from,
    messageId: message.id._serialized,
    ...(senderPhone ? { senderPhone } : {}),
    ...senderNameOf(message._data?.notifyName),
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
