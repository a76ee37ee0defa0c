import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addCaseDocument,
  caseDocumentsOf,
  casesOfConversation,
  countLookupFailure,
  deleteDraft,
  findCase,
  findCaseByReference,
  findDraft,
  insertCase,
  listAidTypes,
  listDocumentTypes,
  lookupFailuresSince,
  receiveDocument,
  saveCatalogueEntry,
  saveDraft,
} from '../../src/db/cases.ts';
import { type Db, openDatabase } from '../../src/db/client.ts';
import { healthConsentOf, privacyDecisionOf, recordConsent } from '../../src/db/consents.ts';
import {
  findConversationById,
  findOrCreateConversation,
  saveConversationState,
  saveSenderProfile,
} from '../../src/db/conversations.ts';
import {
  claimedBy,
  claimHandoff,
  closeHandoff,
  createHandoff,
  listHandoffs,
  markOverdue,
  openHandoff,
  queueCounts,
  queuePosition,
  raisePriority,
  releaseHandoff,
  transferHandoff,
} from '../../src/db/handoffs.ts';
import { recordMedia } from '../../src/db/media.ts';
import { listMissed, recordMissed } from '../../src/db/missed.ts';
import { prepared } from '../../src/db/prepared.ts';
import { findRating, handlingStaff, noteAsked, recentFaqRating, rescore, saveAnswer } from '../../src/db/ratings.ts';
import { conversations } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { findMedia, latestInboundOfClaimed } from '../../src/db/staffWork.ts';
import {
  findTicket,
  findTicketByReference,
  findTicketCategory,
  insertTicket,
  listTicketCategories,
  saveTicketCategory,
  ticketsOfConversation,
} from '../../src/db/tickets.ts';
import { appendTranscript } from '../../src/db/transcript.ts';
import { tempDir } from '../helpers.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0).reverse()) done();
});

/** A fresh database file, migrated, closed and removed after the test. */
function database(): Db {
  const t = tempDir();
  cleanup.push(t.remove);
  const opened = openDatabase(join(t.dir, 't.db'));
  cleanup.push(() => opened.close());
  return opened.db;
}

/** One row as SQLite keeps it, read without drizzle's decoding. */
function raw<T>(db: Db, query: ReturnType<typeof sql>): T {
  return db.get<T>(query);
}

const at = new Date('2025-03-01T09:30:00.123Z');
const later = new Date('2025-03-01T10:00:00.456Z');

describe('prepared()', () => {
  it('should compile a query once per connection, shared by its transactions, and once more for another database', () => {
    let built = 0;
    const byId = prepared((db) => {
      built += 1;
      return db
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.id, sql.placeholder('id')))
        .prepare();
    });
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);

    for (let i = 0; i < 20; i++) expect(byId(db).get({ id })).toEqual({ id });
    db.transaction((tx) => {
      for (let i = 0; i < 5; i++) expect(byId(tx).get({ id })).toEqual({ id });
      tx.transaction((nested) => {
        expect(byId(nested).get({ id })).toEqual({ id });
      });
    });
    db.transaction((tx) => expect(byId(tx)).toBe(byId(db)));
    expect(built).toBe(1);

    const other = database();
    expect(byId(other).get({ id })).toBeUndefined();
    expect(byId(other)).not.toBe(byId(db));
    expect(built).toBe(2);
    for (let i = 0; i < 5; i++) byId(other).get({ id });
    expect(built).toBe(2);
  });
});

