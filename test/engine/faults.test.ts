import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { saveDraft } from '../../src/db/cases.ts';
import type { Db } from '../../src/db/client.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { conversations, processedInbound, transcript } from '../../src/db/schema.ts';
import type { Inbound } from '../../src/domain/inbound.ts';
import { Engine } from '../../src/engine/engine.ts';
import { Spool, spoolCipher } from '../../src/engine/spool.ts';
import { memoryLogger, setup, tempDir, testEffects, testRenderer, waitFor } from '../helpers.ts';
import { echoMachine } from './testFlow.ts';

type Setup = ReturnType<typeof setup>;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function engineWith(options: Parameters<typeof setup>[0] = {}): Setup {
  const s = setup({ machine: echoMachine, version: 1, ...options });
  cleanups.push(() => s.close());
  return s;
}

/** A second engine on a setup's file, spooling the `test` channel's input under its directory. */
function spoolingEngine(s: Setup, options: { maxPending?: number; perFile?: number } = {}) {
  const spool = new Spool(s.dir, options.perFile ?? 50);
  const engine = new Engine({
    db: s.db,
    flow: { machine: echoMachine, version: 1 },
    renderer: testRenderer(),
    effects: testEffects,
    logger: memoryLogger().logger,
    spooled: { spool, channels: ['test'] },
    spoolRetryMs: [5, 20],
    ...(options.maxPending ? { maxPending: options.maxPending } : {}),
  });
  cleanups.push(() => engine.close());
  return { engine, spool };
}

const accepted = (db: Db) => db.select({ n: count() }).from(processedInbound).get()?.n ?? 0;
const spoolFiles = (dir: string) => readdirSync(join(dir, 'spool'));

/** Lets SQLite hold only a few more pages: a large row then fills the disk (SQLITE_FULL). */
function fillDiskAt(db: Db, extraPages: number): () => void {
  const connection = (db as Db & { $client: import('better-sqlite3').Database }).$client;
  const pages = connection.pragma('page_count', { simple: true }) as number;
  connection.pragma(`max_page_count = ${pages + extraPages}`);
  return () => connection.pragma('max_page_count = 1073741823');
}

