import { type Config, loadConfig } from '../config.ts';
import { type DataKey, resolveDataKey } from '../db/dataKey.ts';

/**
 * What every command-line entry starts from: the configuration from the environment and the
 * data key it names, with files it creates readable by their owner only.
 */
export function commandSettings(): { config: Config; key: DataKey } {
  const config = loadConfig();
  process.umask(0o077);
  const key = resolveDataKey({
    dataDir: config.dataDir,
    envKey: config.dataKey,
    production: config.env === 'production',
  });
  return { config, key };
}
