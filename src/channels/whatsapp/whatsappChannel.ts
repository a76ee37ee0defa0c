import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutboundMessage } from '../../domain/messages.ts';
import { type Channel, ChannelSendError, type EngineInbox } from '../../engine/channel.ts';
import { MediaRejectedError } from '../../engine/mediaStore.ts';
import type { Pacer } from '../../engine/pacer.ts';
import type { Logger } from '../../logger.ts';
import { BrowserMissingError, type WhatsAppClient } from './client.ts';
import { render } from './render.ts';
import { channelName, toInbound, type WhatsAppMessage } from './toInbound.ts';

/** What staff see of the WhatsApp link (the console's admin page shows it). */
export interface WhatsAppStatus {
  state: 'starting' | 'waiting-for-link' | 'ready' | 'restarting' | 'unavailable' | 'stopped';
  /** The QR code to scan, while waiting for the link. */
  qr?: string;
  /** The pairing code to type on the phone, in pairing-code mode. */
  pairingCode?: string;
  /** How many times the client was re-created since start. */
  restarts: number;
  lastError?: string;
  since: Date;
}

/** What the WhatsApp channel needs to run. */
export interface WhatsAppOptions {
  createClient: () => Promise<WhatsAppClient>;
  dataDir: string;
  pacer: Pacer;
  logger: Logger;
  /** Re-create the client when it is not ready this long after starting (not while a QR waits). */
  readyTimeoutMs: number;
  /** How often the connection state is checked once ready. */
  healthIntervalMs: number;
  /** Back-off between re-creations: doubles from the first value up to the second. */
  backoffMs: [number, number];
  /** Shows a QR code to whoever runs the server (the terminal). */
  showQr?: (qr: string) => void;
}

/** Errors after which whatsapp-web.js's page is gone and only a new client helps. */
const brokenPage = /detached Frame|Execution context was destroyed|Session closed|Target closed|Protocol error/i;

/**
 * Serves beneficiaries on WhatsApp through whatsapp-web.js, and keeps it up: a watchdog re-creates
 * the client (with back-off) when it does not become ready, loses its connection, reports
 * `disconnected`, or its page breaks. Replies wait in the outbox meanwhile; nothing is lost.
 */
export class WhatsAppChannel implements Channel {
  readonly name = channelName;
  private client: WhatsAppClient | undefined;
  private current: WhatsAppStatus = { state: 'starting', restarts: 0, since: new Date() };
  private inbox: EngineInbox | undefined;
  private generation = 0;
  private backoff: number;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private linkedAt = 0;

  constructor(private readonly options: WhatsAppOptions) {
    this.backoff = options.backoffMs[0];
  }

  /** The link's state, for staff. */
  status(): WhatsAppStatus {
    return { ...this.current };
  }

  async start(inbox: EngineInbox): Promise<void> {
    this.inbox = inbox;
    await this.launch();
  }

