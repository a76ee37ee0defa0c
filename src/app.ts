import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { rootFlowVersion, rootMachine } from '../flows/root/rootMachine.ts';
import { ConsoleChannel } from './channels/console/consoleChannel.ts';
import { TelegramChannel } from './channels/telegram/telegramChannel.ts';
import {
  type ClientSettings,
  createRealClient,
  showPairingCodeInTerminal,
  showQrInTerminal,
  type WhatsAppClient,
} from './channels/whatsapp/client.ts';
import { WhatsAppChannel } from './channels/whatsapp/whatsappChannel.ts';
import type { Config } from './config.ts';
import { startCheckpointer } from './db/checkpointer.ts';
import { type OpenDatabase, openDatabase } from './db/client.ts';
import { resolveDataKey } from './db/dataKey.ts';
import { taughtPhrases } from './db/missed.ts';
import { whatsappAliasStore } from './db/whatsappAliases.ts';
import { AlertNotifier, type AlertTarget } from './desks/alerts.ts';
import { CaseDesk } from './desks/cases.ts';
import { createEffects, effectSettingsOf } from './desks/effects.ts';
import { HandoffDesk } from './desks/handoff.ts';
import { PrivacyDesk } from './desks/privacy.ts';
import { scheduleRetention } from './desks/retention.ts';
import { TicketDesk } from './desks/tickets.ts';
import type { Channel } from './engine/channel.ts';
import { Engine } from './engine/engine.ts';
import { type ChannelProbe, HealthMonitor, telegramCondition, whatsappCondition } from './engine/health.ts';
import { MediaStore } from './engine/mediaStore.ts';
import { OutboxDrainer } from './engine/outboxDrainer.ts';
import { Pacer } from './engine/pacer.ts';
import { Renderer } from './engine/renderer.ts';
import { Spool, spoolCipher } from './engine/spool.ts';
import { TimerScheduler } from './engine/timerScheduler.ts';
import { registerHealth } from './http/health.ts';
import { createHttpServer } from './http/server.ts';
import { createI18n } from './i18n.ts';
import type { Logger } from './logger.ts';
import { registerConsole } from './staff/server.ts';
import { Understanding } from './understanding/understanding.ts';

/** The terminal the console channel talks through, when it runs. */
export interface Terminal {
  input: Readable;
  output: Writable;
  interactive: boolean;
}

