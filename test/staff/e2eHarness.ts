import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import type { Role } from '../../src/domain/permissions.ts';
import { createI18n } from '../../src/i18n.ts';
import { hashPassword } from '../../src/staff/auth.ts';
import { memoryLogger, tempDir } from '../helpers.ts';
import { FakeBotApi } from '../telegram/fakeBotApi.ts';

/** Debian's Chromium, as FACTS.md says: installed by `.ci/run` with apt-get. */
const chromiumPath = '/usr/bin/chromium';

/** Without these, headless Chromium keeps trying the closed network (FACTS.md). */
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  // The console's alert tone plays without a click first.
  '--autoplay-policy=no-user-gesture-required',
];

/** One headless Chromium for a test file. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

/** The password every test account has. */
export const staffPassword = 'correct horse battery';

/** The translator of the real locales: tests derive the words they press from them. */
export const i18n = createI18n();
export const ar = i18n.getFixedT('ar');

/**
 * The whole assistant with a Telegram bot served by a {@link FakeBotApi} on 127.0.0.1, the staff
 * console on a free port, and one account per role.
 */
export async function consoleWithTelegram() {
  const api = await new FakeBotApi().start();
  const temp = tempDir();
  const config = loadConfig({ DATA_DIR: temp.dir, STAFF_PORT: '0', ...api.env() });
  const app: App = await startApp(config, memoryLogger().logger);
  const { port } = app.http.server.address() as AddressInfo;
  const accounts: Record<string, number> = {};
  for (const [username, displayName, role] of [
    ['huda', 'هدى', 'officer'],
    ['omar', 'عمر', 'officer'],
    ['majed', 'ماجد', 'manager'],
    ['admin', 'مسؤول النظام', 'admin'],
  ] as [string, string, Role][]) {
    accounts[username] = createStaffUser(app.database.db, {
      username,
      displayName,
      role,
      passwordHash: await hashPassword(staffPassword),
    }).id;
  }
  return {
    api,
    app,
    accounts,
    base: `http://127.0.0.1:${port}`,
    async close() {
      await app.stop();
      await api.stop();
      temp.remove();
    },
  };
}

/**
 * The hooks a browser test file needs: one headless Chromium for the file, and the clean-ups a
 * test registers, run in reverse after it. `loggedInPage(base, username)` opens a page of its
 * own, logged in as `username` on the console at `base`, its context closed after the test.
 */
export function browserTests() {
  let browser: Browser | undefined;
  const cleanups: (() => unknown)[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    async loggedInPage(base: string, username: string): Promise<Page> {
      const context = await (browser as Browser).newContext({ locale: 'ar-SA' });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await logIn(page, username);
      return page;
    },
  };
}

/** Fills the login form the page shows and waits to leave it. */
export async function logIn(page: Page, username: string): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', staffPassword);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.click('button[type=submit]')]);
}

/**
 * A beneficiary on Telegram, with the name their profile shows: what they send goes through the
 * fake Bot API's `getUpdates`, as from Telegram.
 */
export class TelegramPerson {
  private static nextMessageId = 1_000_000;

  constructor(
    readonly api: FakeBotApi,
    readonly id: number,
    readonly name: string,
  ) {}

  private get from() {
    return { id: this.id, is_bot: false, first_name: this.name };
  }

  private get chat() {
    return { id: this.id, type: 'private', first_name: this.name };
  }

  /** What the bot and staff sent them, oldest first. */
  texts(): string[] {
    return this.api.texts(this.id);
  }

