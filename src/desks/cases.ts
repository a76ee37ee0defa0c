import {
  type ApplicationAnswers,
  type CaseSummary,
  type CatalogueItem,
  type Locale,
  type Reply,
  reply,
  reviewTimerPrefix,
  type SystemEvent,
} from '../../flows/events.ts';
import { audit } from '../db/audit.ts';
import {
  addCaseDocument,
  addCaseNote,
  addReviewTask,
  askForDocument,
  type CaseRow,
  caseDocumentsOf,
  casesOfConversation,
  deleteDraft,
  findCase,
  findCaseByReference,
  findDraft,
  insertCase,
  listAidTypes,
  listDocumentTypes,
  moveCase,
  openCaseFor,
  receiveDocument,
  recordCaseEvent,
  saveDraft,
  updateCase,
} from '../db/cases.ts';
import type { Db } from '../db/client.ts';
import { hasConsent, healthConsentOf } from '../db/consents.ts';
import { type Conversation, findConversationById } from '../db/conversations.ts';
import { cancelTimer, setTimer } from '../db/timers.ts';
import { type CaseStage, mayMove, openStages, withdrawableStages } from '../domain/caseStages.ts';
import { toLatinDigits } from '../domain/normalize.ts';
import type { Role } from '../domain/permissions.ts';
import { parseReference } from '../domain/reference.ts';
import { lastFour, parseNationalId } from '../domain/saudiId.ts';
import type { Engine, StaffTurn } from '../engine/engine.ts';
import { lookupGuard, newReference } from './references.ts';

/** What the case module needs to know. */
export interface CaseSettings {
  timeZone: string;
  /** Days until the association answers a request (the policy: two weeks). */
  decisionDays: number;
  /** How often a permanent beneficiary is reviewed. */
  reviewIntervalMs: number;
  cities: CatalogueItem[];
}

type Events<T extends SystemEvent['type']> = Extract<SystemEvent, { type: T }>;

const names = (row: { nameAr: string; nameEn: string }): Record<Locale, string> => ({
  ar: row.nameAr,
  en: row.nameEn,
});

/** A case as its applicant is told about it. */
export function summaryOf(db: Db, row: CaseRow): CaseSummary {
  const aidType = listAidTypes(db, true).find((t) => t.id === row.aidTypeId);
  const missing = caseDocumentsOf(db, row.id)
    .filter((d) => d.document.status === 'missing' && d.type)
    .map((d) => ({ id: String(d.type?.id), names: names(d.type as { nameAr: string; nameEn: string }) }));
  return {
    caseId: row.id,
    reference: row.reference,
    stage: row.stage,
    changedAt: row.changedAt.getTime(),
    dueAt: row.dueAt.getTime(),
    aidType: aidType ? names(aidType) : { ar: '', en: '' },
    missing,
    ...(row.visitAt ? { visitAt: row.visitAt.getTime() } : {}),
    ...(row.decisionReason ? { reason: row.decisionReason } : {}),
  };
}

// ---- the applicant's side: called by flow effects, inside the conversation's turn ----

/** The aid catalogue, the documents and the cities, for the intake to offer. */
export function catalogue(tx: Db, settings: CaseSettings): Events<'catalogue'> {
  return {
    type: 'catalogue',
    aidTypes: listAidTypes(tx).map((t) => ({ id: String(t.id), names: names(t) })),
    documents: listDocumentTypes(tx).map((d) => ({ id: String(d.id), names: names(d), required: d.required })),
    cities: settings.cities,
  };
}

export function loadDraft(tx: Db, conversation: Conversation): Events<'draft.loaded'> {
  return { type: 'draft.loaded', answers: findDraft(tx, conversation.id)?.answers as ApplicationAnswers | undefined };
}

export function keepDraft(tx: Db, conversation: Conversation, answers: ApplicationAnswers, now: Date): void {
  saveDraft(tx, conversation.id, answers as Record<string, unknown>, now);
}

export function clearDraft(tx: Db, conversation: Conversation): void {
  deleteDraft(tx, conversation.id);
}

/** Thrown when a flow submits an application that is not complete or not valid. */
export class ApplicationError extends Error {
  override name = 'ApplicationError';
}

/**
 * Saves a complete application as a case (`submitted`) with its reference, its answer date and
 * its documents, and forgets the draft; or, when the same ID already has an open request of that
 * aid type, tells that one instead.
 */
