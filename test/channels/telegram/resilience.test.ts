import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramChannel, type TelegramOptions } from '../../../src/channels/telegram/telegramChannel.ts';
import type { Inbound } from '../../../src/domain/inbound.ts';
import { ChannelSendError, type EngineInbox } from '../../../src/engine/channel.ts';
import { MediaRejectedError } from '../../../src/engine/mediaStore.ts';
import { Pacer } from '../../../src/engine/pacer.ts';
import { FakeBotApi } from '../../telegram/fakeBotApi.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the channel handed over: each inbound, and for files what fetching them gave. */
class RecordingInbox implements EngineInbox {
  readonly received: Inbound[] = [];
  readonly files: (string | number)[] = [];

  async handle(inbound: Inbound): Promise<'accepted'> {
    if (inbound.kind === 'media' && inbound.download) {
      // As the engine does: a file the platform refuses is a reason, anything else "unavailable".
      const outcome = await inbound.download(10_000_000).then(
        (bytes) => bytes.byteLength,
        (error: unknown) => (error instanceof MediaRejectedError ? error.reason : 'unavailable'),
      );
      this.files.push(outcome);
    }
    this.received.push(inbound);
    return 'accepted';
  }

  lastReply(): undefined {
    return undefined;
  }

  private full: { promise: Promise<void>; release: () => void } | undefined;

  /** The engine is full until {@link release}: {@link room} waits. */
  fill(): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.full = { promise, release };
  }

  release(): void {
    this.full?.release();
    this.full = undefined;
  }

  room(): Promise<void> {
    return this.full?.promise ?? Promise.resolve();
  }

  texts(): string[] {
    return this.received.flatMap((i) => (i.kind === 'text' ? [i.text] : []));
  }
}

/**
 * The Telegram channel on its own against the fake Bot API, with back-offs short enough for a
 * test (the production ones are seconds to minutes; only their order matters here).
 */
async function setup(options: Partial<TelegramOptions> = {}, prepare: (api: FakeBotApi) => void = () => {}) {
  const api = await new FakeBotApi().start();
  prepare(api);
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const inbox = new RecordingInbox();
  let readyCalls = 0;
  const channel = new TelegramChannel({
    token: api.token,
    apiRoot: api.apiRoot,
    pollTimeoutSeconds: 0,
    webhookUrl: undefined,
    webhookSecret: undefined,
    pacer: new Pacer(0, 1000),
    logger,
    translate: (key) => key,
    retryMs: [50, 200],
    refusedRetryMs: [400, 400],
    ...options,
  });
  cleanups.push(
    () => api.stop(),
    () => channel.stop(),
  );
  await channel.start(inbox, { ready: () => readyCalls++ });
  return { api, channel, inbox, logLines: lines, readyCalls: () => readyCalls };
}

const user = 555000222;
const logged = (lines: string[], text: string) => lines.filter((line) => line.includes(text)).length;

