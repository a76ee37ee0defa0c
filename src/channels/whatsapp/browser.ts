import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The files by which Chromium says "this profile is in use" (`SingletonLock` → `host-pid`). */
const lockFiles = ['SingletonLock', 'SingletonSocket', 'SingletonCookie'];

/**
 * Removes Chromium's profile lock from `profileDir` when its owner is gone: a browser killed
 * with the server (a crash, a reboot, a container that got a new host name) leaves it behind,
 * and the next launch then fails with "The profile appears to be in use by another Chromium
 * process". A lock whose process is still alive on this host is left alone. Returns whether a
 * stale lock was removed.
 */
export function removeStaleProfileLock(profileDir: string, host = hostname()): boolean {
  const lock = join(profileDir, 'SingletonLock');
  let target: string;
  try {
    lstatSync(lock);
    target = readlinkSync(lock);
  } catch (error) {
    // No lock; or a plain file Chromium did not write as a link: stale either way.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    target = '';
  }
  const dash = target.lastIndexOf('-');
  const owner = { host: target.slice(0, dash), pid: Number(target.slice(dash + 1)) };
  if (dash > 0 && owner.host === host && Number.isInteger(owner.pid) && isAlive(owner.pid)) return false;
  for (const file of lockFiles) rmSync(join(profileDir, file), { force: true });
  return true;
}

/** Whether a process with this id is running (a zombie that only waits to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // No /proc (not Linux): kill(0) said it runs.
  }
}

/**
 * Kills a browser and its helpers for good: its process group first (puppeteer starts Chromium
 * as a group leader), then the process itself.
 */
export function killBrowser(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone, or not a group leader.
    }
  }
}

/**
 * The resident memory of a process and all its descendants, in bytes (Chromium runs as many
 * processes), read from Linux's `/proc`; undefined where there is no `/proc`.
 */
export function processTreeBytes(rootPid: number, proc = '/proc'): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync(proc).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of entries) {
    try {
      const stat = readFileSync(join(proc, name, 'stat'), 'utf8');
      // pid (comm) state ppid … — comm may hold spaces and parentheses: read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
      const status = readFileSync(join(proc, name, 'status'), 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
      rss.set(pid, kb ? Number(kb) * 1024 : 0);
    } catch {
      // The process ended while we looked.
    }
  }
  if (!rss.has(rootPid)) return undefined;
  let total = 0;
  const queue = [rootPid];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    total += rss.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}
