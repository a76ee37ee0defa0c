import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Cron } from 'croner';
import type { OutboundMessage } from '../../domain/messages.ts';
import { type Channel, type ChannelHooks, ChannelSendError, type EngineInbox } from '../../engine/channel.ts';
import { MediaRejectedError } from '../../engine/mediaStore.ts';
import type { Pacer } from '../../engine/pacer.ts';
import type { Logger } from '../../logger.ts';
import { isAlive, killBrowser, processTreeBytes, removeStaleProfileLock } from './browser.ts';
import { BrowserMissingError, sessionDir, type WhatsAppClient } from './client.ts';
import { render } from './render.ts';
import { type AliasStore, SenderDirectory } from './senderDirectory.ts';
import { channelName, toInbound, type WhatsAppMessage } from './toInbound.ts';

/**
 * The WhatsApp link's state, stable for the console, `/health` and alerts:
 * - `starting`: the browser is being launched and WhatsApp Web loaded;
 * - `waiting-for-link`: no linked session (first start, logged out from the phone, or
 *   `UNPAIRED`): a QR code or pairing code waits for an admin;
 * - `ready`: connected; messages are read and replies sent;
 * - `restarting`: the client is being re-created after a failure (or a planned recycle);
 * - `banned`: WhatsApp blocked the number (`TOS_BLOCK`, `SMB_TOS_BLOCK`) — terminal;
 * - `deprecated`: WhatsApp Web refuses this version (`DEPRECATED_VERSION`) — terminal;
 * - `unavailable`: the browser is not installed — terminal;
 * - `stopped`: the assistant is shutting down.
 * In a terminal state nothing is retried until an admin acts and restarts the assistant.
 */
export const whatsappStates = [
  'starting',
  'waiting-for-link',
  'ready',
  'restarting',
  'banned',
  'deprecated',
  'unavailable',
  'stopped',
] as const;

/** One of {@link whatsappStates}. */
export type WhatsAppState = (typeof whatsappStates)[number];

/** States the channel cannot leave by itself: an admin must act (and restart the assistant). */
export const terminalStates: readonly WhatsAppState[] = ['banned', 'deprecated', 'unavailable'];

/** What staff see of the WhatsApp link (the console's admin page, `/health`, alerts). */
export interface WhatsAppStatus {
  state: WhatsAppState;
  /** WhatsApp Web's own word behind the state, when it gave one (`TOS_BLOCK`, `UNPAIRED`, `LOGOUT`…). */
  waState?: string;
  /** The QR code to scan, while waiting for the link. */
  qr?: string;
  /** The pairing code to type on the phone, in pairing-code mode. */
  pairingCode?: string;
  /** How many times the client was re-created after a failure since start. */
  restarts: number;
  /** How many planned re-creations there were: the nightly recycle, the memory limit, a stale QR code. */
  recycles: number;
  /** Why the last restart or terminal state happened; never holds message text, ids or phones. */
  lastError?: string;
  /** When the state last changed. */
  since: Date;
  /** When the link was last ready. */
  readyAt?: Date;
}

/** What the WhatsApp channel needs to run. */
export interface WhatsAppOptions {
  createClient: () => Promise<WhatsAppClient>;
  /** Which WhatsApp ids lead to which conversation. */
  aliases: AliasStore;
  dataDir: string;
  pacer: Pacer;
  logger: Logger;
  /** Re-create the client when it is not ready this long after starting (not while a QR waits). */
  readyTimeoutMs: number;
  /** How often the connection state (and the browser's memory) is checked once ready. */
  healthIntervalMs: number;
  /** Back-off between re-creations: doubles from the first value up to the second. */
  backoffMs: [number, number];
  /** Checks in a row that may find WhatsApp Web reconnecting (OPENING, PAIRING, TIMEOUT) before a restart. */
  graceChecks?: number;
  /** Re-create the client when a shown QR code has not been renewed for this long. */
  qrIdleMs?: number;
  /** How long `destroy()` may take before the browser is killed. */
  destroyTimeoutMs?: number;
  /** A daily recycle at this time (`HH:MM`) in `timeZone`, when the link is ready; off when undefined. */
  recycleAt?: string | undefined;
  timeZone?: string;
  /** Recycle when the browser and its helpers use more memory than this (bytes); off when undefined. */
  memoryLimitBytes?: number | undefined;
  /** The most unread messages fetched per chat when catching up after a restart. */
  catchUpLimit?: number;
  /** The pace of asking WhatsApp for the phone behind an `@lid` id. */
  lookups?: { intervalMs: number; retryAfterMs: number };
  /** Shows a QR code to whoever runs the server (the terminal). */
  showQr?: (qr: string) => void;
  /** Shows a pairing code to whoever runs the server (the terminal). */
  showPairingCode?: (code: string) => void;
}

