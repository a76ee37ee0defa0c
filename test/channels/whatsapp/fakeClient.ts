import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { WhatsAppChat, WhatsAppClient } from '../../../src/channels/whatsapp/client.ts';
import type { WhatsAppMessage } from '../../../src/channels/whatsapp/toInbound.ts';

/** What every fake client sent, in order, across re-creations. */
export interface Sent {
  client: number;
  chatId: string;
  content: string;
}

/** The association's own number, as WhatsApp shows it in `to`. */
const ownId = '966509994514@c.us';

/**
 * WhatsApp itself, as the fake clients see it: the chats and their messages (kept while no client
 * runs, as the phone keeps them), which `@lid` id stands for which phone, and what was sent.
 */
export class FakeWhatsApp {
  readonly sent: Sent[] = [];
  readonly chats = new Map<string, { unread: number; messages: WhatsAppMessage[] }>();
  /** `…@lid` → `…@c.us`, as WhatsApp's contact table knows it. */
  readonly phoneOfLid = new Map<string, string>();
  /** How many times a client asked for the phone behind an `@lid`. */
  lookups = 0;
  private nextId = 1;

  /** A beneficiary's message, shaped like whatsapp-web.js's Message, stored in its chat as unread. */
  message(
    from: string,
    body: string,
    extra: Partial<WhatsAppMessage> & { downloadMedia?: () => Promise<unknown>; ownId?: string } = {},
  ): WhatsAppMessage {
    const { ownId: fixedId, ...rest } = extra;
    const id = fixedId ?? `3EB0${String(this.nextId++).padStart(16, '0')}`;
    const message: WhatsAppMessage = {
      id: { fromMe: false, id, _serialized: `false_${from}_${id}` },
      from,
      to: ownId,
      fromMe: false,
      body,
      type: 'chat',
      timestamp: Math.floor(Date.now() / 1000) + 5,
      hasMedia: false,
      isStatus: false,
      broadcast: false,
      getContact: async () => ({ id: { _serialized: this.phoneOfLid.get(from) ?? from } }),
      ...rest,
    };
    const chat = this.chat(from);
    chat.messages.push(message);
    if (!from.endsWith('@g.us') && !rest.fromMe) chat.unread++;
    return message;
  }

  /** A message from the association's own number: a reply the assistant sent, or one typed on the phone. */
  own(chatId: string, content: string): WhatsAppMessage {
    const id = `3EB0OWN${this.nextId++}`;
    const message: WhatsAppMessage = {
      id: { fromMe: true, id, _serialized: `true_${chatId}_${id}` },
      from: ownId,
      to: chatId,
      fromMe: true,
      body: content,
      type: 'chat',
      timestamp: Math.floor(Date.now() / 1000),
      hasMedia: false,
    };
    this.chat(chatId).messages.push(message);
    return message;
  }

  chat(id: string) {
    let chat = this.chats.get(id);
    if (!chat) {
      chat = { unread: 0, messages: [] };
      this.chats.set(id, chat);
    }
    return chat;
  }
}

/** How one fake client behaves from `initialize()` on. */
export interface FakeBehaviour {
  /**
   * `ready`: linked, ready at once; `qr`: shows a QR code, renewed every `qrEveryMs`, until
   * {@link FakeClient.scan}; `qrOnce`: one QR code that is never renewed (WhatsApp Web stalled);
   * `hang`: never gets anywhere (a page that does not load).
   */
  start: 'ready' | 'qr' | 'qrOnce' | 'hang';
  qrEveryMs?: number;
  /** `getChats()` fails, as a page that breaks while catching up does. */
  chatsBreak?: boolean;
  /** `destroy()` never settles (puppeteer's `browser.close()` on a dead connection). */
  destroyHangs?: boolean;
  /** A real process standing in for Chromium, to be killed when `destroy()` hangs. */
  browser?: ChildProcess;
}

/**
 * Stands in for whatsapp-web.js's Client at the edge we cannot reach (WhatsApp's servers): it
 * emits the library's events (`qr`, `ready`, `message`, `disconnected`, `auth_failure`), keeps
 * sent messages in their chat, and fails the ways the field reports: a send that resolves
 * `undefined`, one that throws after the message went out, a `sendSeen` that breaks, a page that
 * breaks, a state other than CONNECTED, a QR code that goes idle, a `destroy()` that hangs.
 */
export class FakeClient extends EventEmitter implements WhatsAppClient {
  state: string | null = 'CONNECTED';
  destroyed = false;
  /** When set, sendMessage fails with this error message (nothing is sent). */
  breakWith: string | undefined;
  /** How the next sends go wrong, one entry per call: nothing sent (`undefined`), or an error thrown after it went out. */
  readonly sendTroubles: ('undefined' | 'throwAfterDelivery' | 'breakAfterDelivery')[] = [];
  private qrTimer: NodeJS.Timeout | undefined;
  private qrCount = 0;

