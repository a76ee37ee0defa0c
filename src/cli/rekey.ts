import { join } from 'node:path';
import { keyFileName } from '../db/dataKey.ts';
import { rekeyData } from '../db/rekey.ts';
import { commandSettings } from './settings.ts';

/** `npm run db:rekey` (a new key may be piped in; else one is generated). */
async function cli(): Promise<number> {
  const { config, key: current } = commandSettings();
  let piped = '';
  if (!process.stdin.isTTY) for await (const chunk of process.stdin) piped += String(chunk);
  const newSecret = piped.split('\n')[0]?.trim() || undefined;
  const result = rekeyData({
    dataDir: config.dataDir,
    oldSecret: current.secret,
    ...(newSecret ? { newSecret } : {}),
    ...(current.file ? { keyFile: current.file } : {}),
  });
  process.stdout.write(`Re-encrypted the database and ${result.filesReencrypted} file(s).\n`);
  if (current.source === 'env') {
    process.stdout.write(
      newSecret
        ? 'Set DATA_KEY to the new key before the next start.\n'
        : `Set DATA_KEY to this new key before the next start (it is shown once):\n${result.secret}\n`,
    );
  } else {
    process.stdout.write(`The new key is in ${join(config.dataDir, keyFileName)}: replace your copy of it.\n`);
  }
  process.stdout.write('Backups made before keep the old key: keep it as long as you keep them.\n');
  return 0;
}

try {
  process.exitCode = await cli();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