describe('Telegram channel when the Bot API misbehaves', () => {
  it('should stop fetching updates while the engine is full, leaving them at Telegram, and go on when it has room', async () => {
    const { api, inbox } = await setup();
    api.userSends(user, 'first');
    await api.waitFor(() => inbox.texts().length === 1, 5000, 'the first message');
    inbox.fill();
    // The poll under way when the engine filled up may finish; then no more until there is room.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const polls = api.callsOf('getUpdates').length;
    api.userSends(user, 'second');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.callsOf('getUpdates').length).toBeLessThanOrEqual(polls + 1);
    expect(inbox.texts()).toEqual(['first']);
    expect(api.unconfirmed).toBeGreaterThanOrEqual(1);
    inbox.release();
    await api.waitFor(() => inbox.texts().length === 2, 5000, 'the second message once there is room');
    expect(inbox.texts()).toEqual(['first', 'second']);
  });

  it('should remove a webhook set while it polls (409 "webhook is active") and go on receiving', async () => {
    // The first removal fails: polling then meets the webhook and must remove it again.
    const { api, channel, inbox } = await setup({}, (api) => {
      api.webhookUrl = 'https://elsewhere.example.org/hook';
      api.failures.set('deleteWebhook', [{ code: 500, description: 'Internal Server Error' }]);
    });
    api.userSends(user, 'السلام عليكم');
    await api.waitFor(() => inbox.texts().length === 1, 5000, 'the message received after the webhook went');
    expect(api.callsOf('deleteWebhook').length).toBeGreaterThanOrEqual(2);
    expect(api.webhookUrl).toBeUndefined();
    expect(channel.status().state).toBe('polling');
  });

  it('should report a second poller (409) as a conflict, back off long, and recover when it goes', async () => {
    const { api, channel, inbox, logLines } = await setup({}, (api) => {
      api.otherPoller = true;
    });
    await api.waitFor(() => channel.status().state === 'conflict', 5000, 'the conflict reported');
    expect(channel.status().lastError).toContain('terminated by other getUpdates request');
    expect(channel.status().failingSince).toBeInstanceOf(Date);
    // Until the long back-off is over, it does not ask again (the network back-off would have).
    const polls = api.callsOf('getUpdates').length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(api.callsOf('getUpdates').length).toBe(polls);
    await api.waitFor(() => api.callsOf('getUpdates').length >= polls + 2, 5000, 'two slow retries');
    // Said once, loudly, with what to do; not once per retry.
    expect(logged(logLines, 'another program is receiving')).toBe(1);

    api.otherPoller = false;
    api.userSends(user, 'hello');
    await api.waitFor(() => inbox.texts().includes('hello'), 5000, 'the message after the other poller left');
    expect(channel.status()).toMatchObject({ state: 'polling' });
    expect(channel.status().failingSince).toBeUndefined();
  });

  it('should report a revoked token (401) as unauthorized, keep replies waiting, and say so once', async () => {
    const { api, channel, logLines } = await setup({}, (api) => {
      api.revoked = true;
    });
    await api.waitFor(() => channel.status().state === 'unauthorized', 5000, 'the refused token reported');
    const failure = await channel.send(String(user), { locale: 'ar', text: 'مرحبا' }).catch((error) => error);
    expect(failure).toBeInstanceOf(ChannelSendError);
    expect((failure as ChannelSendError).failure).toBe('notReady');
    await api.waitFor(() => api.callsOf('getUpdates').length >= 3, 5000, 'slow retries');
    expect(logged(logLines, 'the bot token was refused')).toBe(1);
    for (const line of logLines) expect(line).not.toContain(api.token);
  });

  it('should let replies wait, not fail, when a send meets a revoked token, and wake the outbox after', async () => {
    const { api, channel, readyCalls } = await setup();
    await api.waitFor(() => channel.status().state === 'polling', 5000, 'polling');
    api.revoked = true;
    const failure = await channel.send(String(user), { locale: 'ar', text: 'مرحبا' }).catch((error) => error);
    expect((failure as ChannelSendError).failure).toBe('notReady');
    expect(channel.status().state).toBe('unauthorized');
    api.revoked = false;
    await api.waitFor(() => channel.status().state === 'polling', 5000, 'polling again');
    expect(readyCalls()).toBe(1);
  });

  it('should give up on a getUpdates call that never answers, and poll again', async () => {
    const { api, inbox } = await setup({ requestTimeoutSeconds: 0.5 }, (api) => {
      api.hang.set('getUpdates', 1);
    });
    api.userSends(user, 'are you there?');
    await api.waitFor(() => inbox.texts().length === 1, 5000, 'the message after the hung call');
    expect(api.callsOf('getUpdates').length).toBeGreaterThanOrEqual(2);
  });

  it('should give up on a send that never answers, so the outbox can retry it', async () => {
    const { api, channel } = await setup({ requestTimeoutSeconds: 0.5 }, (api) => {
      api.hang.set('sendMessage', 1);
    });
    const failure = await channel.send(String(user), { locale: 'ar', text: 'مرحبا' }).catch((error) => error);
    expect((failure as ChannelSendError).failure).toBe('retry');
    await channel.send(String(user), { locale: 'ar', text: 'مرحبا' });
    expect(api.texts(user)).toEqual(['مرحبا']);
  });

  it('should give up on a download that stalls, and keep serving everyone else', async () => {
    const { api, inbox } = await setup({ downloadTimeoutMs: 500 }, (api) => {
      api.files.set('stalled', Buffer.alloc(100));
      api.stalledFiles.add('stalled');
    });
    pushDocument(api, 'stalled');
    await api.waitFor(() => api.callsOf('getFile').length === 1, 5000, 'the download begun');
    api.userSends(777, 'hello');
    await api.waitFor(() => inbox.texts().includes('hello'), 5000, 'the next message after the stalled file');
    expect(inbox.files).toEqual(['unavailable']);
  });

  it('should call a file over the Bot API download limit too large, not unavailable', async () => {
    const { api, inbox } = await setup({}, (api) => {
      api.files.set('big', Buffer.alloc(100));
      api.tooBig.add('big');
    });
    pushDocument(api, 'big'); // the message gives no size; getFile says "file is too big"
    pushDocument(api, 'huge', 25 * 1024 * 1024); // the message says 25 MB: not even asked for
    await api.waitFor(() => inbox.files.length === 2, 5000, 'both files read');
    expect(inbox.files).toEqual(['tooLarge', 'tooLarge']);
    expect(api.callsOf('getFile').map((c) => c.body.file_id)).toEqual(['big']);
  });

  it('should keep retrying a failing setWebhook in the background, and receive once it is set', async () => {
    const { api, channel } = await setup(
      { webhookUrl: 'https://assistant.example.org/telegram/webhook', webhookSecret: 'a-secret-of-sixteen-chars' },
      (api) => {
        api.failures.set('setWebhook', [
          { code: 502, description: 'Bad Gateway' },
          { code: 400, description: 'Bad Request: bad webhook: Failed to resolve host' },
        ]);
      },
    );
    // start() has resolved already, with the webhook not yet set.
    expect(['starting', 'retrying']).toContain(channel.status().state);
    await api.waitFor(() => channel.status().state === 'webhook', 5000, 'the webhook set at last');
    expect(api.callsOf('setWebhook')).toHaveLength(3);
    expect(api.webhookUrl).toBe('https://assistant.example.org/telegram/webhook');
    expect(
      await channel.webhook('a-secret-of-sixteen-chars', {
        update_id: 1,
        message: { message_id: 1, date: 0, chat: { id: user, type: 'private', first_name: 'U' }, text: 'hi' },
      }),
    ).toBe(200);
  });
});

function pushDocument(api: FakeBotApi, fileId: string, size?: number): void {
  api.push({
    message: {
      message_id: 4,
      date: 0,
      chat: { id: user, type: 'private', first_name: 'U' },
      document: { file_id: fileId, file_unique_id: fileId, ...(size ? { file_size: size } : {}) },
    },
  } as never);
}
