import type { Db } from '../db/client.ts';
import { outboxDepth } from '../db/outbox.ts';
import type { EngineInbox } from './channel.ts';
import type { DeliveryStats } from './outboxDrainer.ts';

/** Something about a channel that an admin must know or do. */
export type ChannelProblem =
  /** WhatsApp waits for the association's phone to scan the QR code (or type the pairing code). */
  | 'waitingForLink'
  /** WhatsApp blocked the number (TOS_BLOCK, SMB_TOS_BLOCK): nothing is retried. */
  | 'banned'
  /** WhatsApp Web no longer accepts this version of the library: it must be updated. */
  | 'deprecated'
  /** The channel cannot run on this server (WhatsApp: no browser installed). */
  | 'unavailable'
  /** Telegram: another program receives this bot's updates (409). */
  | 'conflict'
  /** Telegram: the bot token was refused (401). */
  | 'unauthorized';

/** A channel's condition, in the words `/health` and the alerts use. */
export interface ChannelCondition {
  /** The channel's own word for its state (ready, waiting-for-link, polling, conflict…). */
  state: string;
  /** Whether it receives and sends now. */
  up: boolean;
  problem?: ChannelProblem;
  /** Restarts since start, for a channel that counts them. */
  restarts?: number;
}

/** The WhatsApp channel's status read as a condition (its status type stays in its adapter). */
export function whatsappCondition(status: { state: string; restarts: number }): ChannelCondition {
  const problems: Record<string, ChannelProblem> = {
    'waiting-for-link': 'waitingForLink',
    banned: 'banned',
    deprecated: 'deprecated',
    unavailable: 'unavailable',
  };
  const problem = problems[status.state];
  return {
    state: status.state,
    up: status.state === 'ready',
    ...(problem ? { problem } : {}),
    restarts: status.restarts,
  };
}

/** The Telegram channel's status read as a condition. */
export function telegramCondition(status: { state: string }): ChannelCondition {
  const problem = status.state === 'conflict' || status.state === 'unauthorized' ? status.state : undefined;
  return {
    state: status.state,
    up: status.state === 'polling' || status.state === 'webhook',
    ...(problem ? { problem } : {}),
  };
}

/** How one channel is watched. */
export interface ChannelProbe {
  name: string;
  read(): ChannelCondition;
  /** Down longer than this, `/health` answers 503. */
  downLimitMs: number;
  /** The channel's outbox drainer, for the last reply sent and failing replies. */
  delivery?: () => DeliveryStats;
}

/** What is wrong that an admin should be told, on the console's pages and in the staff chat. */
export interface Alert {
  channel: string;
  kind: ChannelProblem | 'restarts' | 'repliesFailing';
  /** For `restarts`: how many in the last hour. */
  count?: number;
}

/** One channel in the `/health` answer. No personal data: states, times and counts only. */
export interface ChannelHealth {
  state: string;
  up: boolean;
  /** Whole minutes it has been down, while it is. */
  downMinutes: number | null;
  restartsLastHour: number | null;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  queue: { pending: number; oldestMinutes: number | null };
}

/** The `/health` answer: `ok`, or `unhealthy` with the reasons. */
export interface HealthReport {
  status: 'ok' | 'unhealthy';
  reasons: string[];
  checkedAt: string;
  channels: Record<string, ChannelHealth>;
}

/** When a channel counts as unhealthy or alarming. */
export interface HealthLimits {
  /** A reply pending longer than this makes `/health` answer 503. */
  outboxAgeMs: number;
  /** More restarts than this in an hour is an alert. */
  restartsPerHour: number;
  /** This many failed attempts in a row, or a reply given up in the last hour, is an alert. */
  failuresInARow?: number;
}

const hour = 60 * 60_000;

/**
 * Watches the channels: since when each has been down, its restarts in the last hour, its last
 * message in and out, and its outbox. Read by `/health` (503 with the reasons when a channel has
 * been down too long or a reply waits too long) and by the alerts. Kept in memory: times are
 * since this start.
 */
