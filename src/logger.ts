import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Creates the application logger: JSON lines in production or when written to a file, readable
 * lines in a terminal. Log ids, kinds and counts, never message text, national ids or phones.
 */
export function createLogger(options: { level: string; file?: string | undefined; pretty: boolean }): Logger {
  const destination = options.file ?? 2;
  if (options.pretty && options.file === undefined) {
    return pino({
      level: options.level,
      transport: { target: 'pino-pretty', options: { destination, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino({ level: options.level }, pino.destination({ dest: destination, mkdir: true, sync: false }));
}