/** The longest live messages wait for the missed ones before them to be handed over. */
const catchUpWaitMs = 60_000;

/**
 * How far before the channel was last seen connected catching up reaches, in read chats too
 * (seconds): longer than a message can be on its way into the engine, and than clocks disagree.
 */
const aliveMarginS = 600;

/** Errors after which whatsapp-web.js's page is gone and only a new client helps. */
const brokenPage = /detached Frame|Execution context was destroyed|Session closed|Target closed|Protocol error/i;

/** What a WhatsApp Web state (from `getState()` or a `disconnected` event) asks the channel to do. */
type Verdict = 'ok' | 'wait' | 'banned' | 'deprecated' | 'unlinked' | 'restart';

/** Reads WhatsApp Web's connection state. */
export function verdictOf(waState: string | null): Verdict {
  switch (waState) {
    case 'CONNECTED':
      return 'ok';
    case 'OPENING':
    case 'PAIRING':
    case 'TIMEOUT':
      return 'wait';
    case 'TOS_BLOCK':
    case 'SMB_TOS_BLOCK':
      return 'banned';
    case 'DEPRECATED_VERSION':
      return 'deprecated';
    case 'UNPAIRED':
    case 'UNPAIRED_IDLE':
    case 'LOGOUT':
      return 'unlinked';
    default:
      return 'restart';
  }
}

/** How a restart goes. */
interface RestartPlan {
  /** Planned (nightly, memory, stale QR): counted as a recycle, no back-off. */
  planned?: boolean;
  /** The linked session is gone: remove its folder before relaunching, and wait for a new link. */
  unlinked?: boolean;
  waState?: string;
}

/**
 * Serves beneficiaries on WhatsApp through whatsapp-web.js, and keeps it up for months on a small
 * server: a watchdog re-creates the client (with back-off) when it does not become ready, loses
 * its connection, reports `disconnected`, or its page breaks, and gives WhatsApp Web a few checks
 * to reconnect by itself first; a ban or a refused version stops it with one clear line for
 * admins; the browser is destroyed with a deadline and killed if it hangs, its stale profile lock
 * removed, recycled nightly and when it grows too big. Messages that arrived while it was down are
 * fetched when it is ready again; replies wait in the outbox meanwhile (`notReady`).
 */
export class WhatsAppChannel implements Channel {
  readonly name = channelName;
  private client: WhatsAppClient | undefined;
  private current: WhatsAppStatus = { state: 'starting', restarts: 0, recycles: 0, since: new Date() };
  private inbox: EngineInbox | undefined;
  private hooks: ChannelHooks | undefined;
  private readonly senders: SenderDirectory;
  private readonly listeners = new Set<(status: WhatsAppStatus) => void>();
  private generation = 0;
  private backoff: number;
  private stopping = false;
  private restarting = false;
  private waitingChecks = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private qrTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private recycler: Cron | undefined;
  private linkedAt = 0;
  /** Resolves when the messages missed during an outage were handed over: live ones wait for it. */
  private caughtUp: Promise<void> = Promise.resolve();
  private catchingUp = false;
  /** Per chat, a part whose send failed in a way that may have come after delivery. */
  private readonly unconfirmed = new Map<string, { text: string; since: number }>();
  /**
   * Ids of messages the engine has taken (committed, or known) or that were ignored, since this
   * process started: a chat is marked read only when every message it received since is here.
   */
  private readonly settled = new Set<string>();
  private readonly startedAt = Math.floor(Date.now() / 1000);

  constructor(private readonly options: WhatsAppOptions) {
    this.backoff = options.backoffMs[0];
    this.senders = new SenderDirectory(
      options.aliases,
      options.lookups ?? { intervalMs: 1000, retryAfterMs: 3_600_000 },
    );
  }

  /** The link's state, for staff. */
  status(): WhatsAppStatus {
    return { ...this.current };
  }

