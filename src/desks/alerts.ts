import type { Locale } from '../domain/messages.ts';
import type { Channel } from '../engine/channel.ts';
import type { Alert } from '../engine/health.ts';
import type { Logger } from '../logger.ts';

/** The text of each alert, literal so that the locale checks see every key. */
export const alertKeys: Record<Alert['kind'] | 'resolved', string> = {
  waitingForLink: 'alerts:waitingForLink',
  banned: 'alerts:banned',
  deprecated: 'alerts:deprecated',
  unavailable: 'alerts:unavailable',
  conflict: 'alerts:conflict',
  unauthorized: 'alerts:unauthorized',
  restarts: 'alerts:restarts',
  repliesFailing: 'alerts:repliesFailing',
  resolved: 'alerts:resolved',
};

/** The channels' names in alerts. */
const channelKeys: Record<string, string> = {
  whatsapp: 'alerts:channels.whatsapp',
  telegram: 'alerts:channels.telegram',
};

/** An alert in words, in `locale`. */
export function alertText(
  alert: Alert,
  locale: Locale,
  translate: (key: string, locale: Locale, params?: Record<string, string | number>) => string,
  key: string = alertKeys[alert.kind],
): string {
  const channelKey = channelKeys[alert.channel];
  const channel = channelKey ? translate(channelKey, locale) : alert.channel;
  return translate(key, locale, { channel, restarts: alert.count ?? 0 });
}

/** Where alerts go: a chat on a channel (the staff Telegram group, an admin's WhatsApp). */
export interface AlertTarget {
  channel: Channel;
  chatId: string;
}

/** What the notifier needs. */
export interface AlertOptions {
  targets: AlertTarget[];
  translate: (key: string, locale: Locale, params?: Record<string, string | number>) => string;
  /** The same alert (channel and kind) is not sent again within this long. */
  cooldownMs: number;
  logger: Logger;
  clock?: () => Date;
}

/** A message to a target that could not be sent yet (its channel may be the one that is down). */
interface Undelivered {
  target: AlertTarget;
  text: string;
  at: number;
}

const keyOf = (alert: Alert) => `${alert.channel}:${alert.kind}`;
const day = 24 * 60 * 60_000;

/**
 * Tells admins when a channel needs them, without spamming: an alert is sent once when it starts
 * (not on every check while it lasts), and not again within the cool-down if it stops and starts
 * again; its end is said once too. What could not be delivered (the staff chat is on the channel
 * that is down) is tried again at the next check, for a day. The console shows {@link active}.
 */
export class AlertNotifier {
  private current = new Map<string, Alert>();
  private readonly lastSent = new Map<string, number>();
  /** Alerts whose start was said, so that their end is said too. */
  private readonly announced = new Set<string>();
  private undelivered: Undelivered[] = [];
  private readonly clock: () => Date;

  constructor(private readonly options: AlertOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** The alerts in force now, for the console's banner. */
  active(): Alert[] {
    return [...this.current.values()];
  }

  /** Takes the alerts in force now; sends what started or ended. Resolves once sends are tried. */
  async update(alerts: Alert[]): Promise<void> {
    const now = this.clock().getTime();
    const next = new Map(alerts.map((alert) => [keyOf(alert), alert]));
    const messages: string[] = [];
    const { translate, cooldownMs, logger } = this.options;
    for (const [key, alert] of next) {
      if (this.current.has(key)) continue;
      logger.warn({ channel: alert.channel, alert: alert.kind }, 'Alert: a channel needs an admin.');
      const last = this.lastSent.get(key);
      if (last !== undefined && now - last < cooldownMs) continue;
      this.lastSent.set(key, now);
      this.announced.add(key);
      messages.push(alertText(alert, 'ar', translate));
    }
    for (const [key, alert] of this.current) {
      if (next.has(key)) continue;
      logger.info({ channel: alert.channel, alert: alert.kind }, 'Alert over.');
      // Only an alert that was said is said to be over (one held back by the cool-down was not);
      // restarts calm down by themselves, with nothing for an admin to do.
      if (!this.announced.delete(key) || alert.kind === 'restarts') continue;
      messages.push(alertText(alert, 'ar', translate, alertKeys.resolved));
    }
    this.current = next;
    const retry = this.undelivered.filter((u) => now - u.at < day);
    const fresh = messages.flatMap((text) => this.options.targets.map((target) => ({ target, text, at: now })));
    this.undelivered = [];
    for (const item of [...retry, ...fresh]) await this.deliver(item);
  }

  private async deliver(item: Undelivered): Promise<void> {
    try {
      await item.target.channel.send(item.target.chatId, { locale: 'ar', text: item.text });
    } catch (err) {
      if (this.undelivered.length < 50) this.undelivered.push(item);
      this.options.logger.warn(
        { channel: item.target.channel.name, err: err instanceof Error ? err.name : 'unknown' },
        'Alert: the staff chat could not be told; trying again at the next check.',
      );
    }
  }
}
