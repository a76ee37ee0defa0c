/**
 * Spaces out sends: at most one per `perChatMs` to a chat and `globalPerSecond` overall, the
 * pace platforms tolerate (Telegram: about 1/s per chat, 30/s across chats; WhatsApp: slower, to
 * look human). `wait` resolves when the caller's slot comes.
 */
export class Pacer {
  private nextGlobal = 0;
  private readonly nextByChat = new Map<string, number>();

  constructor(
    private readonly perChatMs: number,
    private readonly globalPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  async wait(chatId: string): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextGlobal, this.nextByChat.get(chatId) ?? 0);
    this.nextGlobal = slot + 1000 / this.globalPerSecond;
    this.nextByChat.set(chatId, slot + this.perChatMs);
    if (this.nextByChat.size > 10_000) this.forgetPast(now);
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }

  private forgetPast(now: number): void {
    for (const [chat, next] of this.nextByChat) if (next < now) this.nextByChat.delete(chat);
  }
}