  /** Calls `listener` with every new status (for alerts); returns the way to stop listening. */
  onStatus(listener: (status: WhatsAppStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(inbox: EngineInbox, hooks?: ChannelHooks): Promise<void> {
    this.inbox = inbox;
    this.hooks = hooks;
    const { recycleAt, timeZone } = this.options;
    if (recycleAt) {
      const [hours, minutes] = recycleAt.split(':').map(Number);
      this.recycler = new Cron(`${minutes} ${hours} * * *`, { timezone: timeZone ?? 'Asia/Riyadh' }, () =>
        this.recycle('the nightly recycle'),
      );
    }
    await this.launch();
  }

  async send(chatId: string, message: OutboundMessage): Promise<void> {
    const client = this.client;
    if (!client || this.current.state !== 'ready') {
      throw new ChannelSendError(`WhatsApp is ${this.current.state}.`, 'notReady');
    }
    const to = this.senders.replyTo(chatId);
    for (const part of render(message)) {
      await this.options.pacer.wait(to);
      await this.sendPart(client, to, part);
    }
    // Blue ticks are a courtesy: WhatsApp Web's code for them breaks now and then, never the reply.
    void this.markSeen(client, to);
  }

  /**
   * Marks a chat read, unless a message in it is not yet committed: sendSeen marks the whole
   * chat read, and an unread chat is what is caught up on after a crash, so a message still on
   * its way into the engine must keep its chat unread.
   */
  private async markSeen(client: WhatsAppClient, chatId: string): Promise<void> {
    try {
      const chat = await client.getChatById(chatId);
      const recent = (await chat?.fetchMessages({ limit: 10, fromMe: false })) ?? [];
      const pending = recent.some(
        (m) => !m.fromMe && m.timestamp >= this.startedAt - 60 && !this.settled.has(m.id.id ?? m.id._serialized),
      );
      if (!pending) await client.sendSeen(chatId);
    } catch (err) {
      this.options.logger.debug({ err }, 'WhatsApp: sendSeen failed.');
    }
  }

  /** Remembers that a message is taken care of (at most the last 10,000). */
  private settle(message: WhatsAppMessage): void {
    this.settled.add(message.id.id ?? message.id._serialized);
    if (this.settled.size > 10_000) this.settled.delete(this.settled.values().next().value as string);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimers();
    this.recycler?.stop();
    this.set({ state: 'stopped' });
    const client = this.client;
    this.client = undefined;
    await this.shutDown(client);
  }

  /** Sends one message, never twice: a failure that may have come after delivery is checked first. */
  private async sendPart(client: WhatsAppClient, to: string, text: string): Promise<void> {
    const doubt = this.unconfirmed.get(to);
    if (doubt?.text === text && (await this.wentOut(client, to, doubt))) {
      this.unconfirmed.delete(to);
      return;
    }
    const attempt = { text, since: Math.floor(Date.now() / 1000) - 2 };
    let sent: unknown;
    try {
      sent = await client.sendMessage(to, text, { sendSeen: false });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.unconfirmed.set(to, attempt);
      if (brokenPage.test(reason)) this.restart(`sending failed: ${reason}`);
      else if (await this.wentOut(client, to, attempt)) {
        this.unconfirmed.delete(to);
        return;
      }
      throw new ChannelSendError(`WhatsApp: ${reason}`, 'retry', undefined, { cause: error });
    }
    this.unconfirmed.delete(to);
    if (!sent) throw new ChannelSendError('WhatsApp sent nothing: the chat was not found.', 'retry');
  }

  /** Whether the chat's latest own messages include `attempt` (sent since it was tried). */
  private async wentOut(client: WhatsAppClient, to: string, attempt: { text: string; since: number }) {
    try {
      const chat = await client.getChatById(to);
      const mine = (await chat?.fetchMessages({ limit: 5, fromMe: true })) ?? [];
      return mine.some((m) => m.body === attempt.text && m.timestamp >= attempt.since);
    } catch {
      return false;
    }
  }

  private async launch(): Promise<void> {
    const generation = ++this.generation;
    const { logger } = this.options;
    this.set({ state: this.current.state === 'waiting-for-link' ? 'waiting-for-link' : 'starting' });
    if (removeStaleProfileLock(sessionDir(this.options.dataDir))) {
      logger.warn('WhatsApp: removed the browser profile lock a stopped browser left behind.');
    }
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
    if (this.stopping || generation !== this.generation) {
      await this.shutDown(client);
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
        this.watchQr();
      }),
    );
    client.on(
      'code',
      live((code: string) => {
        this.set({ state: 'waiting-for-link', pairingCode: code });
        this.options.showPairingCode?.(code);
        logger.info('WhatsApp: enter the pairing code on the phone (shown in the terminal and to admins).');
      }),
    );
    client.on(
      'ready',
      live(() => {
        clearTimeout(this.readyTimer);
        clearTimeout(this.qrTimer);
        this.backoff = this.options.backoffMs[0];
        this.linkedAt = this.rememberLink();
        const lastAlive = this.lastAlive();
        this.set({ state: 'ready', readyAt: new Date() });
        logger.info({ restarts: this.current.restarts }, 'WhatsApp: ready.');
        this.watchHealth(client, generation);
        this.catchingUp = true;
        this.caughtUp = this.catchUp(client, generation, lastAlive && lastAlive - aliveMarginS).then((done) => {
          // Only now is everything before handed over: a crash (or a failure) while catching up
          // leaves the next catch-up reaching as far back.
          if (done && generation === this.generation) {
            this.catchingUp = false;
            this.noteAlive();
          }
        });
        // A page that hangs while catching up must not hold live messages back for long.
        let bound: NodeJS.Timeout | undefined;
        this.caughtUp = Promise.race([
          this.caughtUp,
          new Promise<void>((resolve) => {
            bound = setTimeout(resolve, catchUpWaitMs);
          }),
        ]).finally(() => clearTimeout(bound));
        this.hooks?.ready();
      }),
    );
    client.on(
      'auth_failure',
      live(() => this.restart('authentication failed', { unlinked: true })),
    );
    client.on(
      'disconnected',
      live((reason: string) => this.judge(reason, `disconnected: ${reason}`, false)),
    );
    // Not tied to this generation: what an old client still delivers during a restart is kept.
    client.on('message', (message: WhatsAppMessage) => {
      if (!this.stopping) void this.receive(message, client, false);
    });

    // Not while a code waits for an admin: the QR code has its own watch.
    this.readyTimer = setTimeout(() => {
      const { state, qr, pairingCode } = this.current;
      if (generation === this.generation && state !== 'ready' && !qr && !pairingCode) {
        this.restart(`not ready after ${this.options.readyTimeoutMs} ms`);
      }
    }, this.options.readyTimeoutMs);
    client.initialize().catch((error: unknown) => {
      if (generation === this.generation) this.restart(`initialising failed: ${String(error)}`);
    });
  }

