import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { startApp } from '../../../src/app.ts';
import { createRealClient } from '../../../src/channels/whatsapp/client.ts';
import type { WhatsAppChannel } from '../../../src/channels/whatsapp/whatsappChannel.ts';
import { loadConfig } from '../../../src/config.ts';
import { media } from '../../../src/db/schema.ts';
import { createStaffUser } from '../../../src/db/staff.ts';
import { hashPassword } from '../../../src/staff/auth.ts';
import { memoryLogger, tempDir, waitFor } from '../../helpers.ts';
import { Browser } from '../../staff/consoleHarness.ts';
import { FakeBotApi } from '../../telegram/fakeBotApi.ts';
import { cleanups, setup } from './harness.ts';

const user = '966501234567@c.us';

describe('WhatsApp channel with a fake whatsapp-web.js client', () => {
  it('should show the QR code to admins while linking, then serve a full enquiry conversation', async () => {
    const { channel, clients, textsTo, qr } = await setup();
    expect(qr).toBe('2@fake-qr-code-for-tests-1-1');
    expect(channel.status()).toMatchObject({ state: 'ready', restarts: 0 });
    expect(channel.status().qr).toBeUndefined();
    const client = clients[0]!;
    const steps: [string, string][] = [
      ['السلام عليكم', 'هل توافق؟'], // Arabic: the greeting and privacy notice, no language question
      ['١', '*١.* استفسارات عامة'],
      ['استفسارات', '*٩.* حقوق المستفيد'],
      ['وش الأوراق المطلوبة', 'صورة الهوية الوطنية'],
    ];
    for (const [i, [says, expected]] of steps.entries()) {
      client.receive(user, says);
      await waitFor(() => textsTo(user).length === i + 1);
      expect(textsTo(user)[i]).toContain(expected);
    }
  });

  it('should answer a duplicate event once', async () => {
    const { clients, textsTo } = await setup();
    const message = clients[0]!.receive(user, 'السلام عليكم');
    clients[0]!.emit('message', message);
    clients[0]!.emit('message', message);
    // A later message of the same chat is handled after the duplicates: once it is answered, they were too.
    clients[0]!.receive(user, '1');
    await waitFor(() => textsTo(user).length === 2);
    expect(textsTo(user)[0]).toContain('هل توافق؟');
    expect(textsTo(user)[1]).toContain('شكرًا لك، تم تسجيل موافقتك.');
    expect(textsTo(user)).toHaveLength(2);
  });

  it('should ignore groups, status updates and its own messages', async () => {
    const { clients, sent } = await setup();
    clients[0]!.receive('120363025987654321@g.us', 'السلام عليكم', { author: user } as never);
    clients[0]!.receive('status@broadcast', 'جمعة مباركة', { isStatus: true });
    clients[0]!.receive(user, 'رد من الجوال', { fromMe: true });
    // Ignored messages are dropped as they arrive: once a later message is answered, nothing else was.
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => sent.length > 0);
    expect(sent.map((s) => s.chatId)).toEqual([user]);
  });

  it('should save an image under DATA_DIR and link it to the conversation', async () => {
    const { app, clients, textsTo } = await setup();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.alloc(3000, 9)]);
    clients[0]!.receive(user, 'صورة الهوية', {
      type: 'image',
      hasMedia: true,
      _data: { mimetype: 'image/jpeg', size: jpeg.byteLength },
      downloadMedia: async () => ({ mimetype: 'image/jpeg', data: jpeg.toString('base64') }),
    });
    await waitFor(() => app.database.db.select().from(media).all().length === 1);
    expect(app.database.db.select().from(media).get()).toMatchObject({ kind: 'photo', mime: 'image/jpeg', size: 3004 });
    await waitFor(() => textsTo(user).length === 1);
  });

  it('should recover from a crashed client mid-conversation and still deliver the reply', async () => {
    const { channel, clients, textsTo, sent, logLines } = await setup();
    clients[0]!.receive(user, 'السلام عليكم');
    await waitFor(() => textsTo(user).length === 1);
    clients[0]!.breakWith = 'Protocol error (Runtime.callFunctionOn): Execution context was destroyed.';
    clients[0]!.receive(user, '1');
    await waitFor(() => clients.length === 2 && channel.status().state === 'ready');
    await waitFor(() => textsTo(user).length === 2);
    expect(sent.at(-1)).toMatchObject({ client: 2 });
    expect(textsTo(user)[1]).toContain('شكرًا لك، تم تسجيل موافقتك.');
    expect(clients[0]!.destroyed).toBe(true);
    expect(channel.status().restarts).toBe(1);
    expect(logLines.some((l) => l.includes('restarting the client'))).toBe(true);

    // A `disconnected` event and a lost connection are recovered from the same way.
    clients[1]!.emit('disconnected', 'NAVIGATION');
    await waitFor(() => clients.length === 3 && channel.status().state === 'ready');
    clients[2]!.state = 'UNPAIRED_IDLE';
    await waitFor(() => clients.length === 4 && channel.status().state === 'ready');
    clients[3]!.receive(user, '١'); // the menu's first item
    await waitFor(() => textsTo(user).length === 3);
    expect(textsTo(user)[2]).toContain('اختر موضوع استفسارك');
  });
});