/** A running assistant. */
export interface App {
  database: OpenDatabase;
  engine: Engine;
  /** The HTTP server: the staff console and the Telegram webhook. */
  http: FastifyInstance;
  /** Every channel that runs. */
  channels: Channel[];
  /** The console chat, when it runs: `finished` resolves at the end of its input. */
  console: ConsoleChannel | undefined;
  /** Sends everything that is due now on every channel. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root: database → i18n → engine → channels → workers. The console chat runs
 * when asked for, or when no platform is configured and the terminal is interactive.
 */
export async function startApp(
  config: Config,
  logger: Logger,
  terminal?: Terminal,
  options: {
    createWhatsAppClient?: (settings: ClientSettings) => Promise<WhatsAppClient>;
    /** Serve the staff console (off for the terminal-only `npm run chat`). */
    staffConsole?: boolean;
  } = {},
): Promise<App> {
  // Refuses to start in production without DATA_KEY (DataKeyError, one line from main.ts).
  const dataKey = resolveDataKey({
    dataDir: config.dataDir,
    envKey: config.dataKey,
    production: config.env === 'production',
  });
  if (dataKey.generated) {
    logger.warn(
      { file: dataKey.file },
      'No DATA_KEY: the data is encrypted under a key file just created beside it. Keep a copy of it apart from the data; in production set DATA_KEY.',
    );
  }
  const databaseFile = join(config.dataDir, 'assistant.db');
  const database = openDatabase(databaseFile, dataKey.secret);
  const checkpointer = startCheckpointer(database.connection, databaseFile, dataKey.secret);
  const i18n = createI18n();
  const renderer = new Renderer(i18n, config.org, config.decisionDays);
  const media = new MediaStore(config.dataDir, config.mediaMaxBytes, dataKey.secret);
  const drainers = new Map<string, OutboxDrainer>();
  const settings = effectSettingsOf(config);
  // Trained at start (or loaded, when the phrases have not changed since the last start).
  const started = performance.now();
  const understanding = new Understanding({
    cacheDir: join(config.dataDir, 'nlu'),
    taught: taughtPhrases(database.db),
  });
  logger.info({ ms: Math.round(performance.now() - started) }, 'Understanding is ready.');
  const engine = new Engine({
    db: database.db,
    flow: { machine: rootMachine, version: rootFlowVersion },
    renderer,
    effects: createEffects(settings),
    media,
    logger,
    understanding,
    onReplies: (channel) => drainers.get(channel)?.kick(),
    // WhatsApp never delivers a message twice: kept on disk while the engine is full or a commit fails.
    spooled: { spool: new Spool(config.dataDir, undefined, spoolCipher(dataKey.secret)), channels: ['whatsapp'] },
    // The local terminal is one trusted person (or a piped script): never a flood.
    flood: { limit: 30, windowMs: 60_000, exempt: ['console'] },
    commitPause: checkpointer.pause,
  });

  const http = createHttpServer(logger, config.http.trustProxy);
  const platforms: Channel[] = [];
  let telegram: TelegramChannel | undefined;
  if (config.telegram) {
    telegram = new TelegramChannel({
      ...config.telegram,
      pacer: new Pacer(config.telegram.perChatIntervalMs, config.telegram.globalPerSecond),
      logger,
      translate: (key, locale) => renderer.text(key, locale),
    });
    telegram.registerWebhook(http);
    platforms.push(telegram);
  }
  let whatsapp: WhatsAppChannel | undefined;
  if (config.whatsapp) {
    const settings = config.whatsapp;
    whatsapp = new WhatsAppChannel({
      createClient: () => (options.createWhatsAppClient ?? createRealClient)({ ...settings, dataDir: config.dataDir }),
      aliases: whatsappAliasStore(database.db),
      dataDir: config.dataDir,
      pacer: new Pacer(settings.perChatIntervalMs, settings.globalPerSecond),
      logger,
      readyTimeoutMs: settings.readyTimeoutMs,
      healthIntervalMs: settings.healthIntervalMs,
      backoffMs: [settings.restartBackoffMs, 5 * 60_000],
      graceChecks: settings.graceChecks,
      qrIdleMs: settings.qrIdleMs,
      destroyTimeoutMs: settings.destroyTimeoutMs,
      recycleAt: settings.recycleAt,
      timeZone: settings.timeZone,
      memoryLimitBytes: settings.memoryLimitBytes,
      showQr: (qr) => void showQrInTerminal(qr),
      showPairingCode: showPairingCodeInTerminal,
    });
    platforms.push(whatsapp);
  }
  const channels: Channel[] = [];
  const wantConsole = config.consoleChat ?? (platforms.length === 0 && terminal?.interactive === true);
  const flush = async () => {
    await engine.idle();
    await Promise.all([...drainers.values()].map((d) => d.drain()));
  };
  const consoleChannel =
    wantConsole && terminal
      ? new ConsoleChannel(terminal.input, terminal.output, config.consoleUser, terminal.interactive, flush)
      : undefined;
  if (consoleChannel) channels.push(consoleChannel);
  channels.push(...platforms);

  for (const channel of channels) {
    drainers.set(
      channel.name,
      new OutboxDrainer(database.db, channel, logger, {
        maxAttempts: config.outboxMaxAttempts,
        notReadyDeadlineMs: config.outboxDeadlineMs,
      }),
    );
  }
  const watch = watchChannels(config, logger, database, drainers, telegram, whatsapp, renderer);
  registerHealth(http, () => watch.monitor.report());
  const timers = new TimerScheduler(database.db, engine, logger, config.timerPollMs);
  timers.start();
  const retention = config.retention.at
    ? scheduleRetention({
        db: database.db,
        dataDir: config.dataDir,
        policy: config.retention,
        at: config.retention.at,
        timeZone: config.org.timeZone,
        logger,
      })
    : undefined;
  const serveConsole = options.staffConsole ?? true;
  if (serveConsole) {
    await registerConsole(http, {
      db: database.db,
      desk: new HandoffDesk(engine, settings),
      understanding,
      cases: new CaseDesk(engine, database.db, settings.cases),
      tickets: new TicketDesk(engine, database.db),
      privacy: new PrivacyDesk(engine, database.db, { dataDir: config.dataDir }),
      cities: config.cities,
      i18n,
      org: config.org,
      dataDir: config.dataDir,
      media,
      secureCookies: config.http.secureCookies,
      session: { idleMs: config.http.sessionIdleMs, maxMs: config.http.sessionMaxMs },
      whatsappStatus: whatsapp ? () => (whatsapp as WhatsAppChannel).status() : undefined,
      alerts: () => watch.notifier.active(),
      wakeOutbox: (channel) => drainers.get(channel)?.kick(),
    });
  }
  if (serveConsole || config.telegram?.webhookUrl) {
    await http.listen({ host: config.http.host, port: config.http.port }).catch((error: unknown) => {
      throw new Error(
        `The staff console cannot listen on ${config.http.host}:${config.http.port} (${String(error)}); set STAFF_PORT to a free port.`,
        { cause: error },
      );
    });
    logger.info({ url: `http://${config.http.host}:${config.http.port}` }, 'The staff console is listening.');
  }
  for (const drainer of drainers.values()) drainer.kick();
  for (const channel of channels) {
    await channel.start(watch.monitor.inboxFor(channel.name, engine), {
      ready: () => drainers.get(channel.name)?.wake(),
    });
  }
  watch.start();
  if (channels.length === 0) logger.warn('No channel is configured: set TELEGRAM_BOT_TOKEN, or run `npm run chat`.');
  logger.info({ channels: channels.map((c) => c.name), dataDir: config.dataDir }, 'The assistant is running.');

  return {
    database,
    engine,
    http,
    channels,
    console: consoleChannel,
    flush,
    async stop() {
      timers.stop();
      retention?.stop();
      watch.stop();
      await http.close();
      for (const channel of channels) await channel.stop();
      // What waits in the spool stays there for the next start.
      engine.close();
      await engine.idle();
      await Promise.all([...drainers.values()].map((drainer) => drainer.stop()));
      await checkpointer.stop();
      database.close();
    },
  };
}

/**
 * Watches the platforms for `/health` and the alerts: each channel's condition, its outbox and
 * its deliveries; every `ALERT_CHECK_MS` the alerts in force go to the configured staff chats.
 */
function watchChannels(
  config: Config,
  logger: Logger,
  database: OpenDatabase,
  drainers: Map<string, OutboxDrainer>,
  telegram: TelegramChannel | undefined,
  whatsapp: WhatsAppChannel | undefined,
  renderer: Renderer,
) {
  const probes: ChannelProbe[] = [];
  const targets: AlertTarget[] = [];
  const delivery = (name: string) => () => (drainers.get(name) as OutboxDrainer).stats();
  if (telegram) {
    const channel = telegram;
    probes.push({
      name: channel.name,
      read: () => telegramCondition(channel.status()),
      downLimitMs: config.health.telegramFailingMs,
      delivery: delivery(channel.name),
    });
    if (config.alerts.telegramChatId) targets.push({ channel, chatId: config.alerts.telegramChatId });
  }
  if (whatsapp) {
    const channel = whatsapp;
    probes.push({
      name: channel.name,
      read: () => whatsappCondition(channel.status()),
      downLimitMs: config.health.whatsappNotReadyMs,
      delivery: delivery(channel.name),
    });
    if (config.alerts.whatsappNumber) targets.push({ channel, chatId: `${config.alerts.whatsappNumber}@c.us` });
  }
  const monitor = new HealthMonitor(database.db, probes, {
    outboxAgeMs: config.health.outboxAgeMs,
    restartsPerHour: config.alerts.restartsPerHour,
  });
  const notifier = new AlertNotifier({
    targets,
    translate: (key, locale, params) => renderer.text(key, locale, params),
    cooldownMs: config.alerts.cooldownMs,
    logger,
  });
  let timer: NodeJS.Timeout | undefined;
  const check = () =>
    notifier.update(monitor.alerts()).catch((err: unknown) => logger.error({ err }, 'Checking the channels failed.'));
  return {
    monitor,
    notifier,
    start() {
      timer = setInterval(check, config.alerts.checkMs);
      timer.unref();
      void check();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
