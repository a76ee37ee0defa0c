import { startApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

/** Entry point of `npm start` and `npm run chat` (which passes `--chat`). */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const chat = process.argv.includes('--chat');
  if (chat) config.consoleChat = true;
  const interactive = process.stdin.isTTY === true;
  const consoleLikely = config.consoleChat ?? interactive;
  const logger = createLogger({
    // In a terminal chat, logs would break into the conversation: only warnings, on stderr.
    level: consoleLikely && config.logLevel === 'info' ? 'warn' : config.logLevel,
    file: config.logFile,
    pretty: config.env !== 'production' && process.stderr.isTTY === true,
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
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
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

await main();
