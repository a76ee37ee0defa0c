import { and, desc, eq, like, or, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { prepared } from './prepared.ts';
import {
  beneficiaries,
  cannedReplies,
  contacts,
  conversations,
  handoffs,
  media,
  notes,
  staffUsers,
  transcript,
} from './schema.ts';

const mediaById = prepared((db) =>
  db
    .select()
    .from(media)
    .where(eq(media.id, sql.placeholder('id')))
    .prepare(),
);

const latestOfClaimed = prepared((db) =>
  db
    .select({
      last: sql<number>`coalesce(max(${transcript.id}), 0)`,
      flagged: sql<number>`coalesce(max(case when json_extract(${transcript.payload}, '$.flag') is not null then ${transcript.id} end), 0)`,
    })
    .from(transcript)
    .innerJoin(handoffs, eq(handoffs.conversationId, transcript.conversationId))
    .where(
      and(
        eq(handoffs.claimedBy, sql.placeholder('staffUserId')),
        eq(handoffs.status, 'claimed'),
        eq(transcript.direction, 'in'),
      ),
    )
    .prepare(),
);

/** Internal notes on a conversation, oldest first, with their authors. */
export function notesOf(db: Db, conversationId: number) {
  return db
    .select({ note: notes, author: staffUsers.displayName })
    .from(notes)
    .innerJoin(staffUsers, eq(notes.staffUserId, staffUsers.id))
    .where(eq(notes.conversationId, conversationId))
    .orderBy(notes.id)
    .all();
}

export function addNote(db: Db, conversationId: number, staffUserId: number, body: string): void {
  db.insert(notes).values({ conversationId, staffUserId, body }).run();
}

export function listCanned(db: Db) {
  return db.select().from(cannedReplies).orderBy(cannedReplies.title).all();
}

export function addCanned(db: Db, title: string, body: string, createdBy: number): number {
  return db.insert(cannedReplies).values({ title, body, createdBy }).returning({ id: cannedReplies.id }).get().id;
}

/** Deletes a canned reply; false if there was none with that id. */
export function deleteCanned(db: Db, id: number): boolean {
  return db.delete(cannedReplies).where(eq(cannedReplies.id, id)).run().changes === 1;
}

/** A stored file with the conversation it belongs to. */
export function findMedia(db: Db, id: number) {
  return mediaById(db).get({ id });
}

/** Whether a conversation ever reached staff (a handoff) or was linked to a beneficiary. */
export function isStaffConversation(db: Db, conversationId: number): boolean {
  const handoff = db
    .select({ id: handoffs.id })
    .from(handoffs)
    .where(eq(handoffs.conversationId, conversationId))
    .get();
  if (handoff) return true;
  const linked = db
    .select({ id: conversations.beneficiaryId })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .get();
  return linked?.id != null;
}

export function createBeneficiary(db: Db, name: string, phone: string | null): number {
  return db.insert(beneficiaries).values({ name, phone }).returning({ id: beneficiaries.id }).get().id;
}

export function findBeneficiary(db: Db, id: number) {
  return db.select().from(beneficiaries).where(eq(beneficiaries.id, id)).get();
}

export function linkConversation(db: Db, conversationId: number, beneficiaryId: number): void {
  db.update(conversations).set({ beneficiaryId }).where(eq(conversations.id, conversationId)).run();
}

/** Beneficiaries whose name contains `name`, or whose phone or id is exactly the one given. */
export function searchBeneficiaries(db: Db, query: { name?: string; phone?: string; id?: number }) {
  const clauses = [
    ...(query.name ? [like(beneficiaries.name, `%${query.name.replace(/[%_]/g, '')}%`)] : []),
    ...(query.phone ? [eq(beneficiaries.phone, query.phone)] : []),
    ...(query.id ? [eq(beneficiaries.id, query.id)] : []),
  ];
  if (clauses.length === 0) return [];
  return db
    .select()
    .from(beneficiaries)
    .where(or(...clauses))
    .orderBy(desc(beneficiaries.id))
    .limit(50)
    .all();
}

export function conversationsOf(db: Db, beneficiaryId: number) {
  return db.select().from(conversations).where(eq(conversations.beneficiaryId, beneficiaryId)).all();
}

export function contactsOf(db: Db, beneficiaryId: number) {
  return db
    .select({ contact: contacts, author: staffUsers.displayName })
    .from(contacts)
    .innerJoin(staffUsers, eq(contacts.staffUserId, staffUsers.id))
    .where(eq(contacts.beneficiaryId, beneficiaryId))
    .orderBy(desc(contacts.id))
    .all();
}

/** How a beneficiary reached the association outside the chat. */
export const contactChannels = ['visit', 'phone', 'letter', 'social', 'website'] as const;

/**
 * The newest message people sent in the conversations a staff member holds, and whether any of
 * them is flagged (an emergency): the page alerts when it changes.
 */
export function latestInboundOfClaimed(db: Db, staffUserId: number): { last: number; flagged: number } {
  return latestOfClaimed(db).get({ staffUserId }) ?? { last: 0, flagged: 0 };
}

export function addContact(db: Db, contact: typeof contacts.$inferInsert): void {
  db.insert(contacts).values(contact).run();
}
