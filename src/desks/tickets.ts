import {
  type QueuePlace,
  type Reply,
  reply,
  type SystemEvent,
  type TicketDraft,
  type TicketSummary,
} from '../../flows/events.ts';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { hasConsent } from '../db/consents.ts';
import { type Conversation, findConversationById } from '../db/conversations.ts';
import { findStaffById } from '../db/staff.ts';
import { findMedia } from '../db/staffWork.ts';
import {
  findTicket,
  findTicketByReference,
  findTicketCategory,
  insertTicket,
  listTicketCategories,
  moveTicket,
  recordTicketEvent,
  type TicketCategory,
  type TicketRow,
  ticketsOfConversation,
} from '../db/tickets.ts';
import { flagSent } from '../db/transcript.ts';
import { normalize } from '../domain/normalize.ts';
import { may, type Role } from '../domain/permissions.ts';
import { parseReference } from '../domain/reference.ts';
import {
  mayMoveTicket,
  maySeeTicket,
  type TicketCommand,
  ticketCommands,
  ticketKinds,
} from '../domain/ticketStages.ts';
import { addWorkingDays } from '../domain/workingDays.ts';
import type { Hours } from '../domain/workingHours.ts';
import type { Engine, StaffTurn } from '../engine/engine.ts';
import { type CompiledVocabulary, compileVocabulary, matchKeywords } from '../understanding/keywords.ts';
import { type HandoffSettings, requestHandoff } from './handoff.ts';
import { lookupGuard, newReference } from './references.ts';

/** What the ticket module needs to know. */
export interface TicketSettings {
  /** The working week the answer date is counted on. */
  hours: Hours;
  /** Working days within which the association answers (COMPLAINT_RESPONSE_DAYS). */
  responseDays: number;
  /** The words that make a complaint urgent (COMPLAINT_URGENT_WORDS), prepared for matching. */
  urgentWords: CompiledVocabulary;
  /** For putting an urgent complaint through to a person. */
  handoff: HandoffSettings;
}

/** The ticket settings from the configured working week, answer days and urgent words. */
export function ticketSettingsOf(
  handoff: HandoffSettings & { org: Hours },
  complaints: { responseDays: number; urgentWords: readonly string[] },
): TicketSettings {
  const { workingDays, workingHours, timeZone } = handoff.org;
  return {
    hours: { workingDays, workingHours, timeZone },
    responseDays: complaints.responseDays,
    urgentWords: compileVocabulary({ urgent: complaints.urgentWords }),
    handoff,
  };
}

/** The longest text a ticket keeps, and the longest note on a move. */
const maxText = 4000;
const maxNote = 2000;

/** The priority of an urgent complaint in the staff queue (an emergency is 2). */
export const urgentPriority = 1;

type Events<T extends SystemEvent['type']> = Extract<SystemEvent, { type: T }>;

/** Thrown when a flow files a ticket that is not complete or not allowed (an anonymous complaint). */
export class TicketError extends Error {
  override name = 'TicketError';
}

/** A ticket as the person is told about it; someone else's shows its stage and dates only. */
export function ticketSummaryOf(row: TicketRow, category: TicketCategory | undefined, own: boolean): TicketSummary {
  return {
    ticketId: row.id,
    reference: row.reference,
    kind: row.kind,
    stage: row.stage,
    createdAt: row.createdAt.getTime(),
    changedAt: row.changedAt.getTime(),
    dueAt: row.dueAt.getTime(),
    own,
    ...(own && category ? { category: { ar: category.nameAr, en: category.nameEn } } : {}),
    ...(own && row.resolution ? { resolution: row.resolution } : {}),
  };
}

/** Whether a text holds one of the configured urgent words. */
export function saysUrgent(text: string, settings: Pick<TicketSettings, 'urgentWords'>): boolean {
  return matchKeywords(normalize(text), settings.urgentWords) !== undefined;
}

// ---- the person's side: called by flow effects, inside the conversation's turn ----

