import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
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
});