  /**
   * Acts on a state WhatsApp Web reported (by the health check, `checked`, or a `disconnected`
   * event): wait a few checks, restart, wait for a new link, or stop for good.
   */
  private judge(waState: string | null, reason: string, checked: boolean): void {
    const verdict = verdictOf(waState);
    if (verdict === 'ok') {
      this.waitingChecks = 0;
    } else if (verdict === 'wait' && checked) {
      this.waitingChecks++;
      const grace = this.options.graceChecks ?? 3;
      if (this.waitingChecks >= grace) this.restart(`${reason} for ${grace} checks`, { waState: waState ?? '' });
    } else if (verdict === 'banned' || verdict === 'deprecated') {
      this.terminate(verdict, waState ?? '');
    } else if (verdict === 'unlinked') {
      this.options.logger.warn({ waState }, 'WhatsApp: the number was unlinked; waiting for a new link.');
      this.restart(reason, { unlinked: true, waState: waState ?? '' });
    } else {
      this.restart(reason, waState ? { waState } : {});
    }
  }

  /** Stops using WhatsApp for good (until an admin acts), with one clear line. */
  private terminate(state: 'banned' | 'deprecated', waState: string): void {
    const message =
      state === 'banned'
        ? `WhatsApp has blocked the association's number (${waState}). The assistant no longer uses it: appeal from the phone (WhatsApp → Settings → Help → Contact us), then restart the assistant; or link another number.`
        : `WhatsApp Web refuses this version (${waState}). Update whatsapp-web.js within its major version (README: "Updating whatsapp-web.js"), or set WHATSAPP_WEB_VERSION, then restart the assistant.`;
    this.clearTimers();
    const old = this.client;
    this.client = undefined;
    this.generation++;
    this.set({ state, waState, lastError: message });
    this.options.logger.error({ waState }, `WhatsApp: ${message}`);
    void this.shutDown(old);
  }

  /** A planned re-creation, only while ready (never in the middle of linking or a restart). */
  private recycle(reason: string): void {
    if (this.current.state === 'ready') this.restart(reason, { planned: true });
  }