export class HealthMonitor {
  private readonly downSince = new Map<string, number>();
  private readonly lastRestarts = new Map<string, number>();
  private readonly restartTimes = new Map<string, number[]>();
  private readonly lastInbound = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly probes: ChannelProbe[],
    private readonly limits: HealthLimits,
    private readonly clock: () => Date = () => new Date(),
  ) {
    // A channel that never comes up is down since the start.
    for (const probe of probes) this.downSince.set(probe.name, clock().getTime());
  }

  /** Wraps the engine for one channel, noting when its last message came in. */
  inboxFor(channel: string, inbox: EngineInbox): EngineInbox {
    return {
      handle: (inbound) => {
        this.lastInbound.set(channel, this.clock().getTime());
        return inbox.handle(inbound);
      },
      lastReply: (name, chatId) => inbox.lastReply(name, chatId),
      room: () => inbox.room?.() ?? Promise.resolve(),
    };
  }

  /** Reads every channel now and brings the record up to date; returns what it read. */
  observe(): Map<string, ChannelCondition> {
    const now = this.clock().getTime();
    const conditions = new Map<string, ChannelCondition>();
    for (const probe of this.probes) {
      const condition = probe.read();
      conditions.set(probe.name, condition);
      if (condition.up) this.downSince.delete(probe.name);
      else if (!this.downSince.has(probe.name)) this.downSince.set(probe.name, now);
      if (condition.restarts !== undefined) {
        const before = this.lastRestarts.get(probe.name) ?? 0;
        const times = (this.restartTimes.get(probe.name) ?? []).filter((t) => t > now - hour);
        for (let i = before; i < condition.restarts; i++) times.push(now);
        this.restartTimes.set(probe.name, times);
        this.lastRestarts.set(probe.name, condition.restarts);
      }
    }
    return conditions;
  }

  /** What an admin should be told now. */
  alerts(): Alert[] {
    const conditions = this.observe();
    const now = this.clock().getTime();
    const alerts: Alert[] = [];
    for (const probe of this.probes) {
      const condition = conditions.get(probe.name) as ChannelCondition;
      if (condition.problem) alerts.push({ channel: probe.name, kind: condition.problem });
      const restarts = this.restartTimes.get(probe.name)?.length ?? 0;
      if (restarts > this.limits.restartsPerHour)
        alerts.push({ channel: probe.name, kind: 'restarts', count: restarts });
      const delivery = probe.delivery?.();
      const gaveUpLately = delivery?.lastGaveUpAt !== undefined && delivery.lastGaveUpAt.getTime() > now - hour;
      const sentSince = (delivery?.lastSentAt?.getTime() ?? 0) > (delivery?.lastGaveUpAt?.getTime() ?? 0);
      if (
        delivery &&
        (delivery.consecutiveFailures >= (this.limits.failuresInARow ?? 3) || (gaveUpLately && !sentSince))
      ) {
        alerts.push({ channel: probe.name, kind: 'repliesFailing' });
      }
    }
    return alerts;
  }

  /** The `/health` answer. */
  report(): HealthReport {
    const conditions = this.observe();
    const now = this.clock().getTime();
    const reasons: string[] = [];
    const channels: Record<string, ChannelHealth> = {};
    const minutes = (ms: number) => Math.floor(ms / 60_000);
    for (const probe of this.probes) {
      const condition = conditions.get(probe.name) as ChannelCondition;
      const downSince = this.downSince.get(probe.name);
      const down = downSince === undefined ? undefined : now - downSince;
      if (down !== undefined && down >= probe.downLimitMs) {
        reasons.push(`${probe.name} has not been up for ${minutes(down)} min (${condition.state})`);
      }
      const depth = outboxDepth(this.db, probe.name);
      const oldest = depth.oldestQueuedAt ? now - depth.oldestQueuedAt.getTime() : undefined;
      if (oldest !== undefined && oldest >= this.limits.outboxAgeMs) {
        reasons.push(`${probe.name} has a reply waiting for ${minutes(oldest)} min`);
      }
      const lastIn = this.lastInbound.get(probe.name);
      const lastOut = probe.delivery?.().lastSentAt;
      channels[probe.name] = {
        state: condition.state,
        up: condition.up,
        downMinutes: down === undefined ? null : minutes(down),
        restartsLastHour:
          condition.restarts === undefined
            ? null
            : (this.restartTimes.get(probe.name)?.filter((t) => t > now - hour).length ?? 0),
        lastInboundAt: lastIn === undefined ? null : new Date(lastIn).toISOString(),
        lastOutboundAt: lastOut ? lastOut.toISOString() : null,
        queue: { pending: depth.pending, oldestMinutes: oldest === undefined ? null : minutes(oldest) },
      };
    }
    return {
      status: reasons.length === 0 ? 'ok' : 'unhealthy',
      reasons,
      checkedAt: new Date(now).toISOString(),
      channels,
    };
  }
}
