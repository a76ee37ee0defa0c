import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPlaintextDatabase, openDatabase } from '../../src/db/client.ts';
import { DataKeyError, keyFileName, resolveDataKey } from '../../src/db/dataKey.ts';
import { decryptMedia, MediaUnreadableError, mediaKeys } from '../../src/db/fileCipher.ts';
import { transcript } from '../../src/db/schema.ts';
import { MediaStore } from '../../src/engine/mediaStore.ts';
import { setup as setupEngine, tempDir } from '../helpers.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0).reverse()) done();
});

function temp() {
  const t = tempDir();
  cleanup.push(t.remove);
  return t.dir;
}

/** Every byte of the database and its WAL and shared-memory files, as they lie on disk. */
function filesOf(db: string): Buffer[] {
  return [db, `${db}-wal`, `${db}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
}

const marker = 'MARKER-رقم-الهوية-1000000008-سكري';

describe('encryption at rest › the database', () => {
  it('should leave no plaintext of a message written through the app in the database, its WAL or its SHM', async () => {
    const dir = temp();
    const s = setupEngine({ dir });
    await s.say('chat-1', marker);
    // Still open: the message sits in the WAL, not yet checkpointed.
    const rows = s.db.select().from(transcript).all();
    expect(rows.some((r) => r.text === marker)).toBe(true);
    const file = join(dir, 'test.db');
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    for (const bytes of filesOf(file)) {
      expect(bytes.includes(Buffer.from(marker))).toBe(false);
      expect(bytes.includes(Buffer.from('1000000008'))).toBe(false);
    }
    s.close();
    for (const bytes of filesOf(file)) expect(bytes.includes(Buffer.from(marker))).toBe(false);
  });

  it('should read "file is not a database" without the key, and with a wrong one', () => {
    const dir = temp();
    const file = join(dir, 'assistant.db');
    const database = openDatabase(file, 'k'.repeat(40));
    database.close();
    const plain = new Database(file);
    expect(() => plain.prepare('select * from sqlite_master').all()).toThrow(/file is not a database/);
    plain.close();
    expect(() => openDatabase(file, 'w'.repeat(40))).toThrow(/file is not a database/);
    // With the right key, everything is there.
    const again = openDatabase(file, 'k'.repeat(40));
    expect(again.pragma('journal_mode')).toBe('wal');
    // 2: FAST — deleted rows are overwritten where that costs no extra write.
    expect(again.pragma('secure_delete')).toBe(2);
    again.close();
  });

  it('should encrypt in place a database written before encryption, keeping its rows', () => {
    const dir = temp();
    const file = join(dir, 'assistant.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('create table kept (v text)');
    old.prepare('insert into kept values (?)').run(marker);
    old.close();
    expect(isPlaintextDatabase(file)).toBe(true);
    const database = openDatabase(file, 'k'.repeat(40));
    expect(database.connection.prepare('select v from kept').get()).toEqual({ v: marker });
    database.close();
    expect(isPlaintextDatabase(file)).toBe(false);
    for (const bytes of filesOf(file)) expect(bytes.includes(Buffer.from(marker))).toBe(false);
  });
});

describe('encryption at rest › the key', () => {
  it('should generate a 0600 key file under DATA_DIR once, and use it again after', () => {
    const dir = join(temp(), 'data');
    const first = resolveDataKey({ dataDir: dir, production: false });
    expect(first).toMatchObject({ source: 'file', generated: true, file: join(dir, keyFileName) });
    expect(statSync(join(dir, keyFileName)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o077).toBe(0);
    const second = resolveDataKey({ dataDir: dir, production: false });
    expect(second).toMatchObject({ secret: first.secret, generated: false });
  });

  it('should take DATA_KEY when set, and refuse production without it in one line naming DATA_KEY', () => {
    const dir = temp();
    expect(resolveDataKey({ dataDir: dir, envKey: 'e'.repeat(32), production: true }).secret).toBe('e'.repeat(32));
    expect(() => resolveDataKey({ dataDir: dir, production: true })).toThrow(DataKeyError);
    expect(() => resolveDataKey({ dataDir: dir, production: true })).toThrow(/^DATA_KEY is not set[^\n]*$/);
    expect(existsSync(join(dir, keyFileName))).toBe(false);
  });

  it('should refuse a damaged key file rather than start a new database under another key', () => {
    const dir = temp();
    writeFileSync(join(dir, keyFileName), 'short\n');
    chmodSync(join(dir, keyFileName), 0o600);
    expect(() => resolveDataKey({ dataDir: dir, production: false })).toThrow(/damaged/);
  });

  it('should refuse to generate a new key beside an encrypted database whose key file is gone', () => {
    const dir = temp();
    openDatabase(join(dir, 'assistant.db')).close();
    rmSync(join(dir, keyFileName));
    expect(() => resolveDataKey({ dataDir: dir, production: false })).toThrow(
      /missing but .*assistant\.db is encrypted/,
    );
    expect(existsSync(join(dir, keyFileName))).toBe(false);
  });
});

describe('encryption at rest › the files people send', () => {
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from(marker)]);

  it('should keep a file encrypted (0600, in a 0700 folder) and give it back decrypted', async () => {
    const dir = temp();
    const store = new MediaStore(dir, 100_000, 'k'.repeat(40));
    const stored = await store.save(jpeg);
    const onDisk = readFileSync(join(dir, stored.path));
    expect(onDisk.subarray(0, 8).toString('latin1')).toBe('ATAAENC1');
    expect(onDisk.includes(Buffer.from(marker))).toBe(false);
    expect(stored.path).not.toContain(stored.sha256);
    expect(statSync(join(dir, stored.path)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, stored.path, '..')).mode & 0o077).toBe(0);
    expect(await store.read(stored.path)).toEqual(Buffer.from(jpeg));
  });

  it('should still read a file kept before encryption, as it is', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'old.jpg'), jpeg);
    expect(await new MediaStore(dir, 100_000, 'k'.repeat(40)).read('old.jpg')).toEqual(Buffer.from(jpeg));
  });

  it('should refuse a file under another key, or tampered with', async () => {
    const dir = temp();
    const stored = await new MediaStore(dir, 100_000, 'k'.repeat(40)).save(jpeg);
    await expect(new MediaStore(dir, 100_000, 'w'.repeat(40)).read(stored.path)).rejects.toThrow(MediaUnreadableError);
    const bytes = readFileSync(join(dir, stored.path));
    bytes[40] = (bytes[40] ?? 0) ^ 1;
    expect(() => decryptMedia(mediaKeys('k'.repeat(40)), bytes)).toThrow(/damaged/);
  });
});

describe('encryption at rest › starting', () => {
  it('should refuse `npm start` in production without DATA_KEY in one line, writing nothing', () => {
    const dir = join(temp(), 'data');
    const result = spawnSync('npx', ['tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      encoding: 'utf8',
      timeout: 60_000,
      input: '',
      env: {
        ...process.env,
        DATA_DIR: dir,
        DATA_KEY: '',
        NODE_ENV: 'production',
        STAFF_PORT: '0',
        CONSOLE_CHAT: 'false',
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^DATA_KEY is not set/)]);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('file permissions', () => {
  it('should leave the data folder, database, WAL, key and log readable by their owner only', async () => {
    const dir = join(temp(), 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const log = join(temp(), 'assistant.log');
    writeFileSync(log, '');
    chmodSync(log, 0o644);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: 'ignore',
      env: {
        ...process.env,
        DATA_DIR: dir,
        DATA_KEY: '',
        LOG_FILE: log,
        NODE_ENV: 'development',
        STAFF_PORT: '0',
        CONSOLE_CHAT: 'false',
      },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      // Running: the database, its WAL and the log have been written.
      await vi.waitFor(() => expect(readFileSync(log, 'utf8')).toContain('The assistant is running.'), {
        timeout: 60_000,
        interval: 200,
      });
      const files = readdirSync(dir, { recursive: true, withFileTypes: true });
      expect(files.map((f) => f.name)).toEqual(
        expect.arrayContaining(['assistant.db', 'assistant.db-wal', keyFileName]),
      );
      const entries = [
        { path: dir, folder: true },
        ...files.map((f) => ({ path: join(f.parentPath, f.name), folder: f.isDirectory() })),
      ];
      for (const entry of entries) {
        expect({ path: entry.path, mode: statSync(entry.path).mode & 0o777 }).toEqual({
          path: entry.path,
          mode: entry.folder ? 0o700 : 0o600,
        });
      }
      expect(statSync(log).mode & 0o777).toBe(0o600);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
