import type { Role } from './permissions.ts';

/**
 * The stages of a complaint, suggestion or thanks (a ticket): received, taken up by a staff
 * member, answered with a resolution the person is told of, closed. A person who replies that it
 * is not solved reopens it.
 */
export const ticketStages = ['open', 'in_progress', 'resolved', 'closed'] as const;

/** A stage of a ticket. */
export type TicketStage = (typeof ticketStages)[number];

/** What a ticket is: the policy's "complaints and suggestions", and thanks. */
export const ticketKinds = ['complaint', 'suggestion', 'thanks'] as const;

/** A kind of ticket. */
export type TicketKind = (typeof ticketKinds)[number];

/** Stages in which a ticket still waits for the association: past its date, it is overdue. */
export const pendingTicketStages: readonly TicketStage[] = ['open', 'in_progress'];

/** Who moves a ticket: a staff role, or the person who filed it (`person`). */
export type TicketMover = Role | 'person';

/**
 * The one transition table: from each stage, the stages it may move to and who may move it
 * there. Officers and managers take up (assign), answer (resolve) and close tickets; the person
 * reopens a resolved one by saying it is not solved; only a manager reopens a closed one.
 * `in_progress → in_progress` is handing it to a colleague.
 */
export const ticketTransitions: Record<TicketStage, Partial<Record<TicketStage, readonly TicketMover[]>>> = {
  open: { in_progress: ['officer', 'manager'] },
  in_progress: { in_progress: ['officer', 'manager'], resolved: ['officer', 'manager'] },
  resolved: { closed: ['officer', 'manager'], in_progress: ['officer', 'manager', 'person'] },
  closed: { in_progress: ['manager'] },
};

/** Whether `actor` may move a ticket from `from` to `to`. */
export function mayMoveTicket(actor: TicketMover, from: TicketStage, to: TicketStage): boolean {
  return ticketTransitions[from][to]?.includes(actor) ?? false;
}

/** The staff commands on a ticket: the stage each leads to and the stages it applies to. */
export const ticketCommands = {
  /** Take it up, or hand it to a colleague. */
  assign: { from: ['open', 'in_progress'], to: 'in_progress' },
  /** Answer it with a resolution note, which the person is told. */
  resolve: { from: ['in_progress'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  /** Take it up again: the resolution did not solve it. */
  reopen: { from: ['resolved', 'closed'], to: 'in_progress' },
} as const satisfies Record<string, { from: readonly TicketStage[]; to: TicketStage }>;

/** A staff command on a ticket. */
export type TicketCommand = keyof typeof ticketCommands;

/** The roles that work on tickets (the console's `tickets` area). */
const ticketRoles: readonly Role[] = ['officer', 'manager'];

/**
 * Whether `role` may see (and so act on) a ticket: officers and managers see every ticket but
 * the complaints about a staff member, which only managers see.
 */
export function maySeeTicket(role: Role, ticket: { kind: TicketKind; aboutStaff: boolean }): boolean {
  if (!ticketRoles.includes(role)) return false;
  return !(ticket.kind === 'complaint' && ticket.aboutStaff) || role === 'manager';
}
