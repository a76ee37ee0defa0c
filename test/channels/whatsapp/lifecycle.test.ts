import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAlive, removeStaleProfileLock } from '../../../src/channels/whatsapp/browser.ts';
import { sessionDir } from '../../../src/channels/whatsapp/client.ts';
import { WhatsAppChannel, type WhatsAppOptions } from '../../../src/channels/whatsapp/whatsappChannel.ts';
import { openDatabase } from '../../../src/db/client.ts';
import { whatsappAliasStore } from '../../../src/db/whatsappAliases.ts';
import { Pacer } from '../../../src/engine/pacer.ts';
import { memoryLogger, tempDir } from '../../helpers.ts';
import { type FakeBehaviour, FakeClient, FakeWhatsApp } from './fakeClient.ts';

/*
 * The client's lifecycle on fake timers: minutes and hours pass in an instant, so the real
 * settings (30 s checks, 90 s QR idle, 15 s destroy deadline, a 04:00 recycle) are what is tested.
 */

const cleanups: (() => unknown)[] = [];
/** Taken before timers are faked: real I/O (removing a folder) needs real turns of the loop. */
const realSetTimeout = globalThis.setTimeout;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Lets fake time pass, a second at a time, giving real I/O a turn between steps. */
async function pass(ms: number, stepMs = 1000): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - elapsed));
    await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
}

/** A stand-in for Chromium: a real process, started as its own group like puppeteer does. */
function fakeBrowser(): ChildProcess {
  const browser = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { detached: true, stdio: 'ignore' });
  cleanups.push(() => {
    if (browser.pid && isAlive(browser.pid)) browser.kill('SIGKILL');
  });
  return browser;
}

function lifecycle(behaviours: (n: number) => FakeBehaviour, options: Partial<WhatsAppOptions> = {}) {
  const temp = tempDir();
  const database = openDatabase(join(temp.dir, 'assistant.db'));
  cleanups.push(temp.remove, () => database.close());
  const world = new FakeWhatsApp();
  const clients: FakeClient[] = [];
  const { logger, lines } = memoryLogger();
  const channel = new WhatsAppChannel({
    createClient: async () => {
      const client = new FakeClient(clients.length + 1, world, behaviours(clients.length + 1));
      clients.push(client);
      return client;
    },
    aliases: whatsappAliasStore(database.db),
    dataDir: temp.dir,
    pacer: new Pacer(0, 20),
    logger,
    readyTimeoutMs: 180_000,
    healthIntervalMs: 30_000,
    backoffMs: [2000, 300_000],
    ...options,
  });
  cleanups.push(() => channel.stop());
  const inbox = { handle: async () => 'accepted' as const, lastReply: () => undefined };
  const errors = () => lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
  return { channel, clients, world, inbox, dir: temp.dir, errors, lines };
}

const ready = (): FakeBehaviour => ({ start: 'ready' });

describe('WhatsApp restart policy', () => {
  it('should give WhatsApp Web a few checks to reconnect by itself before restarting', async () => {
    const { channel, clients, inbox } = lifecycle(ready);
    await channel.start(inbox);
    await pass(1000);
    expect(channel.status().state).toBe('ready');
    clients[0]!.state = 'OPENING';
    await pass(60_000); // two checks
    clients[0]!.state = 'CONNECTED';
    await pass(60_000);
    expect(clients).toHaveLength(1);
    clients[0]!.state = 'TIMEOUT';
    await pass(100_000); // three checks, and the back-off
    expect(clients).toHaveLength(2);
    expect(channel.status()).toMatchObject({ state: 'ready', restarts: 1 });
  });

  it('should stop for good, with one line for admins, when WhatsApp blocks the number', async () => {
    const { channel, clients, inbox, errors } = lifecycle(ready);
    await channel.start(inbox);
    await pass(1000);
    clients[0]!.state = 'TOS_BLOCK';
    await pass(60 * 60_000, 10_000);
    expect(clients).toHaveLength(1);
    expect(channel.status()).toMatchObject({ state: 'banned', waState: 'TOS_BLOCK', restarts: 0 });
    expect(errors()).toHaveLength(1);
    expect(errors()[0].msg).toContain('blocked');
    await expect(channel.send('966501234567@c.us', { text: 'x', locale: 'ar' })).rejects.toMatchObject({
      failure: 'notReady',
    });
  });

  it('should stop for good when WhatsApp Web refuses the version, saying how to update', async () => {
    const { channel, clients, inbox, errors } = lifecycle(ready);
    await channel.start(inbox);
    await pass(1000);
    clients[0]!.emit('disconnected', 'DEPRECATED_VERSION');
    await pass(30 * 60_000, 10_000);
    expect(clients).toHaveLength(1);
    expect(channel.status()).toMatchObject({ state: 'deprecated', waState: 'DEPRECATED_VERSION' });
    expect(errors()[0].msg).toContain('WHATSAPP_WEB_VERSION');
  });

  it('should remove the session after a logout before starting again, and wait for a new link', async () => {
    const sessionAtCreation: boolean[] = [];
    const { channel, clients, inbox, dir } = lifecycle((n) => {
      sessionAtCreation.push(existsSync(join(sessionDir(dir), 'Default')));
      return n === 1 ? ready() : { start: 'qr' };
    });
    mkdirSync(join(sessionDir(dir), 'Default'), { recursive: true });
    await channel.start(inbox);
    await pass(1000);
    clients[0]!.emit('disconnected', 'LOGOUT');
    await pass(20_000, 200);
    expect(clients).toHaveLength(2);
    expect(sessionAtCreation).toEqual([true, false]);
    expect(channel.status()).toMatchObject({ state: 'waiting-for-link', qr: '2@fake-qr-code-for-tests-2-1' });
  });
});