  /**
   * Destroys the client and creates a new one after the back-off; one restart at a time. The old
   * browser is gone (killed if need be) and, when unlinked, its session folder removed before
   * the new one starts.
   */
  private restart(reason: string, plan: RestartPlan = {}): void {
    if (this.stopping || this.restarting || terminalStates.includes(this.current.state)) return;
    this.restarting = true;
    this.clearTimers();
    const old = this.client;
    this.client = undefined;
    this.generation++;
    const counts = plan.planned ? { recycles: this.current.recycles + 1 } : { restarts: this.current.restarts + 1 };
    this.set({
      state: plan.unlinked || this.current.state === 'waiting-for-link' ? 'waiting-for-link' : 'restarting',
      lastError: reason,
      ...counts,
      ...(plan.waState ? { waState: plan.waState } : {}),
    });
    const wait = plan.planned ? this.options.backoffMs[0] : this.backoff;
    if (!plan.planned) this.backoff = Math.min(this.backoff * 2, this.options.backoffMs[1]);
    this.options.logger.warn(
      { reason, restarts: this.current.restarts, recycles: this.current.recycles, inMs: wait },
      plan.planned ? 'WhatsApp: recycling the client.' : 'WhatsApp: restarting the client.',
    );
    void (async () => {
      await this.shutDown(old);
      if (plan.unlinked) {
        await rm(sessionDir(this.options.dataDir), { recursive: true, force: true, maxRetries: 4 }).catch(
          (err: unknown) => this.options.logger.error({ err }, 'WhatsApp: the old session could not be removed.'),
        );
      }
      if (this.stopping) return;
      this.restartTimer = setTimeout(() => {
        this.restarting = false;
        void this.launch();
      }, wait);
    })();
  }