/** The active categories, named in each language, for the flow to offer. */
export function ticketCategories(tx: Db): Events<'ticketCategories'> {
  return {
    type: 'ticketCategories',
    categories: listTicketCategories(tx).map((c) => ({
      id: String(c.id),
      code: c.code,
      names: { ar: c.nameAr, en: c.nameEn },
      ...(c.aboutStaff ? { aboutStaff: true } : {}),
    })),
  };
}

/**
 * Files a complaint, suggestion or thanks: a reference (`C-48-00007-3`), the date an answer is
 * expected by (working days on the working week), its first history line. A complaint is urgent
 * when the person says so or its text holds a configured urgent word; an urgent complaint is put
 * through to the staff queue with priority at once — unless it is about a staff member: the
 * queue is every officer's, and such a complaint is for managers only (it is flagged urgent for
 * them). An anonymous suggestion or thanks is not linked to the chat.
 */
export function fileTicket(
  tx: Db,
  conversation: Conversation,
  draft: TicketDraft,
  now: Date,
  settings: TicketSettings,
): Events<'ticket.filed'> {
  const kind = ticketKinds.find((k) => k === draft.kind);
  const category = findTicketCategory(tx, Number(draft.categoryId));
  const text = (draft.text ?? '').trim().slice(0, maxText);
  if (!kind || !category?.active || !text) throw new TicketError('The ticket is not complete.');
  if (draft.anonymous && kind === 'complaint') {
    throw new TicketError('A complaint cannot be anonymous: it needs a way to answer back (the chat).');
  }
  // Only a photo this chat sent: never someone else's file by its id.
  const photo = draft.mediaId === undefined ? undefined : findMedia(tx, draft.mediaId);
  const mediaId = photo && photo.conversationId === conversation.id && photo.kind === 'photo' ? photo.id : null;
  const urgent = kind === 'complaint' && (draft.urgent === true || saysUrgent(text, settings));
  const row = insertTicket(tx, {
    reference: newReference(tx, 'C', now, settings.hours.timeZone),
    conversationId: draft.anonymous ? null : conversation.id,
    kind,
    categoryId: category.id,
    text,
    mediaId,
    anonymous: draft.anonymous === true,
    urgent,
    locale: conversation.locale,
    createdAt: now,
    dueAt: addWorkingDays(now, settings.responseDays, settings.hours),
    changedAt: now,
  });
  recordTicketEvent(tx, { ticketId: row.id, fromStage: null, toStage: 'open', createdAt: now });
  // A complaint about a staff member is for managers: its words and photo leave the chat's view too.
  if (category.aboutStaff) flagSent(tx, conversation.id, { text, mediaId }, 'aboutStaff');
  const queued =
    urgent && !category.aboutStaff
      ? requestHandoff(tx, conversation, { priority: urgentPriority, reason: 'complaint' }, now, settings.handoff)
      : undefined;
  return {
    type: 'ticket.filed',
    ticketId: row.id,
    reference: row.reference,
    dueAt: row.dueAt.getTime(),
    urgent,
    ...(queued ? { queued: placeIn(queued) } : {}),
  };
}

/** The place in the queue a `handoff.queued` tells, for the flow to pass on to the root. */
function placeIn({ type: _type, ...place }: Events<'handoff.queued'>): QueuePlace {
  return place;
}

/** A chat's own tickets, newest first. */
export function myTickets(tx: Db, conversation: Conversation): Events<'tickets.list'> {
  return {
    type: 'tickets.list',
    tickets: ticketsOfConversation(tx, conversation.id).map((row) =>
      ticketSummaryOf(row, findTicketCategory(tx, row.categoryId), true),
    ),
  };
}

/**
 * Finds a ticket by its reference. The chat's own is told in full; anyone else's shows its stage
 * and dates only. A mistyped reference (wrong check digit) is said to be one; failures count in
 * the same cool-down as the aid requests' lookups (five an hour).
 */
