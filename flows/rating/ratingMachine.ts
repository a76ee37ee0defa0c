import { assign, enqueueActions, sendParent, setup } from 'xstate';
import { effect, type OptionSpec, reply, type SystemEvent, type UserEvent } from '../events.ts';
import {
  commentOptions,
  parseRatingOption,
  type RatingAnswer,
  type RatingItem,
  scoreOptions,
} from './ratingOptions.ts';

/**
 * The options of the rating question as the i18n check sees them: the scores and "skip" (their
 * ids carry the item rated: see {@link scoreOptions}), and the comment's "no, thank you".
 */
export const ratingOptions: OptionSpec[] = [
  ...scoreOptions({ subject: 'handoff', subjectId: 0 }),
  ...commentOptions({ subject: 'handoff', subjectId: 0 }),
];

type AskedEvent = Extract<SystemEvent, { type: 'rating.asked' }>;
type RatingEvent = UserEvent | AskedEvent;

interface RatingContext {
  /** Absent in a conversation asked before ratings had subjects: it was about a handoff. */
  subject?: RatingItem['subject'];
  subjectId: number;
  staffUserId?: number;
  /** The item can only come once (a handoff closes once): ask at once, without checking. */
  askNow?: boolean;
  misses: number;
  /** The score given, kept with the comment. */
  score?: number;
}

/** The question asked for each kind of item. */
const questions = {
  handoff: 'rating:ask',
  case: 'rating:askCase',
  ticket: 'rating:askTicket',
  faq: 'rating:ask',
} as const;

/** The item rated, from the machine's context. */
function itemOf(context: RatingContext): RatingItem & { subject: 'handoff' | 'ticket' | 'case' } {
  const subject = context.subject === 'case' || context.subject === 'ticket' ? context.subject : 'handoff';
  return {
    subject,
    subjectId: context.subjectId,
    ...(context.staffUserId !== undefined ? { staffUserId: context.staffUserId } : {}),
  };
}

/**
 * The score or "skip" a chosen option says. Options carry the item (`rate:case:12:4`); the plain
 * ids `1`…`5` and `skip` are those of conversations asked before they did.
 */
function answerOf(event: RatingEvent): RatingAnswer | undefined {
  if (event.type !== 'choice') return undefined;
  const parsed = parseRatingOption(event.id);
  if (parsed) return parsed.answer;
  if (/^[1-5]$/.test(event.id)) return Number(event.id);
  return event.id === 'skip' ? 'skip' : undefined;
}

/**
 * Asks a beneficiary, once, to rate a service from 1 to 5, then invites an optional comment; the
 * person may skip either. Rating is their right and a tool for improvement, never for blame: it
 * is kept against the item rated (a conversation with staff, a served request, a resolved
 * complaint) and the staff member whose work it was, and no staff member ever sees who rated
 * their work. An item that may come twice (a complaint resolved again) is checked first with
 * `rating.ask`: if it was asked before, nothing is said.
 */
export const ratingMachine = setup({
  types: {
    context: {} as RatingContext,
    input: {} as RatingItem & { askNow?: boolean },
    events: {} as RatingEvent,
  },
  actions: {
    open: sendParent(({ context }) => effect({ name: 'rating.ask', ...itemOf(context) })),
    ask: sendParent(({ context }) => reply(questions[itemOf(context).subject], scoreOptions(itemOf(context)))),
    keepScore: assign({ score: ({ event }) => answerOf(event) as number }),
    record: sendParent(({ context, event }) =>
      effect({ name: 'rating.record', ...itemOf(context), score: answerOf(event) as number }),
    ),
    recordSkip: sendParent(({ context }) => effect({ name: 'rating.record', ...itemOf(context), score: null })),
    inviteComment: enqueueActions(({ context, enqueue }) => {
      enqueue.sendParent(reply('rating:thanks'));
      const low = (context.score ?? 5) <= 2;
      enqueue.sendParent(reply(low ? 'rating:comment.askLow' : 'rating:comment.ask', commentOptions(itemOf(context))));
    }),
    recordComment: sendParent(({ context, event }) =>
      effect({
        name: 'rating.record',
        ...itemOf(context),
        score: context.score ?? null,
        comment: event.type === 'text' ? event.text.trim().slice(0, 1000) : '',
      }),
    ),
    sayCommentThanks: sendParent(reply('rating:comment.thanks')),
    saySkipped: sendParent(reply('rating:skipped')),
    sayNotUnderstood: sendParent(reply('common:notUnderstood')),
    countMiss: assign({ misses: ({ context }) => context.misses + 1 }),
  },
  guards: {
    'isAskedNow?': ({ context }) => context.askNow === true,
    'isFresh?': ({ context, event }) =>
      event.type === 'rating.asked' &&
      event.fresh &&
      event.subject === itemOf(context).subject &&
      event.subjectId === context.subjectId,
    'isScore?': ({ event }) => typeof answerOf(event) === 'number',
    'isSkip?': ({ event }) => answerOf(event) === 'skip',
    'isSecondMiss?': ({ context }) => context.misses >= 1,
    // A word or two of letters ("لا", "no") declines the comment rather than making one.
    'isComment?': ({ event }) => event.type === 'text' && event.normalized.replace(/[^\p{L}\p{N}]/gu, '').length >= 3,
  },
}).createMachine({
  id: 'rating',
  context: ({ input }) => ({ ...input, misses: 0 }),
  initial: 'start',
  states: {
    start: {
      // Asked at once, the engine still notes that it was asked (for the response rate).
      always: [{ guard: 'isAskedNow?', target: 'asking', actions: 'open' }, { target: 'opening' }],
    },
    /** Was this item asked about before? The engine answers at once, in the same turn. */
    opening: {
      entry: 'open',
      on: {
        'rating.asked': [{ guard: 'isFresh?', target: 'asking' }, { target: 'done' }],
        // No answer came (it always comes in the same turn): never keep the person waiting on it.
        choice: 'done',
        text: 'done',
        global: 'done',
        media: 'done',
        location: 'done',
        contact: 'done',
      },
    },
    asking: {
      entry: 'ask',
      on: {
        choice: [
          { guard: 'isScore?', target: 'commenting', actions: ['keepScore', 'record'] },
          { guard: 'isSkip?', target: 'done', actions: ['recordSkip', 'saySkipped'] },
          { target: 'done' },
        ],
        text: [{ guard: 'isSecondMiss?', target: 'done' }, { actions: ['countMiss', 'sayNotUnderstood', 'ask'] }],
        // «إلغاء» or «رجوع» skips the rating; anything else that is not a score leaves it unanswered.
        global: { target: 'done', actions: 'recordSkip' },
        media: 'done',
        location: 'done',
        contact: 'done',
      },
    },
    /** Thanked for the score; a comment is welcome, never required. */
    commenting: {
      entry: 'inviteComment',
      on: {
        text: [
          { guard: 'isComment?', target: 'done', actions: ['recordComment', 'sayCommentThanks'] },
          { target: 'done' },
        ],
        choice: 'done',
        global: 'done',
        media: 'done',
        location: 'done',
        contact: 'done',
      },
    },
    done: { type: 'final' },
  },
});
