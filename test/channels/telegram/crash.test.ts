import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { count, eq, ne } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.ts';
import { keyFileSecret } from '../../../src/db/dataKey.ts';
import { outbox, processedInbound, tickets, transcript } from '../../../src/db/schema.ts';
import { tempDir } from '../../helpers.ts';
import { FakeBotApi } from '../../telegram/fakeBotApi.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `npm start`'s program against the fake Bot API, in a child process that can be killed. */
function assistant(api: FakeBotApi, dataDir: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      STAFF_PORT: '0',
      ...api.env(),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return child;
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });

/** Three people writing at once: 5 updates, each must get exactly one answer. */
function traffic(api: FakeBotApi): Map<number, number> {
  const perChat = new Map([
    [101, 3],
    [202, 1],
    [303, 1],
  ]);
  api.userSends(101, 'السلام عليكم'); // the privacy notice, in Arabic
  api.userSends(202, '/start');
  api.userSends(101, '1'); // agrees: the menu
  api.userSends(303, 'hello');
  api.userSends(101, '1'); // the menu's first item: general enquiries
  return perChat;
}

async function expectEachAnsweredOnce(api: FakeBotApi, perChat: Map<number, number>): Promise<void> {
  const total = [...perChat.values()].reduce((a, b) => a + b, 0);
  await api.waitFor(() => api.sent.length >= total && api.unconfirmed === 0, 20_000, 'an answer to every update');
  // A duplicate would come from an update handled again: give the bot two more polls to show one.
  await api.waitForPolls(2);
  for (const [chat, count] of perChat) expect(api.texts(chat), `chat ${chat}`).toHaveLength(count);
  // Chat 101's messages were handled in order, each once.
  expect(api.texts(101)[1]).toContain('شكرًا لك، تم تسجيل موافقتك');
  expect(api.texts(101)[2]).toContain('اختر موضوع استفسارك');
}

/**
 * Sends the traffic, starts the assistant with replies held, kills it once `killWhen` resolves,
 * and starts it again with replies flowing; returns what each chat must have received.
 */
async function crashAndRestart(killWhen: (api: FakeBotApi) => Promise<void>) {
  const api = await new FakeBotApi().start();
  const temp = tempDir();
  cleanups.push(temp.remove, () => api.stop());
  const perChat = traffic(api);
  api.holdSends = true;
  const first = assistant(api, temp.dir);
  await killWhen(api);
  await killed(first);
  const beforeRestart = { sent: api.sent.length, held: [...api.held] };
  api.holdSends = false;
  api.onDelivered = undefined;
  assistant(api, temp.dir);
  return { api, perChat, beforeRestart };
}

/** What the crash lost on its way to Telegram went out after the restart, once. */
function expectHeldSentAfterRestart(api: FakeBotApi, held: FakeBotApi['held']): void {
  for (const message of held) {
    const copies = api.sent.filter((m) => m.chat_id === message.chat_id && m.text === message.text);
    expect(copies, `chat ${message.chat_id}`).toHaveLength(1);
  }
}

