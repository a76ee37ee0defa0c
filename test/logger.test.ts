import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, createRedactor, describeError, serializeError } from '../src/logger.ts';
import { tempDir } from './helpers.ts';

const token = '987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const secretPart = token.split(':')[1] as string;
const webhookSecret = 'webhook-secret-of-the-association';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The error grammY throws when the network fails: the fetch error, URL and all, under `error`. */
function botApiNetworkError(method: string): Error {
  const fetchError = Object.assign(
    new Error(`request to https://api.telegram.org/bot${token}/${method} failed, reason: socket hang up`),
    { name: 'FetchError', code: 'ECONNRESET' },
  );
  return Object.assign(new Error(`Network request for '${method}' failed!`), { name: 'HttpError', error: fetchError });
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(token);
  expect(text).not.toContain(secretPart);
  expect(text).not.toContain(webhookSecret);
}

describe('serializeError', () => {
  it("should keep an error's kind and place but not the values of a failed query", () => {
    const error = new Error('Failed query: insert into "transcript" ("text") values (?)\nparams: رقم هويتي 1000000008');
    const logged = JSON.stringify(serializeError(error));
    expect(logged).toContain('Failed query');
    expect(logged).not.toContain('1000000008');
    expect(logged).not.toContain('رقم هويتي');
  });

  it('should hide the secrets of an error nested in causes, properties and aggregated errors', () => {
    const wrapped = new Error('Telegram unreachable', { cause: botApiNetworkError('sendMessage') });
    const error = Object.assign(
      new AggregateError([wrapped, new Error(`the header was ${webhookSecret}`)], 'Several sends failed'),
      {
        request: {
          url: new URL(`https://api.telegram.org/bot${token}/getMe`),
          headers: { 'x-telegram-bot-api-secret-token': webhookSecret },
        },
        attempts: [`POST /bot${encodeURIComponent(token)}/getMe`],
        details: { deeper: { error: new Error(`token ${token}`) } },
        self: undefined as unknown,
      },
    );
    error.self = error;
    const logged = JSON.stringify(serializeError(error, createRedactor([token, webhookSecret])));
    expectNoSecret(logged);
    // What the operator needs stays: which call, why, and where.
    expect(logged).toContain('Several sends failed');
    expect(logged).toContain("Network request for 'sendMessage' failed!");
    expect(logged).toContain('/bot[hidden]/sendMessage failed, reason: socket hang up');
    expect(logged).toContain('ECONNRESET');
    expect(logged).toContain('at ');
  });

  it('should hide a bot token in a Bot API URL even when no secret is configured', () => {
    const logged = JSON.stringify(serializeError(new Error('failed', { cause: botApiNetworkError('getUpdates') })));
    expect(logged).not.toContain(secretPart);
    expect(logged).toContain('/bot[hidden]/getUpdates failed');
  });
});

describe('describeError', () => {
  it('should say why start-up failed, through the wrapped errors, without the token', () => {
    const error = new Error('The Telegram channel could not start.', { cause: botApiNetworkError('setWebhook') });
    const text = describeError(error, createRedactor([token]));
    expectNoSecret(text);
    expect(text).toBe(
      "The Telegram channel could not start.: Network request for 'setWebhook' failed!: " +
        'request to https://api.telegram.org/bot[hidden]/setWebhook failed, reason: socket hang up',
    );
  });
});

describe('createLogger', () => {
  function fileLogger() {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const file = join(temp.dir, 'logs', 'assistant.log');
    const logger = createLogger({ level: 'info', file, pretty: false, secrets: [token, webhookSecret] });
    const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
    return { file, logger, lines };
  }

  it('should create its log file readable by its owner only', async () => {
    const { file, logger, lines } = fileLogger();
    logger.info('started');
    await vi.waitFor(() => expect(lines()).toHaveLength(1));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('should hide a secret wherever a line carries it: message, any field, bindings, error', async () => {
    const { logger, lines } = fileLogger();
    logger
      .child({ webhook: `https://example.org/hook?secret=${webhookSecret}` })
      .warn(
        { err: botApiNetworkError('getUpdates'), error: botApiNetworkError('sendMessage'), token },
        `calling /bot${token}/getMe`,
      );
    await vi.waitFor(() => expect(lines()).toHaveLength(1));
    const [line = ''] = lines();
    expectNoSecret(line);
    const record = JSON.parse(line);
    expect(record.msg).toBe('calling /bot[hidden]/getMe');
    expect(record.err.error.message).toContain('/bot[hidden]/getUpdates failed, reason: socket hang up');
  });
});

describe('npm start', () => {
  /** Runs `src/main.ts` with only the given variables set; resolves with its exit code and stderr. */
  function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
    const { exited } = run(env);
    return exited;
  }

  /** Starts `src/main.ts` with only the given variables set: what it has written so far, and its end. */
  function run(env: Record<string, string>) {
    const temp = tempDir();
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(TELEGRAM_|WHATSAPP_|LOG_|STAFF_|DATA_DIR)/.test(key)),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...inherited, DATA_DIR: temp.dir, STAFF_PORT: '0', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
      child.on('close', (code) => resolve({ code, stderr })),
    );
    // Cleanups run in order: the assistant is stopped before its data directory goes.
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    }, temp.remove);
    return { child, exited, stderr: () => stderr };
  }

  it.each([
    ['TELEGRAM_BOT_TOKEN', { TELEGRAM_BOT_TOKEN: `${token.slice(0, 20)} ${token.slice(20)}` }],
    ['TELEGRAM_WEBHOOK_SECRET', { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: `${webhookSecret}!` }],
  ])('should name a rejected %s without printing it', async (variable, env) => {
    const { code, stderr } = await start(env);
    expect(code).toBe(1);
    expect(stderr).toContain(`Configuration: ${variable} must be`);
    expectNoSecret(stderr);
    expect(stderr).not.toContain(token.slice(20));
  });

  it('should say why it could not reach Telegram at start-up without printing the token', async () => {
    // A port that was just free: nothing listens there.
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const assistant = run({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${closedPort}`,
      TELEGRAM_WEBHOOK_URL: 'https://assistant.example.org/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: webhookSecret,
      LOG_LEVEL: 'warn',
    });
    // Start does not wait on Telegram: the assistant keeps running, says why, and retries.
    const reason = `request to http://127.0.0.1:${closedPort}/bot[hidden]/setWebhook failed, reason: connect ECONNREFUSED`;
    await vi.waitFor(() => expect(assistant.stderr()).toContain(reason), { timeout: 20_000, interval: 100 });
    expect(assistant.child.exitCode).toBeNull();
    const warning = assistant
      .stderr()
      .split('\n')
      .find((line) => line.includes(reason));
    expect(JSON.parse(warning ?? '{}')).toMatchObject({
      msg: 'Telegram: setting the webhook failed; retrying.',
      err: { message: expect.stringContaining("Network request for 'setWebhook' failed!") },
    });
    assistant.child.kill('SIGTERM');
    const { code, stderr } = await assistant.exited;
    expect(code).toBe(0);
    expectNoSecret(stderr);
  });
});
