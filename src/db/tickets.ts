import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Role } from '../domain/permissions.ts';
import {
  maySeeTicket,
  pendingTicketStages,
  type TicketKind,
  type TicketStage,
  ticketStages,
} from '../domain/ticketStages.ts';
import type { Db } from './client.ts';
import { prepared } from './prepared.ts';
import { staffUsers, ticketCategories, ticketEvents, tickets } from './schema.ts';

/** A ticket row: a complaint, a suggestion or thanks. */
export type TicketRow = typeof tickets.$inferSelect;
/** A complaint and suggestion category. */
export type TicketCategory = typeof ticketCategories.$inferSelect;

/** The categories in order: the active ones, or all of them. */
function categories(db: Db, all: boolean) {
  return db
    .select()
    .from(ticketCategories)
    .where(all ? undefined : eq(ticketCategories.active, true))
    .orderBy(asc(ticketCategories.position), asc(ticketCategories.id))
    .prepare();
}

const activeCategories = prepared((db) => categories(db, false));
const allCategories = prepared((db) => categories(db, true));

const categoryById = prepared((db) =>
  db
    .select()
    .from(ticketCategories)
    .where(eq(ticketCategories.id, sql.placeholder('id')))
    .prepare(),
);

const byId = prepared((db) =>
  db
    .select()
    .from(tickets)
    .where(eq(tickets.id, sql.placeholder('id')))
    .prepare(),
);

const byReference = prepared((db) =>
  db
    .select()
    .from(tickets)
    .where(eq(tickets.reference, sql.placeholder('reference')))
    .prepare(),
);

const ofConversation = prepared((db) =>
  db
    .select()
    .from(tickets)
    .where(eq(tickets.conversationId, sql.placeholder('conversationId')))
    .orderBy(desc(tickets.id))
    .prepare(),
);

/** The active categories, in order (or all of them, for the editor). */
export function listTicketCategories(db: Db, all = false): TicketCategory[] {
  return (all ? allCategories : activeCategories)(db).all();
}

export function findTicketCategory(db: Db, id: number): TicketCategory | undefined {
  return categoryById(db).get({ id });
}

/** Adds or changes a category. */
export function saveTicketCategory(
  db: Db,
  entry: { id?: number; code: string; nameAr: string; nameEn: string; aboutStaff: boolean; active: boolean },
): void {
  const { id, ...values } = entry;
  if (id) db.update(ticketCategories).set(values).where(eq(ticketCategories.id, id)).run();
  else db.insert(ticketCategories).values(values).run();
}

/** Creates a ticket; returns its row. */
export function insertTicket(db: Db, row: typeof tickets.$inferInsert): TicketRow {
  return db.insert(tickets).values(row).returning().get();
}

export function findTicket(db: Db, id: number): TicketRow | undefined {
  return byId(db).get({ id });
}

export function findTicketByReference(db: Db, reference: string): TicketRow | undefined {
  return byReference(db).get({ reference });
}

/** A chat's own tickets (the anonymous ones are nobody's), newest first. */
export function ticketsOfConversation(db: Db, conversationId: number): TicketRow[] {
  return ofConversation(db).all({ conversationId });
}

/**
 * Moves a ticket from `from` to `to` if it is still at `from`, with what the move changes;
 * false when someone moved it first.
 */
export function moveTicket(
  db: Db,
  id: number,
  from: TicketStage,
  to: TicketStage,
  now: Date,
  extra: Partial<Pick<TicketRow, 'assignedTo' | 'resolution' | 'resolvedAt'>> = {},
): boolean {
  return (
    db
      .update(tickets)
      .set({ stage: to, changedAt: now, ...extra })
      .where(and(eq(tickets.id, id), eq(tickets.stage, from)))
      .run().changes === 1
  );
}

/** Records a move in the ticket's history. */
export function recordTicketEvent(db: Db, event: typeof ticketEvents.$inferInsert): void {
  db.insert(ticketEvents).values(event).run();
}

