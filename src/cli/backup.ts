import { join, resolve } from 'node:path';
import { BackupError, backupDatabase, restoreBackup } from '../db/backup.ts';
import { commandSettings } from './settings.ts';

/** `npm run backup [-- <folder>]`, and `npm run backup -- --restore <backup folder>`. */
function cli(args: string[]): number {
  const { config, key } = commandSettings();
  const secret = key.secret;
  if (args[0] === '--restore') {
    if (!args[1]) throw new BackupError('Say which backup: npm run backup -- --restore <backup folder>');
    restoreBackup({ dataDir: config.dataDir, secret, from: resolve(args[1]) });
    process.stdout.write(`Restored ${resolve(args[1])} into ${config.dataDir}. Start the assistant again.\n`);
    return 0;
  }
  const backup = backupDatabase({
    dataDir: config.dataDir,
    secret,
    keep: config.backupKeep,
    into: resolve(args[0] ?? join(config.dataDir, 'backups')),
  });
  process.stdout.write(
    `Backup written to ${backup.dir} (encrypted under the current key: keep that key too, elsewhere).\n`,
  );
  return 0;
}

try {
  process.exitCode = cli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
