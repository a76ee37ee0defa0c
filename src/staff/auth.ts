import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../db/client.ts';
import {
  createSession,
  deleteSession,
  findLiveSession,
  findStaffByUsername,
  recordFailedLogin,
  recordSuccessfulLogin,
  type StaffUser,
  touchSession,
} from '../db/staff.ts';

/** How long a session lives without use. */
export const sessionIdleMs = 8 * 60 * 60_000;
/** Failed logins in a row that lock an account, and for how long. */
export const lockout = { failures: 5, ms: 15 * 60_000 };

/** A random token, URL-safe. */
export function token(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** The session id stored for a cookie token: its SHA-256, so a leaked table opens no session. */
export function sessionId(cookieToken: string): string {
  return createHash('sha256').update(cookieToken).digest('hex');
}

/** Hashes a password with argon2id (the library's default algorithm). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A password that is easy to read out and type, for a new account: 4 groups of 4. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Equal strings, compared in constant time. */
export function safeEqual(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Why a login failed; the page says the same for an unknown user and a wrong password. */
export type LoginFailure = 'invalid' | 'locked';

// Verifying against a fixed hash when the user does not exist keeps the timing the same.
const dummyHash = hash('not a real password');

/**
 * Checks a username and password. Failures are counted per account; after
 * {@link lockout}.failures in a row the account is locked for a while, whatever is typed.
 */
export async function checkLogin(
  db: Db,
  username: string,
  password: string,
  now: Date,
): Promise<StaffUser | LoginFailure> {
  const user = findStaffByUsername(db, username.trim().toLowerCase());
  if (!user || user.disabled) {
    await verify(await dummyHash, password).catch(() => false);
    return 'invalid';
  }
  if (user.lockedUntil && user.lockedUntil > now) return 'locked';
  const ok = await verify(user.passwordHash, password).catch(() => false);
  if (!ok) {
    recordFailedLogin(db, user, lockout.failures, new Date(now.getTime() + lockout.ms));
    return user.failedLogins + 1 >= lockout.failures ? 'locked' : 'invalid';
  }
  recordSuccessfulLogin(db, user.id);
  return user;
}

/** Starts a fresh session (never reusing one the browser presented: no fixation). */
export function startSession(db: Db, userId: number, now: Date): { cookieToken: string; csrfToken: string } {
  const cookieToken = token();
  const csrfToken = token();
  createSession(db, {
    id: sessionId(cookieToken),
    userId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + sessionIdleMs),
  });
  return { cookieToken, csrfToken };
}

/** The live session of a cookie, extended on use; undefined when absent, expired or disabled. */
export function resumeSession(db: Db, cookieToken: string | undefined, now: Date) {
  if (!cookieToken) return undefined;
  const id = sessionId(cookieToken);
  const found = findLiveSession(db, id, now);
  if (found) touchSession(db, id, now, new Date(now.getTime() + sessionIdleMs));
  return found;
}

/** Ends the session of a cookie. */
export function endSession(db: Db, cookieToken: string | undefined): void {
  if (cookieToken) deleteSession(db, sessionId(cookieToken));
}
