import { and, asc, count, desc, eq, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import {
  applicationDrafts,
  beneficiaries,
  caseDocuments,
  caseEvents,
  caseNotes,
  cases,
  consents,
  contacts,
  conversations,
  dataRequests,
  media,
  notes,
  outbox,
  ratings,
  reviewTasks,
  ticketEvents,
  tickets,
  timers,
  transcript,
  whatsappAliases,
} from './schema.ts';

/** A PDPL request's row. */
export type DataRequestRow = typeof dataRequests.$inferSelect;

/** Files a request (an access answered at once is filed `done`). */
export function insertDataRequest(db: Db, row: typeof dataRequests.$inferInsert): DataRequestRow {
  return db.insert(dataRequests).values(row).returning().get();
}

export function findDataRequest(db: Db, id: number): DataRequestRow | undefined {
  return db.select().from(dataRequests).where(eq(dataRequests.id, id)).get();
}

/** The open erasure request of a chat, if it made one that staff have not finished. */
export function openErasureOf(db: Db, conversationId: number): DataRequestRow | undefined {
  return db
    .select()
    .from(dataRequests)
    .where(
      and(
        eq(dataRequests.conversationId, conversationId),
        eq(dataRequests.kind, 'erasure'),
        eq(dataRequests.status, 'open'),
      ),
    )
    .get();
}

/** Requests for the console: open ones first by their date, then the latest done. */
export function listDataRequests(db: Db, filter: { status?: 'open' | 'done'; overdueAt?: Date } = {}) {
  return db
    .select()
    .from(dataRequests)
    .where(
      and(
        filter.status ? eq(dataRequests.status, filter.status) : undefined,
        filter.overdueAt ? and(eq(dataRequests.status, 'open'), lt(dataRequests.dueAt, filter.overdueAt)) : undefined,
      ),
    )
    .orderBy(
      sql`case ${dataRequests.status} when 'open' then 0 else 1 end`,
      asc(sql`case ${dataRequests.status} when 'open' then ${dataRequests.dueAt} else 0 end`),
      desc(dataRequests.id),
    )
    .limit(300)
    .all();
}

/** How many requests are open, and how many of those are past their date. */
export function countOpenDataRequests(db: Db, now: Date): { open: number; overdue: number } {
  const row = db
    .select({
      open: count(),
      overdue: sql<number>`coalesce(sum(case when ${dataRequests.dueAt} < ${now.getTime()} then 1 else 0 end), 0)`,
    })
    .from(dataRequests)
    .where(eq(dataRequests.status, 'open'))
    .get();
  return { open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
}

/** Marks an open request done; false when someone finished it first. */
export function finishDataRequest(
  db: Db,
  id: number,
  staffUserId: number,
  now: Date,
  note: string | null,
  details: Record<string, unknown>,
): boolean {
  return (
    db
      .update(dataRequests)
      .set({ status: 'done', doneAt: now, doneBy: staffUserId, note, details })
      .where(and(eq(dataRequests.id, id), eq(dataRequests.status, 'open')))
      .run().changes === 1
  );
}

/** What a chat holds, in counts and stages (see `DataSummary`). */
export function heldAbout(db: Db, conversationId: number) {
  const messages =
    db.select({ n: count() }).from(transcript).where(eq(transcript.conversationId, conversationId)).get()?.n ?? 0;
  const files = db.select({ n: count() }).from(media).where(eq(media.conversationId, conversationId)).get()?.n ?? 0;
  const rated =
    db
      .select({ n: count() })
      .from(ratings)
      .where(and(eq(ratings.conversationId, conversationId), isNotNull(ratings.answeredAt)))
      .get()?.n ?? 0;
  const draft = db
    .select({ id: applicationDrafts.conversationId })
    .from(applicationDrafts)
    .where(eq(applicationDrafts.conversationId, conversationId))
    .get();
  return {
    messages,
    documents: files,
    ratings: rated,
    draft: draft !== undefined,
    cases: db
      .select({ reference: cases.reference, stage: cases.stage })
      .from(cases)
      .where(eq(cases.conversationId, conversationId))
      .orderBy(desc(cases.id))
      .all(),
    tickets: db
      .select({ reference: tickets.reference, kind: tickets.kind, stage: tickets.stage })
      .from(tickets)
      .where(eq(tickets.conversationId, conversationId))
      .orderBy(desc(tickets.id))
      .all(),
    consents: db
      .select({ decision: consents.decision, purpose: consents.purpose, at: consents.createdAt })
      .from(consents)
      .where(eq(consents.conversationId, conversationId))
      .orderBy(asc(consents.id))
      .all(),
  };
}

/** The national IDs given in this chat's requests (to check the last four digits a person types). */
export function nationalIdsOf(db: Db, conversationId: number): string[] {
  return db
    .select({ id: cases.nationalId })
    .from(cases)
    .where(and(eq(cases.conversationId, conversationId), ne(cases.nationalId, '')))
    .all()
    .map((r) => r.id);
}

/** The periodic reviews of a chat's requests stop (their durable timers are removed). */
export function stopReviews(db: Db, conversationId: number): void {
  db.delete(timers)
    .where(and(eq(timers.conversationId, conversationId), sql`${timers.key} like 'case.review:%'`))
    .run();
}

/** Stages of a request that is a record of aid given (registered, served): kept with who received it. */
const aidGivenStages = ['registered', 'served'] as const;

/** The mark left where erased text stood (the columns that cannot be empty). */
export const erasedMark = '—';

/** What an erasure did, in counts and references: kept in the request, audited; no personal values. */
export interface ErasureReport {
  messages: number;
  files: number;
  /** Requests anonymised (the applicant, ID, phone, income and need gone). */
  casesAnonymised: string[];
  /** Requests of aid given, kept with the applicant's name and ID (the association's record of its aid). */
  casesKept: string[];
  tickets: string[];
  ratingComments: number;
  /** Files no other row still points at: the caller removes them from the disk. */
  paths: string[];
}

/**
 * Erases or anonymises what a chat holds about its person, in the caller's transaction: the
 * transcript, files, the unfinished application, the staff's notes on the chat, the sender's
 * name and phone, sent replies; requests and tickets lose everything personal but their
 * reference, kind, category, stage and dates (anonymous statistics) and their link to the chat —
 * except requests of aid given (registered, served), which keep the applicant's name
 * and ID as the association's record of what it gave, and lose the rest. Ratings keep their
 * score and lose their comment. Consents and the audit log stay (evidence, no personal values).
 */
/** A city of the list stays (the reports count by city); one typed in («other:…», maybe a street) goes. */
const cityOnTheList = sql`case when ${cases.city} like 'other:%' then 'other' else ${cases.city} end`;

export function eraseConversationData(db: Db, conversationId: number): ErasureReport {
  const messages = db.delete(transcript).where(eq(transcript.conversationId, conversationId)).run().changes;
  db.delete(notes).where(eq(notes.conversationId, conversationId)).run();
  db.delete(applicationDrafts).where(eq(applicationDrafts.conversationId, conversationId)).run();
  db.delete(outbox)
    .where(and(eq(outbox.conversationId, conversationId), ne(outbox.status, 'pending')))
    .run();
  stopReviews(db, conversationId);

  const own = db.select().from(cases).where(eq(cases.conversationId, conversationId)).all();
  const kept = own.filter((c) => (aidGivenStages as readonly string[]).includes(c.stage));
  const anonymised = own.filter((c) => !kept.includes(c));
  const caseIds = own.map((c) => c.id);
  if (caseIds.length > 0) {
    db.update(caseDocuments).set({ mediaId: null }).where(inArray(caseDocuments.caseId, caseIds)).run();
    db.update(reviewTasks).set({ answers: {} }).where(inArray(reviewTasks.caseId, caseIds)).run();
  }
  for (const row of kept) {
    db.update(cases)
      .set({
        conversationId: null,
        phone: erasedMark,
        income: erasedMark,
        description: erasedMark,
        city: cityOnTheList,
        permanent: false,
        nextReviewAt: null,
      })
      .where(eq(cases.id, row.id))
      .run();
  }
  if (anonymised.length > 0) {
    const ids = anonymised.map((c) => c.id);
    db.update(cases)
      .set({
        conversationId: null,
        beneficiaryId: null,
        applicantName: erasedMark,
        patientName: null,
        relationship: null,
        nationalId: '',
        phone: erasedMark,
        income: erasedMark,
        description: erasedMark,
        city: cityOnTheList,
        decisionReason: null,
        permanent: false,
        nextReviewAt: null,
        // Not served yet: it is closed (nobody is left to answer, or to give the aid to).
        stage: sql`case when ${cases.stage} in ('submitted','under_research','incomplete','field_visit','management_review','approved') then 'closed' else ${cases.stage} end`,
      })
      .where(inArray(cases.id, ids))
      .run();
    db.delete(caseNotes).where(inArray(caseNotes.caseId, ids)).run();
    db.update(caseEvents).set({ note: null }).where(inArray(caseEvents.caseId, ids)).run();
  }

  const ownTickets = db
    .select({ id: tickets.id, reference: tickets.reference })
    .from(tickets)
    .where(eq(tickets.conversationId, conversationId))
    .all();
  if (ownTickets.length > 0) {
    const ids = ownTickets.map((t) => t.id);
    db.update(tickets)
      .set({ conversationId: null, text: erasedMark, mediaId: null, resolution: null, anonymous: true })
      .where(inArray(tickets.id, ids))
      .run();
    db.update(ticketEvents).set({ note: null }).where(inArray(ticketEvents.ticketId, ids)).run();
  }

  const ratingComments = db
    .update(ratings)
    .set({ comment: null })
    .where(and(eq(ratings.conversationId, conversationId), isNotNull(ratings.comment)))
    .run().changes;

  const files = db.select().from(media).where(eq(media.conversationId, conversationId)).all();
  const fileIds = files.map((f) => f.id);
  if (fileIds.length > 0) {
    // Rows of other chats or requests that still point at these files lose the link first.
    db.update(caseDocuments).set({ mediaId: null }).where(inArray(caseDocuments.mediaId, fileIds)).run();
    db.update(tickets).set({ mediaId: null }).where(inArray(tickets.mediaId, fileIds)).run();
    db.delete(media).where(inArray(media.id, fileIds)).run();
  }
  // Files are named by their content: one another chat sent too stays on the disk.
  const paths = [...new Set(files.map((f) => f.path))].filter(
    (path) => !db.select({ id: media.id }).from(media).where(eq(media.path, path)).get(),
  );

  const conversation = db.select().from(conversations).where(eq(conversations.id, conversationId)).get();
  db.update(conversations)
    .set({ platformPhone: null, profileName: null })
    .where(eq(conversations.id, conversationId))
    .run();
  if (conversation?.channel === 'whatsapp') {
    db.update(whatsappAliases).set({ phone: null }).where(eq(whatsappAliases.chatId, conversation.chatId)).run();
  }

  return {
    messages,
    files: files.length,
    casesAnonymised: anonymised.map((c) => c.reference),
    casesKept: kept.map((c) => c.reference),
    tickets: ownTickets.map((t) => t.reference),
    ratingComments,
    paths,
  };
}

/**
 * What staff must still see to outside the chat: the beneficiary record the chat was linked to
 * (its name, phone and the contacts recorded from visits, calls and letters).
 */
export function beneficiaryOf(db: Db, conversationId: number) {
  const conversation = db.select().from(conversations).where(eq(conversations.id, conversationId)).get();
  if (!conversation?.beneficiaryId) return undefined;
  const row = db.select().from(beneficiaries).where(eq(beneficiaries.id, conversation.beneficiaryId)).get();
  if (!row) return undefined;
  const contactCount = db.select({ n: count() }).from(contacts).where(eq(contacts.beneficiaryId, row.id)).get()?.n ?? 0;
  const otherChats =
    db
      .select({ n: count() })
      .from(conversations)
      .where(and(eq(conversations.beneficiaryId, row.id), ne(conversations.id, conversationId)))
      .get()?.n ?? 0;
  return { id: row.id, contacts: contactCount, otherChats };
}

/**
 * Erases a beneficiary record: its name and phone, the summaries of its contacts; the chats that
 * were linked to it are unlinked.
 */
export function eraseBeneficiary(db: Db, beneficiaryId: number): void {
  db.update(beneficiaries).set({ name: erasedMark, phone: null }).where(eq(beneficiaries.id, beneficiaryId)).run();
  db.update(contacts).set({ summary: erasedMark }).where(eq(contacts.beneficiaryId, beneficiaryId)).run();
  db.update(conversations).set({ beneficiaryId: null }).where(eq(conversations.beneficiaryId, beneficiaryId)).run();
}
