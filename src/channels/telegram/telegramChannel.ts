import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Api, GrammyError, HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Locale, OutboundMessage } from '../../domain/messages.ts';
import { type Channel, type ChannelHooks, ChannelSendError, type EngineInbox } from '../../engine/channel.ts';
import { MediaRejectedError } from '../../engine/mediaStore.ts';
import type { Pacer } from '../../engine/pacer.ts';
import type { Logger } from '../../logger.ts';
import { render } from './render.ts';
import { channelName, toInbound } from './toInbound.ts';

/** What the Telegram channel needs to run. */
export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** Long-polling timeout in seconds (0 = short polling, for tests only). */
  pollTimeoutSeconds: number;
  /** Webhook mode: Telegram posts updates to this public URL (served by the app's HTTP server). */
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
  pacer: Pacer;
  logger: Logger;
  /** Texts of the command menu and bot description, in each language. */
  translate: (key: string, locale: Locale) => string;
  /**
   * How long any one Bot API call may take, in seconds (default: the poll timeout + 15), so that
   * a half-open connection cannot freeze the channel for minutes.
   */
  requestTimeoutSeconds?: number;
  /** How long one file download may take (default two minutes). */
  downloadTimeoutMs?: number;
  /** Back-off after a network or server failure: first wait, doubling up to the second. */
  retryMs?: [number, number];
  /**
   * Back-off while the Bot API refuses the bot (401: the token was revoked; 409: another
   * program polls with the same token): longer, as only a person can fix it.
   */
  refusedRetryMs?: [number, number];
}

/**
 * The largest file the Bot API lets a bot download; `getFile` answers "file is too big" above it.
 * A self-hosted Bot API server in `--local` mode has no such limit, but this channel keeps it.
 */
export const botApiDownloadLimit = 20 * 1024 * 1024;

/** Where the Telegram channel is, for `/health`, the alerts and the console. */
export interface TelegramStatus {
  /**
   * `starting`; receiving updates (`polling`, or `webhook` once it is set); `retrying` (the Bot
   * API cannot be reached or fails: network, 5xx, a timeout); `conflict` (409: another program
   * polls with the same token); `unauthorized` (401: the token was revoked); `stopped`.
   */
  state: 'starting' | 'polling' | 'webhook' | 'retrying' | 'conflict' | 'unauthorized' | 'stopped';
  /** When the state last changed. */
  since: Date;
  /** Since when receiving updates has been failing, while it does. */
  failingSince?: Date;
  /** The last failure, as the Bot API described it (never the token). */
  lastError?: string;
}

const commands = ['start', 'menu', 'help', 'language', 'staff', 'cancel'] as const;
const allowedUpdates = ['message', 'callback_query'] as const;

/**
 * Serves beneficiaries on Telegram without losing an update: a batch from `getUpdates` is
 * confirmed (by asking with the next offset) only after every update in it is committed by the
 * engine, which drops redelivered ones by `update_id`. Webhook mode answers Telegram only after
 * the commit too, so an unanswered delivery is simply delivered again.
 *
 * It never stops the assistant and never loops silently: every Bot API call has a timeout; a
 * failing `setWebhook` or `getUpdates` is retried with back-off; a webhook someone set is removed
 * again; a refused token (401) or a second poller (409) is a {@link TelegramStatus} state that
 * `/health` and the alerts report, retried slowly.
 */
export class TelegramChannel implements Channel {
  readonly name = channelName;
  readonly api: Api;
  private stopped = false;
  private readonly abort = new AbortController();
  private polling: Promise<void> | undefined;
  private inbox: EngineInbox | undefined;
  private hooks: ChannelHooks | undefined;
  private current: TelegramStatus = { state: 'starting', since: new Date() };

  constructor(private readonly options: TelegramOptions) {
    this.api = new Api(options.token, {
      apiRoot: options.apiRoot,
      timeoutSeconds: options.requestTimeoutSeconds ?? options.pollTimeoutSeconds + 15,
    });
  }

  /** Where the channel is now. */
  status(): TelegramStatus {
    return { ...this.current };
  }

  /** The secret Telegram sends with each webhook call: configured, or derived from the token. */
  get webhookSecret(): string {
    return (
      this.options.webhookSecret ??
      createHash('sha256').update(`webhook:${this.options.token}`).digest('hex').slice(0, 48)
    );
  }

