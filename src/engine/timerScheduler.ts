import type { Db } from '../db/client.ts';
import { dueTimers } from '../db/timers.ts';
import type { Logger } from '../logger.ts';
import type { Engine } from './engine.ts';

/**
 * Fires the durable timers: polls the table and hands each due timer to the engine, which
 * delivers it to the flow as a `timer` event. A timer fires once, even across restarts, because
 * the engine takes it out of the table in the same transaction that handles it.
 */
export class TimerScheduler {
  private handle: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly db: Db,
    private readonly engine: Pick<Engine, 'fireTimer'>,
    private readonly logger: Logger,
    private readonly pollMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    // Not unref'd: the scheduler is what keeps a server with no other work alive.
    this.handle = setInterval(() => void this.tick(), this.pollMs);
    void this.tick();
  }

  stop(): void {
    clearInterval(this.handle);
  }

  /** Fires every timer due now; returns how many were handed over. */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    try {
      const due = dueTimers(this.db, this.clock(), 100);
      await Promise.all(
        due.map((timer) =>
          this.engine
            .fireTimer(timer)
            .catch((err: unknown) => this.logger.error({ err, timerId: timer.id }, 'A timer could not fire.')),
        ),
      );
      return due.length;
    } finally {
      this.ticking = false;
    }
  }
}
