import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Creates the application logger: JSON lines in production or when written to a file, readable
 * lines in a terminal. Log ids, kinds and counts, never message text, national ids or phones.
 */
export function createLogger(options: { level: string; file?: string | undefined; pretty: boolean }): Logger {
  const destination = options.file ?? 2;
  const base = { level: options.level, serializers: { err: serializeError } };
  if (options.pretty && options.file === undefined) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino(base, pino.destination({ dest: destination, mkdir: true, sync: false }));
}

/**
 * Logs an error without the values it may carry: drizzle puts a failed query's parameters (a
 * message text, an ID number) in its message, after "params:".
 */
export function serializeError(error: unknown): Record<string, unknown> {
  const plain = pino.stdSerializers.err(error as Error);
  const scrub = (text: unknown) =>
    typeof text === 'string' ? text.replace(/params:[\s\S]*?(\n|$)/g, 'params: [hidden]$1') : text;
  return { ...plain, message: scrub(plain.message), stack: scrub(plain.stack) };
}
