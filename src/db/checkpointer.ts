import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Connection } from './client.ts';
import { sqlcipherKey } from './dataKey.ts';

/** How often the worker copies the write-ahead log into the database file. */
const defaultIntervalMs = 200;

/**
 * Pages the log may hold before the assistant's own connection checkpoints after all: only if the
 * worker stops or falls far behind (SQLite's default, 1,000, is reached every few seconds of a burst).
 */
const fallbackPages = 10_000;

// Plain CommonJS run by the worker: it opens the same file with the same key and checkpoints it.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("cipher='sqlcipher'");
db.pragma('key=' + workerData.key);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy now; the next round, or the assistant's own connection, does it.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/** A worker thread that checkpoints a database's write-ahead log. */
export interface Checkpointer {
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
  intervalMs = defaultIntervalMs,
): Checkpointer {
  connection.pragma(`wal_autocheckpoint = ${fallbackPages}`);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers'),
      file,
      key: sqlcipherKey(secret),
      intervalMs,
    },
  });
  // A worker that cannot run leaves checkpoints to the assistant's connection, as before.
  worker.on('error', () => {
    if (connection.open) connection.pragma('wal_autocheckpoint = 1000');
  });
  worker.unref();
  const exited = once(worker, 'exit').then(() => undefined);
  return {
    stop() {
      // Waited for: the process stays up until the worker has closed its connection.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
