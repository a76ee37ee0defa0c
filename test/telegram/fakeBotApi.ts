import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';

/** A call the bot made, as received. */
export interface Call {
  method: string;
  body: Record<string, unknown>;
}

/** A message the bot sent, as Telegram would keep it. */
export interface SentMessage {
  message_id: number;
  chat_id: string;
  text: string;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

/** A message the bot asked to send while sends were held: received, never delivered nor answered. */
export type HeldMessage = Omit<SentMessage, 'message_id'>;

type Failure = { code: number; description: string; retry_after?: number };

/**
 * A Bot API server on 127.0.0.1 that behaves like Telegram where the tests need it to:
 * `getUpdates` honours `offset` (confirmation) and `timeout` (long polling) and answers 409 while
 * a webhook is set or another program polls; `sendMessage` enforces the 4096-character and
 * 64-byte callback-data limits; `getFile` answers "file is too big" over the 20 MB download
 * limit; failures (401, 409, 429, 403, 5xx) can be injected; replies can be held unanswered to
 * simulate a crash mid-send; calls and downloads can hang; the network can fail.
 */
export class FakeBotApi {
  readonly token = '123456:TEST-token-for-the-fake-bot-api';
  readonly calls: Call[] = [];
  readonly sent: SentMessage[] = [];
  readonly files = new Map<string, Uint8Array>();
  /** Failures to answer the next calls of a method with, in order. */
  readonly failures = new Map<string, Failure[]>();
  /** Chats whose user blocked the bot: every send to them answers 403. */
  readonly blocked = new Set<string>();
  /**
   * While true, sendMessage calls are received and recorded in {@link held} but never answered
   * nor delivered: the request is lost on its way, as when the bot dies waiting for the answer.
   */
  holdSends = false;
  /** What the bot asked to send while sends were held, in order. */
  readonly held: HeldMessage[] = [];
  /**
   * While true, the network fails: every Bot API request's connection is closed unanswered
   * (the bot's HTTP client sees a socket hang up). The call is still recorded, without a body.
   */
  unreachable = false;
  /** The webhook Telegram would post to, while one is set: getUpdates then answers 409. */
  webhookUrl: string | undefined;
  /** While true, another program polls with this token: every getUpdates answers 409. */
  otherPoller = false;
  /** While true, the token is revoked: every call answers 401 Unauthorized. */
  revoked = false;
  /**
   * Methods whose next calls are received and never answered (a half-open connection): each
   * call takes one off the count.
   */
  readonly hang = new Map<string, number>();
  /** File ids whose download starts and then stalls: headers sent, the body never comes. */
  readonly stalledFiles = new Set<string>();
  /** File ids over the Bot API's 20 MB download limit: getFile answers "file is too big". */
  readonly tooBig = new Set<string>();
  /** Called each time a getUpdates answer carries updates. */
  onDelivered: ((updates: Update[]) => void) | undefined;
  private updates: Update[] = [];
  private nextUpdateId = 1000;
  /** How many getUpdates calls were received. */
  deliveries = 0;
  private nextMessageId = 1;
  private confirmedBelow = 0;
  private waiters: (() => void)[] = [];
  private server: Server | undefined;
  private readonly heldResponses = new Set<ServerResponse>();

  get apiRoot(): string {
    const { port } = (this.server?.address() ?? { port: 0 }) as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The variables that point the assistant at this server, polling quickly and unpaced. */
  env(): Record<string, string> {
    return {
      TELEGRAM_BOT_TOKEN: this.token,
      TELEGRAM_API_ROOT: this.apiRoot,
      TELEGRAM_POLL_TIMEOUT: '1',
      TELEGRAM_PER_CHAT_INTERVAL_MS: '0',
    };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.heldResponses) res.destroy();
    for (const wake of this.waiters.splice(0)) wake();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  // ---- what users do ----

  push(update: Omit<Update, 'update_id'>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update } as Update);
    for (const wake of this.waiters.splice(0)) wake();
    return update_id;
  }

