import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { findOrCreateConversation } from '../../src/db/conversations.ts';
import { enqueueReply } from '../../src/db/outbox.ts';
import { AlertNotifier } from '../../src/desks/alerts.ts';
import type { OutboundMessage } from '../../src/domain/messages.ts';
import type { Channel } from '../../src/engine/channel.ts';
import { HealthMonitor, telegramCondition, whatsappCondition } from '../../src/engine/health.ts';
import type { DeliveryStats } from '../../src/engine/outboxDrainer.ts';

const minute = 60_000;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A monitor over a real SQLite file, two channels whose condition the test sets, and a clock it moves. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ataa-health-'));
  const database = openDatabase(join(dir, 'test.db'));
  cleanups.push(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let now = new Date('2025-03-02T09:00:00Z').getTime();
  const clock = () => new Date(now);
  const whatsapp = { state: 'starting', restarts: 0 };
  const telegram = { state: 'starting' };
  const delivery: DeliveryStats = { lastSentAt: undefined, consecutiveFailures: 0, lastGaveUpAt: undefined };
  const monitor = new HealthMonitor(
    database.db,
    [
      { name: 'whatsapp', read: () => whatsappCondition(whatsapp), downLimitMs: 10 * minute, delivery: () => delivery },
      { name: 'telegram', read: () => telegramCondition(telegram), downLimitMs: 5 * minute },
    ],
    { outboxAgeMs: 15 * minute, restartsPerHour: 3 },
    clock,
  );
  const queue = (chatId: string, text: string) => {
    const conversation = findOrCreateConversation(database.db, 'whatsapp', chatId, 1);
    enqueueReply(
      database.db,
      { conversationId: conversation.id, channel: 'whatsapp', chatId, payload: { locale: 'ar', text } },
      clock(),
    );
  };
  return { monitor, whatsapp, telegram, delivery, queue, advance: (ms: number) => (now += ms), clock };
}

describe('HealthMonitor', () => {
  it('should be healthy while the channels are up, however long', () => {
    const s = setup();
    s.whatsapp.state = 'ready';
    s.telegram.state = 'polling';
    s.advance(24 * 60 * minute);
    const report = s.monitor.report();
    expect(report.status).toBe('ok');
    expect(report.reasons).toEqual([]);
    expect(report.channels.whatsapp).toMatchObject({ state: 'ready', up: true, downMinutes: null });
  });

  it('should say unhealthy when WhatsApp has not been ready for the configured minutes, and why', () => {
    const s = setup();
    s.telegram.state = 'polling';
    s.whatsapp.state = 'ready';
    s.monitor.report();
    s.whatsapp.state = 'waiting-for-link';
    s.monitor.report();
    s.advance(9 * minute);
    expect(s.monitor.report().status).toBe('ok');
    s.advance(minute);
    const report = s.monitor.report();
    expect(report.status).toBe('unhealthy');
    expect(report.reasons).toEqual(['whatsapp has not been up for 10 min (waiting-for-link)']);
    expect(report.channels.whatsapp).toMatchObject({ up: false, downMinutes: 10 });
  });

  it('should count a channel that never came up as down since the start', () => {
    const s = setup();
    s.whatsapp.state = 'ready';
    s.advance(6 * minute);
    expect(s.monitor.report().reasons).toEqual(['telegram has not been up for 6 min (starting)']);
  });

  it('should say unhealthy when a reply has waited too long, with no personal data in the answer', () => {
    const s = setup();
    s.whatsapp.state = 'ready';
    s.telegram.state = 'polling';
    s.queue('966501234567@c.us', 'رقم هويتي 1000000008');
    s.advance(16 * minute);
    s.queue('966509999999@c.us', 'ثاني');
    const report = s.monitor.report();
    expect(report.reasons).toEqual(['whatsapp has a reply waiting for 16 min']);
    expect(report.channels.whatsapp?.queue).toEqual({ pending: 2, oldestMinutes: 16 });
    const json = JSON.stringify(report);
    for (const secret of ['966501234567', '1000000008', 'رقم', 'c.us']) expect(json).not.toContain(secret);
  });

  it('should report the last message in and out', async () => {
    const s = setup();
    const inbox = s.monitor.inboxFor('whatsapp', {
      handle: async () => 'accepted' as const,
      lastReply: () => undefined,
    });
    expect(s.monitor.report().channels.whatsapp).toMatchObject({ lastInboundAt: null, lastOutboundAt: null });
    await inbox.handle({ channel: 'whatsapp', chatId: 'x', messageId: 'm', kind: 'text', text: 'hi' });
    s.delivery.lastSentAt = s.clock();
    const iso = s.clock().toISOString();
    expect(s.monitor.report().channels.whatsapp).toMatchObject({ lastInboundAt: iso, lastOutboundAt: iso });
  });

  it('should alert on a link to scan, a ban, a refused token and a second poller', () => {
    const s = setup();
    const kinds = (whatsapp: string, telegram: string) => {
      s.whatsapp.state = whatsapp;
      s.telegram.state = telegram;
      return s.monitor.alerts().map((a) => `${a.channel}:${a.kind}`);
    };
    expect(kinds('ready', 'polling')).toEqual([]);
    expect(kinds('waiting-for-link', 'conflict')).toEqual(['whatsapp:waitingForLink', 'telegram:conflict']);
    expect(kinds('banned', 'unauthorized')).toEqual(['whatsapp:banned', 'telegram:unauthorized']);
    expect(kinds('deprecated', 'retrying')).toEqual(['whatsapp:deprecated']);
  });

  it('should alert when a channel restarts more than k times within an hour, and calm down after', () => {
    const s = setup();
    s.telegram.state = 'polling';
    s.whatsapp.state = 'ready';
    for (let i = 1; i <= 3; i++) {
      s.whatsapp.restarts = i;
      s.advance(5 * minute);
      expect(s.monitor.alerts()).toEqual([]);
    }
    s.whatsapp.restarts = 4;
    expect(s.monitor.alerts()).toEqual([{ channel: 'whatsapp', kind: 'restarts', count: 4 }]);
    expect(s.monitor.report().channels.whatsapp?.restartsLastHour).toBe(4);
    s.advance(50 * minute);
    expect(s.monitor.alerts()).toEqual([]);
  });

  it('should alert when replies start failing, and stop once one leaves again', () => {
    const s = setup();
    s.telegram.state = 'polling';
    s.whatsapp.state = 'ready';
    s.delivery.consecutiveFailures = 2;
    expect(s.monitor.alerts()).toEqual([]);
    s.delivery.consecutiveFailures = 3;
    expect(s.monitor.alerts()).toEqual([{ channel: 'whatsapp', kind: 'repliesFailing' }]);
    s.delivery.consecutiveFailures = 0;
    s.delivery.lastGaveUpAt = s.clock();
    expect(s.monitor.alerts()).toEqual([{ channel: 'whatsapp', kind: 'repliesFailing' }]);
    s.advance(minute);
    s.delivery.lastSentAt = s.clock();
    expect(s.monitor.alerts()).toEqual([]);
  });
});

