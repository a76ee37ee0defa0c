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
  /** Tries of a batch that finds the database busy or locked, waiting longer each time. */
  busyRetries?: number;
  /** The first wait after a busy or locked database, doubling at each try. */
  busyWaitMs?: number;
  /** Runs of a batch again as a whole after another failure (a rollback by SQLite), before it is split. */
  reruns?: number;
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

/**
 * Owns the transaction boundary. Work submitted in the same tick (messages of different chats)
 * is committed together in one transaction, each piece inside its own savepoint: one failing
 * piece is rolled back alone and replaced by its `recover` work, the others commit. Nothing is
 * resolved before the commit, so no caller acknowledges what is not yet durable.
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
  private readonly busyRetries: number;
  private readonly busyWaitMs: number;
  private readonly reruns: number;

  constructor(
    private readonly db: Db,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.busyRetries = options.busyRetries ?? 6;
    this.busyWaitMs = options.busyWaitMs ?? 20;
    this.reruns = options.reruns ?? 1;
  }

  submit<T>(work: (tx: Db) => T, recover: (tx: Db, error: unknown) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, recover, resolve, reject } as Job<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) setImmediate(() => this.flush());
    else this.scheduled = false;
    void this.settle(batch);
  }

  /** Commits a batch, trying again and splitting it until every piece is committed or rejected. */
  private async settle(batch: Job<unknown>[]): Promise<void> {
    let failure: unknown;
    for (let busy = 0, reruns = 0; ; ) {
      try {
        const outcomes = this.run(batch);
        batch.forEach((job, i) => {
          const outcome = outcomes[i];
          if (outcome && 'value' in outcome) job.resolve(outcome.value);
          else job.reject(outcome?.error);
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

  /** One transaction over the batch; throws when it is not committed, as a whole. */
  private run(batch: Job<unknown>[]): Outcome[] {
    // drizzle's handle keeps its better-sqlite3 connection, which knows whether a transaction is open.
    const connection = (this.db as Db & { $client: { inTransaction: boolean } }).$client;
    return this.db.transaction(
      (tx) =>
        batch.map((job) => {
          const outcome = inSavepoint(tx, job, () => connection.inTransaction);
          // A piece that swallowed SQLite's own rollback must not let the next ones run outside it.
          if (!connection.inTransaction) throw new BatchRolledBackError('SQLite rolled back the batch.');
          return outcome;
        }),
      { behavior: 'immediate' },
    );
  }
}

type Outcome = { value: unknown } | { error: unknown };

function inSavepoint(tx: Db, job: Job<unknown>, inTransaction: () => boolean): Outcome {
  try {
    return { value: tx.transaction((sp) => job.work(sp)) };
  } catch (error) {
    if (!inTransaction()) throw new BatchRolledBackError('SQLite rolled back the batch.', { cause: error });
    try {
      return { value: tx.transaction((sp) => job.recover(sp, error)) };
    } catch (failure) {
      if (!inTransaction()) throw new BatchRolledBackError('SQLite rolled back the batch.', { cause: failure });
      return { error: failure };
    }
  }
}

/** SQLite could not take the lock (another connection writes): worth waiting for. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
