import type { EffectRequest, FlowEvent, Locale } from '../../flows/events.ts';
import type { Db } from '../db/client.ts';
import type { Conversation } from '../db/conversations.ts';
import type { LateRating } from '../understanding/interpret.ts';

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

/**
 * What the engine asks of the association's desks (`src/desks/`), composed in `src/app.ts`: one
 * handler for every effect a flow can ask for (the compiler checks none is missing), and the
 * keeping of a rating button pressed after the flow moved on, which returns the key of what to
 * tell the person, or undefined for a button that rates nothing of theirs.
 */
export type EffectHandlers = { [N in EffectRequest['name']]: EffectHandler<Extract<EffectRequest, { name: N }>> } & {
  lateRating(late: LateRating, context: Omit<EffectContext, 'setLocale'>): string | undefined;
};
