import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../../src/app.ts';
import { loadConfig, secretsOf } from '../../../src/config.ts';
import { findConversation } from '../../../src/db/conversations.ts';
import { media, outbox } from '../../../src/db/schema.ts';
import { createLogger } from '../../../src/logger.ts';
import { memoryLogger, tempDir } from '../../helpers.ts';
import { FakeBotApi } from '../../telegram/fakeBotApi.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  env: Record<string, string> = {},
  options: {
    /** Log through the application's own logger, as `npm start` makes it, into a file. */
    logToFile?: boolean;
    /** Start with the network to the Bot API down. */
    unreachable?: boolean;
    /** Puts the Bot API server in a state before the assistant starts. */
    prepare?: (api: FakeBotApi) => void;
  } = {},
) {
  const api = await new FakeBotApi().start();
  api.unreachable = options.unreachable ?? false;
  options.prepare?.(api);
  const temp = tempDir();
  const { logger, lines } = memoryLogger();
  const logFile = join(temp.dir, 'logs', 'assistant.log');
  const config = loadConfig({
    DATA_DIR: temp.dir,
    STAFF_PORT: '0',
    ...api.env(),
    TIMER_POLL_MS: '50',
    ...(options.logToFile ? { LOG_FILE: logFile } : {}),
    ...env,
  });
  const app: App = await startApp(
    config,
    options.logToFile
      ? createLogger({ level: 'debug', file: logFile, pretty: false, secrets: secretsOf(config) })
      : logger,
  );
  cleanups.push(
    temp.remove,
    () => api.stop(),
    () => app.stop(),
  );
  return { api, app, dir: temp.dir, logLines: lines, logFile };
}

const user = 555000111;