export function lookupTicket(
  tx: Db,
  conversation: Conversation,
  typed: { reference: string },
  now: Date,
): Events<'ticket.found'> | Events<'ticket.notFound'> {
  const guard = lookupGuard(tx, conversation.id, now);
  if (guard.waitUntil !== undefined) return { type: 'ticket.notFound', reason: 'coolDown', until: guard.waitUntil };
  const fail = (reason: 'typo' | 'unknown'): Events<'ticket.notFound'> => {
    guard.fail();
    return { type: 'ticket.notFound', reason };
  };
  const parsed = parseReference(typed.reference, ['C']);
  if (!parsed) return fail('unknown');
  if ('typo' in parsed) return fail('typo');
  const row = findTicketByReference(tx, parsed.text);
  if (!row) return fail('unknown');
  const own = row.conversationId === conversation.id;
  return { type: 'ticket.found', summary: ticketSummaryOf(row, findTicketCategory(tx, row.categoryId), own) };
}

/**
 * The person says their resolved complaint is not solved: it is taken up again (in progress,
 * with the staff member who had it), the reason in its history, the resolution cleared.
 */
export function reopenByPerson(
  tx: Db,
  conversation: Conversation,
  request: { ticketId: number; note?: string },
  now: Date,
): Events<'ticket.reopened'> {
  const row = findTicket(tx, request.ticketId);
  if (!row || row.conversationId !== conversation.id)
    return { type: 'ticket.reopened', reference: '', reopened: false };
  const reopened =
    mayMoveTicket('person', row.stage, 'in_progress') &&
    moveTicket(tx, row.id, row.stage, 'in_progress', now, { resolution: null, resolvedAt: null });
  if (reopened) {
    recordTicketEvent(tx, {
      ticketId: row.id,
      fromStage: row.stage,
      toStage: 'in_progress',
      note: request.note?.trim().slice(0, maxNote) || null,
      createdAt: now,
    });
    audit(tx, {
      staffUserId: null,
      action: 'ticket.reopen',
      objectType: 'ticket',
      objectId: row.id,
      details: { from: row.stage, by: 'person' },
    });
  }
  return { type: 'ticket.reopened', reference: row.reference, reopened };
}

// ---- the staff side: called by the console, run in the conversation's turn ----

/** Who asks for a ticket command. */
export interface TicketActor {
  id: number;
  role: Role;
}

/**
 * How a ticket command ended: `done`, or why not — `none` (no such ticket, or one the staff
 * member may not see), `forbidden` (their role may not make this move), `taken` (it is not at a
 * stage the command applies to: someone got there first), `invalid` (a resolution without its
 * note, an assignee who cannot take it).
 */
export type TicketResult = 'done' | 'none' | 'forbidden' | 'taken' | 'invalid';

/**
 * The one owner of the ticket's lifecycle on the staff side: take up or hand over (assign),
 * resolve with a note, close, reopen. Every move is checked against the transition table
 * ({@link mayMoveTicket}) and who may see the ticket ({@link maySeeTicket}: complaints about a
 * staff member are for managers only), recorded in the ticket's history, audited, and — for a
 * resolution or a reopening — told to the person on their own chat in their language, only if
 * they consented and the chat is reachable. A resolution also tells the flow (`ticket.resolved`),
 * which may ask the person to rate it. A move runs in the person's conversation's turn.
 */