describe('WhatsApp link in the staff console', () => {
  it('should show the QR code to an admin, and only to an admin', async () => {
    const { app, clients } = await setup({}, false);
    for (const [username, role] of [
      ['admin', 'admin'],
      ['huda', 'officer'],
    ] as const) {
      createStaffUser(app.database.db, {
        username,
        displayName: username,
        role,
        passwordHash: await hashPassword('pass-word-123'),
      });
    }
    const { port } = app.http.server.address() as AddressInfo;
    const admin = new Browser(`http://127.0.0.1:${port}`);
    expect((await admin.login('admin', 'pass-word-123')).status).toBe(303);
    const page = await (await admin.get('/whatsapp')).text();
    expect(page).toContain('بانتظار الربط');
    expect(page).toContain('<svg');
    const officer = new Browser(`http://127.0.0.1:${port}`);
    await officer.login('huda', 'pass-word-123');
    expect((await officer.get('/whatsapp')).status).toBe(403);
    clients[0]!.scan();
    await waitFor(
      () => (app.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel).status().state === 'ready',
    );
    const linked = await (await admin.get('/whatsapp')).text();
    expect(linked).toContain('متصل');
    expect(linked).not.toContain('<svg');
  });
  it('should follow the link by itself while it waits: a renewed QR code, then the link', async () => {
    const { app, clients, qr } = await setup({}, false);
    createStaffUser(app.database.db, {
      username: 'admin',
      displayName: 'admin',
      role: 'admin',
      passwordHash: await hashPassword('pass-word-123'),
    });
    const { port } = app.http.server.address() as AddressInfo;
    const admin = new Browser(`http://127.0.0.1:${port}`);
    await admin.login('admin', 'pass-word-123');
    const page = await (await admin.get('/whatsapp')).text();
    expect(page).toContain('data-live="1"');
    expect(page).toContain('تتحدث هذه الصفحة تلقائيًا');
    const before = await (await admin.get('/whatsapp/panel')).text();
    clients[0]!.emit('qr', `${qr}-renewed`);
    const renewed = await (await admin.get('/whatsapp/panel')).text();
    expect(renewed).toContain('<svg');
    expect(renewed).not.toBe(before);
    clients[0]!.scan();
    await waitFor(
      () => (app.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel).status().state === 'ready',
    );
    const linked = await (await admin.get('/whatsapp/panel')).text();
    expect(linked).toContain('متصل');
    expect(linked).not.toContain('data-live');
    expect(linked).not.toContain('<svg');
  });
});

describe('WhatsApp without Chromium', () => {
  it('should say clearly what to install, while the console and Telegram keep working', async () => {
    const api = await new FakeBotApi().start();
    const temp = tempDir();
    const { logger, lines } = memoryLogger();
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => {
      printed += d.toString();
    });
    const config = loadConfig({
      DATA_DIR: temp.dir,
      STAFF_PORT: '0',
      WHATSAPP_ENABLED: 'true',
      WHATSAPP_CHROMIUM_PATH: '/nonexistent/chromium',
      ...api.env(),
      CONSOLE_CHAT: 'true',
    });
    const app = await startApp(config, logger, { input, output, interactive: false });
    cleanups.push(
      temp.remove,
      () => api.stop(),
      () => app.stop(),
    );

    const whatsapp = app.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;
    expect(whatsapp.status().state).toBe('unavailable');
    const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0].msg).toContain('apt-get install chromium');

    api.userSends(1234, '/start');
    await api.waitFor(() => api.texts(1234).length === 1);
    input.write('1\n');
    await waitFor(() => printed.includes('هل توافق؟'));
  });
});

describe('createRealClient', () => {
  it('should build a whatsapp-web.js client on the given browser, with its session under DATA_DIR and no secret in its environment', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    vi.stubEnv('DATA_KEY', 'a-data-key-the-browser-must-never-see-0123456789');
    vi.stubEnv('TELEGRAM_BOT_TOKEN', '123456:a-token-the-browser-must-never-see');
    cleanups.push(() => vi.unstubAllEnvs());
    const client = (await createRealClient({
      dataDir: temp.dir,
      chromiumPath: process.execPath,
      pairingNumber: undefined,
    })) as unknown as {
      options: {
        authStrategy: { dataPath: string; clientId: string };
        puppeteer: { executablePath: string; env: Record<string, string | undefined> };
      };
    };
    expect(client.options.puppeteer.executablePath).toBe(process.execPath);
    // The browser gets the environment it needs (its PATH, HOME, locale), not the assistant's secrets.
    const { env } = client.options.puppeteer;
    expect(env.PATH).toBe(process.env.PATH);
    expect(Object.values(env).join(' ')).not.toMatch(/never-see/);
    expect(client.options.authStrategy.clientId).toBe('ataa');
    expect(client.options.authStrategy.dataPath).toBe(join(temp.dir, 'whatsapp'));
  });

  it('should refuse to start without the browser, saying what to install', async () => {
    await expect(
      createRealClient({ dataDir: '/tmp', chromiumPath: '/nonexistent/chromium', pairingNumber: undefined }),
    ).rejects.toThrow(/apt-get install chromium/);
  });
});