  userSends(chatId: number, text: string): number {
    const command = text.startsWith('/');
    return this.push({
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: 'private', first_name: 'User' },
        from: { id: chatId, is_bot: false, first_name: 'User' },
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 1 }] } : {}),
      },
    } as Omit<Update, 'update_id'>);
  }

  /** Presses the button carrying `data` on the last message to the chat that has it. */
  userPresses(chatId: number, label: string | RegExp): number {
    const message = this.sent.findLast((m) => m.chat_id === String(chatId) && m.reply_markup);
    const button = message?.reply_markup?.inline_keyboard
      .flat()
      .find((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)));
    if (!message || !button) throw new Error(`No button "${label}" in the last keyboard sent to ${chatId}.`);
    return this.pressData(chatId, button.callback_data, message.message_id);
  }

  pressData(chatId: number, data: string, messageId: number): number {
    return this.push({
      callback_query: {
        id: `cb${this.nextUpdateId}`,
        from: { id: chatId, is_bot: false, first_name: 'User' },
        chat_instance: 'ci',
        data,
        message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: 'User' },
          text: '…',
        },
      },
    } as Omit<Update, 'update_id'>);
  }

  /** Telegram delivers updates again from `updateId` on, as after a lost confirmation. */
  replayFrom(updateId: number): void {
    this.confirmedBelow = updateId;
    for (const wake of this.waiters.splice(0)) wake();
  }

  // ---- what tests read ----

  texts(chatId: number): string[] {
    return this.sent.filter((m) => m.chat_id === String(chatId)).map((m) => m.text);
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Updates not yet confirmed by an offset. */
  get unconfirmed(): number {
    return this.updates.filter((u) => u.update_id >= this.confirmedBelow).length;
  }

  /** Resolves once `condition()` holds, checking every 20 ms; throws after `timeoutMs`. */
  async waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'what the test waited for'): Promise<void> {
    const start = Date.now();
    while (!condition()) {
      if (Date.now() - start > timeoutMs) throw new Error(`The fake Bot API did not see ${what} in ${timeoutMs} ms.`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Resolves once the bot has asked for updates `count` more times. The bot handles (commits) a
   * batch before asking again, so by then anything a redelivered update would cause is under
   * way: the bound for a test that shows something did *not* happen.
   */
  async waitForPolls(count: number, timeoutMs = 10_000): Promise<void> {
    const target = this.deliveries + count;
    await this.waitFor(() => this.deliveries >= target, timeoutMs, `${count} more getUpdates calls`);
  }

  // ---- the server ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = url.pathname.match(/^\/file\/bot([^/]+)\/(.+)$/);
    if (file) {
      if (this.stalledFiles.has(file[2] ?? '')) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).write(Buffer.alloc(10));
        this.heldResponses.add(res);
        return;
      }
      const bytes = file[1] === this.token ? this.files.get(file[2] ?? '') : undefined;
      res.writeHead(bytes ? 200 : 404).end(bytes);
      return;
    }
    const call = url.pathname.match(/^\/bot([^/]+)\/(\w+)$/);
    if (call && this.unreachable) {
      this.calls.push({ method: call[2] as string, body: {} });
      req.socket.destroy();
      return;
    }
    if (!call || call[1] !== this.token) {
      this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const method = call[2] as string;
    const body = await readBody(req);
    this.calls.push({ method, body });
    const hanging = this.hang.get(method) ?? 0;
    if (hanging > 0) {
      this.hang.set(method, hanging - 1);
      this.heldResponses.add(res);
      return;
    }
    const failure = this.failures.get(method)?.shift() ?? this.refusal(method);
    if (failure) {
      const { retry_after, ...rest } = failure;
      this.reply(res, failure.code, {
        ok: false,
        error_code: rest.code,
        description: rest.description,
        ...(retry_after ? { parameters: { retry_after } } : {}),
      });
      return;
    }
    switch (method) {
      case 'getUpdates':
        return this.getUpdates(body, res);
      case 'sendMessage':
        return this.sendMessage(body, res);
      case 'getMe':
        return this.ok(res, { id: 123456, is_bot: true, first_name: 'Ataa', username: 'ataa_test_bot' });
      case 'getFile': {
        const id = String(body.file_id);
        if (this.tooBig.has(id)) {
          return this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' });
        }
        return this.files.has(id)
          ? this.ok(res, { file_id: id, file_unique_id: id, file_size: this.files.get(id)?.byteLength, file_path: id })
          : this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
      }
      case 'editMessageReplyMarkup':
      case 'answerCallbackQuery':
      case 'sendChatAction':
      case 'setMyCommands':
      case 'setMyDescription':
      case 'setMyShortDescription':
        return this.ok(res, true);
      case 'deleteWebhook':
        this.webhookUrl = undefined;
        return this.ok(res, true);
      case 'setWebhook':
        this.webhookUrl = String(body.url);
        return this.ok(res, true);
      default:
        return this.reply(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
  }

  /** What Telegram answers, in the states a test put it in, before looking at the call. */
  private refusal(method: string): Failure | undefined {
    if (this.revoked) return { code: 401, description: 'Unauthorized' };
    if (method !== 'getUpdates') return undefined;
    if (this.webhookUrl) {
      return {
        code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      };
    }
    if (this.otherPoller) {
      return {
        code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      };
    }
    return undefined;
  }

  private async getUpdates(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    if (offset > this.confirmedBelow) this.confirmedBelow = offset;
    this.deliveries++;
    const pending = () => this.updates.filter((u) => u.update_id >= this.confirmedBelow).slice(0, 100);
    const deadline = Date.now() + Number(body.timeout ?? 0) * 1000;
    while (pending().length === 0 && Date.now() < deadline && !res.destroyed) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
    }
    const batch = pending();
    if (res.destroyed) return;
    this.ok(res, batch);
    if (batch.length > 0) this.onDelivered?.(batch);
  }

  private sendMessage(body: Record<string, unknown>, res: ServerResponse): void {
    const chatId = String(body.chat_id);
    const text = String(body.text ?? '');
    const markup = body.reply_markup as SentMessage['reply_markup'] | undefined;
    if (this.holdSends) {
      this.held.push({ chat_id: chatId, text, ...(markup ? { reply_markup: markup } : {}) });
      this.heldResponses.add(res);
      return;
    }
    if (this.blocked.has(chatId)) {
      this.reply(res, 403, {
        ok: false,
        error_code: 403,
        description: 'Forbidden: bot was blocked by the user',
      });
      return;
    }
    if (text.length === 0 || text.length > 4096) {
      this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message is too long' });
      return;
    }
    for (const button of markup?.inline_keyboard.flat() ?? []) {
      if (Buffer.byteLength(button.callback_data) > 64) {
        this.reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
        return;
      }
    }
    const message: SentMessage = {
      message_id: this.nextMessageId++,
      chat_id: chatId,
      text,
      ...(markup ? { reply_markup: markup } : {}),
    };
    this.sent.push(message);
    this.ok(res, { message_id: message.message_id, date: 0, chat: { id: Number(chatId), type: 'private' }, text });
  }

  private ok(res: ServerResponse, result: unknown): void {
    this.reply(res, 200, { ok: true, result });
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  if ((req.headers['content-type'] ?? '').includes('json')) return JSON.parse(raw);
  return Object.fromEntries(new URLSearchParams(raw));
}
