import { afterEach } from 'vitest';
import { type App, startApp } from '../../../src/app.ts';
import type { WhatsAppChannel } from '../../../src/channels/whatsapp/whatsappChannel.ts';
import { loadConfig } from '../../../src/config.ts';
import { memoryLogger, tempDir, waitFor } from '../../helpers.ts';
import { type FakeBehaviour, FakeClient, FakeWhatsApp } from './fakeClient.ts';

/** Run at the end of each test, last first. */
export const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** How each new client behaves, by its number (1 for the first). */
export type Behaviours = (n: number) => FakeBehaviour;

/** The first client shows a QR code to link, the next ones are ready at once. */
export const linkThenReady: Behaviours = (n) => ({ start: n === 1 ? 'qr' : 'ready' });

/**
 * The whole assistant (engine, outbox, console on a real SQLite file) with WhatsApp on fake
 * clients; linked and ready unless `link` is false.
 */
export async function setup(env: Record<string, string> = {}, link = true, behaviours: Behaviours = linkThenReady) {
  const temp = tempDir();
  const world = new FakeWhatsApp();
  const { sent } = world;
  const clients: FakeClient[] = [];
  const { logger, lines } = memoryLogger();
  const config = loadConfig({
    DATA_DIR: temp.dir,
    STAFF_PORT: '0',
    WHATSAPP_ENABLED: 'true',
    WHATSAPP_CHROMIUM_PATH: process.execPath, // exists; the fake client never starts it
    WHATSAPP_PER_CHAT_INTERVAL_MS: '0',
    WHATSAPP_GLOBAL_PER_SECOND: '20',
    WHATSAPP_HEALTH_INTERVAL_MS: '100',
    WHATSAPP_RESTART_BACKOFF_MS: '50',
    ...env,
  });
  const app: App = await startApp(config, logger, undefined, {
    createWhatsAppClient: async () => {
      const client = new FakeClient(clients.length + 1, world, behaviours(clients.length + 1));
      clients.push(client);
      return client;
    },
  });
  cleanups.push(temp.remove, () => app.stop());
  const channel = app.channels.find((c) => c.name === 'whatsapp') as WhatsAppChannel;
  await waitFor(() => channel.status().state === 'waiting-for-link');
  const qr = channel.status().qr;
  if (link) {
    clients[0]?.scan();
    await waitFor(() => channel.status().state === 'ready');
  }
  const textsTo = (chat: string) => sent.filter((s) => s.chatId === chat).map((s) => s.content);
  return { app, channel, world, sent, clients, textsTo, qr, logLines: lines, dir: temp.dir };
}