  constructor(
    readonly number: number,
    readonly world: FakeWhatsApp,
    readonly behaviour: FakeBehaviour,
  ) {
    super();
  }

  override on(event: string, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  /** Starts; a first link waits for {@link scan}, as a real one waits for the phone. */
  async initialize(): Promise<void> {
    const { start, qrEveryMs = 20_000 } = this.behaviour;
    if (start === 'hang') return;
    setImmediate(() => {
      if (this.destroyed) return;
      if (start === 'ready') return this.scan();
      this.showQr();
      if (start === 'qr') this.qrTimer = setInterval(() => this.showQr(), qrEveryMs);
    });
  }

  private showQr(): void {
    this.emit('qr', `2@fake-qr-code-for-tests-${this.number}-${++this.qrCount}`);
  }

  /** The admin scans the QR code with the association's phone. */
  scan(): void {
    clearInterval(this.qrTimer);
    this.emit('authenticated');
    this.emit('ready');
  }

  async destroy(): Promise<void> {
    clearInterval(this.qrTimer);
    this.destroyed = true;
    if (this.behaviour.destroyHangs) await new Promise(() => {});
    this.behaviour.browser?.kill('SIGKILL');
  }

  browserPid(): number | undefined {
    return this.behaviour.browser?.pid;
  }

  async getState(): Promise<string | null> {
    if (this.destroyed) throw new Error('Protocol error: Session closed. Most likely the page has been closed.');
    return this.state;
  }

  async sendMessage(chatId: string, content: string, options: { sendSeen?: boolean } = {}): Promise<unknown> {
    if (this.destroyed) throw new Error('Protocol error: Session closed. Most likely the page has been closed.');
    if (this.breakWith) throw new Error(this.breakWith);
    // whatsapp-web.js marks the chat seen first, by default; WhatsApp Web's code for it breaks now and then.
    if (options.sendSeen !== false) await this.sendSeen(chatId);
    const trouble = this.sendTroubles.shift();
    if (trouble === 'undefined') return undefined;
    const sent = this.deliver(chatId, content);
    if (trouble === 'throwAfterDelivery')
      throw new Error('Evaluation failed: Error: timeout waiting for the message ack');
    if (trouble === 'breakAfterDelivery') {
      this.destroyed = true;
      throw new Error('Protocol error (Runtime.callFunctionOn): Target closed.');
    }
    return sent;
  }

  /** Set to make sendSeen throw as WhatsApp Web 2.3000 did ("reading 'markedUnread'"). */
  seenBreaks = false;

  async sendSeen(chatId: string): Promise<boolean> {
    if (this.seenBreaks) throw new TypeError("Cannot read properties of undefined (reading 'markedUnread')");
    this.world.chat(chatId).unread = 0;
    return true;
  }

  async getChats(): Promise<WhatsAppChat[]> {
    if (this.behaviour.chatsBreak) throw new Error('Evaluation failed: TypeError: Cannot read properties of undefined');
    return [...this.world.chats.keys()].map((id) => this.chatOf(id));
  }

  async getChatById(chatId: string): Promise<WhatsAppChat | undefined> {
    return this.world.chats.has(chatId) ? this.chatOf(chatId) : undefined;
  }

  async getContactLidAndPhone(ids: string[]): Promise<{ lid?: string; pn?: string }[]> {
    this.world.lookups++;
    return ids.map((id) => {
      const pn = this.world.phoneOfLid.get(id);
      return pn ? { lid: id, pn } : {};
    });
  }

  /** A beneficiary's message arriving now, emitted to the assistant. */
  receive(
    from: string,
    body: string,
    extra: Partial<WhatsAppMessage> & { downloadMedia?: () => Promise<unknown>; ownId?: string } = {},
  ) {
    const message = this.world.message(from, body, extra);
    this.emit('message', message);
    return message;
  }

  private deliver(chatId: string, content: string) {
    this.world.sent.push({ client: this.number, chatId, content });
    return this.world.own(chatId, content);
  }

  private chatOf(id: string): WhatsAppChat {
    const chat = this.world.chat(id);
    return {
      id: { _serialized: id },
      isGroup: id.endsWith('@g.us'),
      unreadCount: chat.unread,
      timestamp: chat.messages.at(-1)?.timestamp,
      fetchMessages: async ({ limit, fromMe }) => {
        const wanted = chat.messages.filter((m) => fromMe === undefined || m.fromMe === fromMe);
        return limit ? wanted.slice(-limit) : wanted;
      },
    };
  }
}
