import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decryptMedia, encryptMedia, mediaKeys } from '../db/fileCipher.ts';

/** How a spool line is sealed at rest and opened again (the messages hold personal data). */
export interface SpoolCipher {
  seal(line: string): string;
  open(sealed: string): string;
}

/**
 * Seals spool lines with AES-256-GCM under a key derived from the data key, as received files
 * are: a message waiting in the spool is no more readable on disk than in the database.
 */
export function spoolCipher(secret: string): SpoolCipher {
  const keys = mediaKeys(secret);
  return {
    seal: (line) => encryptMedia(keys, Buffer.from(line, 'utf8')).toString('base64'),
    open: (sealed) => decryptMedia(keys, Buffer.from(sealed, 'base64')).toString('utf8'),
  };
}

/**
 * Messages kept on disk until the database takes them: from a channel that never delivers a
 * message twice (WhatsApp) while the engine has too much in hand, or when committing one failed.
 * Append-only files of one JSON line per message under `<dataDir>/spool`, written with fsync
 * before an append resolves, read oldest file first, and removed only once everything in a file
 * is committed. A crash in between replays the file: the engine drops what it already has by the
 * message's id, so nothing is lost and nothing is handled twice.
 */
export class Spool {
  private readonly dir: string;
  private writing: number;
  private inWriting = 0;
  private held = 0;
  private buffer: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    dataDir: string,
    /** A file is closed to new lines after this many, so that replaying reads a bounded amount. */
    private readonly perFile = 200,
    /** Seals each line at rest; without it lines are plain JSON (tests). */
    private readonly cipher?: SpoolCipher,
  ) {
    this.dir = join(dataDir, 'spool');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const files = this.files();
    for (const file of files) this.held += lines(readFileSync(join(this.dir, name(file)), 'utf8')).length;
    this.writing = (files.at(-1) ?? 0) + 1;
  }

  /** How many messages wait on disk (or are being written there). */
  get size(): number {
    return this.held + this.buffer.length;
  }

  /** Keeps one message; resolves once it is on disk (fsync), rejects if it could not be written. */
  append(entry: object): Promise<void> {
    const line = this.line(entry);
    return new Promise((resolve, reject) => {
      this.buffer.push({ line, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * The oldest file's messages, parsed (a line cut short by a crash mid-write is skipped: it
   * was never acknowledged), and `done` to remove the file once they are all committed.
   * Undefined when nothing waits.
   */
  next(): { entries: unknown[]; skipped: number; done: (setAside?: unknown[]) => void } | undefined {
    if (this.buffer.length > 0) this.flush();
    const oldest = this.files()[0];
    if (oldest === undefined) return undefined;
    // New messages go to a new file from now on: this one is read as it is.
    if (oldest === this.writing) {
      this.writing++;
      this.inWriting = 0;
    }
    const path = join(this.dir, name(oldest));
    const entries: unknown[] = [];
    let skipped = 0;
    const all = lines(readFileSync(path, 'utf8'));
    for (const line of all) {
      try {
        entries.push(JSON.parse(this.cipher ? this.cipher.open(line) : line, reviveDates));
      } catch {
        skipped++;
      }
    }
    return {
      entries,
      skipped,
      done: (setAside = []) => {
        // What could not be committed after many tries is kept apart (never replayed, never lost).
        if (setAside.length > 0)
          this.write(
            join(this.dir, 'set-aside.jsonl'),
            setAside.map((e) => this.line(e)),
          );
        rmSync(path, { force: true });
        this.held = Math.max(0, this.held - all.length);
      },
    };
  }

  private line(entry: unknown): string {
    const json = JSON.stringify(entry);
    return `${this.cipher ? this.cipher.seal(json) : json}\n`;
  }

  /** Appends lines to a file and syncs it. */
  private write(path: string, lines: string[]): void {
    const fd = openSync(path, 'a', 0o600);
    try {
      writeSync(fd, lines.join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.buffer.splice(0);
    if (batch.length === 0) return;
    try {
      for (let start = 0; start < batch.length; ) {
        const room = this.perFile - this.inWriting;
        if (room <= 0) {
          this.writing++;
          this.inWriting = 0;
          continue;
        }
        const part = batch.slice(start, start + room);
        this.write(
          join(this.dir, name(this.writing)),
          part.map((p) => p.line),
        );
        this.inWriting += part.length;
        this.held += part.length;
        start += part.length;
      }
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    for (const entry of batch) entry.resolve();
  }

  /** The files' numbers, oldest first. */
  private files(): number[] {
    return readdirSync(this.dir)
      .map((file) => /^(\d+)\.jsonl$/.exec(file)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }
}

function name(n: number): string {
  return `${String(n).padStart(10, '0')}.jsonl`;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Dates were written as ISO strings (an inbound's `sentAt`); they come back as dates. */
function reviveDates(key: string, value: unknown): unknown {
  return key === 'sentAt' && typeof value === 'string' && isoDate.test(value) ? new Date(value) : value;
}
