import type { Db } from '../db/client.ts';

interface Job<T> {
  work: (tx: Db) => T;
  recover: (tx: Db, error: unknown) => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** How a {@link GroupCommit} batches and what it does when a batch fails. */
export interface GroupCommitOptions {
  /** At most this many pieces of work in one transaction. */
  maxBatch?: number;
  /** No piece of work is added to a transaction that has run this long (milliseconds); default 5. */
  budgetMs?: number;
  /** Tries of a batch that finds the database busy or locked, waiting longer each time. */
  busyRetries?: number;
  /** The first wait after a busy or locked database, doubling at each try. */
  busyWaitMs?: number;
  /** Runs of a batch again as a whole after another failure (a rollback by SQLite), before it is split. */
  reruns?: number;
  /**
   * While this returns a promise, no transaction starts; work waits for it without holding the
   * event loop (the checkpointer copying the end of a long log, see `startCheckpointer`).
   */
  pause?: () => Promise<void> | undefined;
}

/**
 * Thrown to a caller whose work could not be committed: its batch was tried again and split
 * until it stood alone, and it still failed. Nothing of it was written.
 */
export class CommitError extends Error {
  override name = 'CommitError';
}

/** SQLite rolled back the whole transaction (disk full, I/O error…) while a piece of work ran. */
class BatchRolledBackError extends Error {
  override name = 'BatchRolledBackError';
}

/** What the group commit needs of the SQLite connection under drizzle (better-sqlite3's API). */
interface Connection {
  inTransaction: boolean;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
}

/**
 * Owns the transaction boundary. Work submitted in the same tick (messages of different chats)
 * is committed together in one transaction, each piece inside its own savepoint: one failing
 * piece is rolled back alone and replaced by its `recover` work, the others commit. Nothing is
 * resolved before the commit, so no caller acknowledges what is not yet durable.
 *
 * A transaction holds the event loop while it runs (SQLite is synchronous): once a batch has run
 * for `budgetMs`, no more work is added to it, and what is left goes to the next transaction.
 *
 * When the transaction itself fails, nothing of it is kept and nothing is resolved: a busy or
 * locked database is tried again with back-off; any other failure runs the batch again as a
 * whole, then in halves, so that one piece that cannot be committed never sinks the others; a
 * piece that fails alone is rejected with a {@link CommitError}. Some failures (disk full, I/O
 * errors) make SQLite roll back the whole transaction by itself: a piece's savepoint is then
 * gone, and its `recover` is not run — outside a transaction it would commit on its own — the
 * batch is run again from the start instead.
 */
export class GroupCommit {
  private queue: Job<unknown>[] = [];
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly budgetMs: number;
  private readonly busyRetries: number;
  private readonly busyWaitMs: number;
  private readonly reruns: number;
  private readonly pause: (() => Promise<void> | undefined) | undefined;
  private readonly connection: Connection;
  /** One transaction over a batch, with better-sqlite3's own cached BEGIN / COMMIT. */
  private readonly transaction: (batch: Job<unknown>[]) => Outcome[];
  /** One piece of work in a savepoint of the open transaction. */
  private readonly savepoint: <T>(work: () => T) => T;

  constructor(
    private readonly db: Db,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.budgetMs = options.budgetMs ?? 5;
    this.busyRetries = options.busyRetries ?? 6;
    this.busyWaitMs = options.busyWaitMs ?? 20;
    this.reruns = options.reruns ?? 1;
    this.pause = options.pause;
    // drizzle's handle keeps its better-sqlite3 connection; the work runs on the handle itself,
    // inside the transaction opened on its connection, so drizzle builds no handle per piece.
    this.connection = (db as Db & { $client: Connection }).$client;
    const transaction = this.connection.transaction((batch: Job<unknown>[]) => this.runPieces(batch));
    this.transaction = (batch) => transaction.immediate(batch);
    this.savepoint = this.connection.transaction((work: () => unknown) => work()) as <T>(work: () => T) => T;
  }

  submit<T>(work: (tx: Db) => T, recover: (tx: Db, error: unknown) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, recover, resolve, reject } as Job<unknown>);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    const pause = this.pause?.();
    if (pause) {
      // Still scheduled: what is submitted meanwhile waits for this flush.
      void pause.then(() => this.flush());
      return;
    }
    this.scheduled = false;
    void this.settle(this.queue.splice(0, this.maxBatch));
    if (this.queue.length > 0) this.schedule();
  }

  /** Commits a batch, trying again and splitting it until every piece is committed or rejected. */
  private async settle(batch: Job<unknown>[]): Promise<void> {
    let failure: unknown;
    for (let busy = 0, reruns = 0; ; ) {
      try {
        const outcomes = this.transaction(batch);
        // What the time budget left out waits for the next transaction.
        if (outcomes.length < batch.length) {
          this.queue.unshift(...batch.slice(outcomes.length));
          this.schedule();
        }
        outcomes.forEach((outcome, i) => {
          const job = batch[i] as Job<unknown>;
          if ('value' in outcome) job.resolve(outcome.value);
          else job.reject(outcome.error);
        });
        return;
      } catch (error) {
        failure = error;
        if (isBusy(error) && busy < this.busyRetries) {
          await new Promise((resolve) => setTimeout(resolve, this.busyWaitMs * 2 ** busy++));
          continue;
        }
        if (!isBusy(error) && reruns++ < this.reruns) continue;
        break;
      }
    }
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await Promise.all([this.settle(batch.slice(0, half)), this.settle(batch.slice(half))]);
      return;
    }
    const cause = failure instanceof BatchRolledBackError ? failure.cause : failure;
    batch[0]?.reject(new CommitError('A message could not be committed; it was tried again and alone.', { cause }));
  }

  /**
   * The pieces of a batch, inside its transaction, until the time budget is spent (one at least);
   * throws when the transaction cannot be committed as a whole.
   */
  private runPieces(batch: Job<unknown>[]): Outcome[] {
    const started = performance.now();
    const outcomes: Outcome[] = [];
    for (const job of batch) {
      if (outcomes.length > 0 && performance.now() - started >= this.budgetMs) break;
      outcomes.push(this.inSavepoint(job));
      // A piece that swallowed SQLite's own rollback must not let the next ones run outside it.
      if (!this.connection.inTransaction) throw new BatchRolledBackError('SQLite rolled back the batch.');
    }
    return outcomes;
  }

  private inSavepoint(job: Job<unknown>): Outcome {
    try {
      return { value: this.savepoint(() => job.work(this.db)) };
    } catch (error) {
      if (!this.connection.inTransaction)
        throw new BatchRolledBackError('SQLite rolled back the batch.', { cause: error });
      try {
        return { value: this.savepoint(() => job.recover(this.db, error)) };
      } catch (failure) {
        if (!this.connection.inTransaction)
          throw new BatchRolledBackError('SQLite rolled back the batch.', { cause: failure });
        return { error: failure };
      }
    }
  }
}

type Outcome = { value: unknown } | { error: unknown };

/** SQLite could not take the lock (another connection writes): worth waiting for. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
