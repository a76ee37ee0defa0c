import { assign, sendParent, setup } from 'xstate';
import { effect, type OptionSpec, reply, type UserEvent } from '../events.ts';

const scores = ['1', '2', '3', '4', '5'];
/** The scores from 1 to 5, then "skip". */
export const ratingOptions: OptionSpec[] = [
  ...scores.map((s) => ({ id: s, key: `rating:score.${s}` })),
  { id: 'skip', key: 'rating:option.skip' },
];

/**
 * Asks the beneficiary to rate a service from 1 to 5 (a typed number is the score), once; they
 * may skip. Rating is their right and a tool for improvement, never for blame: it is stored
 * against the service, and reports never show the rated employee who rated them.
 */
export const ratingMachine = setup({
  types: {
    context: {} as { subjectId: number; misses: number },
    input: {} as { subjectId: number },
    events: {} as UserEvent,
  },
  actions: {
    ask: sendParent(reply('rating:ask', ratingOptions)),
    record: sendParent(({ context, event }) =>
      effect({
        name: 'rating.record',
        subject: 'handoff',
        subjectId: context.subjectId,
        score: Number(event.type === 'choice' ? event.id : 0),
      }),
    ),
    thank: sendParent(reply('rating:thanks')),
    sayNotUnderstood: sendParent(reply('common:notUnderstood')),
    countMiss: assign({ misses: ({ context }) => context.misses + 1 }),
  },
  guards: {
    'isScore?': ({ event }) => event.type === 'choice' && scores.includes(event.id),
    'isSecondMiss?': ({ context }) => context.misses >= 1,
  },
}).createMachine({
  id: 'rating',
  context: ({ input }) => ({ subjectId: input.subjectId, misses: 0 }),
  initial: 'asking',
  states: {
    asking: {
      entry: 'ask',
      on: {
        choice: [{ guard: 'isScore?', target: 'done', actions: ['record', 'thank'] }, { target: 'done' }],
        text: [{ guard: 'isSecondMiss?', target: 'done' }, { actions: ['countMiss', 'sayNotUnderstood', 'ask'] }],
        // Anything else is not a score: the rating is skipped, never insisted on.
        global: 'done',
        media: 'done',
        location: 'done',
        contact: 'done',
      },
    },
    done: { type: 'final' },
  },
});
