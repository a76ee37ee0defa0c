import type { Db } from '../db/client.ts';
import { markUnreachable } from '../db/conversations.ts';
import {
  dueReplies,
  failPending,
  makeDue,
  markFailed,
  markRetry,
  markSent,
  nextDueAt,
  type OutboxRow,
} from '../db/outbox.ts';
import type { Logger } from '../logger.ts';
import { type Channel, ChannelSendError } from './channel.ts';

/** How long a reply may wait for a channel that is not ready before it is marked failed. */
export const defaultNotReadyDeadlineMs = 48 * 60 * 60_000;

/** How the drainer paces and retries; the defaults suit a chat platform. */
export interface DrainerOptions {
  /** Delivery attempts before a reply is marked failed; `notReady` failures are not attempts. */
  maxAttempts: number;
  /**
   * How long a reply may wait, counted from when it was queued, while its channel says it is not
   * ready (starting, restarting, waiting for a link); then it is marked failed. 48 hours by default.
   */
  notReadyDeadlineMs?: number;
  /** First retry delay; doubled per attempt up to `maxDelayMs`, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Chats served at once. */
  concurrency?: number;
  /** Replies taken in one round (one chat's oldest each) and recorded in one transaction; 32 by default. */
  round?: number;
  clock?: () => Date;
}

/** How a channel's deliveries go, for `/health` and the alerts. */
export interface DeliveryStats {
  /** When a reply last left. */
  lastSentAt: Date | undefined;
  /** Failed attempts since the last reply that left (a channel that is not ready, or a blocked user, aside). */
  consecutiveFailures: number;
  /** When a reply was last given up on (rejected, out of attempts, or past the deadline). */
  lastGaveUpAt: Date | undefined;
}

/**
 * Sends one channel's queued replies: oldest first per chat, retries with back-off (or the
 * platform's own `retryAfterMs`), and stops sending to a chat the platform says is unreachable.
 * Started after a restart it sends whatever was left pending, so no committed reply is lost.
 * While the channel is not ready, replies wait (not counted as attempts) until the long deadline,
 * and {@link OutboxDrainer.wake} sends them as soon as it is ready again.
 */
export class OutboxDrainer {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly clock: () => Date;
  private readonly delivery: DeliveryStats = {
    lastSentAt: undefined,
    consecutiveFailures: 0,
    lastGaveUpAt: undefined,
  };

  constructor(
    private readonly db: Db,
    private readonly channel: Channel,
    private readonly logger: Logger,
    private readonly options: DrainerOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Asks for a drain soon; calls while draining are merged into one more round. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain();
  }

  /** How deliveries have gone since start. */
  stats(): DeliveryStats {
    return { ...this.delivery };
  }

  /**
   * The channel has become ready: everything pending on it is due now (what waited for it no
   * longer waits out its back-off), and a drain starts.
   */
  wake(): void {
    if (this.stopped || this.closed) return;
    makeDue(this.db, this.channel.name, this.clock());
    this.kick();
  }

  /** Drains until nothing is due now (also what was queued during a drain already under way). */
  drain(): Promise<void> {
    if (this.stopped) return this.running ?? Promise.resolve();
    if (this.running) return this.running.then(() => this.drain());
    this.running = this.rounds().finally(() => {
      this.running = undefined;
      this.sleep();
    });
    return this.running;
  }

  /**
   * Stops draining; waits (up to `graceMs`) for sends already under way, so that their outcome
   * is recorded before the database closes. A send cut short stays pending for the next start.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (graceMs <= 0) {
      this.closed = true;
      return;
    }
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (timeout = setTimeout(resolve, graceMs)))]);
    clearTimeout(timeout);
    this.closed = true;
  }

  private async rounds(): Promise<void> {
    clearTimeout(this.timer);
    do {
      this.again = false;
      const due = dueReplies(this.db, this.channel.name, this.clock(), this.options.round ?? 32);
      if (due.length === 0) break;
      const failures: unknown[] = [];
      let next = 0;
      const sender = async () => {
        for (let i = next++; i < due.length; i = next++) failures[i] = await this.send(due[i] as OutboxRow);
      };
      await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, sender));
      // After stop's grace period the database may be closed: the replies stay pending for the next start.
      if (this.closed) return;
      // One transaction (one fsync) records the whole round.
      this.db.transaction((tx) => {
        for (const [i, row] of due.entries()) this.record(tx, row, failures[i]);
      });
      this.again = true;
    } while (this.again && !this.stopped);
  }

  private sleep(): void {
    const next = nextDueAt(this.db, this.channel.name);
    if (!next || this.stopped) return;
    const wait = Math.max(0, Math.min(next.getTime() - this.clock().getTime(), 2_147_000_000));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  /** Sends one reply; resolves to why it failed, or undefined once it left. */
  private async send(row: OutboxRow): Promise<unknown> {
    try {
      await this.channel.send(row.chatId, row.payload);
      return undefined;
    } catch (error) {
      return error ?? new Error('The send failed.');
    }
  }