export class TicketDesk {
  constructor(
    private readonly engine: Pick<Engine, 'act'>,
    private readonly db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Takes a ticket up (or hands it to a colleague): `assigneeId` defaults to `staff` themselves. */
  assign(ticketId: number, staff: TicketActor, assigneeId: number = staff.id): Promise<TicketResult> {
    return this.run(ticketId, staff, 'assign', { assigneeId });
  }

  /** Answers a ticket: the note is what the person is told. */
  resolve(ticketId: number, staff: TicketActor, note: string): Promise<TicketResult> {
    return this.run(ticketId, staff, 'resolve', { note });
  }

  close(ticketId: number, staff: TicketActor): Promise<TicketResult> {
    return this.run(ticketId, staff, 'close', {});
  }

  /** Takes a resolved or closed ticket up again, with why. */
  reopen(ticketId: number, staff: TicketActor, note?: string): Promise<TicketResult> {
    return this.run(ticketId, staff, 'reopen', note === undefined ? {} : { note });
  }

  private run(
    ticketId: number,
    staff: TicketActor,
    command: TicketCommand,
    details: { assigneeId?: number; note?: string },
  ): Promise<TicketResult> {
    return this.inTurn(ticketId, (tx, row, category, conversation) => {
      if (!may(staff.role, 'tickets')) return { result: 'forbidden' };
      if (!maySeeTicket(staff.role, { kind: row.kind, aboutStaff: category.aboutStaff })) return { result: 'none' };
      const { from, to } = ticketCommands[command];
      if (!(from as readonly string[]).includes(row.stage)) return { result: 'taken' };
      if (!mayMoveTicket(staff.role, row.stage, to)) return { result: 'forbidden' };
      const note = details.note?.trim().slice(0, maxNote) ?? '';
      if (command === 'resolve' && !note) return { result: 'invalid' };
      const assignee = command === 'assign' ? findStaffById(tx, details.assigneeId ?? staff.id) : undefined;
      if (
        command === 'assign' &&
        (!assignee ||
          assignee.disabled ||
          !maySeeTicket(assignee.role, { kind: row.kind, aboutStaff: category.aboutStaff }))
      ) {
        return { result: 'invalid' };
      }
      const now = this.clock();
      const changes =
        command === 'assign'
          ? { assignedTo: assignee?.id ?? staff.id }
          : command === 'resolve'
            ? { resolution: note, resolvedAt: now }
            : command === 'reopen'
              ? { resolution: null, resolvedAt: null, assignedTo: row.assignedTo ?? staff.id }
              : {};
      if (!moveTicket(tx, row.id, row.stage, to, now, changes)) return { result: 'taken' };
      recordTicketEvent(tx, {
        ticketId: row.id,
        fromStage: row.stage,
        toStage: to,
        staffUserId: staff.id,
        // Whom it went to, for a hand-over; what was said, for the rest.
        note: command === 'assign' ? (assignee?.displayName ?? null) : note || null,
        createdAt: now,
      });
      audit(tx, {
        staffUserId: staff.id,
        action: `ticket.${command}`,
        objectType: 'ticket',
        objectId: row.id,
        details: { from: row.stage, ...(assignee ? { to: assignee.id } : {}) },
      });
      const tell = command === 'resolve' || command === 'reopen';
      const reachable = conversation && conversation.status === 'active' && hasConsent(tx, conversation.id);
      if (!tell || !reachable || !conversation) return { result: 'done' };
      // Rendered by the engine in the person's language (the conversation's).
      const notice: Reply =
        command === 'resolve'
          ? reply(`tickets:notify.resolved.${row.kind}`, undefined, { reference: row.reference, resolution: note })
          : reply(`tickets:notify.reopened.${row.kind}`, undefined, { reference: row.reference });
      return {
        result: 'done',
        turn: {
          replies: [notice],
          // A resolved complaint may be rated: the flow hears of it (and asks once, when it can).
          ...(command === 'resolve'
            ? { event: { type: 'ticket.resolved' as const, ticketId: row.id, staffUserId: staff.id } }
            : {}),
        },
      };
    });
  }

  /**
   * Runs `work` on the ticket inside its person's conversation's turn (or a transaction of its
   * own when it is anonymous and has no chat).
   */
  private async inTurn(
    ticketId: number,
    work: (
      tx: Db,
      row: TicketRow,
      category: TicketCategory,
      conversation: Conversation | undefined,
    ) => { result: TicketResult; turn?: StaffTurn },
  ): Promise<TicketResult> {
    const known = findTicket(this.db, ticketId);
    if (!known) return 'none';
    let result: TicketResult = 'none';
    const decide = (tx: Db): StaffTurn => {
      const row = findTicket(tx, ticketId);
      const category = row && findTicketCategory(tx, row.categoryId);
      if (!row || !category) return {};
      const conversation = row.conversationId === null ? undefined : findConversationById(tx, row.conversationId);
      const decided = work(tx, row, category, conversation);
      result = decided.result;
      return decided.turn ?? {};
    };
    if (known.conversationId === null) this.db.transaction((tx) => void decide(tx));
    else await this.engine.act(known.conversationId, decide);
    return result;
  }
}