describe('Engine faults', () => {
  it('should answer a backlog delivered at once after downtime, measuring the flood by when it was sent', async () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const s = engineWith({ clock: () => now, flood: { limit: 5, windowMs: 60_000 } });
    // Forty messages written a minute apart while the assistant was down, all delivered now.
    const backlog = Array.from({ length: 40 }, (_, i) => ({
      ...s.text('a', `m${i}`),
      sentAt: new Date(now.getTime() - (40 - i) * 60_000),
    }));
    await Promise.all(backlog.map((m) => s.engine.handle(m)));
    await s.drainer.drain();
    const texts = s.channel.texts('a');
    expect(texts).toHaveLength(40);
    expect(texts.at(-1)).toBe('صدى: m39');
    expect(texts.join('\n')).not.toContain('وصلتنا رسائل كثيرة');
  });

  it('should still slow down a real flood, by the times the platform gives', async () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const s = engineWith({ clock: () => now, flood: { limit: 5, windowMs: 60_000 } });
    const flood = Array.from({ length: 12 }, (_, i) => ({
      ...s.text('a', `f${i}`),
      sentAt: new Date(now.getTime() - 30_000 + i * 1000),
    }));
    await Promise.all(flood.map((m) => s.engine.handle(m)));
    await s.drainer.drain();
    expect(s.channel.texts('a')).toHaveLength(6);
    expect(s.channel.texts('a')[5]).toContain('وصلتنا رسائل كثيرة');
  });

  it('should keep a message whose commit fails for good in the spool, and commit it once the disk has room', async () => {
    const s = engineWith();
    const { engine, spool } = spoolingEngine(s);
    await engine.handle(s.text('a', 'before'));
    const freeDisk = fillDiskAt(s.db, 2);
    // A 100 KB text: its transcript row cannot be written; the others in its batch still commit.
    const big = s.text('a', 'x'.repeat(100_000), 'big');
    const [bigOutcome, otherOutcome] = await Promise.all([engine.handle(big), engine.handle(s.text('b', 'small'))]);
    expect(bigOutcome).toBe('accepted');
    expect(otherOutcome).toBe('accepted');
    expect(spool.size).toBe(1);
    expect(s.db.select().from(processedInbound).where(eq(processedInbound.messageId, 'big')).all()).toHaveLength(0);
    freeDisk();
    await engine.idle();
    await waitFor(() => spool.size === 0);
    await engine.idle();
    expect(s.db.select().from(processedInbound).where(eq(processedInbound.messageId, 'big')).all()).toHaveLength(1);
    expect(spoolFiles(s.dir)).toEqual([]);
  });

  it('should set aside a message that never commits, so that it holds up no later one', async () => {
    const s = engineWith();
    const { engine, spool } = spoolingEngine(s);
    await engine.handle(s.text('a', 'before'));
    fillDiskAt(s.db, 2);
    expect(await engine.handle(s.text('a', 'y'.repeat(100_000), 'never'))).toBe('accepted');
    await waitFor(() => spool.size === 0);
    await engine.idle();
    const aside = readFileSync(join(s.dir, 'spool', 'set-aside.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(aside.map((line) => (JSON.parse(line) as Inbound).messageId)).toEqual(['never']);
    // Later messages go straight in again.
    await engine.handle(s.text('b', 'later', 'later'));
    expect(s.db.select().from(processedInbound).where(eq(processedInbound.messageId, 'later')).all()).toHaveLength(1);
  });

  it('should replay at start what a crash left in the spool, each message once', async () => {
    const s = engineWith();
    const temp = tempDir();
    cleanups.push(temp.remove);
    // Written by an earlier run that stopped before committing them; one was committed already.
    const earlier = new Spool(s.dir, 50);
    const first = s.text('a', 'one', 'w1');
    await Promise.all([earlier.append(first), earlier.append(s.text('a', 'two', 'w2'))]);
    await s.engine.handle(first);
    const { engine, spool } = spoolingEngine(s);
    await waitFor(() => spool.size === 0);
    await engine.idle();
    expect(accepted(s.db)).toBe(2);
    const texts = s.db
      .select({ text: transcript.text })
      .from(transcript)
      .where(eq(transcript.direction, 'in'))
      .all()
      .map((r) => r.text);
    expect(texts).toEqual(['one', 'two']);
  });

  it('should keep no message readable in the spool on disk, and read it back under the key', async () => {
    const s = engineWith();
    const spool = new Spool(s.dir, 50, spoolCipher('a data key for the test'));
    const message = { ...s.text('a', 'رقم هويتي 1000000008 وعندي سكري', 'sealed'), sentAt: new Date() };
    await spool.append(message);
    const onDisk = spoolFiles(s.dir)
      .map((file) => readFileSync(join(s.dir, 'spool', file), 'utf8'))
      .join('');
    expect(onDisk).not.toContain('1000000008');
    expect(onDisk).not.toContain('سكري');
    expect(spool.next()?.entries).toEqual([message]);
    // Under another key the line cannot be read: skipped, never handed over as garbage.
    expect(new Spool(s.dir, 50, spoolCipher('another key')).next()?.skipped).toBe(1);
  });

  it('should hold a bounded amount in memory under a flood of 50,000 messages, keeping the rest on disk', async () => {
    const s = engineWith();
    // What is measured is memory and loss, not SQLite's durability: commits skip the fsync here.
    (s.db as Db & { $client: import('better-sqlite3').Database }).$client.pragma('synchronous = OFF');
    const maxPending = 500;
    const { engine, spool } = spoolingEngine(s, { maxPending, perFile: 250 });
    const total = 50_000;
    const handed: Promise<unknown>[] = [];
    let mostSpooled = 0;
    // Pushed as a platform pushes them, never waiting for the engine.
    for (let start = 0; start < total; start += 2000) {
      for (let i = start; i < start + 2000; i++) handed.push(engine.handle(s.text(`c${i % 500}`, `m${i}`, `id${i}`)));
      await new Promise((resolve) => setImmediate(resolve));
      mostSpooled = Math.max(mostSpooled, spool.size);
    }
    expect(await Promise.all(handed)).toEqual(Array(total).fill('accepted'));
    // Stopped mid-flood: what is not committed waits on disk for the next start.
    engine.close();
    await engine.idle();
    expect(mostSpooled).toBeGreaterThan(total / 2);
    expect(engine.load().mostPending).toBeLessThanOrEqual(maxPending);
    const committed = s.db.select({ id: processedInbound.messageId }).from(processedInbound).all();
    const waiting = spoolFiles(s.dir).flatMap((file) =>
      readFileSync(join(s.dir, 'spool', file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as Inbound).messageId),
    );
    // Every message is either committed or on disk; none is lost.
    const all = new Set([...committed.map((r) => r.id), ...waiting]);
    expect(all.size).toBe(total);
  }, 60_000);

  it("should replay the spool in each chat's order, each message once, as room comes", async () => {
    const s = engineWith();
    const { engine, spool } = spoolingEngine(s, { maxPending: 100, perFile: 100 });
    const total = 2000;
    const chats = 20;
    const handed: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) handed.push(engine.handle(s.text(`c${i % chats}`, `m${i}`, `id${i}`)));
    await Promise.all(handed);
    await waitFor(() => spool.size === 0 && engine.load().pending === 0, 60_000);
    await engine.idle();
    expect(engine.load().mostPending).toBeLessThanOrEqual(100);
    expect(accepted(s.db)).toBe(total);
    expect(spoolFiles(s.dir)).toEqual([]);
    const conversation = findConversation(s.db, 'test', 'c7');
    const order = s.db
      .select({ id: transcript.messageId })
      .from(transcript)
      .where(and(eq(transcript.conversationId, conversation?.id ?? -1), eq(transcript.direction, 'in')))
      .all()
      .map((r) => Number(r.id?.slice(2)));
    expect(order).toHaveLength(total / chats);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  }, 60_000);

  it('should tell the person the conversation starts again when its state is corrupted, keeping their draft', async () => {
    const s = engineWith();
    await s.say('a', 'one');
    const conversation = findConversation(s.db, 'test', 'a');
    saveDraft(s.db, conversation?.id ?? -1, { name: 'kept' }, new Date());
    s.db
      .update(conversations)
      .set({ snapshot: JSON.stringify({ status: 'active', value: 'nowhere', garbage: true }) })
      .run();
    await s.say('a', 'two');
    expect(s.channel.texts('a')[1]).toContain('طلب المساعدة الذي بدأته محفوظ بكل إجاباتك');
    expect(s.channel.texts('a')[1]).toContain('صدى: two');
  });
});