describe('Telegram crash safety', () => {
  it('should answer every update exactly once when killed right after receiving a batch', async () => {
    const { api, perChat, beforeRestart } = await crashAndRestart(
      (api) =>
        new Promise<void>((resolve) => {
          api.onDelivered = () => resolve();
        }),
    );
    expect(beforeRestart.sent).toBe(0);
    await expectEachAnsweredOnce(api, perChat);
    expectHeldSentAfterRestart(api, beforeRestart.held);
  });

  it('should answer every update exactly once when killed after committing, before replying', async () => {
    // A send only starts after its commit: the updates are stored, no answer has gone out.
    const { api, perChat, beforeRestart } = await crashAndRestart((api) =>
      api.waitFor(() => api.held.length >= 1, 15_000, 'a send'),
    );
    expect(beforeRestart.held.length).toBeGreaterThanOrEqual(1);
    expect(beforeRestart.sent).toBe(0);
    await expectEachAnsweredOnce(api, perChat);
    expectHeldSentAfterRestart(api, beforeRestart.held);
  });

  it('should lose nothing and answer everything through ten kill -9s at random moments under many people', async () => {
    const api = await new FakeBotApi().start();
    const temp = tempDir();
    cleanups.push(temp.remove, () => api.stop());
    // A seeded random, printed on failure, so a failing run can be replayed.
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    let state = seed;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const chats = Array.from({ length: 12 }, (_, i) => 7001 + i);
    // The privacy notice, consent, then a complaint filed (menu 4, a complaint, its topic, its
    // words, no photo, not urgent, send), and the menu; then the menu's first item and the menu.
    const complaint = 'التأخير في الرد على طلبي منذ شهر';
    const script = ['السلام عليكم', '1', '4', '1', '1', complaint, '1', '2', '1', 'القائمة'];
    let step = 0;
    /** The next line of every person's conversation, all at once. */
    const wave = () => {
      const line = script[step] ?? (step % 2 === 0 ? '1' : 'القائمة');
      step++;
      for (const chat of chats) api.userSends(chat, line);
    };
    for (let kill = 0; kill < 10; kill++) {
      wave();
      const child = assistant(api, temp.dir);
      // Killed at a random moment once it polls: receiving, committing, sending or idle.
      const polls = api.deliveries;
      await api.waitFor(
        () => api.deliveries > polls || child.exitCode !== null,
        30_000,
        `the assistant polling (seed ${seed})`,
      );
      if (random() < 0.5) wave();
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1500)));
      await killed(child);
    }
    // Last, everyone asks for the menu; the assistant now runs to the end.
    for (const chat of chats) api.userSends(chat, 'القائمة');
    const last = assistant(api, temp.dir);
    await api.waitFor(() => api.unconfirmed === 0, 60_000, `every update confirmed (seed ${seed})`);
    const database = openDatabase(join(temp.dir, 'assistant.db'), keyFileSecret(temp.dir).secret);
    cleanups.push(() => database.close());
    const { db } = database;
    await api.waitFor(
      () => db.select({ n: count() }).from(outbox).where(ne(outbox.status, 'sent')).get()?.n === 0,
      60_000,
      `every reply sent (seed ${seed})`,
    );
    await killed(last);

    const updates = chats.length * (step + 1);
    // Every accepted update processed exactly once: one seen row and one transcript line each.
    expect(db.select({ n: count() }).from(processedInbound).get()?.n, `seed ${seed}`).toBe(updates);
    const lines = db.select({ id: transcript.messageId }).from(transcript).where(eq(transcript.direction, 'in')).all();
    expect(new Set(lines.map((l) => l.id)).size, `seed ${seed}`).toBe(updates);
    expect(lines, `seed ${seed}`).toHaveLength(updates);
    // Every reply delivered at least once (twice only for a send in flight at a kill).
    const replies = db.select().from(outbox).all();
    expect(replies, `seed ${seed}`).toHaveLength(updates);
    for (const reply of replies) {
      const text = (reply.payload as { text: string }).text;
      expect(
        api.sent.some((m) => m.chat_id === reply.chatId && text.startsWith(m.text.slice(0, 40))),
        `seed ${seed}`,
      ).toBe(true);
    }
    // No conversation stuck: everyone's last answer is the menu.
    for (const chat of chats)
      expect(api.texts(chat).at(-1), `chat ${chat}, seed ${seed}`).toContain('كيف يمكنني خدمتك؟');
    // Everyone's complaint was filed once, whole: its words, its topic, not urgent, open.
    const filed = db.select().from(tickets).all();
    expect(filed, `seed ${seed}`).toHaveLength(chats.length);
    for (const ticket of filed) {
      expect(ticket).toMatchObject({ kind: 'complaint', text: complaint, urgent: false, stage: 'open' });
      expect(ticket.reference).toMatch(/^C-/);
    }
    expect(new Set(filed.map((t) => t.conversationId)).size).toBe(chats.length);
    expect(database.pragma('integrity_check')).toBe('ok');
  }, 150_000);
});