  /**
   * Starts receiving, in the background: resolves at once, whatever the Bot API answers, so a
   * Telegram outage never holds up WhatsApp or the console. {@link status} tells how it goes.
   */
  async start(inbox: EngineInbox, hooks?: ChannelHooks): Promise<void> {
    this.inbox = inbox;
    this.hooks = hooks;
    // The command menu and description are a courtesy: set in the background, never waited for.
    void this.describe();
    this.polling = this.options.webhookUrl ? this.setWebhookUntilDone() : this.poll(inbox);
  }

  /** Serves Telegram's webhook calls at `/telegram/webhook` on the app's HTTP server. */
  registerWebhook(http: FastifyInstance): void {
    http.post('/telegram/webhook', async (request, response) => {
      const secret = request.headers['x-telegram-bot-api-secret-token'];
      response.code(await this.webhook(typeof secret === 'string' ? secret : undefined, request.body));
      return '';
    });
  }

  /**
   * Handles one webhook call; returns the HTTP status to answer with. A wrong secret is refused;
   * anything else is answered 200 only once committed (500 asks Telegram to deliver again).
   */
  async webhook(secret: string | undefined, update: unknown): Promise<number> {
    if (secret !== this.webhookSecret) return 401;
    if (!this.inbox || typeof update !== 'object' || update === null || !('update_id' in update)) return 400;
    try {
      // Back-pressure: a held call holds back Telegram's next ones (at most max_connections).
      await this.inbox.room?.();
      await this.handleUpdate(update as Update, this.inbox);
      return 200;
    } catch (err) {
      this.options.logger.error({ err }, 'Telegram: a webhook update could not be handled.');
      return 500;
    }
  }

