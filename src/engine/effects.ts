import type { EffectRequest, FlowEvent, Locale } from '../../flows/events.ts';
import type { Db } from '../db/client.ts';
import { recordConsent } from '../db/consents.ts';
import type { Conversation } from '../db/conversations.ts';
import { cancelTimer, setTimer } from '../db/timers.ts';

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

/** The effects of the root flow and the engine's durable timers. */
export const coreEffects: EffectHandlers = {
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
};