  async send(chatId: string, message: OutboundMessage): Promise<void> {
    const client = this.client;
    if (!client || this.current.state !== 'ready') {
      throw new ChannelSendError(`WhatsApp is ${this.current.state}.`, 'retry', 2000);
    }
    for (const part of render(message)) {
      await this.options.pacer.wait(chatId);
      try {
        await client.sendMessage(chatId, part);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (brokenPage.test(reason)) this.restart(`sending failed: ${reason}`);
        throw new ChannelSendError(`WhatsApp: ${reason}`, 'retry', undefined, { cause: error });
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimers();
    this.set({ state: 'stopped' });
    await this.client?.destroy().catch(() => {});
    this.client = undefined;
  }

  private async launch(): Promise<void> {
    const generation = ++this.generation;
    const { logger } = this.options;
    this.set({ state: 'starting' });
    let client: WhatsAppClient;
    try {
      client = await this.options.createClient();
    } catch (error) {
      if (error instanceof BrowserMissingError) {
        this.set({ state: 'unavailable', lastError: error.message });
        logger.error(error.message);
        return;
      }
      this.restart(`the client could not be created: ${String(error)}`);
      return;
    }
    this.client = client;
    const live = (handler: (...args: never[]) => void) =>
      ((...args: never[]) => {
        if (generation === this.generation && !this.stopping) handler(...args);
      }) as (...args: never[]) => void;

    client.on(
      'qr',
      live((qr: string) => {
        this.set({ state: 'waiting-for-link', qr });
        this.options.showQr?.(qr);
        logger.info('WhatsApp: scan the QR code to link the number (shown in the terminal and to admins).');
      }),
    );
    client.on(
      'code',
      live((code: string) => {
        this.set({ state: 'waiting-for-link', pairingCode: code });
        logger.info('WhatsApp: enter the pairing code on the phone (shown to admins).');
      }),
    );
    client.on(
      'ready',
      live(() => {
        clearTimeout(this.readyTimer);
        this.backoff = this.options.backoffMs[0];
        this.linkedAt = this.rememberLink();
        this.set({ state: 'ready' });
        logger.info({ restarts: this.current.restarts }, 'WhatsApp: ready.');
        this.watchHealth(client, generation);
      }),
    );
    client.on(
      'auth_failure',
      live((reason: string) => this.restart(`authentication failed: ${reason}`)),
    );
    client.on(
      'disconnected',
      live((reason: string) => this.restart(`disconnected: ${reason}`)),
    );
    client.on(
      'message',
      live((message: WhatsAppMessage) => void this.receive(message)),
    );

    this.readyTimer = setTimeout(() => {
      if (generation === this.generation && this.current.state === 'starting') {
        this.restart(`not ready after ${this.options.readyTimeoutMs} ms`);
      }
    }, this.options.readyTimeoutMs);
    client.initialize().catch((error: unknown) => {
      if (generation === this.generation) this.restart(`initialising failed: ${String(error)}`);
    });
  }

  /** Destroys the client and creates a new one after the back-off; one restart at a time. */
  private restart(reason: string): void {
    if (this.stopping || this.current.state === 'restarting') return;
    this.clearTimers();
    const old = this.client;
    this.client = undefined;
    this.generation++;
    this.set({ state: 'restarting', lastError: reason, restarts: this.current.restarts + 1 });
    this.options.logger.warn(
      { reason, restarts: this.current.restarts, inMs: this.backoff },
      'WhatsApp: restarting the client.',
    );
    void old?.destroy().catch(() => {});
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.backoffMs[1]);
    this.restartTimer = setTimeout(() => void this.launch(), wait);
  }

  private watchHealth(client: WhatsAppClient, generation: number): void {
    clearInterval(this.healthTimer);
    this.healthTimer = setInterval(() => {
      if (generation !== this.generation) return;
      client
        .getState()
        .then((state) => {
          if (generation === this.generation && state !== 'CONNECTED') this.restart(`state is ${state}`);
        })
        .catch((error: unknown) => {
          if (generation === this.generation) this.restart(`checking the state failed: ${String(error)}`);
        });
    }, this.options.healthIntervalMs);
  }

  private async receive(message: WhatsAppMessage & { downloadMedia?: () => Promise<{ data: string } | undefined> }) {
    const reading = toInbound(message, this.linkedAt);
    if (reading.type === 'ignore') {
      this.options.logger.debug({ reason: reading.reason }, 'WhatsApp: message ignored.');
      return;
    }
    const inbound =
      reading.inbound.kind === 'media' && message.hasMedia && message.downloadMedia
        ? {
            ...reading.inbound,
            download: async (maxBytes: number) => {
              if ((message._data?.size ?? 0) > maxBytes) throw new MediaRejectedError('tooLarge');
              const media = await message.downloadMedia?.();
              if (!media) throw new Error('WhatsApp gave no media.');
              return Buffer.from(media.data, 'base64');
            },
          }
        : reading.inbound;
    try {
      await this.inbox?.handle(inbound);
    } catch (err) {
      this.options.logger.error({ err }, 'WhatsApp: a message could not be handled.');
    }
  }

  /** When the number was first linked (Unix seconds); older messages are history, not requests. */
  private rememberLink(): number {
    const dir = join(this.options.dataDir, 'whatsapp');
    const file = join(dir, 'linked-at');
    try {
      return Number(readFileSync(file, 'utf8'));
    } catch {
      const now = Math.floor(Date.now() / 1000);
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, String(now));
      return now;
    }
  }

  private set(change: Partial<WhatsAppStatus>): void {
    const state = change.state ?? this.current.state;
    const next = { ...this.current, ...change, since: state === this.current.state ? this.current.since : new Date() };
    if (state !== 'waiting-for-link') {
      delete next.qr;
      delete next.pairingCode;
    }
    this.current = next;
  }

  private clearTimers(): void {
    clearTimeout(this.restartTimer);
    clearTimeout(this.readyTimer);
    clearInterval(this.healthTimer);
  }
}
