import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { OrgProfile } from './domain/orgProfile.ts';

/** Days of the week as `Intl` and `Date#getDay()` number them (0 = Sunday). */
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** The environment variables the assistant reads, with their defaults. `.env.example` documents each. */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: z.string().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  // Empty (`DATA_KEY=` in .env) is unset: the key file is used.
  DATA_KEY: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(32, 'at least 32 characters, e.g. the output of `openssl rand -hex 32`').optional(),
  ),
  RETENTION_TRANSCRIPT_DAYS: z.coerce
    .number({ message: 'a whole number of days' })
    .int()
    .min(1)
    .max(36_500)
    .default(365),
  RETENTION_DOCUMENT_DAYS: z.coerce.number({ message: 'a whole number of days' }).int().min(1).max(36_500).default(365),
  BACKUP_KEEP: z.coerce.number({ message: 'a whole number of backups' }).int().min(1).max(1000).default(7),
  RETENTION_AT: z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'a time of day like 03:00, or off')
    .default('03:00'),
  CONSOLE_CHAT: booleanFlag.optional(),
  CONSOLE_USER: z.string().min(1).max(64).default('local'),

  ORG_NAME_AR: z.string().min(1).default('جمعية عطاء الصحية'),
  ORG_NAME_EN: z.string().min(1).default('Ataa Health Association'),
  ORG_REGISTRATION_NUMBER: z.string().min(1).default('1748'),
  ORG_REGISTRATION_DATE_HIJRI: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a Hijri date as YYYY-MM-DD, e.g. 1442-04-09')
    .default('1442-04-09'),
  ORG_CITY_AR: z.string().min(1).default('القصيم - عثيرة'),
  ORG_CITY_EN: z.string().min(1).default('Al-Qassim, Uthaythiyah'),
  ORG_PHONE: z.string().min(5).default('0509994514'),
  ORG_SUPPORT_LINE: z.string().min(3).default('937'),
  ORG_WEBSITE: z.string().min(3).default('atta.a.org.sa'),
  ORG_EMAIL: z.email('an e-mail address').default('info@atta.a.org.sa'),
  ORG_WORKING_DAYS: z
    .string()
    .regex(/^(sun|mon|tue|wed|thu|fri|sat)-(sun|mon|tue|wed|thu|fri|sat)$/, 'a range of days like sun-thu')
    .default('sun-thu'),
  ORG_WORKING_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'a range of times like 08:00-15:00')
    .default('08:00-15:00'),
  ORG_TIMEZONE: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Riyadh').default('Asia/Riyadh'),
  DECISION_DAYS: z.coerce.number({ message: 'a whole number of days' }).int().min(1).max(365).default(14),

  MEDIA_MAX_BYTES: z.coerce
    .number({ message: 'a number of bytes' })
    .int()
    .min(1000)
    .max(100_000_000)
    .default(10_000_000),

  STAFF_HOST: z.string().min(1).default('127.0.0.1'),
  STAFF_PORT: z.coerce.number({ message: 'a TCP port' }).int().min(0).max(65535).default(3000),
  STAFF_SECURE_COOKIES: booleanFlag.default(false),
  STAFF_TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2}|[\d.:a-fA-F/]+(,[\d.:a-fA-F/]+)*)$/,
      "false, true, a number of proxies, or the proxies' addresses (e.g. 127.0.0.1,10.0.0.0/8)",
    )
    .default('false')
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v.split(','))),
  STAFF_SESSION_IDLE_MINUTES: z.coerce
    .number({ message: 'minutes' })
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
  STAFF_SESSION_MAX_HOURS: z.coerce.number({ message: 'hours' }).int().min(1).max(72).default(12),

  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]{20,}$/, 'a bot token from @BotFather, like 123456:ABC-DEF…')
    .optional(),
  TELEGRAM_API_ROOT: z.url('a URL such as https://api.telegram.org').default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z.url('the public https URL Telegram should post updates to').optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[\w-]{16,256}$/, '16 to 256 letters, digits, _ or -')
    .optional(),
  TELEGRAM_POLL_TIMEOUT: z.coerce.number({ message: 'seconds' }).int().min(0).max(50).default(30),
  TELEGRAM_PER_CHAT_INTERVAL_MS: z.coerce.number({ message: 'milliseconds' }).int().min(0).max(60_000).default(1000),
  TELEGRAM_GLOBAL_PER_SECOND: z.coerce.number({ message: 'messages per second' }).min(0.1).max(30).default(25),

  WHATSAPP_ENABLED: booleanFlag.default(false),
  WHATSAPP_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  WHATSAPP_PAIRING_NUMBER: z
    .string()
    .regex(/^\d{8,15}$/, 'the phone number with country code, digits only, e.g. 966501234567')
    .optional(),
  WHATSAPP_READY_TIMEOUT_MS: z.coerce.number({ message: 'milliseconds' }).int().min(1000).default(180_000),
  WHATSAPP_HEALTH_INTERVAL_MS: z.coerce.number({ message: 'milliseconds' }).int().min(100).default(30_000),
  WHATSAPP_RESTART_BACKOFF_MS: z.coerce.number({ message: 'milliseconds' }).int().min(10).max(600_000).default(2000),
  WHATSAPP_PER_CHAT_INTERVAL_MS: z.coerce.number({ message: 'milliseconds' }).int().min(0).max(60_000).default(1500),
  WHATSAPP_GLOBAL_PER_SECOND: z.coerce.number({ message: 'messages per second' }).min(0.1).max(20).default(2),
  WHATSAPP_GRACE_CHECKS: z.coerce.number({ message: 'a number of checks' }).int().min(1).max(20).default(3),
  WHATSAPP_QR_IDLE_MS: z.coerce.number({ message: 'milliseconds' }).int().min(1000).default(90_000),
  WHATSAPP_DESTROY_TIMEOUT_MS: z.coerce.number({ message: 'milliseconds' }).int().min(100).default(15_000),
  WHATSAPP_RECYCLE_AT: z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'a time like 04:00 (ORG_TIMEZONE), or off')
    .default('04:00'),
  WHATSAPP_MEMORY_LIMIT_MB: z.coerce.number({ message: 'megabytes (0: no limit)' }).int().min(0).default(1500),
  WHATSAPP_WEB_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'a WhatsApp Web version like 2.3000.1017054665')
    .optional(),
  WHATSAPP_WEB_VERSION_URL: z
    .url('an https URL with {version} in it')
    .refine((url) => url.includes('{version}'), 'an https URL with {version} in it')
    .optional(),

  HANDOFF_NO_ANSWER_MINUTES: z.coerce
    .number({ message: 'minutes' })
    .min(1)
    .max(24 * 60)
    .default(15),

  REVIEW_INTERVAL_DAYS: z.coerce.number({ message: 'a whole number of days' }).int().min(7).max(730).default(180),
  AID_CITIES: z
    .string()
    .regex(
      /^[A-Za-z][\w-]*:[^|,:]+\|[^|,:]+(,[A-Za-z][\w-]*:[^|,:]+\|[^|,:]+)*$/,
      'a list like buraydah:بريدة|Buraydah,unaizah:عنيزة|Unaizah',
    )
    .default(
      'buraydah:بريدة|Buraydah,unaizah:عنيزة|Unaizah,rass:الرس|Ar Rass,mithnab:المذنب|Al Mithnab,bukayriyah:البكيرية|Al Bukayriyah,badaya:البدائع|Al Badaya,asyah:الأسياح|Al Asyah,nabhaniyah:النبهانية|An Nabhaniyah,uyunAlJiwa:عيون الجواء|Uyun Al Jiwa,riyadhAlKhabra:رياض الخبراء|Riyadh Al Khabra,shimasiyah:الشماسية|Ash Shimasiyah,uqlatAsSuqur:عقلة الصقور|Uqlat As Suqur,dariyah:ضرية|Dariyah,uthaythiyah:عثيرة|Uthaythiyah',
    )
    .transform((list) =>
      list.split(',').map((entry) => {
        const [id, names] = entry.split(':') as [string, string];
        const [ar, en] = names.split('|') as [string, string];
        return { id, names: { ar: ar.trim(), en: en.trim() } };
      }),
    ),

  COMPLAINT_RESPONSE_DAYS: z.coerce
    .number({ message: 'a whole number of working days' })
    .int()
    .min(1)
    .max(60)
    .default(5),
  COMPLAINT_URGENT_WORDS: z
    .string()
    .regex(/^[^,]*[^\s,][^,]*(,[^,]*[^\s,][^,]*)*$/, 'a comma-separated list of words, like عاجل,مستعجل,urgent')
    .default('عاجل,مستعجل,ضروري,خطير,بسرعة,فورا,urgent,asap,immediately')
    .transform((list) => list.split(',').map((word) => word.trim())),

  OUTBOX_MAX_ATTEMPTS: z.coerce.number({ message: 'a whole number' }).int().min(1).max(1000).default(15),
  OUTBOX_DEADLINE_HOURS: z.coerce.number({ message: 'hours' }).min(0.01).max(720).default(48),

  HEALTH_WHATSAPP_MINUTES: z.coerce.number({ message: 'minutes' }).min(0.1).max(1440).default(10),
  HEALTH_TELEGRAM_MINUTES: z.coerce.number({ message: 'minutes' }).min(0.1).max(1440).default(5),
  HEALTH_OUTBOX_MINUTES: z.coerce.number({ message: 'minutes' }).min(0.1).max(10_080).default(15),
  ALERT_TELEGRAM_CHAT_ID: z
    .string()
    .regex(/^-?\d{1,20}$/, 'a Telegram chat id, digits (a group: with its minus sign)')
    .optional(),
  ALERT_WHATSAPP_NUMBER: z
    .string()
    .regex(/^\d{8,15}$/, 'the phone number with country code, digits only, e.g. 966501234567')
    .optional(),
  ALERT_RESTARTS_PER_HOUR: z.coerce.number({ message: 'a whole number' }).int().min(1).max(1000).default(3),
  ALERT_COOLDOWN_MINUTES: z.coerce.number({ message: 'minutes' }).min(0).max(10_080).default(60),
  ALERT_CHECK_MS: z.coerce.number({ message: 'milliseconds' }).int().min(50).max(600_000).default(15_000),
  TIMER_POLL_MS: z.coerce.number({ message: 'milliseconds' }).int().min(10).max(60_000).default(1000),
});

