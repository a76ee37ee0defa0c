import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Connection } from './client.ts';
import { sqlcipherKey } from './dataKey.ts';

/** How often the worker copies the write-ahead log into the database file. */
const defaultIntervalMs = 200;

/**
 * Pages in the log past which the worker asks for a pause in commits, to copy the rest and let the
 * log start again from its beginning: while commits go on, a checkpoint never catches up with them.
 */
const restartPages = 4_000;

/** The longest commits wait for the worker, if it does not answer. */
const pauseLimitMs = 500;

/**
 * Pages the log may hold before the assistant's own connection checkpoints after all: only if the
 * worker stops or falls far behind (SQLite's default, 1,000, is reached every few seconds of a burst).
 */
const fallbackPages = 10_000;

// Plain CommonJS run by the worker: it opens the same file with the same key and checkpoints it.
// When the log is long it asks for a pause ('pause'), checkpoints once commits have stopped
// ('paused'), and lets them go on ('resume').
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("cipher='sqlcipher'");
db.pragma('key=' + workerData.key);
db.pragma('busy_timeout = 1000');
let asked = false;
const checkpoint = () => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    return log;
  } catch {
    // Busy now; the next round, or the assistant's own connection, does it.
    return 0;
  }
};
const timer = setInterval(() => {
  if (checkpoint() > workerData.restartPages && !asked) {
    asked = true;
    parentPort.postMessage('pause');
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'paused') {
    checkpoint();
    asked = false;
    parentPort.postMessage('resume');
    return;
  }
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** A worker thread that checkpoints a database's write-ahead log. */
export interface Checkpointer {
  /**
   * While the worker copies the end of a long log, a promise that resolves when commits may go on
   * (the event loop stays free meanwhile); otherwise undefined.
   */
  pause(): Promise<void> | undefined;
  /** Checkpoints once more, closes the worker's connection and resolves when the worker is gone. */
  stop(): Promise<void>;
}

/**
 * Copies the write-ahead log of the database `file` into the file itself from a worker thread,
 * every `intervalMs`. SQLite otherwise does it inside the commit that crosses 1,000 pages, on the
 * connection that commits: a transaction of a few milliseconds then holds the event loop for
 * tens (the log's pages written and the file fsynced). `connection` is the assistant's own: it
 * checkpoints only if the log grows past {@link fallbackPages}. A passive checkpoint never waits
 * for the writer nor makes it wait.
 */
export function startCheckpointer(
  connection: Connection,
  file: string,
  secret: string,
  options: { intervalMs?: number; restartPages?: number } = {},
): Checkpointer {
  connection.pragma(`wal_autocheckpoint = ${fallbackPages}`);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
      file,
      key: sqlcipherKey(secret),
      intervalMs: options.intervalMs ?? defaultIntervalMs,
      restartPages: options.restartPages ?? restartPages,
    },
  });
  let paused: { promise: Promise<void>; resume: () => void } | undefined;
  let stopping = false;
  const resume = () => {
    paused?.resume();
    paused = undefined;
  };
  worker.on('message', (message: string) => {
    if (message === 'resume') return resume();
    if (message !== 'pause' || paused || stopping) return;
    // Between two transactions (none spans a turn of the event loop): none is open now.
    let resolve = () => {};
    const promise = new Promise<void>((done) => {
      resolve = done;
    });
    const limit = setTimeout(resume, pauseLimitMs);
    paused = {
      promise,
      resume: () => {
        clearTimeout(limit);
        resolve();
      },
    };
    worker.postMessage('paused');
  });
  // A worker that cannot run leaves checkpoints to the assistant's connection, as before.
  worker.on('error', () => {
    resume();
    if (connection.open) connection.pragma('wal_autocheckpoint = 1000');
  });
  worker.unref();
  const exited = once(worker, 'exit').then(() => undefined);
  return {
    pause: () => paused?.promise,
    stop() {
      stopping = true;
      resume();
      // Waited for: the process stays up until the worker has closed its connection.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
