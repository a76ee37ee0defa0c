import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
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

/** Fills the login form the page shows and waits to leave it. */
export async function logIn(page: Page, username: string): Promise<void> {
  await page.fill('#username', username);
  await page.fill('#password', staffPassword);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.click('button[type=submit]')]);
}

/**
 * A Telegram user who starts, chooses Arabic, consents, and asks for a person, using the words
 * of the locales; resolves once they are told their place in the queue.
 */
export async function telegramUserAsksForStaff(api: FakeBotApi, user: number, asks = 'ابي اكلم موظف'): Promise<void> {
  api.userSends(user, '/start');
  await offered(api, user, ar('root:language.ar'));
  api.userPresses(user, ar('root:language.ar'));
  await offered(api, user, ar('root:consent.agree'));
  api.userPresses(user, ar('root:consent.agree'));
  await offered(api, user, ar('root:menu.staff'));
  api.userSends(user, asks);
  await api.waitFor(
    () => api.texts(user).some((t) => t.includes('ترتيبك في قائمة الانتظار')),
    10_000,
    'the place in the queue',
  );
}

/** Resolves once the last keyboard sent to `user` offers `label`. */
function offered(api: FakeBotApi, user: number, label: string): Promise<void> {
  return api.waitFor(
    () =>
      api.sent
        .findLast((m) => m.chat_id === String(user) && m.reply_markup)
        ?.reply_markup?.inline_keyboard.flat()
        .some((b) => b.text.includes(label)) === true,
    10_000,
    `a keyboard offering «${label}»`,
  );
}

/** A Telegram user sends a file the fake Bot API serves under `fileId`. */
export function telegramUserSendsFile(
  api: FakeBotApi,
  user: number,
  fileId: string,
  bytes: Uint8Array,
  what: 'photo' | 'voice' | 'document',
  extra: { fileName?: string; mime?: string; caption?: string } = {},
): void {
  api.files.set(fileId, bytes);
  const file = { file_id: fileId, file_unique_id: fileId, file_size: bytes.byteLength };
  const body =
    what === 'photo'
      ? { photo: [{ ...file, width: 64, height: 48 }] }
      : what === 'voice'
        ? { voice: { ...file, duration: 1, mime_type: 'audio/ogg' } }
        : { document: { ...file, file_name: extra.fileName, mime_type: extra.mime } };
  api.push({
    message: {
      message_id: Math.floor(Math.random() * 1e9),
      date: Math.floor(Date.now() / 1000),
      chat: { id: user, type: 'private', first_name: 'User' },
      from: { id: user, is_bot: false, first_name: 'User' },
      ...(extra.caption ? { caption: extra.caption } : {}),
      ...body,
    },
  } as never);
}

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