  /** Records how sending a reply went: sent, to be tried again, or given up on. */
  private record(tx: Db, row: OutboxRow, failure: unknown): void {
    if (failure === undefined) {
      markSent(tx, row.id, this.clock());
      this.delivery.lastSentAt = this.clock();
      this.delivery.consecutiveFailures = 0;
      return;
    }
    const attempts = row.attempts + 1;
    const reason = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    const log = { outboxId: row.id, conversationId: row.conversationId, attempts, channel: row.channel };
    const kind = failure instanceof ChannelSendError ? failure.failure : 'retry';
    if (kind === 'notReady') {
      this.waitForChannel(tx, row, reason);
    } else if (kind === 'unreachable') {
      markFailed(tx, row.id, attempts, reason);
      failPending(tx, row.conversationId, 'chat unreachable');
      markUnreachable(tx, row.conversationId);
      this.logger.warn(log, 'The platform refused delivery for good; the chat is marked unreachable.');
    } else if (kind === 'rejected' || attempts >= this.options.maxAttempts) {
      this.delivery.consecutiveFailures++;
      this.delivery.lastGaveUpAt = this.clock();
      markFailed(tx, row.id, attempts, reason);
      this.logger.error({ ...log, failure: kind }, 'A reply could not be delivered; it is marked failed.');
    } else {
      this.delivery.consecutiveFailures++;
      const retryAt = new Date(this.clock().getTime() + this.delay(attempts, failure));
      markRetry(tx, row.id, attempts, retryAt, reason);
      this.logger.warn({ ...log, retryAt }, 'Sending a reply failed; it will be retried.');
    }
  }

  /**
   * The channel is not connected: nothing was attempted, so the attempt count stays. The reply
   * waits about half as long again as it has waited so far (between the first retry delay and
   * the longest), until the deadline counted from when it was queued.
   */
  private waitForChannel(tx: Db, row: OutboxRow, reason: string): void {
    const now = this.clock().getTime();
    const waited = now - row.createdAt.getTime();
    const deadline = this.options.notReadyDeadlineMs ?? defaultNotReadyDeadlineMs;
    const log = { outboxId: row.id, conversationId: row.conversationId, channel: row.channel };
    if (waited >= deadline) {
      this.delivery.lastGaveUpAt = this.clock();
      markFailed(
        tx,
        row.id,
        row.attempts,
        `${reason} (the channel was not ready for ${Math.round(waited / 60_000)} min)`,
      );
      this.logger.error(log, 'A reply waited too long for its channel to be ready; it is marked failed.');
      return;
    }
    const base = this.options.baseDelayMs ?? 1000;
    const wait = Math.min(Math.max(base, waited / 2), this.options.maxDelayMs ?? 10 * 60_000, deadline - waited);
    markRetry(tx, row.id, row.attempts, new Date(now + wait / 2 + Math.random() * (wait / 2)), reason);
    this.logger.debug({ ...log, waitMs: Math.round(wait) }, 'The channel is not ready; the reply waits for it.');
  }

  private delay(attempts: number, error: unknown): number {
    if (error instanceof ChannelSendError && error.retryAfterMs !== undefined) return error.retryAfterMs;
    const base = this.options.baseDelayMs ?? 1000;
    const capped = Math.min(base * 2 ** (attempts - 1), this.options.maxDelayMs ?? 10 * 60_000);
    return capped / 2 + Math.random() * (capped / 2);
  }
}
