import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { CaseStage } from '../domain/caseStages.ts';
import type { Db } from './client.ts';
import { prepared, setTo } from './prepared.ts';
import {
  aidTypes,
  applicationDrafts,
  caseDocuments,
  caseEvents,
  caseNotes,
  cases,
  documentTypes,
  lookupFailures,
  referenceCounters,
  reviewTasks,
  staffUsers,
} from './schema.ts';

/** A case row. */
export type CaseRow = typeof cases.$inferSelect;
/** An aid type of the catalogue. */
export type AidType = typeof aidTypes.$inferSelect;
/** A document type. */
export type DocumentType = typeof documentTypes.$inferSelect;

/** The aid types in the catalogue's order: the active ones, or all of them. */
function aidTypesQuery(db: Db, all: boolean) {
  return db
    .select()
    .from(aidTypes)
    .where(all ? undefined : eq(aidTypes.active, true))
    .orderBy(asc(aidTypes.position), asc(aidTypes.id))
    .prepare();
}

/** The document types in order: the active ones, or all of them. */
function documentTypesQuery(db: Db, all: boolean) {
  return db
    .select()
    .from(documentTypes)
    .where(all ? undefined : eq(documentTypes.active, true))
    .orderBy(asc(documentTypes.position), asc(documentTypes.id))
    .prepare();
}

const activeAidTypes = prepared((db) => aidTypesQuery(db, false));
const allAidTypes = prepared((db) => aidTypesQuery(db, true));
const activeDocumentTypes = prepared((db) => documentTypesQuery(db, false));
const allDocumentTypes = prepared((db) => documentTypesQuery(db, true));

const caseById = prepared((db) =>
  db
    .select()
    .from(cases)
    .where(eq(cases.id, sql.placeholder('id')))
    .prepare(),
);

const caseByReference = prepared((db) =>
  db
    .select()
    .from(cases)
    .where(eq(cases.reference, sql.placeholder('reference')))
    .prepare(),
);

const casesOf = prepared((db) =>
  db
    .select()
    .from(cases)
    .where(eq(cases.conversationId, sql.placeholder('conversationId')))
    .orderBy(desc(cases.id))
    .prepare(),
);

const documentsOf = prepared((db) =>
  db
    .select({ document: caseDocuments, type: documentTypes })
    .from(caseDocuments)
    .leftJoin(documentTypes, eq(caseDocuments.documentTypeId, documentTypes.id))
    .where(eq(caseDocuments.caseId, sql.placeholder('caseId')))
    .orderBy(asc(caseDocuments.id))
    .prepare(),
);

const waitingDocument = prepared((db) =>
  db
    .select({ id: caseDocuments.id })
    .from(caseDocuments)
    .where(
      and(
        eq(caseDocuments.caseId, sql.placeholder('caseId')),
        eq(caseDocuments.documentTypeId, sql.placeholder('documentTypeId')),
        inArray(caseDocuments.status, ['missing', 'later']),
      ),
    )
    .orderBy(desc(sql`${caseDocuments.status} = 'missing'`))
    .prepare(),
);

const receive = prepared((db) =>
  db
    .update(caseDocuments)
    .set({ status: 'received', mediaId: setTo('mediaId') })
    .where(eq(caseDocuments.id, sql.placeholder('id')))
    .prepare(),
);

const draftOf = prepared((db) =>
  db
    .select()
    .from(applicationDrafts)
    .where(eq(applicationDrafts.conversationId, sql.placeholder('conversationId')))
    .prepare(),
);

const upsertDraft = prepared((db) =>
  db
    .insert(applicationDrafts)
    .values({
      conversationId: sql.placeholder('conversationId'),
      answers: sql.placeholder('answers'),
      updatedAt: sql.placeholder('now'),
    })
    .onConflictDoUpdate({
      target: applicationDrafts.conversationId,
      set: { answers: sql`excluded.answers`, updatedAt: sql`excluded.updated_at` },
    })
    .prepare(),
);

const removeDraft = prepared((db) =>
  db
    .delete(applicationDrafts)
    .where(eq(applicationDrafts.conversationId, sql.placeholder('conversationId')))
    .prepare(),
);

const insertLookupFailure = prepared((db) =>
  db
    .insert(lookupFailures)
    .values({ conversationId: sql.placeholder('conversationId'), createdAt: sql.placeholder('now') })
    .prepare(),
);

const failuresSince = prepared((db) =>
  db
    .select({ count: sql<number>`count(*)`, oldest: sql<number | null>`min(${lookupFailures.createdAt})` })
    .from(lookupFailures)
    .where(
      and(
        eq(lookupFailures.conversationId, sql.placeholder('conversationId')),
        gt(lookupFailures.createdAt, sql.placeholder('since')),
      ),
    )
    .prepare(),
);

/** The active aid types, in the catalogue's order (or all of them, for the editor). */
export function listAidTypes(db: Db, all = false): AidType[] {
  return (all ? allAidTypes : activeAidTypes)(db).all();
}

