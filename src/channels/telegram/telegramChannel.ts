import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Api, GrammyError, HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Locale, OutboundMessage } from '../../domain/messages.ts';
import { type Channel, ChannelSendError, type EngineInbox } from '../../engine/channel.ts';
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
}

const commands = ['start', 'menu', 'help', 'language', 'staff', 'cancel'] as const;
const allowedUpdates = ['message', 'callback_query'] as const;

/**
 * Serves beneficiaries on Telegram without losing an update: a batch from `getUpdates` is
 * confirmed (by asking with the next offset) only after every update in it is committed by the
 * engine, which drops redelivered ones by `update_id`. Webhook mode answers Telegram only after
 * the commit too, so an unanswered delivery is simply delivered again.
 */
export class TelegramChannel implements Channel {
  readonly name = channelName;
  readonly api: Api;
  private stopped = false;
  private readonly abort = new AbortController();
  private polling: Promise<void> | undefined;
  private inbox: EngineInbox | undefined;

  constructor(private readonly options: TelegramOptions) {
    this.api = new Api(options.token, { apiRoot: options.apiRoot });
  }

  /** The secret Telegram sends with each webhook call: configured, or derived from the token. */
  get webhookSecret(): string {
    return (
      this.options.webhookSecret ??
      createHash('sha256').update(`webhook:${this.options.token}`).digest('hex').slice(0, 48)
    );
  }

  async start(inbox: EngineInbox): Promise<void> {
    this.inbox = inbox;
    await this.describe();
    if (this.options.webhookUrl) {
      await this.api.setWebhook(this.options.webhookUrl, {
        secret_token: this.webhookSecret,
        allowed_updates: [...allowedUpdates],
      });
      this.options.logger.info('Telegram: receiving updates by webhook.');
      return;
    }
    // A webhook left from an earlier run blocks getUpdates; removing it keeps pending updates.
    await this.api.deleteWebhook({ drop_pending_updates: false }).catch((err: unknown) => {
      this.options.logger.warn({ err }, 'Telegram: could not remove a webhook.');
    });
    this.polling = this.poll(inbox);
    this.options.logger.info('Telegram: receiving updates by long polling.');
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
      await this.handleUpdate(update as Update, this.inbox);
      return 200;
    } catch (err) {
      this.options.logger.error({ err }, 'Telegram: a webhook update could not be handled.');
      return 500;
    }
  }

  async send(chatId: string, message: OutboundMessage): Promise<void> {
    for (const part of render(message)) {
      await this.options.pacer.wait(chatId);
      try {
        await this.api.sendMessage(chatId, part.text, part.keyboard ? { reply_markup: part.keyboard } : {});
      } catch (error) {
        throw sendFailure(error);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.polling;
  }

  private async poll(inbox: EngineInbox): Promise<void> {
    let offset: number | undefined;
    let failures = 0;
    while (!this.stopped) {
      try {
        const updates = await this.api.getUpdates(
          {
            ...(offset !== undefined ? { offset } : {}),
            timeout: this.options.pollTimeoutSeconds,
            allowed_updates: [...allowedUpdates],
          },
          this.abort.signal as Parameters<Api['getUpdates']>[1],
        );
        // Committed before confirmed: the next getUpdates with offset = last + 1 is the confirmation.
        await Promise.all(updates.map((update) => this.handleUpdate(update, inbox)));
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        failures++;
        const wait = Math.min(1000 * 2 ** Math.min(failures, 6), 60_000);
        this.options.logger.warn({ err, failures, wait }, 'Telegram: receiving updates failed; retrying.');
        await this.pause(wait);
      }
    }
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
    const { fileId, callback } = reading;
    const inbound =
      fileId && reading.inbound.kind === 'media'
        ? { ...reading.inbound, download: (maxBytes: number) => this.download(fileId, maxBytes) }
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

  private async download(fileId: string, maxBytes: number): Promise<Uint8Array> {
    const file = await this.api.getFile(fileId);
    if ((file.file_size ?? 0) > maxBytes) throw new MediaRejectedError('tooLarge');
    if (!file.file_path) throw new Error('Telegram gave no file path.');
    const response = await fetch(`${this.options.apiRoot}/file/bot${this.options.token}/${file.file_path}`);
    if (!response.ok || !response.body) throw new Error(`Downloading a file failed with HTTP ${response.status}.`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new MediaRejectedError('tooLarge');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
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

/** Classifies a Bot API failure for the outbox. */
export function sendFailure(error: unknown): ChannelSendError {
  if (error instanceof GrammyError) {
    const message = `Telegram ${error.error_code}: ${error.description}`;
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
