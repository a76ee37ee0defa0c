import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';

const migrations = join(import.meta.dirname, '../../migrations');

/** The migrations folder as it stood after migration number `last` (0-based), in a scratch copy. */
function migrationsUpTo(dir: string, last: number): string {
  const folder = join(dir, 'migrations');
  cpSync(migrations, folder, { recursive: true });
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8'));
  journal.entries = journal.entries.filter((entry: { idx: number }) => entry.idx <= last);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  return folder;
}

describe('migrations', () => {
  it('should keep the ratings given before ratings were asked and answered separately', () => {
    const temp = tempDir();
    try {
      const sqlite = new Database(join(temp.dir, 'old.db'));
      sqlite.pragma('foreign_keys = ON');
      const db = drizzle(sqlite);
      migrate(db, { migrationsFolder: migrationsUpTo(temp.dir, 10) });
      sqlite.prepare(`insert into conversations (channel, chat_id, flow_version) values ('telegram', '42', 2)`).run();
      sqlite
        .prepare(
          `insert into ratings (conversation_id, subject, subject_id, score, created_at) values (1, 'handoff', 7, 4, 1764050000000)`,
        )
        .run();
      migrate(db, { migrationsFolder: migrations });
      expect(sqlite.prepare('select * from ratings').all()).toEqual([
        {
          id: 1,
          conversation_id: 1,
          subject: 'handoff',
          subject_id: 7,
          staff_user_id: null,
          channel: '',
          score: 4,
          comment: null,
          asked_at: 1764050000000,
          answered_at: 1764050000000,
          created_at: 1764050000000,
        },
      ]);
      expect(sqlite.prepare('select count(*) as n from ticket_categories').get()).toEqual({ n: 6 });
      sqlite.close();
    } finally {
      temp.remove();
    }
  });
});
