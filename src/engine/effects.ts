import type { EffectRequest, FlowEvent, Locale } from '../../flows/events.ts';
import type { OrgProfile } from '../config.ts';
import type { Db } from '../db/client.ts';
import { recordConsent } from '../db/consents.ts';
import type { Conversation } from '../db/conversations.ts';
import { closeHandoff, createHandoff, markOverdue, openHandoff, queuePosition, raisePriority } from '../db/handoffs.ts';
import { recordRating } from '../db/ratings.ts';
import { cancelTimer, setTimer } from '../db/timers.ts';
import { deadlineAfter, isWorkingTime, nextWorkingTime } from '../domain/workingHours.ts';

/** What an effect handler may use: the message's transaction and its conversation. */
export interface EffectContext {
  tx: Db;
  conversation: Conversation;
  now: Date;
  /** Changes the language replies are rendered in, from this turn on. */
  setLocale(locale: Locale): void;
}

/**
 * Performs one effect inside the message's transaction. It may return an event that is fed back
 * to the flow (a result), and must not do network I/O: what must reach the outside world goes
 * through a table (the outbox, a queue) that a worker drains after the commit.
 */
export type EffectHandler<R extends EffectRequest> = (request: R, context: EffectContext) => FlowEvent | undefined;

/** One handler for every effect a flow can ask for; the compiler checks none is missing. */
export type EffectHandlers = { [N in EffectRequest['name']]: EffectHandler<Extract<EffectRequest, { name: N }>> };

/** The timer that tells a waiting person again, and highlights them, when nobody answers. */
export const handoffTimer = 'handoff.noAnswer';

/** What the effects need to know of the organisation. */
export interface EffectSettings {
  org: Pick<OrgProfile, 'workingDays' | 'workingHours' | 'timeZone'>;
  /** Working time a waiting person may wait before being told again and highlighted. */
  handoffNoAnswerMs: number;
}

/** Every effect the flows can ask for. */
export function createEffects({ org, handoffNoAnswerMs }: EffectSettings): EffectHandlers {
  return {
    'locale.set': (request, { setLocale }) => {
      setLocale(request.locale);
      return undefined;
    },
    'consent.record': (request, { tx, conversation }) => {
      recordConsent(tx, conversation.id, request.decision, request.noticeVersion);
      return undefined;
    },
    'timer.set': (request, { tx, conversation, now }) => {
      setTimer(tx, conversation.id, request.key, new Date(now.getTime() + request.delayMs));
      return undefined;
    },
    'timer.cancel': (request, { tx, conversation }) => {
      cancelTimer(tx, conversation.id, request.key);
      return undefined;
    },
    'profile.phone': (_request, { conversation }) => ({
      type: 'profile.phone',
      phone: conversation.platformPhone ?? undefined,
    }),
    'handoff.request': (request, { tx, conversation, now }) => {
      let handoff = openHandoff(tx, conversation.id);
      const already = handoff !== undefined;
      if (handoff) raisePriority(tx, handoff.id, request.priority);
      else {
        handoff = createHandoff(tx, conversation.id, request.priority, request.reason, now);
        setTimer(tx, conversation.id, handoffTimer, deadlineAfter(now, handoffNoAnswerMs, org));
      }
      return {
        type: 'handoff.queued',
        handoffId: handoff.id,
        position: queuePosition(tx, { ...handoff, priority: Math.max(handoff.priority, request.priority) }),
        open: isWorkingTime(now, org),
        opensAt: nextWorkingTime(now, org).getTime(),
        already,
      };
    },
    'handoff.cancel': (_request, { tx, conversation, now }) => {
      const handoff = openHandoff(tx, conversation.id);
      cancelTimer(tx, conversation.id, handoffTimer);
      if (!handoff || !closeHandoff(tx, handoff.id, 'user', now)) return undefined;
      return { type: 'handoff.closed', handoffId: handoff.id, by: 'user' };
    },
    'handoff.overdue': (_request, { tx, conversation }) => {
      const handoff = openHandoff(tx, conversation.id);
      if (handoff) markOverdue(tx, handoff.id);
      return undefined;
    },
    'rating.record': (request, { tx, conversation, now }) => {
      recordRating(tx, { conversationId: conversation.id, ...request, createdAt: now });
      return undefined;
    },
  };
}
