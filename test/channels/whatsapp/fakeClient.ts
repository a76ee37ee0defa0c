import { EventEmitter } from 'node:events';
import type { WhatsAppClient } from '../../../src/channels/whatsapp/client.ts';
import type { WhatsAppMessage } from '../../../src/channels/whatsapp/toInbound.ts';

/** What every fake client sent, in order, across re-creations. */
export interface Sent {
  client: number;
  chatId: string;
  content: string;
}

/**
 * Stands in for whatsapp-web.js's Client at the edge we cannot reach (WhatsApp's servers): it
 * emits the library's events (`qr`, `ready`, `message`, `disconnected`, `auth_failure`) and
 * records `sendMessage` calls; it can be broken the way a real page breaks.
 */
export class FakeClient extends EventEmitter implements WhatsAppClient {
  state = 'CONNECTED';
  destroyed = false;
  /** When set, sendMessage fails with this error message. */
  breakWith: string | undefined;
  private nextId = 1;

  constructor(
    readonly number: number,
    private readonly sent: Sent[],
    private readonly linkFirst: boolean,
  ) {
    super();
  }

  override on(event: string, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  /** Starts; a first link waits for {@link scan}, as a real one waits for the phone. */
  async initialize(): Promise<void> {
    setImmediate(() => {
      if (this.linkFirst) this.emit('qr', '2@fake-qr-code-for-tests');
      else this.scan();
    });
  }

  /** The admin scans the QR code with the association's phone. */
  scan(): void {
    this.emit('authenticated');
    this.emit('ready');
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  async getState(): Promise<string | null> {
    return this.state;
  }

  async sendMessage(chatId: string, content: string): Promise<unknown> {
    if (this.destroyed) throw new Error('Protocol error: Session closed. Most likely the page has been closed.');
    if (this.breakWith) throw new Error(this.breakWith);
    this.sent.push({ client: this.number, chatId, content });
    return {};
  }

  /** A beneficiary's message arriving, shaped like whatsapp-web.js's Message. */
  receive(
    from: string,
    body: string,
    extra: Partial<WhatsAppMessage> & { downloadMedia?: () => Promise<unknown> } = {},
  ) {
    const id = `false_${from}_3EB0${this.number}${String(this.nextId++).padStart(6, '0')}`;
    const message = {
      id: { fromMe: false, remote: from, id, _serialized: id },
      from,
      to: '966509994514@c.us',
      fromMe: false,
      body,
      type: 'chat',
      timestamp: Math.floor(Date.now() / 1000) + 5,
      hasMedia: false,
      isStatus: false,
      broadcast: false,
      ...extra,
    };
    this.emit('message', message);
    return message;
  }
}
