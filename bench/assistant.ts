// The assistant the benchmark measures, put together as `src/app.ts` puts it together: the same
// encrypted database file with the same pragmas, renderer, effects, understanding and engine
// options, with the channels the benchmark chooses instead of the configured platforms.
import { join } from 'node:path';
import { pino } from 'pino';
import type { AnyStateMachine } from 'xstate';
import { rootFlowVersion, rootMachine } from '../flows/root/rootMachine.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { startCheckpointer } from '../src/db/checkpointer.ts';
import { type Connection, type OpenDatabase, openDatabase } from '../src/db/client.ts';
import { resolveDataKey } from '../src/db/dataKey.ts';
import { taughtPhrases } from '../src/db/missed.ts';
import { createEffects, effectSettingsOf } from '../src/desks/effects.ts';
import type { Channel } from '../src/engine/channel.ts';
import { Engine } from '../src/engine/engine.ts';
import { MediaStore } from '../src/engine/mediaStore.ts';
import { OutboxDrainer } from '../src/engine/outboxDrainer.ts';
import { Renderer } from '../src/engine/renderer.ts';
import { Spool } from '../src/engine/spool.ts';
import { createI18n } from '../src/i18n.ts';
import type { Logger } from '../src/logger.ts';
import { Understanding } from '../src/understanding/understanding.ts';

/** A running engine on a real database file under `dataDir`, built as `startApp` builds it. */
export interface Assistant {
  config: Config;
  database: OpenDatabase;
  engine: Engine;
  renderer: Renderer;
  logger: Logger;
  /** The database file. */
  file: string;
  /** Every top-level transaction's time (ms) since the last `take()`: how long it held the event loop. */
  transactions: { take(): number[] };
  /** Adds a channel with its outbox drainer (production settings), as `startApp` does. */
  deliverTo(channel: Channel): OutboxDrainer;
  /** Everything handed over is committed and every reply due is sent. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The same key on every run: the data directories are temporary. */
export const benchKey = 'bench-data-key-0123456789abcdef0123456789abcdef';

/**
 * Builds the assistant on `dataDir` with the production database settings (SQLCipher, WAL,
 * `synchronous=FULL`), production engine options (flood guard, WhatsApp spool) and `env` on top
 * of the defaults; warnings and errors are logged to stderr. `machine` stands in for the root flow;
 * `restoreEachMessage` keeps no actor between messages (each is restored from its snapshot).
 */
export function startAssistant(
  dataDir: string,
  options: { env?: Record<string, string>; machine?: AnyStateMachine; restoreEachMessage?: boolean } = {},
): Assistant {
  const env = options.env ?? {};
  const config = loadConfig({ DATA_DIR: dataDir, DATA_KEY: benchKey, ...env });
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const dataKey = resolveDataKey({ dataDir: config.dataDir, envKey: config.dataKey, production: true });
  const file = join(config.dataDir, 'assistant.db');
  const database = openDatabase(file, dataKey.secret);
  const checkpointer = startCheckpointer(database.connection, file, dataKey.secret);
  // Before anything prepares its transactions: the group commit's and the drainer's are timed.
  const transactions = timeTransactions(database.connection);
  const i18n = createI18n();
  const renderer = new Renderer(i18n, config.org, config.decisionDays);
  const media = new MediaStore(config.dataDir, config.mediaMaxBytes, dataKey.secret);
  const drainers = new Map<string, OutboxDrainer>();
  const settings = effectSettingsOf(config);
  const understanding = new Understanding({
    cacheDir: join(config.dataDir, 'nlu'),
    taught: taughtPhrases(database.db),
  });
  const engine = new Engine({
    db: database.db,
    flow: { machine: options.machine ?? rootMachine, version: rootFlowVersion },
    renderer,
    effects: createEffects(settings),
    media,
    logger,
    understanding,
    onReplies: (channel) => drainers.get(channel)?.kick(),
    spooled: { spool: new Spool(config.dataDir), channels: ['whatsapp'] },
    flood: { limit: 30, windowMs: 60_000, exempt: ['console'] },
    commitPause: checkpointer.pause,
    ...(options.restoreEachMessage ? { keptActors: { limit: 0, idleMs: 0 } } : {}),
  });
  return {
    config,
    database,
    engine,
    renderer,
    logger,
    file,
    transactions,
    deliverTo(channel) {
      const drainer = new OutboxDrainer(database.db, channel, logger, {
        maxAttempts: config.outboxMaxAttempts,
        notReadyDeadlineMs: config.outboxDeadlineMs,
      });
      drainers.set(channel.name, drainer);
      return drainer;
    },
    async flush() {
      await engine.idle();
      await Promise.all([...drainers.values()].map((d) => d.drain()));
    },
    async close() {
      engine.close();
      await engine.idle();
      await Promise.all([...drainers.values()].map((d) => d.stop()));
      await checkpointer.stop();
      database.close();
    },
  };
}

type TransactionFunction = ((...args: unknown[]) => unknown) &
  Record<'deferred' | 'immediate' | 'exclusive', (...args: unknown[]) => unknown>;

/**
 * Times every top-level transaction from the outside, BEGIN to COMMIT (its fsync included):
 * better-sqlite3's `transaction` is wrapped, which drizzle's transactions and the group commit's
 * both use. Savepoints inside a transaction are not counted apart.
 */
function timeTransactions(connection: Connection): { take(): number[] } {
  const original = connection.transaction.bind(connection) as (
    fn: (...args: unknown[]) => unknown,
  ) => TransactionFunction;
  let times: number[] = [];
  const timed =
    (run: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      if (connection.inTransaction) return run(...args);
      const started = performance.now();
      try {
        return run(...args);
      } finally {
        times.push(performance.now() - started);
      }
    };
  (connection as unknown as { transaction: unknown }).transaction = (fn: (...args: unknown[]) => unknown) => {
    const transaction = original(fn);
    return Object.assign(timed(transaction), {
      deferred: timed(transaction.deferred),
      immediate: timed(transaction.immediate),
      exclusive: timed(transaction.exclusive),
    });
  };
  return {
    take() {
      const taken = times;
      times = [];
      return taken;
    },
  };
}
