import { afterEach, describe, expect, it, vi } from 'vitest';
import { outbox } from '../../../src/db/schema.ts';
import { setup } from './harness.ts';

/** Taken before timers are faked: the engine's and SQLite's work needs real turns of the loop. */
const realSetTimeout = globalThis.setTimeout;
afterEach(() => {
  vi.useRealTimers();
});

/** Lets fake time pass, a second at a time, giving real work a turn between steps. */
async function pass(ms: number, stepMs = 1000): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - elapsed));
    await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
}

const user = '966501234567@c.us';

describe('WhatsApp down for longer than the old retry budget', () => {
  it('should keep a reply through ten minutes of failed restarts and send it once WhatsApp is ready', async () => {
    // The real settings: a 180 s ready timeout, back-off from 2 s; three clients in a row never load.
    const { app, clients, textsTo, channel } = await setup(
      {
        WHATSAPP_READY_TIMEOUT_MS: '180000',
        WHATSAPP_RESTART_BACKOFF_MS: '2000',
        WHATSAPP_HEALTH_INTERVAL_MS: '30000',
      },
      true,
      (n) => ({ start: n === 1 ? 'qr' : n <= 4 ? 'hang' : 'ready' }),
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    clients[0]!.breakWith = 'Protocol error (Runtime.callFunctionOn): Target closed.';
    clients[0]!.receive(user, 'السلام عليكم');
    await pass(5 * 60_000);
    expect(channel.status().state).not.toBe('ready');
    expect(textsTo(user)).toEqual([]);
    await pass(10 * 60_000);
    expect(clients).toHaveLength(5);
    expect(textsTo(user)).toHaveLength(1);
    expect(textsTo(user)[0]).toContain('هل توافق؟'); // the greeting and privacy notice
    expect(app.database.db.select().from(outbox).get()).toMatchObject({ status: 'sent' });
  });
});