describe('Telegram channel, end to end through a Bot API server on 127.0.0.1', () => {
  it('should serve /start → language → consent → menu → enquiries with buttons and typed Arabic', async () => {
    const { api } = await setup();
    api.userSends(user, '/start');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('أهلًا بك في جمعية عطاء الصحية')));
    api.userPresses(user, 'العربية');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('هل توافق')));
    api.userPresses(user, 'أوافق');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('كيف يمكنني خدمتك')));
    api.userPresses(user, 'استفسارات عامة');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('اختر موضوع استفسارك')));
    api.userPresses(user, 'أوقات العمل');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('أوقات العمل: من الأحد إلى الخميس')));
    api.userSends(user, 'وش الأوراق المطلوبة');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('صورة الهوية الوطنية')));
    api.userSends(user, '٣');
    await api.waitFor(() => api.texts(user).at(-1)?.includes('كيف يمكنني خدمتك') === true);

    // Every button press was answered, and its keyboard taken away.
    const presses = 4;
    await api.waitFor(() => api.callsOf('answerCallbackQuery').length === presses);
    expect(api.callsOf('editMessageReplyMarkup')).toHaveLength(presses);
    // The command menu was registered in Arabic and English.
    const scopes = api.callsOf('setMyCommands').map((c) => c.body.language_code ?? 'default');
    expect(scopes).toEqual(['default', 'en']);
    // Nothing answered twice.
    expect(new Set(api.sent.map((m) => m.text)).size).toBe(api.sent.length);
  });

  it('should confirm updates only after they are committed, and answer a redelivered one once', async () => {
    const { api } = await setup();
    const first = api.userSends(user, '👋'); // no words: the language is asked
    api.userSends(user, '2'); // English: the privacy notice
    await api.waitFor(() => api.texts(user).length === 2);
    await api.waitFor(() => api.unconfirmed === 0);
    // Telegram delivers the same updates again (a confirmation was lost): no second answer.
    const deliveries = api.deliveries;
    api.replayFrom(first);
    await api.waitFor(() => api.deliveries > deliveries + 1 && api.unconfirmed === 0);
    api.userSends(user, '1');
    await api.waitFor(() => api.texts(user).length === 3);
    await api.waitForPolls(2);
    expect(api.texts(user)).toHaveLength(3);
    expect(api.texts(user)[0]).toContain('Please choose your language');
    expect(api.texts(user)[1]).toContain('Do you agree?');
    expect(api.texts(user)[2]).toContain('your consent is recorded');
  });

  it('should treat a late press of an old button gracefully', async () => {
    const { api } = await setup();
    api.userSends(user, '/start');
    await api.waitFor(() => api.texts(user).length === 1);
    const languageMessage = api.sent.at(-1)?.message_id ?? 0;
    api.userPresses(user, 'العربية');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('هل توافق')));
    api.pressData(user, 'en', languageMessage); // the language keyboard, pressed again later
    await api.waitFor(() => api.texts(user).some((t) => t.includes('هذا الخيار من رسالة سابقة')));
  });

  it('should honour 429 retry_after before sending again', async () => {
    const { api, app } = await setup();
    api.failures.set('sendMessage', [{ code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }]);
    const started = Date.now();
    api.userSends(user, 'hi');
    await api.waitFor(() => api.texts(user).length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(api.callsOf('sendMessage')).toHaveLength(2);
    await api.waitFor(() => app.database.db.select().from(outbox).get()?.status === 'sent');
    expect(app.database.db.select().from(outbox).get()).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('should retry on 5xx and mark a chat that blocked the bot unreachable, with no more retries', async () => {
    const { api, app } = await setup();
    api.failures.set('sendMessage', [{ code: 502, description: 'Bad Gateway' }]);
    api.userSends(user, 'hi');
    await api.waitFor(() => api.texts(user).length === 1, 15_000);

    const blocked = 777;
    api.blocked.add(String(blocked));
    api.userSends(blocked, 'hi');
    await api.waitFor(() => findConversation(app.database.db, 'telegram', String(blocked))?.status === 'unreachable');
    const attempts = () => api.callsOf('sendMessage').filter((c) => c.body.chat_id === String(blocked)).length;
    expect(attempts()).toBe(1);
    // No retry is scheduled: nothing is left pending for that chat…
    const conversationId = findConversation(app.database.db, 'telegram', String(blocked))?.id;
    const rows = app.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.conversationId, conversationId ?? -1))
      .all();
    expect(rows.map((r) => r.status)).toEqual(['failed']);
    // …and the next drain, which someone else's reply shows has happened, sends nothing there.
    const later = 888;
    api.userSends(later, 'hi');
    await api.waitFor(() => api.texts(later).length === 1);
    expect(attempts()).toBe(1);
  });

  it('should split a 5,000-character reply into messages Telegram accepts', async () => {
    const { api, app } = await setup();
    const telegram = app.channels.find((c) => c.name === 'telegram');
    const long = Array.from({ length: 100 }, (_, i) => `${i}: ${'أ'.repeat(46)}`).join('\n');
    expect(long.length).toBeGreaterThan(4900);
    await telegram?.send(String(user), { locale: 'ar', text: long, options: [{ id: 'menu', label: 'القائمة' }] });
    expect(api.texts(user)).toHaveLength(2);
    expect(api.texts(user).join('\n')).toBe(long);
  });

  it('should send a 100-byte option id as a short token and read the press back as that option', async () => {
    const { api, app } = await setup();
    const telegram = app.channels.find((c) => c.name === 'telegram');
    const longId = 'o'.repeat(100);
    await telegram?.send(String(user), { locale: 'en', text: 'Pick', options: [{ id: longId, label: 'Long one' }] });
    const data = api.sent.at(-1)?.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? '';
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).not.toBe(longId);
  });

  it('should answer a sticker politely and a group once, that it works in private chat', async () => {
    const { api } = await setup();
    api.push({
      message: {
        message_id: 1,
        date: 0,
        chat: { id: user, type: 'private', first_name: 'U' },
        sticker: {
          file_id: 's',
          file_unique_id: 's',
          type: 'regular',
          width: 1,
          height: 1,
          is_animated: false,
          is_video: false,
        },
      },
    } as never);
    await api.waitFor(() => api.texts(user).some((t) => t.includes('أستطيع قراءة النصوص والصور والمستندات')));
    const group = -1001;
    for (const text of ['السلام عليكم', 'هل من أحد؟']) {
      api.push({ message: { message_id: 2, date: 0, chat: { id: group, type: 'group', title: 'G' }, text } } as never);
    }
    await api.waitFor(() => api.texts(group).length === 1);
    await api.waitFor(() => api.unconfirmed === 0);
    await api.waitForPolls(2);
    expect(api.texts(group)).toEqual([
      'أهلًا بكم. أعمل في المحادثات الخاصة فقط حفاظًا على خصوصيتكم، فضلًا راسلني مباشرة.',
    ]);
  });

  it('should download a photo into DATA_DIR and link it to the conversation', async () => {
    const { api, app, dir } = await setup();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);
    api.files.set('photo-1', jpeg);
    api.push({
      message: {
        message_id: 3,
        date: 0,
        chat: { id: user, type: 'private', first_name: 'U' },
        photo: [{ file_id: 'photo-1', file_unique_id: 'p1', width: 800, height: 600, file_size: jpeg.byteLength }],
      },
    } as never);
    await api.waitFor(() => app.database.db.select().from(media).all().length === 1);
    const row = app.database.db.select().from(media).get();
    expect(row).toMatchObject({ kind: 'photo', mime: 'image/jpeg', size: jpeg.byteLength });
    expect(readdirSync(join(dir, 'media'), { recursive: true }).some((f) => String(f).endsWith('.jpg'))).toBe(true);
    expect(row?.conversationId).toBe(findConversation(app.database.db, 'telegram', String(user))?.id);
  });

  it('should refuse a file that is too large or of an unknown kind, politely', async () => {
    const { api } = await setup({ MEDIA_MAX_BYTES: '5000' });
    api.files.set('big', Buffer.alloc(6000, 1));
    api.files.set('exe', Buffer.from('MZ this is not a document'));
    const doc = (file_id: string) =>
      api.push({
        message: {
          message_id: 4,
          date: 0,
          chat: { id: user, type: 'private', first_name: 'U' },
          document: { file_id, file_unique_id: file_id },
        },
      } as never);
    doc('big');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('حجم الملف أكبر من المسموح')));
    doc('exe');
    await api.waitFor(() => api.texts(user).some((t) => t.includes('لا أستطيع استلام هذا النوع')));
  });

  it("should answer a file over the Bot API's 20 MB download limit as too large, not unavailable", async () => {
    const { api } = await setup({ MEDIA_MAX_BYTES: '50000000' });
    api.tooBig.add('scan');
    api.push({
      message: {
        message_id: 5,
        date: 0,
        chat: { id: user, type: 'private', first_name: 'U' },
        document: { file_id: 'scan', file_unique_id: 'scan', mime_type: 'application/pdf' },
      },
    } as never);
    await api.waitFor(() => api.texts(user).length > 0);
    expect(api.texts(user).join('\n')).toContain('حجم الملف أكبر من المسموح');
  });

  it('should start the assistant while setWebhook fails, and set the webhook when Telegram accepts it', async () => {
    const { api, app } = await setup(
      { TELEGRAM_WEBHOOK_URL: 'https://assistant.example.org/telegram/webhook' },
      { prepare: (api) => api.failures.set('setWebhook', [{ code: 502, description: 'Bad Gateway' }]) },
    );
    // startApp resolved with Telegram not yet receiving: the console is up meanwhile.
    const { port } = app.http.server.address() as AddressInfo;
    expect((await fetch(`http://127.0.0.1:${port}/login`)).status).toBe(200);
    await api.waitFor(() => api.webhookUrl !== undefined, 10_000, 'the webhook set on a retry');
    expect(api.callsOf('setWebhook')).toHaveLength(2);
  });

  it('should take updates by webhook, check the secret, and drop a duplicate delivery', async () => {
    const { api, app } = await setup({
      TELEGRAM_WEBHOOK_URL: 'https://assistant.example.org/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 'a-secret-of-sixteen-chars',
      STAFF_PORT: '0',
    });
    await api.waitFor(() => api.webhookUrl !== undefined, 5000, 'the webhook set');
    const setWebhook = api.callsOf('setWebhook')[0]?.body;
    expect(setWebhook).toMatchObject({
      url: 'https://assistant.example.org/telegram/webhook',
      secret_token: 'a-secret-of-sixteen-chars',
    });
    expect(api.callsOf('getUpdates')).toHaveLength(0);
    const { port } = app.http.server.address() as AddressInfo;
    const post = (secret: string, update: unknown) =>
      fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(update),
      });
    const update = {
      update_id: 9001,
      message: { message_id: 1, date: 0, chat: { id: user, type: 'private', first_name: 'U' }, text: 'السلام عليكم' },
    };
    expect((await post('wrong-secret-value', update)).status).toBe(401);
    expect((await post('a-secret-of-sixteen-chars', update)).status).toBe(200);
    expect((await post('a-secret-of-sixteen-chars', update)).status).toBe(200);
    // Both answers came after the commit, so every reply is queued by now: one, and it goes out.
    const replies = () => app.database.db.select().from(outbox).all();
    expect(replies()).toHaveLength(1);
    await api.waitFor(() => replies().every((r) => r.status === 'sent'));
    expect(api.texts(user)).toHaveLength(1);
  });

  it('should log a network failure of the Bot API without the bot token, and recover from it', async () => {
    const { api, logFile } = await setup({}, { logToFile: true, unreachable: true });
    const lines = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean) : []);
    const failure = 'Telegram: receiving updates failed; retrying.';
    await api.waitFor(() => lines().some((line) => line.includes(failure)), 10_000, 'the failure logged');
    // The failure is logged with its reason and the method, the token's place marked.
    const logged = JSON.parse(lines().find((line) => line.includes(failure)) ?? '{}');
    expect(JSON.stringify(logged.err)).toMatch(/bot\[hidden\]\/getUpdates failed, reason: socket hang up/);
    expect(lines().some((line) => line.includes('could not set the command menu'))).toBe(true);
    const [, secretPart] = api.token.split(':');
    for (const line of lines()) {
      expect(line).not.toContain(api.token);
      expect(line).not.toContain(secretPart);
    }

    api.unreachable = false;
    api.userSends(user, 'السلام عليكم');
    await api.waitFor(() => api.texts(user).length === 1, 15_000, 'an answer once the network is back');
  });
});
