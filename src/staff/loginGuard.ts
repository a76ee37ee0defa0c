/** Failed logins of one account from one address before it is locked there; the lock doubles each time. */
export const lockout = { failures: 5, firstMs: 15 * 60_000, maxMs: 24 * 60 * 60_000 };
/** Failed logins from one address, whatever the account, before it must wait for the window to end. */
export const sourceLimit = { failures: 20, windowMs: 10 * 60_000 };
/**
 * Password checks (argon2) run at once, and how many one address may have waiting. argon2 runs
 * on libuv's small thread pool, which also reads the files staff open: a flood of logins must
 * not take it all.
 */
export const hashing = { concurrent: 2, perSource: 3, waiting: 200 };

interface PairState {
  failures: number;
  lockedUntil: number;
  lockouts: number;
}

/** Why a login is refused before its password is even looked at. */
export type Refusal = 'locked' | 'tooMany';

/**
 * Limits password guessing without letting anyone keep a colleague out. Failures count per
 * account *and* address: a stranger's wrong guesses lock the account for that stranger only,
 * for longer each time, while its owner logs in from elsewhere. An address that fails on many
 * accounts is slowed down as a whole. Successful logins never count. Password checks are
 * queued with a bound, so a flood of attempts cannot starve the rest of the server.
 */
export class LoginGuard {
  private readonly pairs = new Map<string, PairState>();
  private readonly sources = new Map<string, { failures: number; resetAt: number }>();
  private running = 0;
  /** Waiting checks; those from addresses that logged in before go first. */
  private readonly queues = { known: [] as (() => void)[], other: [] as (() => void)[] };
  private readonly pending = new Map<string, number>();
  /** Addresses a staff member logged in from: a flood from elsewhere does not keep them waiting. */
  private readonly known = new Set<string>();

  /** Whether this attempt is refused outright: `locked` answers like a wrong password. */
  refusal(username: string, source: string, now: number): Refusal | undefined {
    const window = this.sources.get(source);
    if (window && window.resetAt > now && window.failures >= sourceLimit.failures) return 'tooMany';
    const pair = this.pairs.get(key(username, source));
    return pair && pair.lockedUntil > now ? 'locked' : undefined;
  }

  /** Counts a failed attempt of `username` from `source`. */
  failed(username: string, source: string, now: number): void {
    this.forgetOld(now);
    const window = this.sources.get(source);
    this.sources.set(
      source,
      window && window.resetAt > now
        ? { failures: window.failures + 1, resetAt: window.resetAt }
        : { failures: 1, resetAt: now + sourceLimit.windowMs },
    );
    const id = key(username, source);
    const pair = this.pairs.get(id) ?? { failures: 0, lockedUntil: 0, lockouts: 0 };
    if (pair.lockedUntil > now) return;
    pair.failures += 1;
    if (pair.failures >= lockout.failures) {
      pair.lockedUntil = now + Math.min(lockout.firstMs * 2 ** pair.lockouts, lockout.maxMs);
      pair.lockouts += 1;
      pair.failures = 0;
    }
    this.pairs.set(id, pair);
  }

  /** A successful login clears that account's failures from that address. */
  succeeded(username: string, source: string): void {
    this.pairs.delete(key(username, source));
    if (this.known.size >= 10_000) this.known.clear();
    this.known.add(source);
  }

  /**
   * Runs a password check when a slot is free, addresses that logged in before first; `busy`
   * at once when the address already has {@link hashing}.perSource checks waiting or the queue
   * is full.
   */
  async check<T>(source: string, work: () => Promise<T>): Promise<T | 'busy'> {
    const mine = this.pending.get(source) ?? 0;
    const queue = this.known.has(source) ? this.queues.known : this.queues.other;
    if (mine >= hashing.perSource || queue.length >= hashing.waiting) return 'busy';
    this.pending.set(source, mine + 1);
    try {
      if (this.running >= hashing.concurrent) await new Promise<void>((resume) => queue.push(resume));
      else this.running++;
      try {
        return await work();
      } finally {
        // The slot passes straight to the next waiting check, or is freed.
        const next = this.queues.known.shift() ?? this.queues.other.shift();
        if (next) next();
        else this.running--;
      }
    } finally {
      const left = (this.pending.get(source) ?? 1) - 1;
      if (left > 0) this.pending.set(source, left);
      else this.pending.delete(source);
    }
  }

  /** Keeps the maps small: drops windows and locks that ended long ago. */
  private forgetOld(now: number): void {
    if (this.sources.size > 10_000) for (const [k, w] of this.sources) if (w.resetAt <= now) this.sources.delete(k);
    if (this.pairs.size > 10_000) {
      for (const [k, p] of this.pairs) if (p.lockedUntil + lockout.maxMs <= now) this.pairs.delete(k);
    }
  }
}

const key = (username: string, source: string) => `${username.trim().toLowerCase()}\u0000${source}`;
