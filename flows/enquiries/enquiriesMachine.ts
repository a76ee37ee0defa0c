import { assign, enqueueActions, sendParent, setup } from 'xstate';
import { handoffRequest, type OptionSpec, reply, type UserEvent } from '../events.ts';
import { topicIds } from '../vocabulary.ts';

/** The topic list: every topic, then staff and the main menu. */
export const topicOptions: OptionSpec[] = [
  ...topicIds.map((id) => ({ id, key: `enquiries:topic.${id}` })),
  { id: 'staff', key: 'common:option.staff' },
  { id: 'menu', key: 'common:option.menu' },
];

/** What is offered after an answer. */
export const afterAnswerOptions: OptionSpec[] = [
  { id: 'another', key: 'enquiries:option.another' },
  { id: 'menu', key: 'common:option.menu' },
];

/**
 * Enquiries: the FAQ of the policy (the association, services, eligibility, documents, how to
 * apply, how long, channels, hours and rights). A topic is chosen from the list or asked in the
 * person's own words; after two misunderstood messages in a row, a staff member takes over.
 */
export const enquiriesMachine = setup({
  types: {
    context: {} as { topic: string | undefined; misses: number },
    input: {} as { topic?: string | undefined },
    events: {} as UserEvent,
  },
  actions: {
    promptTopics: sendParent(reply('enquiries:prompt', topicOptions)),
    answerTopic: sendParent(({ context }) => reply(`enquiries:answer.${context.topic}`)),
    askMore: sendParent(reply('enquiries:more', afterAnswerOptions)),
    sayNotUnderstood: sendParent(reply('common:notUnderstood')),
    askForStaff: sendParent(handoffRequest('asked')),
    handOverMisunderstood: enqueueActions(({ enqueue }) => {
      enqueue.sendParent(reply('handoff:misunderstood'));
      enqueue.sendParent(handoffRequest('misunderstood'));
    }),
    chooseTopic: assign({
      topic: ({ event }) => (event.type === 'choice' ? event.id : topicFromText(event)),
      misses: 0,
    }),
    resetMisses: assign({ misses: 0 }),
    countMiss: assign({ misses: ({ context }) => context.misses + 1 }),
  },
  guards: {
    'hasTopic?': ({ context }) => context.topic !== undefined,
    'isTopicChoice?': ({ event }) => event.type === 'choice' && topicIds.includes(event.id),
    'isTopicText?': ({ event }) => topicFromText(event) !== undefined,
    'isSecondMiss?': ({ context }) => context.misses >= 1,
  },
}).createMachine({
  id: 'enquiries',
  context: ({ input }) => ({ topic: input.topic, misses: 0 }),
  initial: 'routing',
  states: {
    routing: {
      always: [{ guard: 'hasTopic?', target: 'answer' }, { target: 'topics' }],
    },
    topics: {
      entry: 'promptTopics',
      on: {
        choice: [
          { guard: 'isTopicChoice?', target: 'answer', actions: 'chooseTopic' },
          { guard: ({ event }) => event.id === 'staff', actions: 'askForStaff' },
          { target: 'done' },
        ],
        text: [
          { guard: 'isTopicText?', target: 'answer', actions: 'chooseTopic' },
          { guard: 'isSecondMiss?', actions: ['resetMisses', 'handOverMisunderstood'] },
          { actions: ['countMiss', 'sayNotUnderstood', 'promptTopics'] },
        ],
        global: { guard: ({ event }) => event.word === 'back', target: 'done' },
      },
    },
    answer: {
      entry: ['answerTopic', 'askMore'],
      on: {
        choice: [
          { guard: 'isTopicChoice?', target: 'answer', reenter: true, actions: 'chooseTopic' },
          { guard: ({ event }) => event.id === 'another', target: 'topics' },
          { guard: ({ event }) => event.id === 'staff', actions: 'askForStaff' },
          { target: 'done' },
        ],
        text: [
          { guard: 'isTopicText?', target: 'answer', reenter: true, actions: 'chooseTopic' },
          { guard: 'isSecondMiss?', actions: ['resetMisses', 'handOverMisunderstood'] },
          { actions: ['countMiss', 'sayNotUnderstood', 'askMore'] },
        ],
        global: { guard: ({ event }) => event.word === 'back', target: 'topics' },
      },
    },
    done: { type: 'final' },
  },
});

function topicFromText(event: UserEvent): string | undefined {
  return event.type === 'text' ? event.topic : undefined;
}