  async send(chatId: string, message: OutboundMessage): Promise<void> {
    // A refused token refuses every send: the replies wait (not an attempt) until it is fixed.
    if (this.current.state === 'unauthorized') {
      throw new ChannelSendError('Telegram refuses the bot token.', 'notReady');
    }
    for (const part of render(message)) {
      await this.options.pacer.wait(chatId);
      try {
        await this.api.sendMessage(chatId, part.text, part.keyboard ? { reply_markup: part.keyboard } : {});
      } catch (error) {
        if (error instanceof GrammyError && error.error_code === 401) this.failing('unauthorized', error);
        throw sendFailure(error);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.polling;
    this.current = { state: 'stopped', since: new Date() };
  }

  private async poll(inbox: EngineInbox): Promise<void> {
    // A webhook left from an earlier run blocks getUpdates; removing it keeps pending updates.
    await this.deleteWebhook();
    this.options.logger.info('Telegram: receiving updates by long polling.');
    let offset: number | undefined;
    let failures = 0;
    while (!this.stopped) {
      // Back-pressure: while the engine is full, updates wait at Telegram, not in memory.
      await inbox.room?.();
      if (this.stopped) return;
      try {
        const updates = await this.api.getUpdates(
          {
            ...(offset !== undefined ? { offset } : {}),
            timeout: this.options.pollTimeoutSeconds,
            allowed_updates: [...allowedUpdates],
          },
          this.abort.signal as Parameters<Api['getUpdates']>[1],
        );
        this.receiving('polling');
        // Committed before confirmed: the next getUpdates with offset = last + 1 is the confirmation.
        await Promise.all(updates.map((update) => this.handleUpdate(update, inbox)));
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        failures++;
        if (isWebhookActive(err)) {
          // Someone set a webhook since (another deployment, a test by hand): remove it again.
          this.options.logger.warn('Telegram: a webhook was set while polling; removing it again.');
          this.failing('retrying', err);
          await this.deleteWebhook();
          if (failures === 1) continue;
        }
        await this.pause(this.waitAfter(err, failures, 'Telegram: receiving updates failed; retrying.'));
      }
    }
  }

  /** Removes a webhook so that `getUpdates` works; a failure is logged (polling then says 409). */
  private async deleteWebhook(): Promise<void> {
    await this.api.deleteWebhook({ drop_pending_updates: false }).catch((err: unknown) => {
      if (!this.stopped) this.options.logger.warn({ err }, 'Telegram: could not remove a webhook.');
    });
  }

  /**
   * Webhook mode: registers the webhook, retrying with back-off until Telegram accepts it (or
   * the channel stops). Meanwhile the rest of the assistant runs, and {@link status} says why.
   */
  private async setWebhookUntilDone(): Promise<void> {
    const url = this.options.webhookUrl as string;
    for (let failures = 1; !this.stopped; failures++) {
      try {
        await this.api.setWebhook(
          url,
          { secret_token: this.webhookSecret, allowed_updates: [...allowedUpdates] },
          this.abort.signal as Parameters<Api['setWebhook']>[2],
        );
        this.receiving('webhook');
        this.options.logger.info('Telegram: receiving updates by webhook.');
        return;
      } catch (err) {
        if (this.stopped) return;
        await this.pause(this.waitAfter(err, failures, 'Telegram: setting the webhook failed; retrying.'));
      }
    }
  }

  /**
   * Classifies a failure to receive updates, records the state it puts the channel in, logs it
   * (a refusal once per change: it lasts until a person acts), and says how long to wait.
   */
  private waitAfter(err: unknown, failures: number, message: string): number {
    const refusal = refusalOf(err);
    const [first, max] = refusal
      ? (this.options.refusedRetryMs ?? [60_000, 15 * 60_000])
      : (this.options.retryMs ?? [2000, 60_000]);
    const wait = Math.min(first * 2 ** Math.min(failures - 1, 16), max);
    if (!refusal) {
      this.failing('retrying', err);
      this.options.logger.warn({ err, failures, wait }, message);
    } else if (this.current.state !== refusal) {
      this.failing(refusal, err);
      this.options.logger.error(
        { err, state: refusal, wait },
        refusal === 'conflict'
          ? "Telegram: another program is receiving this bot's updates (409); stop it, or give this one its own bot token. Retrying slowly."
          : 'Telegram: the bot token was refused (401); set a valid TELEGRAM_BOT_TOKEN from @BotFather and restart. Retrying slowly.',
      );
    } else {
      this.failing(refusal, err);
    }
    return wait;
  }

  /** Receiving works (again): the state says so, and what waited for a refused token is sent. */
  private receiving(state: 'polling' | 'webhook'): void {
    if (this.current.state === state) return;
    const refused = this.current.state === 'unauthorized';
    this.current = { state, since: new Date() };
    if (refused) this.hooks?.ready();
  }

  private failing(state: 'retrying' | 'conflict' | 'unauthorized', err: unknown): void {
    const now = new Date();
    const failingSince = this.current.failingSince ?? now;
    const since = this.current.state === state ? this.current.since : now;
    this.current = { state, since, failingSince, lastError: describeFailure(err) };
  }

  /** Waits before polling again; `stop()` cuts the wait short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  private async handleUpdate(update: Update, inbox: EngineInbox): Promise<void> {
    const reading = toInbound(update);
    if (reading.type === 'ignore') {
      this.options.logger.debug({ updateId: update.update_id, reason: reading.reason }, 'Telegram: update ignored.');
      return;
    }
    const size = reading.inbound.kind === 'media' ? reading.inbound.size : undefined;
    const { fileId, callback } = reading;
    const inbound =
      fileId && reading.inbound.kind === 'media'
        ? {
            ...reading.inbound,
            download: (maxBytes: number) => this.download(fileId, Math.min(maxBytes, botApiDownloadLimit), size),
          }
        : reading.inbound;
    if (callback) this.settleCallback(inbound.chatId, callback);
    const typing = setTimeout(() => {
      this.api.sendChatAction(inbound.chatId, 'typing').catch(() => {});
    }, 1000);
    try {
      await inbox.handle(inbound);
    } finally {
      clearTimeout(typing);
    }
  }

  /** Stops the button's spinner and takes the keyboard away, so it cannot be pressed twice. */
  private settleCallback(chatId: string, callback: { id: string; messageId: number | undefined }): void {
    const log = (err: unknown) => this.options.logger.debug({ err }, 'Telegram: settling a button press failed.');
    this.api.answerCallbackQuery(callback.id).catch(log);
    if (callback.messageId !== undefined) {
      this.api.editMessageReplyMarkup(chatId, callback.messageId, { reply_markup: { inline_keyboard: [] } }).catch(log);
    }
  }

  /**
   * Fetches a file the person sent, at most `maxBytes` (the Bot API's 20 MB download limit
   * included): a bigger one is "too large" — from the size in the message, from `getFile`, or
   * from `getFile`'s own "file is too big" — never "unavailable". The whole download has a
   * time limit, so a stalled transfer cannot hold up the chat.
   */
  private async download(fileId: string, maxBytes: number, size: number | undefined): Promise<Uint8Array> {
    if ((size ?? 0) > maxBytes) throw new MediaRejectedError('tooLarge');
    const signal = AbortSignal.timeout(this.options.downloadTimeoutMs ?? 120_000);
    const file = await this.api.getFile(fileId, signal as Parameters<Api['getFile']>[1]).catch((error: unknown) => {
      if (error instanceof GrammyError && /file is too big/i.test(error.description)) {
        throw new MediaRejectedError('tooLarge');
      }
      throw error;
    });
    if ((file.file_size ?? 0) > maxBytes) throw new MediaRejectedError('tooLarge');
    if (!file.file_path) throw new Error('Telegram gave no file path.');
    try {
      const response = await fetch(`${this.options.apiRoot}/file/bot${this.options.token}/${file.file_path}`, {
        signal,
      });
      if (!response.ok || !response.body) throw new Error(`Downloading a file failed with HTTP ${response.status}.`);
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > maxBytes) throw new MediaRejectedError('tooLarge');
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    } catch (error) {
      // fetch's own errors name the URL, which holds the token: say what happened without it.
      if (error instanceof MediaRejectedError || !(error instanceof Error)) throw error;
      throw new Error(signal.aborted ? 'Downloading a file timed out.' : `Downloading a file failed: ${error.name}.`);
    }
  }

  /** Sets the command menu and the description in Arabic (the default) and English. */
  private async describe(): Promise<void> {
    const { translate, logger } = this.options;
    for (const locale of ['ar', 'en'] as const) {
      const scope = locale === 'ar' ? {} : { language_code: locale };
      try {
        await this.api.setMyCommands(
          commands.map((command) => ({ command, description: translate(`common:commands.${command}`, locale) })),
          scope,
        );
        await this.api.setMyDescription(translate('common:botDescription', locale), scope);
        await this.api.setMyShortDescription(translate('common:botShortDescription', locale), scope);
      } catch (err) {
        logger.warn({ err, locale }, 'Telegram: could not set the command menu or description.');
      }
    }
  }
}

/** Classifies a Bot API failure for the outbox. A refused token (401) makes replies wait. */
export function sendFailure(error: unknown): ChannelSendError {
  if (error instanceof GrammyError) {
    const message = `Telegram ${error.error_code}: ${error.description}`;
    if (error.error_code === 401) return new ChannelSendError(message, 'notReady', undefined, { cause: error });
    if (error.error_code === 429) {
      return new ChannelSendError(message, 'retry', (error.parameters.retry_after ?? 1) * 1000, { cause: error });
    }
    if (error.error_code === 403 || /chat not found|user is deactivated/i.test(error.description)) {
      return new ChannelSendError(message, 'unreachable', undefined, { cause: error });
    }
    if (error.error_code >= 400 && error.error_code < 500) {
      return new ChannelSendError(message, 'rejected', undefined, { cause: error });
    }
    return new ChannelSendError(message, 'retry', undefined, { cause: error });
  }
  const reason = error instanceof HttpError ? error.message : String(error);
  return new ChannelSendError(`Telegram unreachable: ${reason}`, 'retry', undefined, { cause: error });
}

/** 409 "can't use getUpdates method while webhook is active": a webhook must be removed first. */
function isWebhookActive(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 409 && /webhook is active/i.test(error.description);
}

/**
 * The Bot API refusing the bot itself, which only a person can fix: 401 (or 404, a token that is
 * not one) and 409 from a second poller ("terminated by other getUpdates request").
 */
function refusalOf(error: unknown): 'conflict' | 'unauthorized' | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  if (error.error_code === 401 || error.error_code === 404) return 'unauthorized';
  if (error.error_code === 409 && !isWebhookActive(error)) return 'conflict';
  return undefined;
}

/** A failure in words for the status page: the Bot API's description, or the kind of network error. */
function describeFailure(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code}: ${error.description}`;
  // HttpError's message names only the method; its cause (with the URL and token) is left out.
  if (error instanceof HttpError) return error.message;
  return error instanceof Error ? error.name : 'unknown';
}
