import { handoffNoAnswerTimer, type SystemEvent } from '../../flows/events.ts';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import type { Conversation } from '../db/conversations.ts';
import {
  claimedBy,
  claimHandoff,
  closeHandoff,
  createHandoff,
  type Handoff,
  markOverdue,
  openHandoff,
  queueCounts,
  queuePosition,
  raisePriority,
  releaseHandoff,
  transferHandoff,
} from '../db/handoffs.ts';
import { findStaffById } from '../db/staff.ts';
import { cancelTimer, setTimer } from '../db/timers.ts';
import type { OrgProfile } from '../domain/orgProfile.ts';
import { may, type Role } from '../domain/permissions.ts';
import { deadlineAfter, isWorkingTime, nextWorkingTime } from '../domain/workingHours.ts';
import type { Engine, StaffTurn } from '../engine/engine.ts';

/** What the handoff's person-side commands need to know of the organisation. */
export interface HandoffSettings {
  org: Pick<OrgProfile, 'workingDays' | 'workingHours' | 'timeZone'>;
  /** Working time a waiting person may wait before being told again and highlighted. */
  handoffNoAnswerMs: number;
}

type QueuedEvent = Extract<SystemEvent, { type: 'handoff.queued' }>;
type ClosedEvent = Extract<SystemEvent, { type: 'handoff.closed' }>;
type AvailabilityEvent = Extract<SystemEvent, { type: 'staff.availability' }>;

/** Tells a waiting person again, and flags them for staff, after the working time set for it. */
function startNoAnswerTimer(tx: Db, conversationId: number, now: Date, settings: HandoffSettings): void {
  setTimer(tx, conversationId, handoffNoAnswerTimer, deadlineAfter(now, settings.handoffNoAnswerMs, settings.org));
}

// ---- the person's side: called by flow effects, already inside the conversation's turn ----

/**
 * Queues the conversation for a person, or raises the priority of the handoff it already has.
 * The flow hears its place in the queue and whether (and when) staff are at work.
 */
export function requestHandoff(
  tx: Db,
  conversation: Conversation,
  request: { priority: number; reason: string },
  now: Date,
  settings: HandoffSettings,
): QueuedEvent {
  const { org } = settings;
  let handoff = openHandoff(tx, conversation.id);
  const already = handoff !== undefined;
  if (handoff) raisePriority(tx, handoff.id, request.priority);
  else {
    handoff = createHandoff(tx, conversation.id, request.priority, request.reason, now);
    startNoAnswerTimer(tx, conversation.id, now, settings);
  }
  return {
    type: 'handoff.queued',
    handoffId: handoff.id,
    position: queuePosition(tx, { ...handoff, priority: Math.max(handoff.priority, request.priority) }),
    open: isWorkingTime(now, org),
    opensAt: nextWorkingTime(now, org).getTime(),
    already,
  };
}

/** Whether staff are at work now, when they are next, and how many people wait for them. */
export function staffAvailability(tx: Db, now: Date, settings: HandoffSettings): AvailabilityEvent {
  return {
    type: 'staff.availability',
    open: isWorkingTime(now, settings.org),
    opensAt: nextWorkingTime(now, settings.org).getTime(),
    waiting: queueCounts(tx).waiting,
  };
}

/** The person leaves the queue, or the conversation with staff. */
export function cancelHandoff(tx: Db, conversation: Conversation, now: Date): ClosedEvent | undefined {
  const handoff = openHandoff(tx, conversation.id);
  cancelTimer(tx, conversation.id, handoffNoAnswerTimer);
  if (!handoff || !closeHandoff(tx, handoff.id, 'user', now)) return undefined;
  return { type: 'handoff.closed', handoffId: handoff.id, by: 'user' };
}

/** Nobody claimed the handoff in time: it is highlighted in the queue. */
export function markHandoffOverdue(tx: Db, conversation: Conversation): void {
  const handoff = openHandoff(tx, conversation.id);
  if (handoff?.status === 'waiting') markOverdue(tx, handoff.id);
}

// ---- the staff side: called by the console, run in the conversation's turn ----

/** Who asks for a staff command. */
export interface StaffActor {
  id: number;
  role: Role;
  /** Acting for the staff member who holds the conversation (see {@link HandoffDesk.releaseAllOf}). */
  onBehalf?: boolean;
}

/** What a staff member can do to a conversation's handoff. */
export type StaffCommand =
  | { name: 'claim' }
  | { name: 'release' }
  | { name: 'transfer'; to: number }
  | { name: 'close' }
  | { name: 'reply'; text: string };

/**
 * How a command ended: `done`, or why not — `none` (the conversation has no open handoff),
 * `taken` (it is not in the state the command needs: someone else got there first), `notYours`
 * (it is claimed by a colleague), `badTarget` (a transfer to someone who cannot take it).
 */
