import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError, backupDatabase, restoreBackup } from '../../src/db/backup.ts';
import { openDatabase } from '../../src/db/client.ts';
import { keyFileName } from '../../src/db/dataKey.ts';
import { MediaUnreadableError } from '../../src/db/fileCipher.ts';
import { rekeyData } from '../../src/db/rekey.ts';
import { MediaStore } from '../../src/engine/mediaStore.ts';
import { tempDir } from '../helpers.ts';

const root = join(import.meta.dirname, '../..');
const secret = 'a'.repeat(64);
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0).reverse()) done();
});

/** A data folder with the assistant's database open (as while it runs) and one table of notes. */
function running(dataDir: string, key = secret) {
  const database = openDatabase(join(dataDir, 'assistant.db'), key);
  cleanup.push(() => database.close());
  database.connection.exec('create table if not exists probe (v text)');
  const write = (v: string) => database.connection.prepare('insert into probe values (?)').run(v);
  const values = () =>
    (database.connection.prepare('select v from probe order by rowid').all() as { v: string }[]).map((r) => r.v);
  return { database, write, values };
}

function temp() {
  const t = tempDir();
  cleanup.push(t.remove);
  return t.dir;
}

const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('MEDICAL-REPORT')]);

describe('backups', () => {
  it('should copy the database consistently while it is written, still encrypted, with the files', async () => {
    const dataDir = temp();
    const app = running(dataDir);
    app.write('BEFORE-BACKUP-1');
    const stored = await new MediaStore(dataDir, 100_000, secret).save(jpeg);
    // A transaction in progress at the time of the copy is not in it, and does not block it.
    app.database.connection.exec('begin');
    app.write('UNCOMMITTED');
    const backup = backupDatabase({ dataDir, secret, into: join(dataDir, 'backups') });
    app.database.connection.exec('commit');
    app.write('AFTER-BACKUP');

    const bytes = readFileSync(backup.database);
    expect(bytes.includes(Buffer.from('BEFORE-BACKUP-1'))).toBe(false);
    const plain = new Database(backup.database);
    expect(() => plain.prepare('select * from probe').all()).toThrow(/file is not a database/);
    plain.close();
    expect(statSync(backup.dir).mode & 0o077).toBe(0);

    const copy = running(backup.dir);
    expect(copy.values()).toEqual(['BEFORE-BACKUP-1']);
    expect(await new MediaStore(backup.dir, 100_000, secret).read(stored.path)).toEqual(Buffer.from(jpeg));
  });

  it('should restore a backup in place of the current data, keeping the current database aside', async () => {
    const dataDir = temp();
    const app = running(dataDir);
    app.write('KEPT');
    const backup = backupDatabase({ dataDir, secret, into: temp() });
    app.write('LOST-AFTER-BACKUP');
    app.database.close();
    cleanup.pop();

    restoreBackup({ dataDir, secret, from: backup.dir });
    expect(running(dataDir).values()).toEqual(['KEPT']);
    expect(readdirSync(dataDir).some((f) => f.startsWith('assistant.db.before-restore-'))).toBe(true);
  });

  it('should refuse to restore a backup the key cannot read, and leave the data as it was', () => {
    const dataDir = temp();
    const app = running(dataDir);
    app.write('CURRENT');
    const backup = backupDatabase({ dataDir, secret, into: temp() });
    expect(() => restoreBackup({ dataDir, secret: 'b'.repeat(64), from: backup.dir })).toThrow(BackupError);
    expect(app.values()).toEqual(['CURRENT']);
    expect(readdirSync(dataDir).some((f) => f.includes('before-restore'))).toBe(false);
  });

  it('should keep only the newest BACKUP_KEEP backups in their folder', () => {
    const dataDir = temp();
    running(dataDir).write('ONE');
    const into = temp();
    const made = [1, 2, 3].map(
      (n) => backupDatabase({ dataDir, secret, into, keep: 2, now: new Date(Date.UTC(2026, 10, 25, 0, 0, n)) }).dir,
    );
    expect(
      readdirSync(into)
        .map((name) => join(into, name))
        .sort(),
    ).toEqual(made.slice(1));
  });

  it('should run as `npm run backup`, with the key file of a fresh data folder', () => {
    const dataDir = temp();
    const database = openDatabase(join(dataDir, 'assistant.db'));
    database.connection.exec("create table probe (v text); insert into probe values ('FROM-CLI')");
    const into = temp();
    const result = spawnSync('npx', ['tsx', 'src/cli/backup.ts', into], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DATA_DIR: dataDir, DATA_KEY: '', NODE_ENV: 'development' },
    });
    database.close();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const [folder] = readdirSync(into);
    const key = readFileSync(join(dataDir, keyFileName), 'utf8').trim();
    const copy = running(join(into, folder!), key);
    expect(copy.values()).toEqual(['FROM-CLI']);
  });
});

describe('key rotation', () => {
  it('should re-encrypt the database and the files under a new key and replace the key file', async () => {
    const dataDir = temp();
    const oldKey = readFileSync(join(openAndClose(dataDir), keyFileName), 'utf8').trim();
    const app = running(dataDir, oldKey);
    app.write('ROTATED');
    const stored = await new MediaStore(dataDir, 100_000, oldKey).save(jpeg);
    app.database.close();
    cleanup.pop();

    const result = rekeyData({ dataDir, oldSecret: oldKey, keyFile: join(dataDir, keyFileName) });
    expect(result.filesReencrypted).toBe(1);
    const newKey = readFileSync(join(dataDir, keyFileName), 'utf8').trim();
    expect(newKey).toBe(result.secret);
    expect(newKey).not.toBe(oldKey);
    expect(existsSync(join(dataDir, 'data.key.next'))).toBe(false);
    expect(() => openDatabase(join(dataDir, 'assistant.db'), oldKey)).toThrow(/file is not a database/);
    expect(running(dataDir, newKey).values()).toEqual(['ROTATED']);
    expect(await new MediaStore(dataDir, 100_000, newKey).read(stored.path)).toEqual(Buffer.from(jpeg));
    await expect(new MediaStore(dataDir, 100_000, oldKey).read(stored.path)).rejects.toThrow(MediaUnreadableError);
  });

  it('should run as `npm run db:rekey` on a data folder with a key file', () => {
    const dataDir = temp();
    const database = openDatabase(join(dataDir, 'assistant.db'));
    database.connection.exec("create table probe (v text); insert into probe values ('FROM-REKEY')");
    database.close();
    const before = readFileSync(join(dataDir, keyFileName), 'utf8').trim();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/rekey.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      input: '',
      env: { ...process.env, DATA_DIR: dataDir, DATA_KEY: '', NODE_ENV: 'development' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const after = readFileSync(join(dataDir, keyFileName), 'utf8').trim();
    expect(after).not.toBe(before);
    expect(result.stdout).not.toContain(after);
    expect(running(dataDir, after).values()).toEqual(['FROM-REKEY']);
  });

  it('should refuse while the assistant has the database open, changing nothing', async () => {
    const dataDir = temp();
    const app = running(dataDir);
    app.write('IN-USE');
    const stored = await new MediaStore(dataDir, 100_000, secret).save(jpeg);
    expect(() => rekeyData({ dataDir, oldSecret: secret, newSecret: 'c'.repeat(64) })).toThrow(/stop the assistant/);
    expect(app.values()).toEqual(['IN-USE']);
    expect(await new MediaStore(dataDir, 100_000, secret).read(stored.path)).toEqual(Buffer.from(jpeg));
  });
});

function openAndClose(dataDir: string): string {
  openDatabase(join(dataDir, 'assistant.db')).close();
  return dataDir;
}
