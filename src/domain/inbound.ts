/** Fields every inbound message carries, whatever the platform. */
interface InboundBase {
  /** The channel adapter's name, e.g. `telegram`, `whatsapp`, `console`. */
  channel: string;
  /** The platform's id of the chat (one beneficiary); a conversation is keyed on channel + chat. */
  chatId: string;
  /** The platform's id of this message, unique per channel; duplicates are dropped on it. */
  messageId: string;
  /** The sender's phone in E.164, where the platform tells it (WhatsApp). */
  senderPhone?: string;
  /** The name the sender shows on the platform (Telegram name, WhatsApp profile name). */
  senderName?: string;
  /**
   * When the person sent it, by the platform's own clock (Telegram `message.date`, WhatsApp
   * `timestamp`; whole seconds). The flood guard measures by it, so a backlog delivered at once
   * after downtime is not taken for a flood. Absent where the platform does not say.
   */
  sentAt?: Date;
}

/** A platform update read by a channel's pure `toInbound`: what the person did, nothing more. */
export type Inbound = InboundBase &
  (
    | { kind: 'text'; text: string }
    /** A button press; `choiceId` is the option id the button carried. */
    | { kind: 'choice'; choiceId: string }
    /** A slash command such as `/start` or `/menu`, without the slash. */
    | { kind: 'command'; command: string }
    | {
        kind: 'media';
        media: 'photo' | 'document' | 'voice' | 'video';
        /** What the platform says; the stored type is read from the file's own bytes. */
        mime?: string;
        size?: number;
        fileName?: string;
        caption?: string;
        /** Fetches the file (refusing more than `maxBytes`); called once, before the transaction. */
        download?: (maxBytes: number) => Promise<Uint8Array>;
      }
    | { kind: 'location'; latitude: number; longitude: number }
    | { kind: 'contact'; phone: string | undefined }
    /** Anything the assistant cannot read (stickers, polls…); `what` names it for the logs. */
    | { kind: 'unsupported'; what: string }
  );

/** A durable deadline that fell due, delivered through the same path as a message. */
export interface TimerFired extends InboundBase {
  kind: 'timer';
  timerId: number;
  key: string;
}

/** Everything the engine processes. */
export type EngineInput = Inbound | TimerFired;

/**
 * The sender's platform name as a field of an {@link Inbound}, or nothing when there is none:
 * control and direction characters removed (a name must not flip the console's text), at most
 * 100 characters.
 */
export function senderNameOf(raw: string | undefined): { senderName?: string } {
  const name = (raw ?? '')
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  return name ? { senderName: name } : {};
}