export type CommandResult = 'done' | 'none' | 'taken' | 'notYours' | 'badTarget';

/** The longest staff message sent as one; the channels split it further where they must. */
export const maxStaffMessage = 4000;

/**
 * Whether `staff` may act on a handoff someone claimed: its owner, or a manager. `onBehalf` is an
 * admin putting a disabled colleague's conversations back in the queue.
 */
const owns = (handoff: Handoff, staff: StaffActor) =>
  handoff.claimedBy === staff.id || staff.role === 'manager' || staff.onBehalf === true;

/** Whether a staff member can take conversations from the queue. */
export const canTakeConversations = (user: { role: Role; disabled: boolean }) =>
  !user.disabled && may(user.role, 'queue');

/**
 * Decides one command against the handoff as it is now, inside the turn: the guarded row update,
 * the timer, and what the flow hears and the person receives. Undefined `turn` means refused.
 */
function decide(
  tx: Db,
  handoff: Handoff | undefined,
  staff: StaffActor,
  command: StaffCommand,
  now: Date,
  settings: HandoffSettings,
): { result: CommandResult; turn?: StaffTurn } {
  if (!handoff) return { result: 'none' };
  if (command.name === 'claim') {
    if (!claimHandoff(tx, handoff.id, staff.id, now)) return { result: 'taken' };
    cancelTimer(tx, handoff.conversationId, handoffNoAnswerTimer);
    return { result: 'done', turn: { event: { type: 'handoff.claimed' } } };
  }
  if (handoff.status !== 'claimed') return { result: 'taken' };
  if (!owns(handoff, staff)) return { result: 'notYours' };

  switch (command.name) {
    case 'release':
      if (!releaseHandoff(tx, handoff.id)) return { result: 'taken' };
      // Back in the queue, the person is told again if nobody takes them in time.
      startNoAnswerTimer(tx, handoff.conversationId, now, settings);
      return { result: 'done', turn: { event: { type: 'handoff.released' } } };
    case 'transfer': {
      const to = findStaffById(tx, command.to);
      if (!to || to.id === handoff.claimedBy || !canTakeConversations(to)) return { result: 'badTarget' };
      if (!transferHandoff(tx, handoff.id, to.id, now)) return { result: 'taken' };
      return { result: 'done', turn: {} };
    }
    case 'close':
      if (!closeHandoff(tx, handoff.id, 'staff', now)) return { result: 'taken' };
      cancelTimer(tx, handoff.conversationId, handoffNoAnswerTimer);
      return {
        result: 'done',
        turn: {
          event: {
            type: 'handoff.closed',
            handoffId: handoff.id,
            by: 'staff',
            ...(handoff.claimedBy ? { staffUserId: handoff.claimedBy } : {}),
          },
        },
      };
    case 'reply':
      return { result: 'done', turn: { message: command.text.slice(0, maxStaffMessage) } };
  }
}

/**
 * The one owner of the handoff's staff-side lifecycle: claim, release, transfer, close, reply.
 * Each command runs in the conversation's turn (in order with the person's own messages), does
 * its guarded row update, timer and audit entry, and tells the flow, all in one transaction.
 * A forbidden transition is refused here, whoever asks.
 */
export class HandoffDesk {
  constructor(
    private readonly engine: Pick<Engine, 'act'>,
    private readonly settings: HandoffSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Runs `command` for `staff` on the conversation's open handoff. */
  async run(conversationId: number, staff: StaffActor, command: StaffCommand): Promise<CommandResult> {
    let result: CommandResult = 'none';
    await this.engine.act(conversationId, (tx) => {
      const handoff = openHandoff(tx, conversationId);
      const decision = decide(tx, handoff, staff, command, this.clock(), this.settings);
      result = decision.result;
      if (!decision.turn || !handoff) return {};
      audit(tx, {
        staffUserId: staff.id,
        action: `handoff.${command.name}`,
        objectType: 'conversation',
        objectId: conversationId,
        ...(command.name === 'transfer' ? { details: { to: command.to } } : {}),
      });
      return decision.turn;
    });
    return result;
  }

  /**
   * Puts every conversation a staff member holds back in the queue, e.g. when their account is
   * disabled: nobody waits on someone who is gone. Returns how many went back.
   */
  async releaseAllOf(db: Db, staffUserId: number, by: StaffActor): Promise<number> {
    let released = 0;
    for (const handoff of claimedBy(db, staffUserId)) {
      const result = await this.run(handoff.conversationId, { ...by, onBehalf: true }, { name: 'release' });
      if (result === 'done') released++;
    }
    return released;
  }
}