export function submitApplication(
  tx: Db,
  conversation: Conversation | undefined,
  answers: ApplicationAnswers,
  now: Date,
  settings: CaseSettings,
  by?: { staffUserId: number; source: 'visit' | 'phone' },
): Events<'case.submitted'> | Events<'case.duplicate'> {
  const id = answers.nationalId ? parseNationalId(answers.nationalId) : undefined;
  const aidTypeId = Number(answers.aidTypeId);
  const aidType = listAidTypes(tx).find((t) => t.id === aidTypeId);
  const complete =
    id &&
    'id' in id &&
    aidType &&
    answers.name &&
    answers.phone &&
    answers.city &&
    answers.householdSize &&
    answers.income &&
    answers.description &&
    (!answers.forFamily || (answers.patientName && answers.relationship)) &&
    (by || (answers.healthConsent && answers.declaration));
  if (!complete || !id || !('id' in id)) throw new ApplicationError('The application is not complete.');
  const existing = openCaseFor(tx, id.id, aidTypeId, openStages);
  if (existing) {
    // Staff see it; a chat only when the request was made from it.
    const own = by !== undefined || (conversation !== undefined && existing.conversationId === conversation.id);
    return { type: 'case.duplicate', ...(own ? { summary: summaryOf(tx, existing) } : {}) };
  }

  const row = insertCase(tx, {
    reference: newReference(tx, 'A', now, settings.timeZone),
    conversationId: conversation?.id ?? null,
    source: by?.source ?? 'chat',
    applicantName: answers.name as string,
    ...(answers.forFamily
      ? { patientName: answers.patientName ?? null, relationship: answers.relationship ?? null }
      : {}),
    nationalId: id.id,
    phone: answers.phone as string,
    city: answers.city as string,
    householdSize: answers.householdSize as number,
    income: answers.income as string,
    aidTypeId,
    description: answers.description as string,
    locale: conversation?.locale ?? 'ar',
    submittedAt: now,
    dueAt: new Date(now.getTime() + settings.decisionDays * 86_400_000),
    changedAt: now,
    createdBy: by?.staffUserId ?? null,
  });
  for (const document of answers.documents ?? []) {
    addCaseDocument(tx, {
      caseId: row.id,
      documentTypeId: Number(document.documentTypeId) || null,
      mediaId: document.mediaId ?? null,
      status: document.mediaId ? 'received' : 'later',
    });
  }
  recordCaseEvent(tx, { caseId: row.id, fromStage: null, toStage: 'submitted', staffUserId: by?.staffUserId ?? null });
  if (conversation) deleteDraft(tx, conversation.id);
  return { type: 'case.submitted', caseId: row.id, reference: row.reference, dueAt: row.dueAt.getTime() };
}

/** A chat's own requests, newest first. */
export function myCases(tx: Db, conversation: Conversation): Events<'cases.list'> {
  return { type: 'cases.list', cases: casesOfConversation(tx, conversation.id).map((row) => summaryOf(tx, row)) };
}

/**
 * Finds a request by its reference and the last four digits of the ID. The same answer whether
 * the reference or the digits are wrong; a mistyped reference (wrong check digit) is said to be
 * one; five failures an hour make the chat wait. Knowing the reference and the digits proves
 * nothing: such a chat sees what a printed receipt says (the reference, the kind of aid, the
 * stage and the date of the answer) and can do nothing with it. Only the applicant's own chat
 * sees and does more: the one that applied, or one whose platform vouches for the request's
 * mobile (WhatsApp's sender number). A request taken at the office is linked to the first such
 * chat, so it is told of changes there.
 */
export function lookupCase(
  tx: Db,
  conversation: Conversation,
  typed: { reference: string; lastFour: string },
  now: Date,
): Events<'case.found'> | Events<'case.notFound'> {
  const guard = lookupGuard(tx, conversation.id, now);
  if (guard.waitUntil !== undefined) return { type: 'case.notFound', reason: 'coolDown', until: guard.waitUntil };
  const parsed = parseReference(typed.reference, ['A']);
  const fail = (reason: 'typo' | 'unknown'): Events<'case.notFound'> => {
    guard.fail();
    return { type: 'case.notFound', reason };
  };
  if (!parsed) return fail('unknown');
  if ('typo' in parsed) return fail('typo');
  const row = findCaseByReference(tx, parsed.text);
  const digits = toLatinDigits(typed.lastFour).replace(/\D/g, '');
  if (!row || digits.length !== 4 || lastFour(row.nationalId) !== digits) return fail('unknown');
  if (!isOwner(conversation, row)) return { type: 'case.found', summary: receiptOf(tx, row) };
  if (row.conversationId === null) updateCase(tx, row.id, { conversationId: conversation.id });
  return { type: 'case.found', summary: { ...summaryOf(tx, row), own: true } };
}

