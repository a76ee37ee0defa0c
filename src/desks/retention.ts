import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Cron } from 'croner';
import type { Db } from '../db/client.ts';
import {
  checkpoint,
  type PurgeResult,
  purgeExpired,
  type RetentionPolicy,
  referencedMediaPaths,
} from '../db/retention.ts';
import type { Logger } from '../logger.ts';

/** A file no row refers to is left this long first: a file is written before its row commits. */
const orphanGraceMs = 24 * 3_600_000;

/** What one retention run removed. */
export interface RetentionReport extends PurgeResult {
  filesDeleted: number;
}

/**
 * The daily purge (PDPL: data is destroyed once its purpose ends): rows first, in one transaction,
 * then the files no row refers to any more — also files a crash left behind after an earlier run.
 */
export async function runRetention(options: {
  db: Db;
  dataDir: string;
  policy: RetentionPolicy;
  now?: Date;
}): Promise<RetentionReport> {
  const now = options.now ?? new Date();
  const purged = purgeExpired(options.db, now, options.policy);
  // Old versions of the purged pages leave the WAL now rather than at the next checkpoint.
  checkpoint(options.db);
  let filesDeleted = 0;
  for (const path of purged.unreferencedPaths) {
    await rm(join(options.dataDir, path), { force: true });
    filesDeleted += 1;
  }
  filesDeleted += await sweepOrphans(options.db, options.dataDir, now);
  return { ...purged, filesDeleted };
}

/** Deletes stored files no row refers to (older than a day), and temporary files of interrupted writes. */
async function sweepOrphans(db: Db, dataDir: string, now: Date): Promise<number> {
  const root = join(dataDir, 'media');
  const shards = await readdir(root).catch(() => [] as string[]);
  const referenced = referencedMediaPaths(db);
  let deleted = 0;
  for (const shard of shards) {
    const names = await readdir(join(root, shard)).catch(() => [] as string[]);
    for (const name of names) {
      const relative = join('media', shard, name);
      if (referenced.has(relative)) continue;
      const info = await stat(join(dataDir, relative)).catch(() => undefined);
      if (!info?.isFile() || now.getTime() - info.mtimeMs < orphanGraceMs) continue;
      await rm(join(dataDir, relative), { force: true });
      deleted += 1;
    }
  }
  return deleted;
}

/**
 * Runs {@link runRetention} every day at `at` (HH:MM) in the organisation's time zone. A failed
 * run is logged and tried again the next day; counts are logged, never what was purged.
 */
export function scheduleRetention(options: {
  db: Db;
  dataDir: string;
  policy: RetentionPolicy;
  at: string;
  timeZone: string;
  logger: Logger;
}): { stop(): void; nextRun(): Date | null } {
  const [hours, minutes] = options.at.split(':').map(Number) as [number, number];
  const job = new Cron(`${minutes} ${hours} * * *`, { timezone: options.timeZone, protect: true }, async () => {
    try {
      const report = await runRetention(options);
      const { unreferencedPaths, ...counts } = report;
      options.logger.info(counts, 'Retention: expired transcripts and documents purged.');
    } catch (error) {
      options.logger.error({ err: error }, 'Retention: the daily purge failed; it runs again tomorrow.');
    }
  });
  return { stop: () => job.stop(), nextRun: () => job.nextRun() };
}