/** The names of every variable the assistant reads; `.env.example` must document each. */
export const configVariables = Object.keys(schema.shape);

/** Variables whose values are secrets: never echoed in an error, never logged. */
const secretVariables: ReadonlySet<string> = new Set(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'DATA_KEY']);

/**
 * The environment without the assistant's secrets, for a process it starts: the WhatsApp browser
 * runs WhatsApp Web's own code and has no use for the data key or the Telegram token.
 */
export function childEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !secretVariables.has(name)));
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The validated configuration of one running assistant. */
export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  logFile: string | undefined;
  dataDir: string;
  /** The secret the data is encrypted under (`DATA_KEY`); unset: a key file under `dataDir`. */
  dataKey: string | undefined;
  /** How long transcripts and documents of closed matters are kept, and when the daily purge runs. */
  retention: { transcriptMs: number; documentMs: number; at: string | undefined };
  /** How many backups `npm run backup` keeps in its folder (the oldest beyond are deleted). */
  backupKeep: number;
  /** Whether to chat in the terminal: forced on by `npm run chat`, otherwise decided at start. */
  consoleChat: boolean | undefined;
  consoleUser: string;
  org: OrgProfile;
  decisionDays: number;
  outboxMaxAttempts: number;
  /** How long a reply may wait for a channel that is not ready before it is marked failed. */
  outboxDeadlineMs: number;
  /** When `/health` answers 503: how long a channel may be down, a reply may wait. */
  health: { whatsappNotReadyMs: number; telegramFailingMs: number; outboxAgeMs: number };
  /** Who is told when a channel needs an admin, and how often. */
  alerts: {
    telegramChatId: string | undefined;
    whatsappNumber: string | undefined;
    restartsPerHour: number;
    cooldownMs: number;
    /** How often channel states are looked at. */
    checkMs: number;
  };
  timerPollMs: number;
  mediaMaxBytes: number;
  /** Working time a person waits for staff before being told again and highlighted. */
  handoffNoAnswerMs: number;
  /** How often a permanent beneficiary's circumstances are reviewed. */
  reviewIntervalMs: number;
  /** The cities and districts an applicant chooses from ("other" is always offered too). */
  cities: { id: string; names: { ar: string; en: string } }[];
  /** Complaints and suggestions: working days to answer, and the words that make a complaint urgent. */
  complaints: { responseDays: number; urgentWords: string[] };
  /** The HTTP server: the staff console and, in webhook mode, Telegram's updates. */
  http: {
    host: string;
    port: number;
    secureCookies: boolean;
    /** Which reverse proxies may say who the client is (`X-Forwarded-For`): Fastify's `trustProxy`. */
    trustProxy: boolean | number | string[];
    /** A staff session ends after this long without the staff member's own action… */
    sessionIdleMs: number;
    /** …and after this long in any case (a working day). */
    sessionMaxMs: number;
  };
  /** Set when WHATSAPP_ENABLED is true. */
  whatsapp:
    | {
        chromiumPath: string;
        pairingNumber: string | undefined;
        readyTimeoutMs: number;
        healthIntervalMs: number;
        /** First wait before re-creating a broken client; doubles up to five minutes. */
        restartBackoffMs: number;
        perChatIntervalMs: number;
        globalPerSecond: number;
        /** Health checks that may find WhatsApp Web reconnecting before a restart. */
        graceChecks: number;
        /** A QR code not renewed for this long re-creates the client. */
        qrIdleMs: number;
        /** How long the browser may take to close before it is killed. */
        destroyTimeoutMs: number;
        /** The daily recycle, `HH:MM` in the organisation's time zone; undefined: none. */
        recycleAt: string | undefined;
        timeZone: string;
        /** Recycle when the browser uses more memory (bytes); undefined: no limit. */
        memoryLimitBytes: number | undefined;
        /** A pinned WhatsApp Web version, and where to fetch it (else the local cache). */
        webVersion: string | undefined;
        webVersionUrl: string | undefined;
      }
    | undefined;
  /** Set when TELEGRAM_BOT_TOKEN is. */
  telegram:
    | {
        token: string;
        apiRoot: string;
        webhookUrl: string | undefined;
        webhookSecret: string | undefined;
        pollTimeoutSeconds: number;
        perChatIntervalMs: number;
        globalPerSecond: number;
      }
    | undefined;
}

