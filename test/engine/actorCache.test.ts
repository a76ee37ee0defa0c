import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { ActorCache, type LiveActor } from '../../src/engine/actorCache.ts';
import { echoMachine } from './testFlow.ts';

/** A started echo actor, as the engine keeps it, persisted as `persisted`. */
function live(persisted = 'p'): LiveActor {
  const actor = createActor(echoMachine);
  actor.start();
  return { actor, turn: { outputs: [], failure: undefined }, persisted };
}

describe('ActorCache', () => {
  it('should hand an actor back once, and only while the row holds the snapshot it was persisted as', () => {
    const cache = new ActorCache({ limit: 10, idleMs: 60_000 });
    const kept = live('{"a":1}');
    cache.put(1, kept);
    expect(cache.take(1, '{"a":1}')).toBe(kept);
    expect(cache.take(1, '{"a":1}')).toBeUndefined();
    cache.put(1, kept);
    // The row changed behind it (a purge, a corrupted state): it is let go, and the row wins.
    expect(cache.take(1, null)).toBeUndefined();
    expect(kept.actor.getSnapshot().status).toBe('stopped');
    cache.clear();
  });

  it('should let the least recently used go past its limit, and every actor once all are quiet', () => {
    const cache = new ActorCache({ limit: 2, idleMs: 1_000 });
    const [a, b, c] = [live(), live(), live()];
    cache.put(1, a, 0);
    cache.put(2, b, 10);
    cache.put(3, c, 20);
    expect(cache.size).toBe(2);
    expect(a.actor.getSnapshot().status).toBe('stopped');
    cache.sweep(1_015);
    expect(cache.size).toBe(1);
    cache.sweep(1_020);
    expect(cache.size).toBe(0);
    expect(c.actor.getSnapshot().status).toBe('stopped');
  });

  it('should keep nothing when its limit is 0', () => {
    const cache = new ActorCache({ limit: 0, idleMs: 1_000 });
    const a = live();
    cache.put(1, a);
    expect(cache.size).toBe(0);
    expect(a.actor.getSnapshot().status).toBe('stopped');
  });
});