/** A staff chat that records what it is sent, and can be down. */
class StaffChat implements Channel {
  readonly name = 'telegram';
  readonly sent: string[] = [];
  down = false;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_chatId: string, message: OutboundMessage): Promise<void> {
    if (this.down) throw new Error('not now');
    this.sent.push(message.text);
  }
}

function notifierSetup(cooldownMs = 60 * minute) {
  let now = new Date('2025-03-02T09:00:00Z').getTime();
  const chat = new StaffChat();
  const notifier = new AlertNotifier({
    targets: [{ channel: chat, chatId: '-100500' }],
    translate: (key, _locale, params) => (params ? `${key}(${params.channel})` : key),
    cooldownMs,
    logger: pino({ level: 'silent' }),
    clock: () => new Date(now),
  });
  return { chat, notifier, advance: (ms: number) => (now += ms) };
}

describe('AlertNotifier', () => {
  const link = { channel: 'whatsapp', kind: 'waitingForLink' } as const;

  it('should tell the staff chat once when an alert starts, not at every check while it lasts', async () => {
    const { chat, notifier } = notifierSetup(0); // no cool-down: only the state change counts
    for (let i = 0; i < 5; i++) await notifier.update([link]);
    expect(chat.sent).toEqual(['alerts:waitingForLink(alerts:channels.whatsapp)']);
    expect(notifier.active()).toEqual([link]);
  });

  it('should say when it is over, and not start again within the cool-down', async () => {
    const { chat, notifier, advance } = notifierSetup();
    await notifier.update([link]);
    await notifier.update([]);
    expect(chat.sent).toEqual([
      'alerts:waitingForLink(alerts:channels.whatsapp)',
      'alerts:resolved(alerts:channels.whatsapp)',
    ]);
    expect(notifier.active()).toEqual([]);
    // Flapping: back and gone again within the hour — nothing more is said.
    advance(10 * 60_000);
    await notifier.update([link]);
    await notifier.update([]);
    expect(chat.sent).toHaveLength(2);
    advance(60 * 60_000);
    await notifier.update([link]);
    expect(chat.sent).toHaveLength(3);
  });

  it('should try an alert again at the next check when the staff chat could not be told', async () => {
    const { chat, notifier } = notifierSetup();
    chat.down = true;
    await notifier.update([{ channel: 'telegram', kind: 'unauthorized' }]);
    expect(chat.sent).toEqual([]);
    chat.down = false;
    await notifier.update([{ channel: 'telegram', kind: 'unauthorized' }]);
    expect(chat.sent).toEqual(['alerts:unauthorized(alerts:channels.telegram)']);
  });
});