/** Whether a chat is the applicant's: the one that applied, or one whose platform vouches for the request's mobile. */
function isOwner(conversation: Conversation, row: CaseRow): boolean {
  return (
    row.conversationId === conversation.id ||
    (conversation.platformPhone !== null && conversation.platformPhone === row.phone)
  );
}

/** What a printed receipt says of a request: for a chat that knows its reference but is not the applicant's. */
function receiptOf(tx: Db, row: CaseRow): CaseSummary {
  const { caseId, reference, stage, changedAt, dueAt, aidType } = summaryOf(tx, row);
  return { caseId, reference, stage, changedAt, dueAt, aidType, missing: [], own: false };
}

/**
 * What this chat gave in its last application, to confirm instead of asking again: only from a
 * request applied in this very chat for the applicant themself (never one found by its
 * reference), and not once erased;
 * and whether its consent to health data stands.
 */
export function savedApplicant(
  tx: Db,
  conversation: Conversation,
): { saved?: { name: string; nationalId: string; phone: string }; healthConsent?: boolean } {
  // A request made for a family member holds the patient's ID, not the applicant's.
  const last = casesOfConversation(tx, conversation.id).find(
    (row) => row.source === 'chat' && row.patientName === null && 'id' in parseNationalId(row.nationalId),
  );
  const consent = healthConsentOf(tx, conversation.id)?.decision === 'given';
  return {
    ...(last ? { saved: { name: last.applicantName, nationalId: last.nationalId, phone: last.phone } } : {}),
    ...(consent ? { healthConsent: true } : {}),
  };
}

/** A case this chat may act on: the applicant's own (see {@link isOwner}). */
function ownCase(tx: Db, conversation: Conversation, caseId: number): CaseRow | undefined {
  const row = findCase(tx, caseId);
  return row && isOwner(conversation, row) ? row : undefined;
}

/**
 * Attaches a file the applicant sent to their request: it fills a missing (or promised) document
 * of that type, or of the first type still missing; when nothing is missing any more, an
 * incomplete request goes back to research.
 */
export function attachToCase(
  tx: Db,
  conversation: Conversation,
  request: { caseId: number; mediaId: number; documentTypeId?: string },
  now: Date,
): Events<'case.attached'> | undefined {
  const row = ownCase(tx, conversation, request.caseId);
  if (!row) return undefined;
  const waiting = caseDocumentsOf(tx, row.id).filter((d) => d.document.status !== 'received' && d.type);
  const typeId = Number(request.documentTypeId) || waiting.find((d) => d.document.status === 'missing')?.type?.id;
  if (!typeId || !receiveDocument(tx, row.id, typeId, request.mediaId)) {
    addCaseDocument(tx, {
      caseId: row.id,
      documentTypeId: typeId ?? null,
      mediaId: request.mediaId,
      status: 'received',
    });
  }
  const stillMissing = caseDocumentsOf(tx, row.id).some((d) => d.document.status === 'missing');
  if (row.stage === 'incomplete' && !stillMissing && moveCase(tx, row.id, 'incomplete', 'under_research', now)) {
    recordCaseEvent(tx, { caseId: row.id, fromStage: 'incomplete', toStage: 'under_research', note: 'documents' });
  }
  return { type: 'case.attached', summary: summaryOf(tx, findCase(tx, row.id) as CaseRow) };
}

/** The applicant withdraws a request that is not decided yet. */
export function withdrawCase(tx: Db, conversation: Conversation, caseId: number, now: Date): Events<'case.withdrawn'> {
  const row = ownCase(tx, conversation, caseId);
  if (!row) return { type: 'case.withdrawn', reference: '', withdrawn: false };
  const withdrawn = withdrawableStages.includes(row.stage) && moveCase(tx, row.id, row.stage, 'closed', now);
  if (withdrawn) recordCaseEvent(tx, { caseId: row.id, fromStage: row.stage, toStage: 'closed', note: 'applicant' });
  return { type: 'case.withdrawn', reference: row.reference, withdrawn };
}

