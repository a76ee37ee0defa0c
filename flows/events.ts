/**
 * The vocabulary between the engine and every flow: the events a flow receives and the
 * `reply` and `effect` events it emits. Flows never see raw platform updates or raw menu text.
 */

/** The languages the assistant speaks; Arabic is the default. */
export type Locale = 'ar' | 'en';

/** The words that work at every step, in any language (القائمة، رجوع، إلغاء…). */
export type GlobalWord = 'menu' | 'back' | 'cancel' | 'help' | 'staff' | 'language' | 'emergency';

/** What a beneficiary did, already read at the edge. */
export type UserEvent =
  /** An offered option, chosen by button, number, label or a close spelling of it. */
  | { type: 'choice'; id: string }
  /**
   * Free text that is neither an option nor a global word; `topic` is the enquiry topic the edge
   * recognised in it, if any. `normalized` is kept for the transcript's sake, not for matching.
   */
  | { type: 'text'; text: string; normalized: string; topic?: string }
  | { type: 'global'; word: GlobalWord }
  /** A file the person sent; `mediaId` is set when it was stored (linked to the conversation). */
  | { type: 'media'; kind: 'photo' | 'document' | 'voice' | 'video'; mediaId?: number }
  | { type: 'location'; latitude: number; longitude: number }
  | { type: 'contact'; phone: string | undefined };

/** What the engine tells a flow on its own: a durable deadline fired, or an effect finished. */
export type SystemEvent =
  | { type: 'timer'; key: string }
  /** The answer to a `profile.phone` effect: the sender's phone as the platform reports it. */
  | { type: 'profile.phone'; phone: string | undefined }
  /**
   * The answer to `handoff.request`: the place in the queue, whether staff are at work now, and
   * when they are next (`opensAt`, epoch ms). `already` when the person was queued before.
   */
  | { type: 'handoff.queued'; handoffId: number; position: number; open: boolean; opensAt: number; already: boolean }
  /** A staff member took the conversation. */
  | { type: 'handoff.claimed' }
  /** The staff member put the conversation back in the queue. */
  | { type: 'handoff.released' }
  /** The handoff ended: closed by staff, or left by the person. */
  | { type: 'handoff.closed'; handoffId: number; by: 'staff' | 'user' };

/** Every event a flow can receive. */
export type FlowEvent = UserEvent | SystemEvent;

/** Interpolation values for a message; the organisation's profile is always available too. */
export type Params = Record<string, string | number>;

/** An option offered with a reply: a stable id (what the flow sees) and the i18n key of its label. */
export interface OptionSpec {
  id: string;
  key: string;
}

/**
 * Something to say: an i18n key (`namespace:path`), its parameters and the options to offer.
 * Without `options`, the options of an earlier message stay on offer (a typed "2" still picks
 * the second); an empty list ({@link noOptions}) withdraws them, so what the person types next
 * is read as text.
 */
export interface Reply {
  type: 'reply';
  key: string;
  params?: Params;
  options?: OptionSpec[];
}

/**
 * The options of a reply that withdraws every earlier option, e.g. once a person waits for staff:
 * a number they type is then a message for the staff member, not a choice from an old menu.
 */
export const noOptions: readonly OptionSpec[] = [];

/** Work a flow asks the engine to do inside the message's transaction. */
export type EffectRequest =
  | { name: 'locale.set'; locale: Locale }
  | { name: 'consent.record'; decision: 'given' | 'declined' | 'withdrawn'; noticeVersion: number }
  | { name: 'timer.set'; key: string; delayMs: number }
  | { name: 'timer.cancel'; key: string }
  /** Asks for the sender's phone as the platform reports it (WhatsApp), e.g. to offer it as default. */
  | { name: 'profile.phone' }
  /**
   * Queues the conversation for a person (priority 0 normal, 1 urgent, 2 emergency). Asked again
   * while a handoff is open, waiting or claimed, it raises that handoff's priority; with reason
   * `emergency` it marks an emergency message for the staff member. Answered by `handoff.queued`.
   */
  | { name: 'handoff.request'; priority: number; reason: string }
  /** The person leaves the queue (or the conversation with staff). */
  | { name: 'handoff.cancel' }
  /** Nobody claimed the handoff in time: highlight it for staff. */
  | { name: 'handoff.overdue' }
  /** Keeps a rating (1–5) of a service. */
  | { name: 'rating.record'; subject: 'handoff'; subjectId: number; score: number };

/** The emitted form of an {@link EffectRequest}. */
export type Effect = { type: 'effect' } & EffectRequest;

/** Everything a flow emits. */
export type FlowOutput = Reply | Effect;

/** What a child flow sends its parent to ask for a person; the root queues the conversation. */
export interface HandoffRequest {
  type: 'handoff.request';
  priority: number;
  reason: string;
}

/** Builds a reply event; `options` become buttons or a numbered list depending on the channel. */
export function reply(key: string, options?: readonly OptionSpec[], params?: Params): Reply {
  return { type: 'reply', key, ...(options ? { options: [...options] } : {}), ...(params ? { params } : {}) };
}

/** Builds an effect event. */
export function effect(request: EffectRequest): Effect {
  return { type: 'effect', ...request };
}

/** Builds a request for a person, sent by a child flow to the root (priority 0 = normal). */
export function handoffRequest(reason: string, priority = 0): HandoffRequest {
  return { type: 'handoff.request', priority, reason };
}

/** The durable timer that tells a waiting person again, and flags them for staff, when nobody answers. */
export const handoffNoAnswerTimer = 'handoff.noAnswer';