/** Thrown when the environment holds a value the assistant cannot run with; the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the configuration from `env` (the process environment by default, after
 * loading `.env` when present). Throws a {@link ConfigError} naming the first bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = readProcessEnv()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') ?? '?';
    const value = env[variable] ?? '';
    // A mistyped secret is still mostly the secret: say how long it is, never what it is.
    const got = secretVariables.has(variable) ? `a value of ${value.length} characters` : `"${value}"`;
    throw new ConfigError(`Configuration: ${variable} must be ${issue?.message ?? 'valid'} (got ${got}).`);
  }
  const c = parsed.data;
  const [fromDay, toDay] = c.ORG_WORKING_DAYS.split('-') as [(typeof dayNames)[number], (typeof dayNames)[number]];
  const [from, to] = c.ORG_WORKING_HOURS.split('-') as [string, string];
  return {
    env: c.NODE_ENV,
    logLevel: c.LOG_LEVEL,
    logFile: c.LOG_FILE,
    dataDir: c.DATA_DIR,
    dataKey: c.DATA_KEY,
    retention: {
      transcriptMs: c.RETENTION_TRANSCRIPT_DAYS * 86_400_000,
      documentMs: c.RETENTION_DOCUMENT_DAYS * 86_400_000,
      at: c.RETENTION_AT === 'off' ? undefined : c.RETENTION_AT,
    },
    backupKeep: c.BACKUP_KEEP,
    consoleChat: c.CONSOLE_CHAT,
    consoleUser: c.CONSOLE_USER,
    org: {
      name: { ar: c.ORG_NAME_AR, en: c.ORG_NAME_EN },
      city: { ar: c.ORG_CITY_AR, en: c.ORG_CITY_EN },
      registrationNumber: c.ORG_REGISTRATION_NUMBER,
      registrationDateHijri: c.ORG_REGISTRATION_DATE_HIJRI,
      phone: c.ORG_PHONE,
      supportLine: c.ORG_SUPPORT_LINE,
      website: c.ORG_WEBSITE,
      email: c.ORG_EMAIL,
      workingDays: dayRange(dayNames.indexOf(fromDay), dayNames.indexOf(toDay)),
      workingHours: { from, to },
      timeZone: c.ORG_TIMEZONE,
    },
    decisionDays: c.DECISION_DAYS,
    outboxMaxAttempts: c.OUTBOX_MAX_ATTEMPTS,
    outboxDeadlineMs: c.OUTBOX_DEADLINE_HOURS * 3_600_000,
    health: {
      whatsappNotReadyMs: c.HEALTH_WHATSAPP_MINUTES * 60_000,
      telegramFailingMs: c.HEALTH_TELEGRAM_MINUTES * 60_000,
      outboxAgeMs: c.HEALTH_OUTBOX_MINUTES * 60_000,
    },
    alerts: {
      telegramChatId: c.ALERT_TELEGRAM_CHAT_ID,
      whatsappNumber: c.ALERT_WHATSAPP_NUMBER,
      restartsPerHour: c.ALERT_RESTARTS_PER_HOUR,
      cooldownMs: c.ALERT_COOLDOWN_MINUTES * 60_000,
      checkMs: c.ALERT_CHECK_MS,
    },
    timerPollMs: c.TIMER_POLL_MS,
    mediaMaxBytes: c.MEDIA_MAX_BYTES,
    handoffNoAnswerMs: c.HANDOFF_NO_ANSWER_MINUTES * 60_000,
    reviewIntervalMs: c.REVIEW_INTERVAL_DAYS * 86_400_000,
    cities: c.AID_CITIES,
    complaints: { responseDays: c.COMPLAINT_RESPONSE_DAYS, urgentWords: c.COMPLAINT_URGENT_WORDS },
    http: {
      host: c.STAFF_HOST,
      port: c.STAFF_PORT,
      secureCookies: c.STAFF_SECURE_COOKIES,
      trustProxy: c.STAFF_TRUST_PROXY,
      sessionIdleMs: c.STAFF_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: c.STAFF_SESSION_MAX_HOURS * 3_600_000,
    },
    whatsapp: c.WHATSAPP_ENABLED
      ? {
          chromiumPath: c.WHATSAPP_CHROMIUM_PATH,
          pairingNumber: c.WHATSAPP_PAIRING_NUMBER,
          readyTimeoutMs: c.WHATSAPP_READY_TIMEOUT_MS,
          healthIntervalMs: c.WHATSAPP_HEALTH_INTERVAL_MS,
          restartBackoffMs: c.WHATSAPP_RESTART_BACKOFF_MS,
          perChatIntervalMs: c.WHATSAPP_PER_CHAT_INTERVAL_MS,
          globalPerSecond: c.WHATSAPP_GLOBAL_PER_SECOND,
          graceChecks: c.WHATSAPP_GRACE_CHECKS,
          qrIdleMs: c.WHATSAPP_QR_IDLE_MS,
          destroyTimeoutMs: c.WHATSAPP_DESTROY_TIMEOUT_MS,
          recycleAt: c.WHATSAPP_RECYCLE_AT === 'off' ? undefined : c.WHATSAPP_RECYCLE_AT,
          timeZone: c.ORG_TIMEZONE,
          memoryLimitBytes: c.WHATSAPP_MEMORY_LIMIT_MB > 0 ? c.WHATSAPP_MEMORY_LIMIT_MB * 1_000_000 : undefined,
          webVersion: c.WHATSAPP_WEB_VERSION,
          webVersionUrl: c.WHATSAPP_WEB_VERSION_URL,
        }
      : undefined,
    telegram: c.TELEGRAM_BOT_TOKEN
      ? {
          token: c.TELEGRAM_BOT_TOKEN,
          apiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
          webhookUrl: c.TELEGRAM_WEBHOOK_URL,
          webhookSecret: c.TELEGRAM_WEBHOOK_SECRET,
          pollTimeoutSeconds: c.TELEGRAM_POLL_TIMEOUT,
          perChatIntervalMs: c.TELEGRAM_PER_CHAT_INTERVAL_MS,
          globalPerSecond: c.TELEGRAM_GLOBAL_PER_SECOND,
        }
      : undefined,
  };
}

/**
 * The configured secret values, for the logger to hide wherever they appear. A new secret
 * setting belongs here as well as in `secretVariables`.
 */
export function secretsOf(config: Config): string[] {
  return [config.telegram?.token, config.telegram?.webhookSecret, config.dataKey].filter(
    (value) => value !== undefined,
  );
}

function dayRange(from: number, to: number): number[] {
  const days = [from];
  for (let d = from; d !== to; ) {
    d = (d + 1) % 7;
    days.push(d);
  }
  return days;
}

function readProcessEnv(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