/** Plans the next periodic review of a permanent beneficiary's case, in its chat. */
function scheduleReview(tx: Db, row: CaseRow, now: Date, settings: CaseSettings): void {
  const next = new Date(now.getTime() + settings.reviewIntervalMs);
  updateCase(tx, row.id, { nextReviewAt: next });
  if (row.conversationId !== null) setTimer(tx, row.conversationId, `${reviewTimerPrefix}${row.id}`, next);
}

/**
 * A permanent beneficiary answered their periodic review: the next one is planned either way;
 * a change of circumstances opens a review task for staff with what they updated.
 */
export function answerReview(
  tx: Db,
  conversation: Conversation,
  request: { caseId: number; changed: boolean; answers?: ApplicationAnswers },
  now: Date,
  settings: CaseSettings,
): void {
  const row = ownCase(tx, conversation, request.caseId);
  if (!row?.permanent) return;
  if (request.changed) addReviewTask(tx, row.id, (request.answers ?? {}) as Record<string, unknown>);
  scheduleReview(tx, row, now, settings);
}

// ---- the staff side: called by the console ----

/** Who asks for a case command. */
export interface CaseActor {
  id: number;
  role: Role;
}

/** What a move may carry: a note for the history, the items asked for, the visit, the decision's reason. */
export interface MoveDetails {
  note?: string;
  /** Document type ids asked for (to `incomplete`). */
  missing?: number[];
  /** When the field visit is (to `field_visit`). */
  visitAt?: Date;
  /** Why it was not approved (to `rejected`), as told to the applicant. */
  reason?: string;
}

/** How a case command ended. */
export type CaseResult = 'done' | 'none' | 'forbidden' | 'taken' | 'invalid';

/** The changes an applicant is told of, and what each needs in the message. */
const notified: readonly CaseStage[] = ['incomplete', 'field_visit', 'approved', 'rejected', 'registered', 'served'];

/**
 * The one owner of the aid case's lifecycle on the staff side: every move is checked against the
 * transition table ({@link mayMove}), recorded (from, to, by whom, when, note), audited, and told
 * to the applicant on their own chat in their language — only if they consented and the chat is
 * reachable; otherwise the case is flagged for a phone call. A move runs in the applicant's
 * conversation's turn, in order with what they send.
 */
