import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { count, eq, ne } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { WhatsAppMessage } from '../../../src/channels/whatsapp/toInbound.ts';
import { openDatabase } from '../../../src/db/client.ts';
import { keyFileSecret } from '../../../src/db/dataKey.ts';
import { outbox, processedInbound, tickets, transcript } from '../../../src/db/schema.ts';
import { tempDir, waitFor } from '../../helpers.ts';
import { FakeClient, FakeWhatsApp } from './fakeClient.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Call = { t: 'call'; id: number; method: string; args: unknown[] };

/**
 * The assistant in a child process whose WhatsApp client is served from here: `world` is
 * WhatsApp (it keeps chats, unread counts and what was sent while no assistant runs).
 */
function assistant(world: FakeWhatsApp, dataDir: string) {
  const child: ChildProcess = fork('test/channels/whatsapp/crashChild.ts', [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      STAFF_PORT: '0',
      LOG_LEVEL: 'error',
      NODE_ENV: 'test',
      WHATSAPP_ENABLED: 'true',
      WHATSAPP_CHROMIUM_PATH: process.execPath,
      WHATSAPP_PER_CHAT_INTERVAL_MS: '0',
      WHATSAPP_GLOBAL_PER_SECOND: '20',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const client = new FakeClient(0, world, { start: 'ready' });
  let ready = false;
  child.on('message', (raw: Call) => {
    void (async () => {
      try {
        let value: unknown;
        if (raw.method === 'getChats') {
          ready = true;
          value = (await client.getChats()).map(({ fetchMessages: _f, ...c }) => c);
        } else if (raw.method === 'getChatById') {
          const chat = await client.getChatById(raw.args[0] as string);
          value = chat ? { id: chat.id, isGroup: chat.isGroup, unreadCount: chat.unreadCount } : null;
        } else if (raw.method === 'fetchMessages') {
          const chat = await client.getChatById(raw.args[0] as string);
          value = await chat?.fetchMessages(raw.args[1] as { limit?: number; fromMe?: boolean });
        } else {
          const method = (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[raw.method];
          value = await method?.apply(client, raw.args);
        }
        if (child.connected) child.send({ t: 'result', id: raw.id, value: value ?? null });
      } catch (error) {
        if (child.connected) child.send({ t: 'error', id: raw.id, message: String(error) });
      }
    })();
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    isReady: () => ready,
    /** A person writes: WhatsApp keeps it unread and shows it to the running client, if any. */
    send(from: string, body: string) {
      const message = world.message(from, body);
      const { getContact: _g, ...plain } = message as WhatsAppMessage & { getContact?: unknown };
      if (child.connected) child.send({ t: 'message', message: plain });
    },
  };
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('WhatsApp crash safety', () => {
  it('should lose nothing and answer everything through ten kill -9s at random moments under many people', async () => {
    const world = new FakeWhatsApp();
    const temp = tempDir();
    cleanups.push(temp.remove);
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    let state = seed;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const people = Array.from({ length: 10 }, (_, i) => `9665000001${String(i).padStart(2, '0')}@c.us`);
    // The privacy notice, consent, then a complaint filed (menu 4, a complaint, its topic, its
    // words, no photo, not urgent, send), and the menu; then the menu's first item and the menu.
    const complaint = 'التأخير في الرد على طلبي منذ شهر';
    const script = ['السلام عليكم', '1', '4', '1', '1', complaint, '1', '2', '1', 'القائمة'];
    let step = 0;
    const wave = (running: ReturnType<typeof assistant>) => {
      const line = script[step] ?? (step % 2 === 0 ? '1' : 'القائمة');
      step++;
      for (const person of people) running.send(person, line);
    };
    for (let kill = 0; kill < 10; kill++) {
      const running = assistant(world, temp.dir);
      await waitFor(() => running.isReady() || running.child.exitCode !== null, 30_000);
      wave(running);
      // Sometimes a second message follows while the first is answered (and its chat marked read).
      if (random() < 0.5) {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 300)));
        wave(running);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1500)));
      await killed(running.child);
    }
    const last = assistant(world, temp.dir);
    await waitFor(() => last.isReady(), 30_000);
    for (const person of people) last.send(person, 'القائمة');
    const total = people.length * (step + 1);
    const database = openDatabase(join(temp.dir, 'assistant.db'), keyFileSecret(temp.dir).secret);
    cleanups.push(() => database.close());
    const { db } = database;
    const committed = () => db.select({ n: count() }).from(processedInbound).get()?.n ?? 0;
    const unsent = () => db.select({ n: count() }).from(outbox).where(ne(outbox.status, 'sent')).get()?.n ?? 0;
    await waitFor(() => committed() >= total && unsent() === 0, 60_000).catch(() => undefined);
    await killed(last.child);

    // Every message accepted was processed exactly once: one seen row and one transcript line.
    expect(committed(), `seed ${seed}`).toBe(total);
    const lines = db.select({ id: transcript.messageId }).from(transcript).where(eq(transcript.direction, 'in')).all();
    expect(lines, `seed ${seed}`).toHaveLength(total);
    expect(new Set(lines.map((l) => l.id)).size, `seed ${seed}`).toBe(total);
    // Every reply delivered at least once; everyone's last answer is the menu.
    expect(unsent(), `seed ${seed}`).toBe(0);
    for (const reply of db.select().from(outbox).all()) {
      const text = (reply.payload as { text: string }).text;
      expect(
        world.sent.some((s) => s.chatId === reply.chatId && s.content.startsWith(text.slice(0, 40))),
        `seed ${seed}`,
      ).toBe(true);
    }
    for (const person of people) {
      const texts = world.sent.filter((s) => s.chatId === person).map((s) => s.content);
      expect(texts.at(-1), `${person}, seed ${seed}`).toContain('كيف يمكنني خدمتك؟');
    }
    expect(readdirSync(join(temp.dir, 'spool'))).toEqual([]);
    // Everyone's complaint was filed once, whole: its words, its topic, not urgent, open.
    const filed = db.select().from(tickets).all();
    expect(filed, `seed ${seed}`).toHaveLength(people.length);
    for (const ticket of filed) {
      expect(ticket).toMatchObject({ kind: 'complaint', text: complaint, urgent: false, stage: 'open' });
      expect(ticket.reference).toMatch(/^C-/);
    }
    expect(new Set(filed.map((t) => t.conversationId)).size).toBe(people.length);
    expect(database.pragma('integrity_check')).toBe('ok');
  }, 150_000);
});
