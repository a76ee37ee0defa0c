import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { findStaffByUsername } from '../../src/db/staff.ts';
import { checkLogin } from '../../src/staff/auth.ts';
import { tempDir } from '../helpers.ts';

const temps: { remove: () => void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

function staff(dir: string, args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/staff.ts', ...args], {
    env: { ...process.env, DATA_DIR: dir },
    input: input ?? '',
    encoding: 'utf8',
  });
}

describe('npm run staff -- add', () => {
  it('should create an account with a piped password, hashed with argon2id', async () => {
    const temp = tempDir();
    temps.push(temp);
    const run = staff(temp.dir, ['add', 'Huda', '--role', 'officer', '--name', 'هدى'], 'a-long-enough-password\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Created officer account "huda"');
    expect(run.stdout).not.toContain('a-long-enough-password');
    const database = openDatabase(join(temp.dir, 'assistant.db'));
    const user = findStaffByUsername(database.db, 'huda');
    expect(user?.passwordHash.startsWith('$argon2id$')).toBe(true);
    expect(user?.displayName).toBe('هدى');
    expect(await checkLogin(database.db, 'huda', 'a-long-enough-password')).toMatchObject({ id: user?.id });
    database.close();
  });

  it('should generate and print a password once when none is given', async () => {
    const temp = tempDir();
    temps.push(temp);
    const run = staff(temp.dir, ['add', 'majed', '--role', 'manager']);
    expect(run.status).toBe(0);
    const password = run.stdout.match(/Password \(shown once, write it down\): (\S+)/)?.[1] ?? '';
    expect(password).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    const database = openDatabase(join(temp.dir, 'assistant.db'));
    expect(await checkLogin(database.db, 'majed', password)).toMatchObject({ role: 'manager' });
    database.close();
  });

  it('should refuse an unknown role or a duplicate account with a clear message', () => {
    const temp = tempDir();
    temps.push(temp);
    const bad = staff(temp.dir, ['add', 'omar', '--role', 'boss']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--role <officer|researcher|manager|admin>');
    expect(staff(temp.dir, ['add', 'omar', '--role', 'officer']).status).toBe(0);
    const again = staff(temp.dir, ['add', 'omar', '--role', 'officer']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already an account named "omar"');
  });
});