/** The active document types, in order (or all of them, for the editor). */
export function listDocumentTypes(db: Db, all = false): DocumentType[] {
  return (all ? allDocumentTypes : activeDocumentTypes)(db).all();
}

/** Adds or changes an entry of the catalogue (aid types or document types). */
export function saveCatalogueEntry(
  db: Db,
  table: 'aid' | 'document',
  entry: { id?: number; code: string; nameAr: string; nameEn: string; active: boolean; required?: boolean },
): void {
  if (table === 'aid') {
    const { required: _r, id, ...values } = entry;
    if (id) db.update(aidTypes).set(values).where(eq(aidTypes.id, id)).run();
    else db.insert(aidTypes).values(values).run();
    return;
  }
  const { id, ...values } = entry;
  if (id) db.update(documentTypes).set(values).where(eq(documentTypes.id, id)).run();
  else db.insert(documentTypes).values(values).run();
}

/** Takes the next sequence number of a kind of reference for a Hijri year. */
export function nextSequence(db: Db, kind: string, year: number): number {
  const row = db
    .insert(referenceCounters)
    .values({ kind, year, next: 2 })
    .onConflictDoUpdate({
      target: [referenceCounters.kind, referenceCounters.year],
      set: { next: sql`${referenceCounters.next} + 1` },
    })
    .returning({ next: referenceCounters.next })
    .get();
  return row.next - 1;
}

/** Creates a case; returns its row. */
export function insertCase(db: Db, row: typeof cases.$inferInsert): CaseRow {
  return db.insert(cases).values(row).returning().get();
}

export function findCase(db: Db, id: number): CaseRow | undefined {
  return caseById(db).get({ id });
}

export function findCaseByReference(db: Db, reference: string): CaseRow | undefined {
  return caseByReference(db).get({ reference });
}

/** An open case of the same aid type for the same national ID, if there is one. */
export function openCaseFor(db: Db, nationalId: string, aidTypeId: number, open: readonly CaseStage[]) {
  return db
    .select()
    .from(cases)
    .where(and(eq(cases.nationalId, nationalId), eq(cases.aidTypeId, aidTypeId), inArray(cases.stage, [...open])))
    .get();
}

/** A chat's own cases, newest first. */
export function casesOfConversation(db: Db, conversationId: number): CaseRow[] {
  return casesOf(db).all({ conversationId });
}

/** Moves a case from `from` to `to` if it is still at `from`; false when someone moved it first. */
export function moveCase(
  db: Db,
  id: number,
  from: CaseStage,
  to: CaseStage,
  now: Date,
  extra: Partial<Pick<CaseRow, 'visitAt' | 'decisionReason' | 'needsCall'>> = {},
): boolean {
  return (
    db
      .update(cases)
      .set({ stage: to, changedAt: now, ...extra })
      .where(and(eq(cases.id, id), eq(cases.stage, from)))
      .run().changes === 1
  );
}

/** Changes a case's other fields (permanent, review date, needs a call, linked chat…). */
export function updateCase(
  db: Db,
  id: number,
  values: Partial<Pick<CaseRow, 'permanent' | 'nextReviewAt' | 'needsCall' | 'conversationId' | 'beneficiaryId'>>,
): void {
  db.update(cases).set(values).where(eq(cases.id, id)).run();
}

/** Records a move in the case's history. */
export function recordCaseEvent(db: Db, event: typeof caseEvents.$inferInsert): void {
  db.insert(caseEvents).values(event).run();
}

/** A case's history, oldest first, with who moved it. */
export function caseHistory(db: Db, caseId: number) {
  return db
    .select({ event: caseEvents, by: staffUsers.displayName })
    .from(caseEvents)
    .leftJoin(staffUsers, eq(caseEvents.staffUserId, staffUsers.id))
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.id))
    .all();
}

/** Adds a document row to a case (received with its file, promised for later, or missing). */
export function addCaseDocument(db: Db, row: typeof caseDocuments.$inferInsert): void {
  db.insert(caseDocuments).values(row).run();
}

/** A case's documents with their names. */
export function caseDocumentsOf(db: Db, caseId: number) {
  return documentsOf(db).all({ caseId });
}

/**
 * Asks for a document of a case: one promised for later becomes missing (asked for now), else a
 * missing row is added; nothing when one is already missing.
 */
export function askForDocument(db: Db, caseId: number, documentTypeId: number): void {
  const rows = db
    .select()
    .from(caseDocuments)
    .where(and(eq(caseDocuments.caseId, caseId), eq(caseDocuments.documentTypeId, documentTypeId)))
    .all();
  if (rows.some((r) => r.status === 'missing')) return;
  const promised = rows.find((r) => r.status === 'later');
  if (promised) db.update(caseDocuments).set({ status: 'missing' }).where(eq(caseDocuments.id, promised.id)).run();
  else db.insert(caseDocuments).values({ caseId, documentTypeId, status: 'missing' }).run();
}