/** A ticket's history, oldest first, with who moved it. */
export function ticketHistory(db: Db, ticketId: number) {
  return db
    .select({ event: ticketEvents, by: staffUsers.displayName })
    .from(ticketEvents)
    .leftJoin(staffUsers, eq(ticketEvents.staffUserId, staffUsers.id))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.id))
    .all();
}

/**
 * Whether a stored file is the photo of a ticket `role` may see: a complaint about a staff
 * member's photo is for managers only, like the complaint.
 */
export function isTicketMedia(db: Db, mediaId: number, role: Role): boolean {
  return db
    .select({ kind: tickets.kind, aboutStaff: ticketCategories.aboutStaff })
    .from(tickets)
    .innerJoin(ticketCategories, eq(tickets.categoryId, ticketCategories.id))
    .where(eq(tickets.mediaId, mediaId))
    .all()
    .some((ticket) => maySeeTicket(role, ticket));
}

/** What the list of tickets may be filtered by. */
export interface TicketQuery {
  stage?: TicketStage;
  kind?: TicketKind;
  categoryId?: number;
  /** Still waiting for the association at this moment past their date. */
  overdueAt?: Date;
  /** A reference, or words of the text. */
  search?: string;
  /** Leave out the complaints about a staff member (for whoever may not see them). */
  withoutStaffComplaints?: boolean;
}

/** The condition that leaves out the complaints about a staff member. */
const notAboutStaff = or(sql`${tickets.kind} != 'complaint'`, eq(ticketCategories.aboutStaff, false));

/** Tickets as staff list them, newest first, with their category. */
export function listTickets(db: Db, filter: TicketQuery, limit = 200) {
  const search = filter.search?.trim();
  const clauses = [
    ...(filter.stage ? [eq(tickets.stage, filter.stage)] : []),
    ...(filter.kind ? [eq(tickets.kind, filter.kind)] : []),
    ...(filter.categoryId ? [eq(tickets.categoryId, filter.categoryId)] : []),
    ...(filter.overdueAt
      ? [sql`${tickets.dueAt} <= ${filter.overdueAt.getTime()}`, inArray(tickets.stage, [...pendingTicketStages])]
      : []),
    ...(search
      ? [
          sql`(${tickets.reference} = ${search.toUpperCase()} or ${tickets.text} like ${`%${search.replace(/[%_]/g, '')}%`})`,
        ]
      : []),
    ...(filter.withoutStaffComplaints ? [notAboutStaff] : []),
  ];
  return db
    .select({ ticket: tickets, category: ticketCategories, assignee: staffUsers.displayName })
    .from(tickets)
    .innerJoin(ticketCategories, eq(tickets.categoryId, ticketCategories.id))
    .leftJoin(staffUsers, eq(tickets.assignedTo, staffUsers.id))
    .where(clauses.length > 0 ? and(...clauses) : undefined)
    .orderBy(desc(tickets.urgent), desc(tickets.id))
    .limit(limit)
    .all();
}

/** How many tickets are at each stage, and how many wait past their date. */
export function ticketCounts(
  db: Db,
  now: Date,
  withoutStaffComplaints: boolean,
): Record<TicketStage | 'overdue', number> {
  const visible = withoutStaffComplaints ? notAboutStaff : undefined;
  const rows = db
    .select({ stage: tickets.stage, n: sql<number>`count(*)` })
    .from(tickets)
    .innerJoin(ticketCategories, eq(tickets.categoryId, ticketCategories.id))
    .where(visible)
    .groupBy(tickets.stage)
    .all();
  const overdue = db
    .select({ n: sql<number>`count(*)` })
    .from(tickets)
    .innerJoin(ticketCategories, eq(tickets.categoryId, ticketCategories.id))
    .where(
      and(
        sql`${tickets.dueAt} <= ${now.getTime()}`,
        inArray(tickets.stage, [...pendingTicketStages]),
        ...(visible ? [visible] : []),
      ),
    )
    .get();
  const counts = Object.fromEntries(ticketStages.map((stage) => [stage, 0])) as Record<TicketStage | 'overdue', number>;
  for (const row of rows) counts[row.stage] = row.n;
  counts.overdue = overdue?.n ?? 0;
  return counts;
}