  /** `destroy()` with a deadline; then the browser is killed if it is still alive. */
  private async shutDown(client: WhatsAppClient | undefined): Promise<void> {
    if (!client) return;
    const pid = client.browserPid();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      client.destroy().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), this.options.destroyTimeoutMs ?? 15_000);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) this.options.logger.warn('WhatsApp: the browser did not close in time.');
    if (pid !== undefined && isAlive(pid)) {
      killBrowser(pid);
      this.options.logger.warn('WhatsApp: killed the browser that was still running.');
    }
  }

  /** While a QR code is shown: a new one must come regularly, or the client is re-created. */
  private watchQr(): void {
    clearTimeout(this.qrTimer);
    const idleMs = this.options.qrIdleMs ?? 90_000;
    this.qrTimer = setTimeout(() => {
      if (this.current.state === 'waiting-for-link') {
        this.restart(`no new QR code for ${Math.round(idleMs / 1000)} s`, { planned: true });
      }
    }, idleMs);
  }

  private watchHealth(client: WhatsAppClient, generation: number): void {
    clearInterval(this.healthTimer);
    this.waitingChecks = 0;
    this.healthTimer = setInterval(() => {
      if (generation !== this.generation) return;
      client
        .getState()
        .then((state) => {
          if (generation !== this.generation) return;
          if (verdictOf(state) === 'ok' && !this.catchingUp) this.noteAlive();
          this.judge(state, `state is ${state}`, true);
        })
        .catch((error: unknown) => {
          if (generation === this.generation) this.restart(`checking the state failed: ${String(error)}`);
        });
      this.checkMemory(client);
    }, this.options.healthIntervalMs);
  }

  private checkMemory(client: WhatsAppClient): void {
    const limit = this.options.memoryLimitBytes;
    const pid = client.browserPid();
    if (!limit || pid === undefined) return;
    const bytes = processTreeBytes(pid);
    if (bytes !== undefined && bytes > limit) {
      this.recycle(`the browser uses ${Math.round(bytes / 1e6)} MB, over the ${Math.round(limit / 1e6)} MB limit`);
    }
  }

  /**
   * Hands over what arrived while the client was down: whatsapp-web.js emits nothing for it.
   * Resolves true once every chat was looked at.
   * Private chats are read back (oldest first) for their unread messages, and for those that came
   * since `since` (Unix seconds), read or not: someone may have opened the chat on the phone
   * meanwhile, or it was marked read just before a crash took a message on its way in. The
   * engine drops what it already had.
   */
  private async catchUp(client: WhatsAppClient, generation: number, since: number | undefined): Promise<boolean> {
    const most = this.options.catchUpLimit ?? 50;
    let chats = 0;
    let messages = 0;
    try {
      for (const chat of await client.getChats()) {
        if (generation !== this.generation || this.stopping) return false;
        if (chat.isGroup || !/@(c\.us|lid)$/.test(chat.id._serialized)) continue;
        const recent = since !== undefined && (chat.timestamp ?? 0) >= since;
        if (chat.unreadCount <= 0 && !recent) continue;
        // Only theirs: the association's replies would count against the limit.
        const theirs = await chat.fetchMessages({
          limit: recent ? most : Math.min(chat.unreadCount, most),
          fromMe: false,
        });
        const missed = theirs.filter(
          (m, i) => i >= theirs.length - chat.unreadCount || (since !== undefined && m.timestamp >= since),
        );
        chats++;
        for (const message of missed.sort((a, b) => a.timestamp - b.timestamp)) {
          if (message.fromMe || message.id.fromMe) continue;
          messages++;
          await this.receive(message, client, true);
        }
      }
      if (chats > 0) this.options.logger.info({ chats, messages }, 'WhatsApp: caught up on missed messages.');
      return true;
    } catch (err) {
      this.options.logger.warn({ err }, 'WhatsApp: catching up on missed messages failed.');
      return false;
    }
  }

  private async receive(
    message: WhatsAppMessage & { downloadMedia?: () => Promise<{ data: string } | undefined> },
    client: WhatsAppClient,
    catchingUp: boolean,
  ): Promise<void> {
    // Live messages wait for the ones missed before them.
    if (!catchingUp) await this.caughtUp;
    if (this.stopping) return;
    const first = toInbound(message, this.linkedAt);
    if (first.type === 'ignore') {
      this.options.logger.debug({ reason: first.reason }, 'WhatsApp: message ignored.');
      this.settle(message);
      return;
    }
    try {
      // Handled in order (missed ones oldest first): the time of handling tells which id wrote last.
      const sender = await this.senders.identify(message.from, new Date(), () => this.lookUpPhone(message, client));
      const reading = toInbound(message, this.linkedAt, sender);
      if (reading.type === 'ignore') {
        this.settle(message);
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
      await this.inbox?.handle(inbound);
      this.settle(message);
    } catch (err) {
      this.options.logger.error({ err }, 'WhatsApp: a message could not be handled.');
    }
  }

  /** The phone id behind an `@lid` sender: from the contact, else from WhatsApp's lid↔phone table. */
  private async lookUpPhone(message: WhatsAppMessage, client: WhatsAppClient): Promise<string | undefined> {
    const contact = await message.getContact?.().catch(() => undefined);
    const fromContact = contact?.id?._serialized;
    if (fromContact?.endsWith('@c.us')) return fromContact;
    const [pair] = await client.getContactLidAndPhone([message.from]);
    return pair?.pn;
  }

  /** When the link was last noted up with everything before handed over (Unix seconds), if ever. */
  private lastAlive(): number | undefined {
    return this.moment('alive-at') || undefined;
  }

  /** Notes that the link is up now and what came before was handed over: see {@link lastAlive}. */
  private noteAlive(): void {
    try {
      this.keepMoment('alive-at', Math.floor(Date.now() / 1000));
    } catch (err) {
      this.options.logger.warn({ err }, 'WhatsApp: could not note the time the link was up.');
    }
  }

  /** When the number was first linked (Unix seconds); older messages are history, not requests. */
  private rememberLink(): number {
    return this.moment('linked-at') ?? this.keepMoment('linked-at', Math.floor(Date.now() / 1000));
  }

  /** A moment (Unix seconds) kept in `DATA_DIR/whatsapp/<name>`; undefined if never kept. */
  private moment(name: string): number | undefined {
    try {
      return Number(readFileSync(join(this.options.dataDir, 'whatsapp', name), 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** Keeps `at` (Unix seconds) as the moment `name`, and returns it. */
  private keepMoment(name: string, at: number): number {
    mkdirSync(join(this.options.dataDir, 'whatsapp'), { recursive: true });
    writeFileSync(join(this.options.dataDir, 'whatsapp', name), String(at));
    return at;
  }

  private set(change: Partial<WhatsAppStatus>): void {
    const state = change.state ?? this.current.state;
    const next = { ...this.current, ...change, since: state === this.current.state ? this.current.since : new Date() };
    // A code is good only for the client that showed it.
    if (change.state && !change.qr && !change.pairingCode) {
      delete next.qr;
      delete next.pairingCode;
    }
    if (state === 'ready') delete next.waState;
    this.current = next;
    for (const listener of this.listeners) listener(this.status());
  }

  private clearTimers(): void {
    clearTimeout(this.restartTimer);
    clearTimeout(this.readyTimer);
    clearTimeout(this.qrTimer);
    clearInterval(this.healthTimer);
  }
}
