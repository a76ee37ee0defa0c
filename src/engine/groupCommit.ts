import type { Db } from '../db/client.ts';

interface Job<T> {
  work: (tx: Db) => T;
  recover: (tx: Db, error: unknown) => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Owns the transaction boundary. Work submitted in the same tick (messages of different chats)
 * is committed together in one transaction, each piece inside its own savepoint: one failing
 * piece is rolled back alone and replaced by its `recover` work, the others commit. Nothing is
 * resolved before the commit, so no caller acknowledges what is not yet durable.
 */
export class GroupCommit {
  private queue: Job<unknown>[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
  ) {}

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
    let outcomes: Outcome[];
    try {
      outcomes = this.db.transaction((tx) => batch.map((job) => inSavepoint(tx, job)), { behavior: 'immediate' });
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome && 'value' in outcome) job.resolve(outcome.value);
      else job.reject(outcome?.error);
    });
  }
}

type Outcome = { value: unknown } | { error: unknown };

function inSavepoint(tx: Db, job: Job<unknown>): Outcome {
  try {
    return { value: tx.transaction((sp) => job.work(sp)) };
  } catch (error) {
    try {
      return { value: tx.transaction((sp) => job.recover(sp, error)) };
    } catch (failure) {
      return { error: failure };
    }
  }
}