describe('WhatsApp QR code and pairing code', () => {
  it('should re-create the client when no new QR code came for 90 s', async () => {
    const { channel, clients, inbox } = lifecycle((n) => ({ start: n === 1 ? 'qrOnce' : 'qr' }));
    await channel.start(inbox);
    await pass(1000);
    expect(channel.status().qr).toBe('2@fake-qr-code-for-tests-1-1');
    await pass(92_000);
    expect(clients).toHaveLength(2);
    expect(channel.status()).toMatchObject({ state: 'waiting-for-link', qr: '2@fake-qr-code-for-tests-2-1' });
    // A QR code that is renewed (every 20 s, as WhatsApp Web does) is left alone.
    await pass(5 * 60_000, 5000);
    expect(clients).toHaveLength(2);
  });

  it('should print the pairing code for whoever runs the server', async () => {
    const shown: string[] = [];
    const { channel, clients, inbox } = lifecycle(() => ({ start: 'hang' }), {
      showPairingCode: (code) => shown.push(code),
    });
    await channel.start(inbox);
    clients[0]!.emit('code', 'ABCD1234');
    expect(shown).toEqual(['ABCD1234']);
    expect(channel.status()).toMatchObject({ state: 'waiting-for-link', pairingCode: 'ABCD1234' });
  });
});

describe('WhatsApp browser lifecycle', () => {
  it('should kill a browser whose destroy() hangs, then start a new one', async () => {
    const browser = fakeBrowser();
    const { channel, clients, inbox } = lifecycle((n) =>
      n === 1 ? { start: 'ready', destroyHangs: true, browser } : ready(),
    );
    await channel.start(inbox);
    await pass(1000);
    clients[0]!.emit('disconnected', 'NAVIGATION');
    await pass(20_000);
    await vi.waitFor(() => expect(isAlive(browser.pid!)).toBe(false), { timeout: 5000 });
    expect(clients).toHaveLength(2);
    expect(channel.status().state).toBe('ready');
  });

  it('should remove a profile lock left by a browser that is gone, before launching', async () => {
    const lockAtCreation: boolean[] = [];
    const { channel, inbox, dir } = lifecycle(() => {
      lockAtCreation.push(existsSync(join(sessionDir(dir), 'SingletonSocket')));
      return ready();
    });
    mkdirSync(sessionDir(dir), { recursive: true });
    symlinkSync('old-container-4f2a-12345', join(sessionDir(dir), 'SingletonLock'));
    writeFileSync(join(sessionDir(dir), 'SingletonSocket'), '');
    await channel.start(inbox);
    expect(lockAtCreation).toEqual([false]);
  });

  it('should leave alone a profile lock whose browser still runs on this host', () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    symlinkSync(`${hostname()}-${process.pid}`, join(temp.dir, 'SingletonLock'));
    expect(removeStaleProfileLock(temp.dir)).toBe(false);
    expect(lstatSync(join(temp.dir, 'SingletonLock')).isSymbolicLink()).toBe(true);
  });

  it('should recycle the client at the quiet hour, Riyadh time', async () => {
    vi.setSystemTime(new Date('2026-01-05T00:58:00Z')); // 03:58 in Riyadh
    const { channel, clients, inbox } = lifecycle(ready, { recycleAt: '04:00', timeZone: 'Asia/Riyadh' });
    await channel.start(inbox);
    await pass(60_000);
    expect(clients).toHaveLength(1);
    await pass(2 * 60_000);
    expect(clients).toHaveLength(2);
    expect(channel.status()).toMatchObject({ state: 'ready', recycles: 1, restarts: 0 });
  });

  it('should recycle the client when the browser uses more memory than the limit', async () => {
    const browser = fakeBrowser();
    const { channel, clients, inbox } = lifecycle((n) => (n === 1 ? { start: 'ready', browser } : ready()), {
      memoryLimitBytes: 1_000_000, // any Node process is bigger than a megabyte
    });
    await channel.start(inbox);
    await pass(35_000);
    expect(clients).toHaveLength(2);
    expect(channel.status()).toMatchObject({ state: 'ready', recycles: 1 });
    expect(channel.status().lastError).toMatch(/MB, over the 1 MB limit/);
  });
});
