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
  api.userSends(101, 'السلام عليكم');
  api.userSends(202, '/start');
  api.userSends(101, '1');
  api.userSends(303, 'hello');
  api.userSends(101, '1');
  return perChat;
}

async function expectEachAnsweredOnce(api: FakeBotApi, perChat: Map<number, number>): Promise<void> {
  const total = [...perChat.values()].reduce((a, b) => a + b, 0);
  await api.waitFor(() => api.sent.length >= total, 30_000);
  await new Promise((r) => setTimeout(r, 1500)); // time for any duplicate to show up
  for (const [chat, count] of perChat) expect(api.texts(chat), `chat ${chat}`).toHaveLength(count);
  expect(api.texts(101)[2]).toContain('شكرًا لك، تم تسجيل موافقتك');
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
  const sentBeforeRestart = api.sent.length;
  api.holdSends = false;
  api.onDelivered = undefined;
  assistant(api, temp.dir);
  return { api, perChat, sentBeforeRestart };
}

describe('Telegram crash safety', () => {
  it('should answer every update exactly once when killed right after receiving a batch', async () => {
    const { api, perChat } = await crashAndRestart(
      (api) =>
        new Promise<void>((resolve) => {
          api.onDelivered = () => resolve();
        }),
    );
    await expectEachAnsweredOnce(api, perChat);
  });

  it('should answer every update exactly once when killed after committing, before replying', async () => {
    // A send only starts after its commit: the updates are stored, no answer has gone out.
    const { api, perChat, sentBeforeRestart } = await crashAndRestart((api) =>
      api.waitFor(() => api.callsOf('sendMessage').length >= 1, 30_000),
    );
    expect(sentBeforeRestart).toBe(0);
    await expectEachAnsweredOnce(api, perChat);
  });
});
