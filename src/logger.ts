import { type Logger, pino } from 'pino';

export type { Logger };

/** What {@link createLogger} needs. */
export interface LoggerOptions {
  level: string;
  /** Write JSON lines to this file (created readable by its owner only) instead of stderr. */
  file?: string | undefined;
  pretty: boolean;
  /**
   * Values that must never reach a log line, wherever they appear (the bot token, the webhook
   * secret: `secretsOf(config)`). Bot API URLs are hidden even when this list is empty.
   */
  secrets?: readonly string[];
}

/**
 * Creates the application logger: JSON lines in production or when written to a file, readable
 * lines in a terminal. Log ids, kinds and counts, never message text, national ids or phones.
 * Secrets are hidden twice: in every logged error, field by field, and in each finished line,
 * so a secret logged under any key, in a message or in a child logger's bindings is hidden too.
 */
export function createLogger(options: LoggerOptions): Logger {
  const redact = createRedactor(options.secrets ?? []);
  const base = {
    level: options.level,
    serializers: { err: (error: unknown) => serializeError(error, redact) },
    hooks: { streamWrite: (line: string) => redact(line) },
  };
  if (options.pretty && options.file === undefined) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  if (options.file === undefined) return pino(base, pino.destination({ dest: 2, sync: false }));
  // 0600: a log file holds error details meant for the operator only.
  return pino(base, pino.destination({ dest: options.file, mkdir: true, sync: false, mode: 0o600 }));
}

const hidden = '[hidden]';
/** A Bot API path (`/bot<id>:<secret>/method`, `/file/bot…`), the colon possibly URL-encoded. */
const botApiPath = /bot\d+(?::|%3A)[\w-]+/gi;
/** A bot token on its own: `123456789:` and a long secret part. */
const botToken = /\b\d{5,}(?::|%3A)[\w-]{30,}/gi;

/**
 * Returns a function that hides every given secret (also URL- or JSON-escaped) and anything
 * shaped like a Telegram bot token in a text. Values shorter than 8 characters are ignored:
 * hiding them would garble ordinary words.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  const exact =
    forms.size === 0
      ? undefined
      : new RegExp(
          [...forms]
            .sort((a, b) => b.length - a.length)
            .map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('|'),
          'g',
        );
  return (text) => {
    const known = exact ? text.replace(exact, hidden) : text;
    return known.replace(botApiPath, `bot${hidden}`).replace(botToken, hidden);
  };
}

/** The redactor that knows no configured secret: it still hides bot tokens and Bot API URLs. */
const redactTokens = createRedactor([]);

/** Drizzle puts a failed query's parameters (a message text, an ID number) after "params:". */
function hideQueryParams(text: string): string {
  return text.replace(/params:[\s\S]*?(\n|$)/g, `params: ${hidden}$1`);
}

const maxDepth = 8;
const maxItems = 50;

/**
 * Logs an error without the values it may carry, whatever its shape: the `cause` chain (each
 * error with its own fields: grammY's `HttpError` keeps the fetch error, whose message holds the
 * request URL with the bot token, under `error`), an AggregateError's `errors`, errors nested in
 * plain objects, URLs and every string field. Drizzle's query parameters are hidden too.
 * `message` reads along the causes, as pino's own serializer writes it.
 */
export function serializeError(error: unknown, redact: (text: string) => string = redactTokens): unknown {
  const seen = new WeakSet<object>();
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redact(hideQueryParams(value));
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[circular]';
    if (depth > maxDepth) return '[too deep]';
    seen.add(value);
    if (value instanceof URL) return redact(value.href);
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.slice(0, maxItems).map((item) => clean(item, depth + 1));
    const out: Record<string, unknown> = {};
    let keys = Object.keys(value);
    if (isErrorLike(value)) {
      const err = value as Error;
      const type = typeof err.constructor === 'function' ? err.constructor.name : undefined;
      out.type = type && type !== 'Object' ? type : err.name;
      out.message = clean(messageWithCauses(err), depth + 1);
      out.stack = clean(err.stack, depth + 1);
      // Inherited enumerable fields count too; `cause` and an AggregateError's `errors` are not enumerable.
      keys = [];
      for (const key in err) if (key !== 'message' && key !== 'stack') keys.push(key);
      if (err.cause !== undefined && !keys.includes('cause')) keys.push('cause');
      if (Array.isArray((err as { errors?: unknown }).errors) && !keys.includes('errors')) keys.push('errors');
    }
    for (const key of keys.slice(0, maxItems)) {
      const field = clean((value as Record<string, unknown>)[key], depth + 1);
      if (field !== undefined) out[key] = field;
    }
    return out;
  };
  return clean(error, 0);
}

function isErrorLike(value: object): boolean {
  return typeof (value as { message?: unknown }).message === 'string';
}

function messageWithCauses(error: Error): string {
  const messages: string[] = [];
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === 'object' && e !== null && isErrorLike(e) && !seen.has(e); ) {
    seen.add(e);
    const { message, cause } = e as Error;
    if (message) messages.push(message);
    e = cause;
  }
  return messages.join(': ');
}

/**
 * One line for a human about an error that stopped the program: its message and those of the
 * errors it wraps (`cause`, grammY's `error`, an AggregateError's `errors`), secrets hidden.
 */
export function describeError(error: unknown, redact: (text: string) => string = redactTokens): string {
  const messages: string[] = [];
  const seen = new Set<unknown>();
  const walk = (value: unknown, depth: number) => {
    if (seen.has(value) || depth > maxDepth) return;
    seen.add(value);
    if (typeof value !== 'object' || value === null || !isErrorLike(value)) {
      if (depth === 0 || typeof value === 'string') messages.push(String(value));
      return;
    }
    const { message, cause, error: inner, errors } = value as Error & { error?: unknown; errors?: unknown };
    if (message && !messages.includes(message)) messages.push(message);
    for (const next of [inner, cause, ...(Array.isArray(errors) ? errors : [])]) {
      if (next !== undefined) walk(next, depth + 1);
    }
  };
  walk(error, 0);
  return redact(hideQueryParams(messages.join(': ')));
}
