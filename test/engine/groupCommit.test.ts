import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { type OpenDatabase, openDatabase } from '../../src/db/client.ts';
import { CommitError, GroupCommit } from '../../src/engine/groupCommit.ts';
import { tempDir } from '../helpers.ts';

type Connection = import('better-sqlite3').Database;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A real SQLite file with one table of notes, and a group commit over it. */
function setup() {
  const temp = tempDir();
  const database: OpenDatabase = openDatabase(join(temp.dir, 'test.db'));
  cleanups.push(temp.remove, () => database.close());
  // The better-sqlite3 connection under drizzle, to fill the disk or lock the file as a test needs.
  const db = database.db as Db & { $client: Connection };
  db.run(sql`create table pieces (body text not null)`);
  const commit = new GroupCommit(db, { busyWaitMs: 1 });
  const write = (body: string) => (tx: Db) => {
    tx.run(sql`insert into pieces (body) values (${body})`);
    return body;
  };
  const notes = () => db.all<{ body: string }>(sql`select body from pieces order by rowid`).map((r) => r.body);
  /** Lets SQLite hold only a few more pages: a large note then fills the disk (SQLITE_FULL). */
  const fillDiskAt = (extraPages: number) => {
    const pages = db.$client.pragma('page_count', { simple: true }) as number;
    db.$client.pragma(`max_page_count = ${pages + extraPages}`);
  };
  return { db, commit, write, notes, fillDiskAt };
}

/** Settles every promise, telling what each became. */
const outcomes = (promises: Promise<unknown>[]) =>
  Promise.all(
    promises.map((p) =>
      p.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    ),
  );

describe('GroupCommit', () => {
  it('should start no transaction while paused, leaving the event loop free, and commit everything after', async () => {
    const { db, write, notes } = setup();
    let resume = () => {};
    let paused: Promise<void> | undefined = new Promise<void>((resolve) => {
      resume = () => {
        paused = undefined;
        resolve();
      };
    });
    const commit = new GroupCommit(db, { pause: () => paused });
    const committed = Promise.all([commit.submit(write('a'), write('x')), commit.submit(write('b'), write('x'))]);
    // Timers still run meanwhile: the wait holds no transaction and no event loop.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(notes()).toEqual([]);
    const more = commit.submit(write('c'), write('x'));
    resume();
    expect(await committed).toEqual(['a', 'b']);
    expect(await more).toBe('c');
    expect(notes()).toEqual(['a', 'b', 'c']);
  });

  it('should stop adding work to a transaction once it has run 5 ms, committing the rest in the next', async () => {
    const { db, write, notes } = setup();
    // Counts the transactions begun on the connection (its savepoints aside).
    const connection = db.$client;
    const begin = connection.transaction.bind(connection);
    let transactions = 0;
    connection.transaction = ((fn: (...args: unknown[]) => unknown) => {
      const transaction = begin(fn);
      const immediate = (...args: unknown[]) => {
        if (!connection.inTransaction) transactions++;
        return transaction.immediate(...args);
      };
      return Object.assign((...args: unknown[]) => transaction(...args), { immediate });
    }) as never;
    const commit = new GroupCommit(db);
    // Ten pieces of 2 ms each: three at most fit in 5 ms.
    const slow = (body: string) => (tx: Db) => {
      const until = performance.now() + 2;
      while (performance.now() < until);
      return write(body)(tx);
    };
    const bodies = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const results = await Promise.all(bodies.map((body) => commit.submit(slow(body), () => 'never')));
    expect(results).toEqual(bodies);
    expect(notes()).toEqual(bodies);
    expect(transactions).toBeGreaterThanOrEqual(4);
  });

  it('should roll back a failing piece alone and commit its recovery with the others', async () => {
    const { commit, write, notes } = setup();
    const failing = (_tx: Db): string => {
      throw new Error('the flow failed');
    };
    const results = await Promise.all([
      commit.submit(write('a'), () => 'never'),
      commit.submit(failing, write('b recovered')),
      commit.submit(write('c'), () => 'never'),
    ]);
    expect(results).toEqual(['a', 'b recovered', 'c']);
    expect(notes()).toEqual(['a', 'b recovered', 'c']);
  });

  it('should never commit a recovery outside the batch after SQLite rolled the whole batch back (disk full)', async () => {
    const { commit, write, notes, fillDiskAt } = setup();
    fillDiskAt(3);
    const huge = 'x'.repeat(64 * 1024);
    const settled = await outcomes([
      commit.submit(write('a'), () => 'never'),
      commit.submit(write(huge), write('apology for the huge one')),
      commit.submit(write('c'), () => 'never'),
    ]);
    // The others were run again without it, and committed once each; its recovery never ran alone.
    expect(settled[0]).toEqual({ value: 'a' });
    expect(settled[2]).toEqual({ value: 'c' });
    expect((settled[1] as { error: unknown }).error).toBeInstanceOf(CommitError);
    expect(notes()).toEqual(['a', 'c']);
  });

  it('should run a batch again as a whole after a failed commit, never half of it', async () => {
    const { db, commit, write, notes } = setup();
    let failures = 1;
    // A piece that makes SQLite drop the whole transaction once (as an I/O error would), then works.
    const flaky = (tx: Db) => {
      tx.run(sql`insert into pieces (body) values ('flaky')`);
      if (failures-- > 0) db.$client.exec('ROLLBACK');
      return 'flaky';
    };
    const results = await Promise.all([
      commit.submit(write('a'), () => 'never'),
      commit.submit(flaky, write('flaky recovered')),
      commit.submit(write('c'), () => 'never'),
    ]);
    expect(results).toEqual(['a', 'flaky', 'c']);
    expect(notes()).toEqual(['a', 'flaky', 'c']);
  });

  it('should wait for a database another connection holds, and then commit', async () => {
    const { db, commit, write, notes } = setup();
    // A second connection on the same file (same key) holds the write lock: the group commit meets SQLITE_BUSY.
    const other = openDatabase(db.$client.name);
    cleanups.push(() => other.close());
    const lock = (other.db as Db & { $client: Connection }).$client;
    db.$client.pragma('busy_timeout = 0');
    lock.exec('BEGIN IMMEDIATE');
    const pending = commit.submit(write('after the lock'), () => 'never');
    await new Promise((resolve) => setTimeout(resolve, 30));
    lock.exec('COMMIT');
    expect(await pending).toBe('after the lock');
    expect(notes()).toEqual(['after the lock']);
  });
});