export class CaseDesk {
  constructor(
    private readonly engine: Pick<Engine, 'act'>,
    private readonly db: Db,
    private readonly settings: CaseSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Moves a case to `to` for `staff`, with what the move needs. */
  async move(caseId: number, staff: CaseActor, to: CaseStage, details: MoveDetails = {}): Promise<CaseResult> {
    return this.inTurn(caseId, (tx, row, conversation) => {
      if (!mayMove(staff.role, row.stage, to)) return { result: 'forbidden' };
      if (to === 'incomplete' && !details.missing?.length) return { result: 'invalid' };
      if (to === 'field_visit' && !details.visitAt) return { result: 'invalid' };
      if (to === 'rejected' && !details.reason?.trim()) return { result: 'invalid' };
      const now = this.clock();
      const reachable = conversation && conversation.status === 'active' && hasConsent(tx, conversation.id);
      const tell = notified.includes(to);
      const moved = moveCase(tx, row.id, row.stage, to, now, {
        ...(to === 'field_visit' ? { visitAt: details.visitAt ?? null } : {}),
        ...(to === 'rejected' ? { decisionReason: details.reason?.trim() ?? null } : {}),
        ...(tell ? { needsCall: !reachable } : {}),
      });
      if (!moved) return { result: 'taken' };
      for (const typeId of to === 'incomplete' ? (details.missing ?? []) : []) askForDocument(tx, row.id, typeId);
      recordCaseEvent(tx, {
        caseId: row.id,
        fromStage: row.stage,
        toStage: to,
        staffUserId: staff.id,
        note: details.note?.trim() || details.reason?.trim() || null,
      });
      audit(tx, {
        staffUserId: staff.id,
        action: `case.${to}`,
        objectType: 'case',
        objectId: row.id,
        details: { from: row.stage },
      });
      if (!tell || !reachable || !conversation) return { result: 'done' };
      const fresh = findCase(tx, row.id) as CaseRow;
      const replies = [this.notice(tx, fresh, conversation.locale as Locale)];
      // A served request may be rated: the flow hears of it (and asks once, when it can).
      const event =
        to === 'served' ? { type: 'case.served' as const, caseId: row.id, staffUserId: staff.id } : undefined;
      return { result: 'done', turn: { replies, ...(event ? { event } : {}) } };
    });
  }

  /** Marks an approved case permanent (reviewed periodically) or not. */
  async setPermanent(caseId: number, staff: CaseActor, permanent: boolean): Promise<CaseResult> {
    return this.inTurn(caseId, (tx, row) => {
      if (staff.role !== 'manager') return { result: 'forbidden' };
      if (!['approved', 'registered', 'served'].includes(row.stage)) return { result: 'invalid' };
      updateCase(tx, row.id, { permanent, ...(permanent ? {} : { nextReviewAt: null }) });
      if (permanent) scheduleReview(tx, row, this.clock(), this.settings);
      else if (row.conversationId !== null) cancelTimer(tx, row.conversationId, `${reviewTimerPrefix}${row.id}`);
      audit(tx, {
        staffUserId: staff.id,
        action: permanent ? 'case.permanent' : 'case.notPermanent',
        objectType: 'case',
        objectId: row.id,
      });
      return { result: 'done' };
    });
  }

  /** An internal note on a case. */
  note(caseId: number, staff: CaseActor, body: string): CaseResult {
    const row = findCase(this.db, caseId);
    if (!row) return 'none';
    addCaseNote(this.db, row.id, staff.id, body.slice(0, 4000));
    audit(this.db, { staffUserId: staff.id, action: 'case.note', objectType: 'case', objectId: row.id });
    return 'done';
  }

  /** Opens a case for a person who came to the office or phoned; every request lives in one place. */
  open(
    staff: CaseActor,
    answers: ApplicationAnswers,
    source: 'visit' | 'phone',
  ): Events<'case.submitted'> | Events<'case.duplicate'> | 'invalid' {
    try {
      return this.db.transaction((tx) => {
        const result = submitApplication(tx, undefined, answers, this.clock(), this.settings, {
          staffUserId: staff.id,
          source,
        });
        if (result.type === 'case.submitted') {
          audit(tx, {
            staffUserId: staff.id,
            action: 'case.open',
            objectType: 'case',
            objectId: result.caseId,
            details: { source },
          });
        }
        return result;
      });
    } catch (error) {
      if (error instanceof ApplicationError) return 'invalid';
      throw error;
    }
  }

  /** What the applicant is told of a move, in their language. */
  private notice(tx: Db, row: CaseRow, locale: Locale): Reply {
    const summary = summaryOf(tx, row);
    return reply(`cases:notify.${row.stage}`, undefined, {
      reference: row.reference,
      aidType: summary.aidType[locale],
      missing: summary.missing.map((m) => `• ${m.names[locale]}`).join('\n'),
      ...(row.visitAt ? { visitDate: row.visitAt.getTime(), visitAt: row.visitAt.getTime() } : {}),
      reason: row.decisionReason ?? '',
      dueDate: row.dueAt.getTime(),
    });
  }

  /**
   * Runs `work` on the case inside its applicant's conversation's turn (or a transaction of its
   * own when the case came from the office and has no chat).
   */
  private async inTurn(
    caseId: number,
    work: (tx: Db, row: CaseRow, conversation: Conversation | undefined) => { result: CaseResult; turn?: StaffTurn },
  ): Promise<CaseResult> {
    const known = findCase(this.db, caseId);
    if (!known) return 'none';
    let result: CaseResult = 'none';
    if (known.conversationId === null) {
      this.db.transaction((tx) => {
        const row = findCase(tx, caseId);
        if (row) result = work(tx, row, undefined).result;
      });
      return result;
    }
    await this.engine.act(known.conversationId, (tx) => {
      const row = findCase(tx, caseId);
      if (!row) return {};
      const decided = work(
        tx,
        row,
        row.conversationId === null ? undefined : findConversationById(tx, row.conversationId),
      );
      result = decided.result;
      return decided.turn ?? {};
    });
    return result;
  }
}
