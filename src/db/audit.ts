import { desc, eq } from 'drizzle-orm';
import type { Db } from './client.ts';
import { auditLog, staffUsers } from './schema.ts';

/** One line of the audit log: who did what to which object. Never personal data values. */
export interface AuditEntry {
  staffUserId: number | null;
  action: string;
  objectType: string;
  objectId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Appends to the audit log (which refuses updates and deletes). */
export function audit(db: Db, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      ...entry,
      objectId: entry.objectId === undefined || entry.objectId === null ? null : String(entry.objectId),
    })
    .run();
}

/** The latest entries, newest first, with the staff member's username. */
export function readAudit(db: Db, limit = 300) {
  return db
    .select({ entry: auditLog, username: staffUsers.username })
    .from(auditLog)
    .leftJoin(staffUsers, eq(auditLog.staffUserId, staffUsers.id))
    .orderBy(desc(auditLog.id))
    .limit(limit)
    .all();
}
