import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { startApp } from './app.ts';
import { ConfigError, loadConfig, secretsOf } from './config.ts';
import { productionKeyMissing } from './db/dataKey.ts';
import { createLogger, createRedactor, describeError, serializeError } from './logger.ts';

/** Entry point of `npm start` and `npm run chat` (which passes `--chat`). */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${describeError(error)}\n`);
    process.exit(1);
  }
  // Everything the assistant writes (database, WAL, media, logs, key file) is its owner's alone.
  process.umask(0o077);
  if (config.env === 'production' && !config.dataKey) {
    // Before anything is written or shown: in production the key never lives beside the data.
    process.stderr.write(`${productionKeyMissing}\n`);
    process.exit(1);
  }
  restrictDataDir(config.dataDir);
  // A log file created before the umask (an older version) keeps its mode: make it the owner's too.
  if (config.logFile && existsSync(config.logFile)) restrict(config.logFile, 0o600);
  const chat = process.argv.includes('--chat');
  if (chat) config.consoleChat = true;
  const interactive = process.stdin.isTTY === true;
  const consoleLikely = config.consoleChat ?? interactive;
  const secrets = secretsOf(config);
  const logger = createLogger({
    // In a terminal chat, logs would break into the conversation: only warnings, on stderr.
    level: consoleLikely && config.logLevel === 'info' ? 'warn' : config.logLevel,
    file: config.logFile,
    pretty: config.env !== 'production' && process.stderr.isTTY === true,
    secrets,
  });
  if (!chat) {
    const { host, port } = config.http;
    process.stderr.write(
      `Staff console: http://${host}:${port} — create an account with: npm run staff -- add <username> --role officer\n`,
    );
  }
  const app = await startApp(
    config,
    logger,
    { input: process.stdin, output: process.stdout, interactive },
    // `npm run chat` is the terminal alone; `npm start` also serves the staff console.
    { staffConsole: !chat },
  ).catch((error: unknown) => {
    // The wrapped errors say why (a refused connection…); their URLs hold the bot token.
    process.stderr.write(`${describeError(error, createRedactor(secrets))}\n`);
    process.exit(1);
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await app.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  if (app.console) {
    await app.console.finished;
    await app.flush();
    await stop(0);
  }
}

/**
 * Makes the data folder its owner's alone (0700), also one created before the umask was set:
 * the files inside are then out of other users' reach whatever their own modes.
 */
function restrictDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrict(dataDir, 0o700);
}

function restrict(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // Not ours to change (a mounted volume, another user's file): its owner decides.
  }
}

await main().catch((error: unknown) => {
  // Node would print the error in full, and a wrapped Bot API error holds the token in a URL.
  const { stack } = serializeError(error) as { stack?: unknown };
  process.stderr.write(`${describeError(error)}\n${typeof stack === 'string' ? `${stack}\n` : ''}`);
  process.exit(1);
});
