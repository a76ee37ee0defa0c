import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/db/checkpointer.ts';
import { openDatabase } from '../../src/db/client.ts';
import { tempDir, waitFor } from '../helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * An encrypted database file with a checkpointer, and a table of large rows: `write(n)` commits
 * `n` rows of 8,000 bytes in one transaction, as the engine commits a batch.
 */
function setup(options: Parameters<typeof startCheckpointer>[3]) {
  const temp = tempDir();
  const file = join(temp.dir, 'assistant.db');
  const secret = 'checkpointer-test-secret-0123456789abcdef';
  const database = openDatabase(file, secret);
  const checkpointer = startCheckpointer(database.connection, file, secret, options);
  cleanups.push(
    temp.remove,
    () => database.close(),
    () => checkpointer.stop(),
  );
  const c = database.connection;
  const before = statSync(file).size;
  c.exec('create table pages (body blob not null)');
  const insert = c.prepare('insert into pages (body) values (randomblob(8000))');
  const write = c.transaction((rows: number) => {
    for (let i = 0; i < rows; i++) insert.run();
  });
  return { file, c, checkpointer, before, write: (rows: number) => write.immediate(rows) };
}

describe('startCheckpointer', () => {
  it('should copy what is committed into the database file from its worker, not in the commits', async () => {
    const { file, c, before, write } = setup({ intervalMs: 20 });
    // About 2,000 pages, in transactions as the engine commits them: fewer than the assistant's
    // own connection would wait for before it checkpointed itself.
    for (let i = 0; i < 100; i++) write(10);
    expect(c.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await waitFor(() => statSync(file).size > before + 1_000 * 8_000);
    expect(c.prepare('select count(*) as n from pages').get()).toEqual({ n: 1_000 });
  });

  it('should pause commits to let a long log start again, while writes never stop', async () => {
    const { file, c, checkpointer, write } = setup({ intervalMs: 10, restartPages: 300 });
    // Writing without a break, as a burst does, minding the pause as the group commit does:
    // about 8,000 pages of log in all, over twenty times its limit.
    let pauses = 0;
    for (let i = 0; i < 600; i++) {
      const pause = checkpointer.pause();
      if (pause) {
        pauses++;
        await pause;
      }
      write(5);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(pauses).toBeGreaterThan(0);
    // The log started again from its beginning: without the pauses it would hold all ~8,000 pages.
    expect(statSync(`${file}-wal`).size / 4_120).toBeLessThan(4_000);
    expect(c.prepare('select count(*) as n from pages').get()).toEqual({ n: 3_000 });
  });
});
