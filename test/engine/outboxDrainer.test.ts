import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.ts';
import { ChannelSendError } from '../../src/engine/channel.ts';
import { OutboxDrainer } from '../../src/engine/outboxDrainer.ts';
import { memoryLogger, setup } from '../helpers.ts';
import { echoMachine } from './testFlow.ts';

const hour = 60 * 60_000;
const open: (() => void)[] = [];
afterEach(() => {
  for (const close of open.splice(0)) close();
});

/**
 * An engine on a real SQLite file whose clock the test moves, and a drainer with the production
 * back-off (1 s doubling up to 10 min, 15 attempts) and the default 48-hour deadline.
 */
function drainerSetup() {
  let now = new Date('2025-03-02T09:00:00Z').getTime();
  const clock = () => new Date(now);
  const s = setup({ machine: echoMachine, version: 1, clock });
  const drainer = new OutboxDrainer(s.db, s.channel, memoryLogger().logger, { maxAttempts: 15, clock });
  open.push(() => {
    void drainer.stop(0);
    s.close();
  });
  /** Moves the clock to the reply's next attempt and drains, as the drainer's own timer would. */
  const nextAttempt = async () => {
    now = Math.max(now, row().nextAttemptAt.getTime());
    await drainer.drain();
  };
  const row = () => s.db.select().from(outbox).get()!;
  return { ...s, drainer, row, nextAttempt, advance: (ms: number) => (now += ms), clock };
}

describe('OutboxDrainer', () => {
  it('should record a round of deliveries in one transaction (one fsync), each reply marked sent', async () => {
    const s = drainerSetup();
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((chat) => s.engine.handle(s.text(chat, 'hi'))));
    const db = s.db as unknown as { transaction: (...args: unknown[]) => unknown };
    const original = db.transaction.bind(db);
    let transactions = 0;
    db.transaction = (...args: unknown[]) => {
      transactions++;
      return original(...args);
    };
    await s.drainer.drain();
    expect(
      s.db
        .select()
        .from(outbox)
        .all()
        .map((r) => r.status),
    ).toEqual(Array(5).fill('sent'));
    expect(s.channel.sent).toHaveLength(5);
    expect(transactions).toBe(1);
  });

  it('should keep a reply waiting, without counting attempts, while the channel is not ready', async () => {
    const s = drainerSetup();
    s.channel.failWith = () => new ChannelSendError('WhatsApp is restarting.', 'notReady');
    await s.engine.handle(s.text('a', 'hi'));
    // Far more tries than the 15-attempt budget, spread over more than a day of outage.
    for (let i = 0; i < 60; i++) await s.nextAttempt();
    expect(s.row()).toMatchObject({ status: 'pending', attempts: 0 });
    expect(s.clock().getTime() - s.row().createdAt.getTime()).toBeGreaterThan(2 * hour);

    s.channel.failWith = undefined;
    await s.nextAttempt();
    expect(s.row()).toMatchObject({ status: 'sent', attempts: 0 });
    expect(s.channel.texts('a')).toEqual(['مرحبا\n\nصدى: hi']);
  });

  it('should back off longer the longer the channel has been away', async () => {
    const s = drainerSetup();
    s.channel.failWith = () => new ChannelSendError('WhatsApp is starting.', 'notReady');
    await s.engine.handle(s.text('a', 'hi'));
    await s.drainer.drain();
    const first = s.row().nextAttemptAt.getTime() - s.clock().getTime();
    s.advance(hour);
    await s.drainer.drain();
    const later = s.row().nextAttemptAt.getTime() - s.clock().getTime();
    expect(first).toBeLessThanOrEqual(1000);
    expect(later).toBeGreaterThan(60_000);
  });

  it('should send what waited as soon as the channel says it is ready', async () => {
    const s = drainerSetup();
    s.channel.failWith = () => new ChannelSendError('WhatsApp is waiting for a link.', 'notReady');
    await s.engine.handle(s.text('a', 'hi'));
    s.advance(3 * hour);
    await s.drainer.drain();
    expect(s.row().nextAttemptAt.getTime()).toBeGreaterThan(s.clock().getTime());

    s.channel.failWith = undefined;
    s.drainer.wake();
    await s.drainer.drain();
    expect(s.row()).toMatchObject({ status: 'sent' });
  });

  it('should mark a reply failed once it has waited past the deadline', async () => {
    const s = drainerSetup();
    s.channel.failWith = () => new ChannelSendError('WhatsApp is waiting for a link.', 'notReady');
    await s.engine.handle(s.text('a', 'hi'));
    await s.drainer.drain();
    s.advance(47 * hour);
    await s.nextAttempt();
    expect(s.row().status).toBe('pending');
    s.advance(hour);
    await s.nextAttempt();
    await s.nextAttempt();
    expect(s.row()).toMatchObject({ status: 'failed', attempts: 0 });
    expect(s.row().lastError).toContain('not ready');
  });

  it('should still give up after the attempt budget when sends really fail', async () => {
    const s = drainerSetup();
    s.channel.failWith = () => new ChannelSendError('Bad Gateway', 'retry');
    await s.engine.handle(s.text('a', 'hi'));
    for (let i = 0; i < 15; i++) await s.nextAttempt();
    expect(s.row()).toMatchObject({ status: 'failed', attempts: 15 });
  });
});