/** Marks a missing (or promised) document of a case received with a file; false if none was waiting. */
export function receiveDocument(db: Db, caseId: number, documentTypeId: number, mediaId: number): boolean {
  const waiting = waitingDocument(db).get({ caseId, documentTypeId });
  if (!waiting) return false;
  receive(db).run({ id: waiting.id, mediaId });
  return true;
}

/** Whether a stored file is a document of some aid case. */
export function isCaseMedia(db: Db, mediaId: number): boolean {
  return (
    db.select({ id: caseDocuments.id }).from(caseDocuments).where(eq(caseDocuments.mediaId, mediaId)).get() !==
    undefined
  );
}

/** Internal notes of a case, oldest first. */
export function caseNotesOf(db: Db, caseId: number) {
  return db
    .select({ note: caseNotes, author: staffUsers.displayName })
    .from(caseNotes)
    .innerJoin(staffUsers, eq(caseNotes.staffUserId, staffUsers.id))
    .where(eq(caseNotes.caseId, caseId))
    .orderBy(asc(caseNotes.id))
    .all();
}

export function addCaseNote(db: Db, caseId: number, staffUserId: number, body: string): void {
  db.insert(caseNotes).values({ caseId, staffUserId, body }).run();
}

/** Cases as staff list them: filtered by stage, aid type, city, overdue or a search, newest first. */
export function listCases(
  db: Db,
  filter: { stage?: CaseStage; aidTypeId?: number; city?: string; overdueAt?: Date; search?: string },
  limit = 200,
) {
  const search = filter.search?.trim();
  const clauses = [
    ...(filter.stage ? [eq(cases.stage, filter.stage)] : []),
    ...(filter.aidTypeId ? [eq(cases.aidTypeId, filter.aidTypeId)] : []),
    ...(filter.city ? [eq(cases.city, filter.city)] : []),
    ...(filter.overdueAt
      ? [
          sql`${cases.dueAt} <= ${filter.overdueAt.getTime()}`,
          inArray(cases.stage, ['submitted', 'under_research', 'incomplete', 'field_visit', 'management_review']),
        ]
      : []),
    ...(search
      ? [
          sql`(${cases.reference} = ${search.toUpperCase()} or ${cases.applicantName} like ${`%${search.replace(/[%_]/g, '')}%`} or substr(${cases.nationalId}, -4) = ${search} or ${cases.phone} = ${search})`,
        ]
      : []),
  ];
  return db
    .select({ case: cases, aidType: aidTypes })
    .from(cases)
    .innerJoin(aidTypes, eq(cases.aidTypeId, aidTypes.id))
    .where(clauses.length > 0 ? and(...clauses) : undefined)
    .orderBy(desc(cases.id))
    .limit(limit)
    .all();
}

/** How many cases are at each stage. */
export function countsByStage(db: Db): Partial<Record<CaseStage, number>> {
  const rows = db.select({ stage: cases.stage, n: sql<number>`count(*)` }).from(cases).groupBy(cases.stage).all();
  return Object.fromEntries(rows.map((r) => [r.stage, r.n]));
}

/** An unfinished application's answers. */
export function findDraft(db: Db, conversationId: number) {
  return draftOf(db).get({ conversationId });
}

export function saveDraft(db: Db, conversationId: number, answers: Record<string, unknown>, now: Date): void {
  upsertDraft(db).run({ conversationId, answers, now });
}

export function deleteDraft(db: Db, conversationId: number): void {
  removeDraft(db).run({ conversationId });
}

/** Counts a failed follow-up lookup; returns the failures of the last `windowMs`, this one included. */
export function countLookupFailure(db: Db, conversationId: number, now: Date, windowMs: number): number {
  insertLookupFailure(db).run({ conversationId, now });
  return lookupFailuresSince(db, conversationId, new Date(now.getTime() - windowMs)).count;
}

/** Failed lookups of a chat since `since`, and the oldest of them. */
export function lookupFailuresSince(db: Db, conversationId: number, since: Date) {
  // A placeholder in a `where` is bound as given: the date as the column stores it.
  const row = failuresSince(db).get({ conversationId, since: since.getTime() });
  return { count: row?.count ?? 0, oldest: row?.oldest ?? null };
}

/** Opens a review task for staff (a permanent beneficiary's circumstances changed). */
export function addReviewTask(db: Db, caseId: number, answers: Record<string, unknown>): void {
  db.insert(reviewTasks).values({ caseId, answers }).run();
}

/** A case's review tasks, newest first. */
export function reviewTasksOf(db: Db, caseId: number) {
  return db.select().from(reviewTasks).where(eq(reviewTasks.caseId, caseId)).orderBy(desc(reviewTasks.id)).all();
}

export function finishReviewTask(db: Db, id: number, staffUserId: number, now: Date): boolean {
  return (
    db
      .update(reviewTasks)
      .set({ doneAt: now, doneBy: staffUserId })
      .where(and(eq(reviewTasks.id, id), sql`${reviewTasks.doneAt} is null`))
      .run().changes === 1
  );
}