describe('the converted queries', () => {
  it("should keep the sender's phone when only their name changes, and their name when only the phone does", () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'whatsapp', 'c1', 1);
    saveSenderProfile(db, id, { platformPhone: '+966501234567', profileName: 'أم سعد' });
    saveSenderProfile(db, id, { profileName: 'ام سعد' });
    expect(findConversationById(db, id)).toMatchObject({ platformPhone: '+966501234567', profileName: 'ام سعد' });
    saveSenderProfile(db, id, { platformPhone: '+966551234567' });
    expect(findConversationById(db, id)).toMatchObject({ platformPhone: '+966551234567', profileName: 'ام سعد' });
  });

  it('should keep a transcript row without payload and a restarted snapshot as SQL NULL', () => {
    const db = database();
    const conversation = findOrCreateConversation(db, 'telegram', 'c1', 1);
    appendTranscript(db, {
      conversationId: conversation.id,
      direction: 'in',
      author: 'user',
      kind: 'text',
      text: 'hi',
    });
    expect(raw<{ none: number }>(db, sql`select payload is null as none from transcript`)).toEqual({ none: 1 });

    const state = { locale: 'en', flowVersion: 1, options: [], floodSince: 0, floodCount: 0 };
    saveConversationState(db, conversation.id, { ...state, snapshot: '{"value":"menu","context":{"n":1}}' });
    expect(findConversationById(db, conversation.id)?.snapshot).toBe('{"value":"menu","context":{"n":1}}');
    saveConversationState(db, conversation.id, { ...state, snapshot: null });
    expect(findConversationById(db, conversation.id)?.snapshot).toBeNull();
    expect(raw<{ none: number }>(db, sql`select snapshot is null as none from conversations`)).toEqual({ none: 1 });
  });

  it('should record consents and read back the latest decision of each purpose', () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);
    expect(privacyDecisionOf(db, id)).toBeUndefined();
    recordConsent(db, id, 'given', 3);
    recordConsent(db, id, 'declined', 3, 'health');
    expect(privacyDecisionOf(db, id)).toBe('given');
    expect(healthConsentOf(db, id)?.decision).toBe('declined');
    db.transaction((tx) => recordConsent(tx, id, 'withdrawn', 4));
    expect(privacyDecisionOf(db, id)).toBe('withdrawn');
    // The date is the database's default, in milliseconds, as the column keeps it.
    const row = raw<{ purpose: string; notice: number; created: number }>(
      db,
      sql`select purpose, notice_version as notice, typeof(created_at) = 'integer' and created_at > 1e12 as created from consents order by id limit 1`,
    );
    expect(row).toEqual({ purpose: 'privacy', notice: 3, created: 1 });
  });

  it('should keep a draft as the same object and the same date, and forget it', () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);
    const answers = { name: 'أمل', householdSize: 4, documents: [{ documentTypeId: '2', mediaId: 7 }], none: null };
    saveDraft(db, id, answers, at);
    expect(findDraft(db, id)).toEqual({ conversationId: id, answers, updatedAt: at });
    saveDraft(db, id, { name: 'Amal' }, later);
    expect(findDraft(db, id)).toEqual({ conversationId: id, answers: { name: 'Amal' }, updatedAt: later });
    expect(
      raw<{ answers: string; updated: number }>(db, sql`select answers, updated_at as updated from application_drafts`),
    ).toEqual({
      answers: '{"name":"Amal"}',
      updated: later.getTime(),
    });
    deleteDraft(db, id);
    expect(findDraft(db, id)).toBeUndefined();
  });

  it('should count lookup failures in a window given as a date', () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);
    expect(lookupFailuresSince(db, id, at)).toEqual({ count: 0, oldest: null });
    expect(countLookupFailure(db, id, at, 60_000)).toBe(1);
    expect(countLookupFailure(db, id, new Date(at.getTime() + 30_000), 60_000)).toBe(2);
    // The window is what came after 30 s: the failure at 30 s is not in it.
    expect(countLookupFailure(db, id, new Date(at.getTime() + 90_000), 60_000)).toBe(1);
    expect(lookupFailuresSince(db, id, new Date(at.getTime() - 1))).toEqual({ count: 3, oldest: at.getTime() });
    expect(lookupFailuresSince(db, id, at).count).toBe(2);
  });

  it('should list the active catalogue, or all of it, and find cases and their documents', () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);
    saveCatalogueEntry(db, 'aid', { code: 'old', nameAr: 'قديم', nameEn: 'Old', active: false });
    saveCatalogueEntry(db, 'document', { code: 'gone', nameAr: 'قديم', nameEn: 'Gone', active: false });
    const active = listAidTypes(db);
    expect(active.length).toBeGreaterThan(0);
    expect(active.some((t) => t.code === 'old')).toBe(false);
    expect(listAidTypes(db, true).map((t) => t.code)).toContain('old');
    expect(listAidTypes(db, true)).toHaveLength(active.length + 1);
    expect(listDocumentTypes(db).some((t) => t.code === 'gone')).toBe(false);
    expect(listDocumentTypes(db, true).find((t) => t.code === 'gone')).toMatchObject({
      active: false,
      required: false,
    });

    const row = insertCase(db, {
      reference: 'A-46-0001-7',
      conversationId: id,
      source: 'chat',
      applicantName: 'Amal',
      nationalId: '1000000008',
      phone: '+966500000000',
      city: 'riyadh',
      householdSize: 3,
      income: 'low',
      aidTypeId: active[0]?.id as number,
      description: 'need',
      locale: 'ar',
      submittedAt: at,
      dueAt: later,
      changedAt: at,
    });
    expect(findCase(db, row.id)).toEqual(row);
    expect(findCase(db, row.id)?.dueAt).toEqual(later);
    expect(findCaseByReference(db, 'A-46-0001-7')?.id).toBe(row.id);
    expect(findCaseByReference(db, 'A-46-0002-5')).toBeUndefined();
    expect(casesOfConversation(db, id).map((c) => c.id)).toEqual([row.id]);

    const type = listDocumentTypes(db)[0]?.id as number;
    const mediaId = recordMedia(db, {
      conversationId: id,
      kind: 'photo',
      mime: 'image/jpeg',
      size: 3,
      sha256: 'x',
      path: 'p',
    });
    addCaseDocument(db, { caseId: row.id, documentTypeId: type, status: 'later' });
    addCaseDocument(db, { caseId: row.id, documentTypeId: type, status: 'missing' });
    expect(receiveDocument(db, row.id, type, mediaId)).toBe(true);
    expect(caseDocumentsOf(db, row.id).map((d) => [d.document.status, d.document.mediaId, d.type?.id])).toEqual([
      ['later', null, type],
      ['received', mediaId, type],
    ]);
    expect(receiveDocument(db, row.id, type + 1000, mediaId)).toBe(false);
  });

  it('should keep a file without a name as NULL', () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);
    const file = {
      conversationId: id,
      kind: 'document' as const,
      mime: 'application/pdf',
      size: 10,
      sha256: 'h',
      path: 'a',
    };
    const first = recordMedia(db, file);
    const second = recordMedia(db, { ...file, fileName: 'report.pdf' });
    expect(second).toBe(first + 1);
    expect(findMedia(db, first)?.fileName).toBeNull();
    expect(findMedia(db, second)).toMatchObject({ ...file, fileName: 'report.pdf' });
    expect(findMedia(db, first)?.createdAt).toBeInstanceOf(Date);
    expect(raw<{ none: number }>(db, sql`select file_name is null as none from media where id = ${first}`)).toEqual({
      none: 1,
    });
    // A row given its own date keeps it.
    const dated = recordMedia(db, { ...file, createdAt: at });
    expect(findMedia(db, dated)?.createdAt).toEqual(at);
  });

  it('should count a missed wording once per language and text, with its latest date', () => {
    const db = database();
    recordMissed(db, 'ar', 'كلام', at);
    recordMissed(db, 'ar', 'كلام', later);
    recordMissed(db, 'en', 'كلام', at);
    expect(listMissed(db, false).map((m) => [m.lang, m.count, m.lastAt, m.createdAt])).toEqual([
      ['ar', 2, later, at],
      ['en', 1, at, at],
    ]);
  });

  it('should ask a rating once per item, keep its answers, and rescore an FAQ answer', () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);
    const staff = createStaffUser(db, { username: 'huda', displayName: 'Huda', role: 'officer', passwordHash: 'x' });
    const handoff = createHandoff(db, id, 0, 'asked', at);
    claimHandoff(db, handoff.id, staff.id, at);
    expect(handlingStaff(db, 'handoff', handoff.id)).toBe(staff.id);
    expect(handlingStaff(db, 'ticket', 999)).toBeNull();
    expect(handlingStaff(db, 'case', 999)).toBeNull();
    expect(handlingStaff(db, 'faq', 1)).toBeNull();

    const row = { conversationId: id, subject: 'handoff' as const, subjectId: handoff.id, channel: 'telegram' };
    expect(noteAsked(db, row, at)).toBe(true);
    expect(noteAsked(db, row, later)).toBe(false);
    expect(findRating(db, 'handoff', handoff.id)).toMatchObject({
      score: null,
      comment: null,
      staffUserId: null,
      askedAt: at,
      answeredAt: null,
      createdAt: at,
    });
    saveAnswer(db, { ...row, staffUserId: staff.id, score: 4 }, later);
    saveAnswer(db, { ...row, score: null, comment: 'شكرا' }, new Date(later.getTime() + 1000));
    expect(findRating(db, 'handoff', handoff.id)).toMatchObject({
      score: 4,
      comment: 'شكرا',
      staffUserId: staff.id,
      askedAt: at,
      answeredAt: later,
    });
    expect(raw<{ n: number }>(db, sql`select count(*) as n from ratings`)).toEqual({ n: 1 });

    // FAQ answers may be rated each time.
    const faq = { conversationId: id, subject: 'faq' as const, subjectId: 5 };
    expect(noteAsked(db, faq, at)).toBe(true);
    expect(noteAsked(db, faq, at)).toBe(true);
    saveAnswer(db, { ...faq, score: 2 }, at);
    const recent = recentFaqRating(db, id, 5, new Date(at.getTime() - 60_000));
    expect(recent).toMatchObject({ score: 2, answeredAt: at, channel: '', comment: null });
    expect(recentFaqRating(db, id, 5, new Date(at.getTime() + 1))).toBeUndefined();
    expect(recentFaqRating(db, id, 6, new Date(0))).toBeUndefined();
    rescore(db, recent?.id as number, 5, later);
    expect(recentFaqRating(db, id, 5, at)).toMatchObject({ id: recent?.id, score: 5, answeredAt: later });
  });

  it('should keep the queue: positions, priorities, claims, counts, and the closed tab', () => {
    const db = database();
    const staff = createStaffUser(db, { username: 'huda', displayName: 'Huda', role: 'officer', passwordHash: 'x' });
    const other = createStaffUser(db, { username: 'sara', displayName: 'Sara', role: 'officer', passwordHash: 'x' });
    const [a, b, c] = ['a', 'b', 'c'].map((chat) => findOrCreateConversation(db, 'telegram', chat, 1).id) as [
      number,
      number,
      number,
    ];
    const ha = createHandoff(db, a, 0, 'asked', at);
    const hb = createHandoff(db, b, 0, 'asked', later);
    const hc = createHandoff(db, c, 0, 'asked', later);
    expect(ha).toMatchObject({ conversationId: a, status: 'waiting', priority: 0, createdAt: at, claimedAt: null });
    expect(openHandoff(db, a)).toEqual(ha);
    expect([ha, hb, hc].map((h) => queuePosition(db, h))).toEqual([1, 2, 3]);

    raisePriority(db, hc.id, 2);
    raisePriority(db, hc.id, 1);
    const raised = openHandoff(db, c);
    expect(raised?.priority).toBe(2);
    expect(queuePosition(db, raised as typeof hc)).toBe(1);
    expect(queuePosition(db, hb)).toBe(3);
    expect(queueCounts(db)).toEqual({ waiting: 3, emergencies: 1, newest: hc.id });
    expect(listHandoffs(db, 'waiting').map((r) => r.handoff.id)).toEqual([hc.id, ha.id, hb.id]);
    expect(listHandoffs(db, 'waiting', 1).map((r) => r.handoff.id)).toEqual([hc.id]);

    appendTranscript(db, { conversationId: a, direction: 'in', author: 'user', kind: 'text', text: 'help' });
    expect(listHandoffs(db, 'waiting').find((r) => r.handoff.id === ha.id)).toMatchObject({ lastText: 'help' });

    expect(claimHandoff(db, ha.id, staff.id, later)).toBe(true);
    expect(claimHandoff(db, ha.id, other.id, later)).toBe(false);
    expect(openHandoff(db, a)).toMatchObject({ status: 'claimed', claimedBy: staff.id, claimedAt: later });
    expect(claimedBy(db, staff.id).map((h) => h.id)).toEqual([ha.id]);
    expect(latestInboundOfClaimed(db, staff.id).last).toBeGreaterThan(0);
    expect(latestInboundOfClaimed(db, other.id)).toEqual({ last: 0, flagged: 0 });
    expect(transferHandoff(db, ha.id, other.id, at)).toBe(true);
    expect(claimedBy(db, other.id).map((h) => h.claimedAt)).toEqual([at]);
    expect(releaseHandoff(db, ha.id)).toBe(true);
    expect(releaseHandoff(db, ha.id)).toBe(false);
    expect(openHandoff(db, a)).toMatchObject({ status: 'waiting', claimedBy: null, claimedAt: null });

    markOverdue(db, hb.id);
    expect(openHandoff(db, b)?.overdue).toBe(true);
    expect(closeHandoff(db, hb.id, 'user', at)).toBe(true);
    expect(closeHandoff(db, hb.id, 'staff', later)).toBe(false);
    expect(closeHandoff(db, ha.id, 'staff', later)).toBe(true);
    expect(openHandoff(db, b)).toBeUndefined();
    const closed = listHandoffs(db, 'closed');
    expect(closed.map((r) => [r.handoff.id, r.handoff.closedBy, r.handoff.closedAt])).toEqual([
      [ha.id, 'staff', later],
      [hb.id, 'user', at],
    ]);
    expect(queueCounts(db)).toEqual({ waiting: 1, emergencies: 1, newest: hc.id });
  });

  it('should list and find tickets and categories', () => {
    const db = database();
    const { id } = findOrCreateConversation(db, 'telegram', 'c1', 1);
    saveTicketCategory(db, { code: 'old', nameAr: 'قديم', nameEn: 'Old', aboutStaff: true, active: false });
    const active = listTicketCategories(db);
    expect(active.some((c) => c.code === 'old')).toBe(false);
    const old = listTicketCategories(db, true).find((c) => c.code === 'old');
    expect(old).toMatchObject({ aboutStaff: true, active: false });
    expect(findTicketCategory(db, old?.id as number)).toEqual(old);

    const ticket = insertTicket(db, {
      reference: 'C-46-0001-3',
      conversationId: id,
      kind: 'complaint',
      categoryId: active[0]?.id as number,
      text: 'late',
      locale: 'ar',
      dueAt: later,
      changedAt: at,
    });
    expect(findTicket(db, ticket.id)).toEqual(ticket);
    expect(findTicketByReference(db, 'C-46-0001-3')?.dueAt).toEqual(later);
    expect(ticketsOfConversation(db, id).map((t) => t.id)).toEqual([ticket.id]);
    expect(ticketsOfConversation(db, id + 1)).toEqual([]);
  });
});
