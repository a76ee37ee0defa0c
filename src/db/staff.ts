import { and, eq, gt, lt } from 'drizzle-orm';
import type { Role } from '../domain/permissions.ts';
import type { Db } from './client.ts';
import { staffSessions, staffUsers } from './schema.ts';

/** A staff account. */
export type StaffUser = typeof staffUsers.$inferSelect;

export function createStaffUser(
  db: Db,
  user: { username: string; displayName: string; role: Role; passwordHash: string },
): StaffUser {
  return db.insert(staffUsers).values(user).returning().get();
}

export function findStaffByUsername(db: Db, username: string): StaffUser | undefined {
  return db.select().from(staffUsers).where(eq(staffUsers.username, username)).get();
}

export function findStaffById(db: Db, id: number): StaffUser | undefined {
  return db.select().from(staffUsers).where(eq(staffUsers.id, id)).get();
}

export function listStaff(db: Db): StaffUser[] {
  return db.select().from(staffUsers).orderBy(staffUsers.username).all();
}

export function setStaffDisabled(db: Db, id: number, disabled: boolean): void {
  db.update(staffUsers).set({ disabled }).where(eq(staffUsers.id, id)).run();
}

/** Sets a new password hash; `mustChange` when an admin set it for someone else. */
export function setPassword(db: Db, id: number, passwordHash: string, mustChange: boolean): void {
  db.update(staffUsers).set({ passwordHash, mustChangePassword: mustChange }).where(eq(staffUsers.id, id)).run();
}

/** A session row joined with its (enabled) user, if the session is alive. */
export function findLiveSession(db: Db, id: string, now: Date) {
  return db
    .select({ session: staffSessions, user: staffUsers })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffSessions.userId, staffUsers.id))
    .where(and(eq(staffSessions.id, id), gt(staffSessions.expiresAt, now), eq(staffUsers.disabled, false)))
    .get();
}

export function createSession(db: Db, session: typeof staffSessions.$inferInsert): void {
  db.insert(staffSessions).values(session).run();
}

export function touchSession(db: Db, id: string, now: Date, expiresAt: Date): void {
  db.update(staffSessions).set({ lastSeenAt: now, expiresAt }).where(eq(staffSessions.id, id)).run();
}

export function deleteSession(db: Db, id: string): void {
  db.delete(staffSessions).where(eq(staffSessions.id, id)).run();
}

/** Logs a user out everywhere (also used when an account is disabled). */
export function deleteSessionsOf(db: Db, userId: number): void {
  db.delete(staffSessions).where(eq(staffSessions.userId, userId)).run();
}

export function deleteExpiredSessions(db: Db, now: Date): void {
  db.delete(staffSessions).where(lt(staffSessions.expiresAt, now)).run();
}
