import type { Actor, AnyStateMachine } from 'xstate';
import type { FlowOutput } from '../../flows/events.ts';

/** A running actor of a conversation's flow, with what it says in the turn under way. */
export interface LiveActor {
  actor: Actor<AnyStateMachine>;
  /** What the actor emitted and how it failed in the current turn; emptied at each turn. */
  turn: { outputs: FlowOutput[]; failure: unknown };
  /** The snapshot it was persisted as at the end of its last committed turn (JSON). */
  persisted: string;
}

/** How many actors are kept and for how long. */
export interface ActorCacheOptions {
  /** At most this many; the least recently used goes first. About 11 KiB of heap each. */
  limit: number;
  /** An actor whose conversation has been quiet this long (ms) is let go. */
  idleMs: number;
}

/**
 * The actors of conversations that wrote lately, kept between their messages: the next message
 * is sent to the running actor instead of one restored from the snapshot (a restore costs more
 * than the turn itself). The snapshot stays the truth: an actor is taken out while its turn runs
 * and put back only once the turn is committed, so a turn rolled back or run again restores from
 * the row; it is used only when the row still holds the snapshot it was persisted as. Nothing is
 * kept across a restart, and nothing once every conversation has been quiet for `idleMs`.
 */
export class ActorCache {
  private readonly live = new Map<number, { actor: LiveActor; at: number }>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: ActorCacheOptions) {}

  /**
   * Takes out the actor of a conversation whose saved snapshot is `snapshot`; undefined when none
   * is kept or the row changed since (a retention purge, a restart).
   */
  take(conversationId: number, snapshot: string | null): LiveActor | undefined {
    const kept = this.live.get(conversationId);
    if (!kept) return undefined;
    this.live.delete(conversationId);
    if (kept.actor.persisted === snapshot) return kept.actor;
    kept.actor.actor.stop();
    return undefined;
  }

  /** Keeps a conversation's actor after its turn was committed. */
  put(conversationId: number, actor: LiveActor, now = Date.now()): void {
    if (this.options.limit <= 0) {
      actor.actor.stop();
      return;
    }
    this.live.get(conversationId)?.actor.actor.stop();
    this.live.delete(conversationId);
    this.live.set(conversationId, { actor, at: now });
    if (this.live.size > this.options.limit) this.letGo(this.live.keys().next().value as number);
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), Math.max(this.options.idleMs / 4, 1000));
      this.sweeper.unref();
    }
  }

  /** How many actors are kept now. */
  get size(): number {
    return this.live.size;
  }

  /** Lets every actor go. */
  clear(): void {
    for (const id of [...this.live.keys()]) this.letGo(id);
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Lets go of the actors idle for `idleMs`: the oldest come first in the map. */
  sweep(now = Date.now()): void {
    for (const [id, kept] of this.live) {
      if (now - kept.at < this.options.idleMs) break;
      this.letGo(id);
    }
    if (this.live.size === 0) this.clear();
  }

  private letGo(conversationId: number): void {
    this.live.get(conversationId)?.actor.actor.stop();
    this.live.delete(conversationId);
  }
}
