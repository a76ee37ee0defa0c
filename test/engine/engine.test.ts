import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findConversation } from '../../src/db/conversations.ts';
import { conversations, outbox, processedInbound, transcript } from '../../src/db/schema.ts';
import { ChannelSendError } from '../../src/engine/channel.ts';
import { TimerScheduler } from '../../src/engine/timerScheduler.ts';
import { setup, tempDir, testEffects } from '../helpers.ts';
import { echoMachine } from './testFlow.ts';

type Setup = ReturnType<typeof setup>;
const open: Setup[] = [];
function engineWith(options: Parameters<typeof setup>[0] = {}): Setup {
  const s = setup({ machine: echoMachine, version: 1, ...options });
  open.push(s);
  return s;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('Engine', () => {
  it('should drop a duplicate message and never answer it twice', async () => {
    const s = engineWith();
    const message = s.text('a', 'hi', 'same-id');
    expect(await s.engine.handle(message)).toBe('accepted');
    expect(await s.engine.handle(message)).toBe('duplicate');
    expect(await Promise.all([s.engine.handle(message), s.engine.handle(message)])).toEqual(['duplicate', 'duplicate']);
    await s.drainer.drain();
    expect(s.channel.texts('a')).toEqual(['مرحبا\n\nصدى: hi']);
    expect(s.db.select().from(processedInbound).all()).toHaveLength(1);
  });

  it("should handle one chat's messages in arrival order even when they arrive together", async () => {
    const s = engineWith();
    const bodies = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await Promise.all(bodies.map((b) => s.engine.handle(s.text('a', b))));
    await s.drainer.drain();
    const echoed = s.channel.texts('a').map((t) => t.replace(/^مرحبا\n\n/, '').replace('صدى: ', ''));
    expect(echoed).toEqual(bodies);
  });

  it('should let chats proceed in parallel: a busy chat does not hold up another', async () => {
    const s = engineWith();
    const order: string[] = [];
    const busy = Array.from({ length: 40 }, (_, i) =>
      s.engine.handle(s.text('busy', `b${i}`)).then(() => order.push(`busy${i}`)),
    );
    const other = s.engine.handle(s.text('other', 'hello')).then(() => order.push('other'));
    await Promise.all([...busy, other]);
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('busy39'));
    expect(order.indexOf('other')).toBeLessThan(5);
  });

  it('should keep no actor in memory: a new engine on the same file continues the conversation', async () => {
    const { dir, remove } = tempDir();
    const first = setup({ machine: echoMachine, version: 1, dir });
    await first.say('a', 'one', 'two');
    first.close();
    const second = setup({ machine: echoMachine, version: 1, dir });
    await second.say('a', 'three');
    expect(turnsOf(second)).toBe(3);
    expect(second.channel.texts('a')).toEqual(['صدى: three']);
    second.close();
    remove();
  });

  it('should commit dedupe row, transcript, snapshot and outbox together, or none of them', async () => {
    const s = engineWith({
      effects: {
        ...testEffects,
        'timer.set': () => {
          throw new Error('the effect failed');
        },
      },
    });
    await s.say('a', 'first');
    const before = findConversation(s.db, 'test', 'a');
    await s.say('a', 'wait');
    const after = findConversation(s.db, 'test', 'a');
    // The failed turn's snapshot (turns + 1) and echo were rolled back; only the apology remains.
    expect(after?.snapshot).toEqual(before?.snapshot);
    expect(s.channel.texts('a').at(-1)).toContain('نعتذر، حدث خلل مؤقت');
    expect(s.channel.texts('a').some((t) => t.includes('صدى: wait'))).toBe(false);
    // The message itself is kept and marked seen.
    const kept = s.db.select().from(transcript).where(eq(transcript.text, 'wait')).all();
    expect(kept).toHaveLength(1);
    expect(await s.engine.handle(s.text('a', 'wait', kept[0]!.messageId!))).toBe('duplicate');
    // The actor that ran the failed turn is not kept: the next turn starts from the saved state.
    await s.say('a', 'again');
    expect(turnsOf(s)).toBe(2);
  });

  it("should keep a conversation's actor between its messages, restoring it only after a restart", async () => {
    const { dir, remove } = tempDir();
    let restores = 0;
    const counting = Object.create(echoMachine) as typeof echoMachine & Record<string, unknown>;
    counting.restoreSnapshot = function (
      this: typeof echoMachine,
      ...args: Parameters<typeof echoMachine.restoreSnapshot>
    ) {
      restores++;
      return echoMachine.restoreSnapshot.apply(this, args);
    };
    const first = setup({ machine: counting, version: 1, dir });
    await first.say('a', 'one', 'two', 'three');
    expect(restores).toBe(0);
    first.close();
    const second = setup({ machine: counting, version: 1, dir });
    await second.say('a', 'four', 'five');
    expect(restores).toBe(1);
    expect(turnsOf(second)).toBe(5);
    second.close();
    remove();
  });

  it("should apologise in the user's language when a flow throws, log the conversation id, and stay usable", async () => {
    const s = engineWith();
    await s.say('a', 'hi', 'boom', 'still there?');
    const texts = s.channel.texts('a');
    expect(texts[1]).toContain('نعتذر، حدث خلل مؤقت');
    expect(texts[2]).toBe('صدى: still there?');
    const conversationId = findConversation(s.db, 'test', 'a')?.id;
    const logged = s.logLines.map((l) => JSON.parse(l)).find((l) => l.level === 50);
    expect(logged).toMatchObject({ conversationId, kind: 'text' });
    expect(JSON.stringify(s.logLines)).not.toContain('still there');
  });

  it('should commit several chats together without one failing message taking the others with it', async () => {
    const s = engineWith();
    await Promise.all([
      s.engine.handle(s.text('a', 'boom')),
      s.engine.handle(s.text('b', 'fine')),
      s.engine.handle(s.text('c', 'also fine')),
    ]);
    await s.drainer.drain();
    expect(s.channel.texts('a')[0]).toContain('نعتذر، حدث خلل مؤقت');
    expect(s.channel.texts('b')).toEqual(['مرحبا\n\nصدى: fine']);
    expect(s.channel.texts('c')).toEqual(['مرحبا\n\nصدى: also fine']);
  });

  it('should keep every message of a flood, answer it once, and recover afterwards', async () => {
    let now = Date.now();
    const s = engineWith({ clock: () => new Date(now), flood: { limit: 5, windowMs: 60_000 } });
    await Promise.all(Array.from({ length: 12 }, (_, i) => s.engine.handle(s.text('a', `flood ${i}`))));
    await s.drainer.drain();
    const texts = s.channel.texts('a');
    expect(texts).toHaveLength(6);
    expect(texts[5]).toContain('وصلتنا رسائل كثيرة');
    expect(s.db.select().from(transcript).where(eq(transcript.direction, 'in')).all()).toHaveLength(12);
    now += 61_000;
    await s.say('a', 'calm again');
    expect(s.channel.texts('a').at(-1)).toBe('صدى: calm again');
  });

  it('should tell the user politely and start again when the snapshot is from an older flow version', async () => {
    const { dir, remove } = tempDir();
    const v1 = setup({ machine: echoMachine, version: 1, dir });
    await v1.say('a', 'one');
    v1.close();
    const v2 = setup({ machine: echoMachine, version: 2, dir });
    await v2.say('a', 'two');
    expect(v2.channel.texts('a')).toEqual([
      'نعتذر، تم تحديث خدمة المحادثة، لذا سنبدأ من جديد. شكرًا لتفهمك.\n\nمرحبا\n\nصدى: two',
    ]);
    expect(turnsOf(v2)).toBe(1);
    v2.close();
    remove();
  });

  it('should tell the person the conversation starts again when a saved state cannot be restored', async () => {
    const s = engineWith();
    await s.say('a', 'one');
    s.db.update(conversations).set({ snapshot: '{"status":"active","value":"nowhere"}' }).run();
    await s.say('a', 'two', 'three');
    const texts = s.channel.texts('a');
    // Answered at once from the start, told why; then the conversation goes on as usual.
    expect(texts[1]).toBe('نعتذر، تم تحديث خدمة المحادثة، لذا سنبدأ من جديد. شكرًا لتفهمك.\n\nمرحبا\n\nصدى: two');
    expect(texts[2]).toBe('صدى: three');
    expect(turnsOf(s)).toBe(2);
  });

  it('should start again, politely, when a saved state is not even JSON', async () => {
    const s = engineWith();
    await s.say('a', 'one');
    s.db.update(conversations).set({ snapshot: '{"status":"act' }).run();
    await s.say('a', 'two', 'three');
    const texts = s.channel.texts('a');
    expect(texts[1]).toBe('نعتذر، تم تحديث خدمة المحادثة، لذا سنبدأ من جديد. شكرًا لتفهمك.\n\nمرحبا\n\nصدى: two');
    expect(texts[2]).toBe('صدى: three');
  });

  it('should fire durable timers as events, also after a restart', async () => {
    const { dir, remove } = tempDir();
    const first = setup({ machine: echoMachine, version: 1, dir });
    await first.say('a', 'wait');
    first.close();
    const second = setup({ machine: echoMachine, version: 1, dir, clock: () => new Date(Date.now() + 60_000) });
    const scheduler = new TimerScheduler(
      second.db,
      second.engine,
      pinoSilent(),
      1000,
      () => new Date(Date.now() + 60_000),
    );
    expect(await scheduler.tick()).toBe(1);
    expect(await scheduler.tick()).toBe(0);
    await second.drainer.drain();
    expect(second.channel.texts('a')).toEqual(['انتهت المهلة']);
    second.close();
    remove();
  });

  it('should retry a failed send with back-off and deliver it', async () => {
    const s = engineWith();
    // Down until the test says otherwise: however slow the machine, no retry can get through first.
    let down = true;
    s.channel.failWith = () => (down ? new Error('network down') : undefined);
    await s.say('a', 'hi');
    expect(s.channel.texts('a')).toEqual([]);
    expect(s.db.select().from(outbox).get()).toMatchObject({ status: 'pending' });
    down = false;
    await vi.waitFor(() => expect(s.channel.texts('a')).toHaveLength(1), { timeout: 5000 });
    const sent = s.db.select().from(outbox).get();
    // Each failed try counted; the one that went through is not.
    expect(sent).toMatchObject({ status: 'sent' });
    expect(sent?.attempts).toBeGreaterThanOrEqual(1);
  });

  it('should send pending replies after a restart', async () => {
    const { dir, remove } = tempDir();
    const first = setup({ machine: echoMachine, version: 1, dir });
    await first.engine.handle(first.text('a', 'before the crash'));
    first.close(); // "crash": committed, never sent
    const second = setup({ machine: echoMachine, version: 1, dir });
    await second.drainer.drain();
    expect(second.channel.texts('a')).toEqual(['مرحبا\n\nصدى: before the crash']);
    second.close();
    remove();
  });

  it('should stop retrying and mark the chat unreachable on a permanent error', async () => {
    const s = engineWith();
    s.channel.failWith = () => new ChannelSendError('Forbidden: bot was blocked by the user', 'unreachable');
    await s.engine.handle(s.text('a', 'one'));
    await s.engine.handle(s.text('a', 'two'));
    await s.drainer.drain();
    expect(statuses(s)).toEqual(['failed', 'failed']);
    expect(findConversation(s.db, 'test', 'a')?.status).toBe('unreachable');
  });

  it('should give up on a message the platform rejects for good, and go on with the next', async () => {
    const s = engineWith();
    let first = true;
    s.channel.failWith = () => {
      if (!first) return undefined;
      first = false;
      return new ChannelSendError('Bad Request: message is too long', 'rejected');
    };
    await s.say('a', 'one', 'two');
    expect(statuses(s)).toEqual(['failed', 'sent']);
    expect(findConversation(s.db, 'test', 'a')?.status).toBe('active');
  });

  it('should honour the retry-after the platform asks for', async () => {
    const s = engineWith();
    s.channel.failWith = () => new ChannelSendError('Too Many Requests', 'retry', 30_000);
    const before = Date.now();
    await s.say('a', 'hi');
    const row = s.db.select().from(outbox).get()!;
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 30_000);
  });
});

/** The delivery status of every reply, oldest first. */
function statuses(s: Setup): string[] {
  return s.db
    .select()
    .from(outbox)
    .all()
    .map((r) => r.status);
}

/** How many turns the echo flow of chat "a" has counted, read from its saved snapshot. */
function turnsOf(s: Setup): number {
  const conversation = findConversation(s.db, 'test', 'a');
  return (JSON.parse(conversation!.snapshot as string) as { context: { turns: number } }).context.turns;
}

function pinoSilent() {
  return { error: () => {} } as never;
}