  says(text: string): void {
    const command = text.startsWith('/');
    this.api.push({
      message: {
        message_id: TelegramPerson.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.chat,
        from: this.from,
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] } : {}),
      },
    } as never);
  }

  /** Presses the button whose label contains `label` on the last keyboard sent to them. */
  async presses(label: string): Promise<void> {
    const message = await this.offered(label);
    const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text.includes(label));
    this.api.push({
      callback_query: {
        id: `cb${TelegramPerson.nextMessageId++}`,
        from: this.from,
        chat_instance: 'ci',
        data: button?.callback_data,
        message: { message_id: message.message_id, date: 0, chat: this.chat, text: '…' },
      },
    } as never);
  }

  /** Sends a file the fake Bot API then serves under `fileId`. */
  sendsFile(
    fileId: string,
    bytes: Uint8Array,
    what: 'photo' | 'voice' | 'document',
    extra: { fileName?: string; mime?: string; caption?: string } = {},
  ): void {
    this.api.files.set(fileId, bytes);
    const file = { file_id: fileId, file_unique_id: fileId, file_size: bytes.byteLength };
    const body =
      what === 'photo'
        ? { photo: [{ ...file, width: 120, height: 80 }] }
        : what === 'voice'
          ? { voice: { ...file, duration: 1, mime_type: 'audio/ogg' } }
          : { document: { ...file, file_name: extra.fileName, mime_type: extra.mime } };
    this.api.push({
      message: {
        message_id: TelegramPerson.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.chat,
        from: this.from,
        ...(extra.caption ? { caption: extra.caption } : {}),
        ...body,
      },
    } as never);
  }

  /** Shares a place (Telegram sends latitude and longitude as numbers). */
  sendsLocation(latitude: number, longitude: number): void {
    this.api.push({
      message: {
        message_id: TelegramPerson.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.chat,
        from: this.from,
        location: { latitude, longitude },
      },
    } as never);
  }

  /** Resolves once the bot said something that contains `text`. */
  async told(text: string, what = `«${text}»`): Promise<void> {
    await this.api.waitFor(() => this.texts().some((t) => t.includes(text)), 15_000, what);
  }

  /** Starts, chooses Arabic and consents, with the words of the locales; ends at the main menu. */
  async reachesTheMenu(): Promise<void> {
    this.says('/start');
    await this.presses(ar('root:language.ar'));
    await this.presses(ar('root:consent.agree'));
    await this.offered(ar('root:menu.staff'));
  }

  /**
   * Reaches the menu and writes `words`, asking for a person; ends in the queue, once told so
   * (`answer`: their place in it, or for an emergency the emergency numbers).
   */
  async waitsForStaff(words = 'ابي اكلم موظف', answer = placeInQueue): Promise<void> {
    await this.reachesTheMenu();
    this.says(words);
    await this.told(answer, 'the answer that puts them in the queue');
  }

  /** The last message sent to them with a keyboard offering `label`, once there is one. */
  private async offered(label: string) {
    const find = () =>
      this.api.sent.findLast(
        (m) =>
          m.chat_id === String(this.id) && m.reply_markup?.inline_keyboard.flat().some((b) => b.text.includes(label)),
      );
    await this.api.waitFor(() => find() !== undefined, 15_000, `a keyboard offering «${label}»`);
    return find() as NonNullable<ReturnType<typeof find>>;
  }
}

/** What every answer that puts a person in the queue says, in or out of working hours. */
const placeInQueue = (ar('handoff:queued', { position: '' }) as string).split(':')[0]?.split('،').at(-1)?.trim() ?? '';

// ---- real files, made here so the browser has something true to decode ----

/** CRC-32 as PNG uses it (reflected, polynomial 0xEDB88320). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real PNG, `width`×`height`, green stripes on white: what a photo of a paper would be here. */
export function tinyPng(width = 120, height = 80): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const rows: number[] = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) {
      const stripe = Math.floor(y / 10) % 2 === 0;
      rows.push(...(stripe ? [22, 101, 52] : [255, 255, 255]));
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** CRC-32 as Ogg uses it (not reflected, polynomial 0x04C11DB7, no final xor). */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

/**
 * A real Ogg Opus voice note of `seconds` of silence (20 ms CELT frames), as Telegram's voice
 * notes are: what a browser's audio element must load and play.
 */
export function tinyOggOpus(seconds = 1): Buffer {
  const serial = 0x41746161;
  let sequence = 0;
  const page = (packets: Buffer[], granule: bigint, flags: number) => {
    const segments: number[] = [];
    for (const p of packets) {
      for (let left = p.length; ; left -= 255) {
        segments.push(Math.min(left, 255));
        if (left < 255) break;
      }
    }
    const head = Buffer.alloc(27);
    head.write('OggS', 0, 'ascii');
    head[5] = flags;
    head.writeBigUInt64LE(granule, 6);
    head.writeUInt32LE(serial, 14);
    head.writeUInt32LE(sequence++, 18);
    head[26] = segments.length;
    const bytes = Buffer.concat([head, Buffer.from(segments), ...packets]);
    bytes.writeUInt32LE(oggCrc(bytes), 22);
    return bytes;
  };
  const opusHead = Buffer.alloc(19);
  opusHead.write('OpusHead', 0, 'ascii');
  opusHead[8] = 1; // version
  opusHead[9] = 1; // mono
  opusHead.writeUInt16LE(312, 10); // pre-skip
  opusHead.writeUInt32LE(48_000, 12);
  const vendor = Buffer.from('ataa-test', 'ascii');
  const opusTags = Buffer.alloc(16 + vendor.length);
  opusTags.write('OpusTags', 0, 'ascii');
  opusTags.writeUInt32LE(vendor.length, 8);
  vendor.copy(opusTags, 12);
  // One frame: config 31 (CELT, full band, 20 ms), mono, one frame, silence.
  const silence = Buffer.from([0xf8, 0xff, 0xfe]);
  const frames = Math.round(seconds * 50);
  const audioPages: Buffer[] = [];
  for (let done = 0; done < frames; ) {
    const count = Math.min(50, frames - done);
    done += count;
    audioPages.push(page(Array(count).fill(silence), BigInt(done * 960), done === frames ? 0x04 : 0));
  }
  return Buffer.concat([page([opusHead], 0n, 0x02), page([opusTags], 0n, 0), ...audioPages]);
}

/** A minimal PDF: a document the media store accepts by its first bytes. */
export function tinyPdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'ascii');
}
