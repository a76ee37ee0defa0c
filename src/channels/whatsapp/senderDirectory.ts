import { Pacer } from '../../engine/pacer.ts';
import { phoneOfWid, type WhatsAppSender } from './toInbound.ts';

/** Asks WhatsApp for the phone id (`9665…@c.us`) behind an `@lid` id; undefined when it does not tell. */
export type PhoneLookup = () => Promise<string | undefined>;

/** Where the channel keeps which WhatsApp ids lead to which conversation (src/db/whatsappAliases.ts). */
export interface AliasStore {
  /** The conversation (`chatId`) an id leads to, and the person's phone (E.164) when known. */
  find(wid: string): { chatId: string; phone: string | null } | undefined;
  /** Ties an id to a conversation (the first tie stays), with the phone and the time a message came from it. */
  save(alias: { wid: string; chatId: string; phone?: string | undefined; messageAt?: Date | undefined }): void;
  /** The id a conversation's person wrote from last, or `chatId` itself. */
  replyTarget(chatId: string): string;
  /** Whether a WhatsApp conversation has this chat id (those from before ids were kept have no alias). */
  hasConversation(chatId: string): boolean;
}

/** How often WhatsApp may be asked for a phone. */
export interface LookupLimits {
  /** At least this long between two lookups, across all senders. */
  intervalMs: number;
  /** After a lookup that found nothing, the same id is not asked about again for this long. */
  retryAfterMs: number;
}

/**
 * Knows which conversation each WhatsApp id leads to. WhatsApp is moving people from their phone
 * id (`…@c.us`) to a private one (`…@lid`): a person who wrote from one and then from the other
 * is still one conversation — consent, handoff and application included — and staff see their
 * phone. Each new id is tied to a conversation once, by its phone (asked of WhatsApp for an
 * `@lid`, at a limited pace) or as a new one; replies go to the id that wrote last.
 */
export class SenderDirectory {
  private readonly pacer: Pacer;
  private readonly unknownSince = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<WhatsAppSender>>();

  constructor(
    private readonly aliases: AliasStore,
    private readonly limits: LookupLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.pacer = new Pacer(0, 1000 / limits.intervalMs, now);
  }

  /**
   * Who wrote from `wid`, and records that a message came from it at `at`. `lookup` is called
   * only for an `@lid` id whose phone is not known yet, and not more often than the limits allow.
   */
  identify(wid: string, at: Date, lookup: PhoneLookup): Promise<WhatsAppSender> {
    // Two messages from a new id must not race to two conversations.
    const previous = this.inFlight.get(wid) ?? Promise.resolve(undefined);
    const next = previous.then(() => this.resolve(wid, at, lookup));
    this.inFlight.set(wid, next);
    void next.finally(() => {
      if (this.inFlight.get(wid) === next) this.inFlight.delete(wid);
    });
    return next;
  }

  /** Where a reply to the conversation `chatId` goes: the id its person wrote from last. */
  replyTo(chatId: string): string {
    return this.aliases.replyTarget(chatId);
  }

  private async resolve(wid: string, at: Date, lookup: PhoneLookup): Promise<WhatsAppSender> {
    const known = this.aliases.find(wid);
    const phoneWid = wid.endsWith('@c.us')
      ? wid
      : known?.phone
        ? widOfPhone(known.phone)
        : await this.lookUp(wid, lookup);
    const phone = known?.phone ?? (phoneWid ? phoneOfWid(phoneWid) : undefined);
    const chatId = known?.chatId ?? this.conversationOf(wid, phoneWid);
    this.aliases.save({ wid, chatId, phone, messageAt: at });
    if (phoneWid && phoneWid !== wid) this.aliases.save({ wid: phoneWid, chatId, phone });
    return { chatId, ...(phone ? { phone } : {}) };
  }

  /** The conversation a new id belongs to: its phone's, one it already had, or a new one. */
  private conversationOf(wid: string, phoneWid: string | undefined): string {
    const byPhone = phoneWid ? this.aliases.find(phoneWid) : undefined;
    if (byPhone) return byPhone.chatId;
    // Conversations from before ids were recorded are keyed on the id they came from.
    if (this.aliases.hasConversation(wid)) return wid;
    if (phoneWid && this.aliases.hasConversation(phoneWid)) return phoneWid;
    return wid;
  }

  private async lookUp(wid: string, lookup: PhoneLookup): Promise<string | undefined> {
    const since = this.unknownSince.get(wid);
    if (since !== undefined && this.now() - since < this.limits.retryAfterMs) return undefined;
    await this.pacer.wait('lookup');
    const found = await lookup().catch(() => undefined);
    if (found?.endsWith('@c.us')) {
      this.unknownSince.delete(wid);
      return found;
    }
    if (this.unknownSince.size > 10_000) this.unknownSince.clear();
    this.unknownSince.set(wid, this.now());
    return undefined;
  }
}

/** The phone-based WhatsApp id of an E.164 number. */
function widOfPhone(phone: string): string {
  return `${phone.replace(/^\+/, '')}@c.us`;
}
