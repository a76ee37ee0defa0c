import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../db/client.ts';
import {
  createSession,
  deleteSession,
  findLiveSession,
  findStaffByUsername,
  type StaffUser,
  touchSession,
} from '../db/staff.ts';

/** How long a session lives: without the staff member's own action, and at most. */
export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

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

// Verifying against a fixed hash when the user cannot log in keeps the timing the same.
const dummyHash = hash('not a real password');

/**
 * Checks a username and password with exactly one argon2 verification whatever the outcome, so
 * an unknown, disabled or locked account (`refuse`) answers like a wrong password, as slowly.
 * Limits on guessing are the caller's ({@link LoginGuard}).
 */
export async function checkLogin(
  db: Db,
  username: string,
  password: string,
  refuse = false,
): Promise<StaffUser | 'invalid'> {
  const user = findStaffByUsername(db, username.trim().toLowerCase());
  const usable = user && !user.disabled && !refuse;
  const ok = await verify(usable ? user.passwordHash : await dummyHash, password).catch(() => false);
  return usable && ok ? user : 'invalid';
}

/** When a session started at `createdAt` and last used `now` ends. */
function expiry(createdAt: Date, now: Date, policy: SessionPolicy): Date {
  return new Date(Math.min(now.getTime() + policy.idleMs, createdAt.getTime() + policy.maxMs));
}

/** Starts a fresh session (never reusing one the browser presented: no fixation). */
export function startSession(
  db: Db,
  userId: number,
  now: Date,
  policy: SessionPolicy,
): { cookieToken: string; csrfToken: string } {
  const cookieToken = token();
  const csrfToken = token();
  createSession(db, {
    id: sessionId(cookieToken),
    userId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: expiry(now, now, policy),
  });
  return { cookieToken, csrfToken };
}

/**
 * The live session of a cookie; undefined when absent, expired or its account disabled. A
 * request the staff member made (`touch`) extends it up to its absolute end; a background
 * refresh of an open page does not.
 */
export function resumeSession(
  db: Db,
  cookieToken: string | undefined,
  now: Date,
  policy: SessionPolicy,
  touch: boolean,
) {
  if (!cookieToken) return undefined;
  const id = sessionId(cookieToken);
  const found = findLiveSession(db, id, now);
  if (found && touch) {
    found.session.expiresAt = expiry(found.session.createdAt, now, policy);
    touchSession(db, id, now, found.session.expiresAt);
  }
  return found;
}

/** Ends the session of a cookie. */
export function endSession(db: Db, cookieToken: string | undefined): void {
  if (cookieToken) deleteSession(db, sessionId(cookieToken));
}
