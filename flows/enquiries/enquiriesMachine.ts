import { assign, sendParent, setup } from 'xstate';
import { matchKeywords } from '../../src/domain/keywords.ts';
import { type OptionSpec, reply, type UserEvent } from '../events.ts';
import { topicIds, topicVocabulary } from '../vocabulary.ts';

/** How the enquiries dialog ends: back to the main menu, or on to a staff member. */
export interface EnquiriesOutput {
  next: 'menu' | 'staff';
}

const topicOptions: OptionSpec[] = [
  ...topicIds.map((id) => ({ id, key: `enquiries:topic.${id}` })),
  { id: 'staff', key: 'common:option.staff' },
  { id: 'menu', key: 'common:option.menu' },
];

const afterAnswerOptions: OptionSpec[] = [
  { id: 'another', key: 'enquiries:option.another' },
  { id: 'menu', key: 'common:option.menu' },
];

/**
 * Enquiries: the FAQ of the policy (the association, services, eligibility, documents, how to
 * apply, how long, channels, hours and rights). A topic is chosen from the list or asked in the
 * person's own words; after two misunderstood messages in a row, a staff member is offered.
 */
export const enquiriesMachine = setup({
  types: {
    context: {} as { topic: string | undefined; misses: number; next: EnquiriesOutput['next'] },
    input: {} as { topic?: string | undefined },
    events: {} as UserEvent,
    output: {} as EnquiriesOutput,
  },
  actions: {
    promptTopics: sendParent(reply('enquiries:prompt', topicOptions)),
    answerTopic: sendParent(({ context }) => reply(`enquiries:answer.${context.topic}`)),
    askMore: sendParent(reply('enquiries:more', afterAnswerOptions)),
    sayNotUnderstood: sendParent(reply('common:notUnderstood')),
    offerStaff: sendParent(
      reply('common:offerStaff', [
        { id: 'staff', key: 'common:option.staff' },
        { id: 'menu', key: 'common:option.menu' },
      ]),
    ),
    chooseTopic: assign({
      topic: ({ event }) => (event.type === 'choice' ? event.id : topicFromText(event)),
      misses: 0,
    }),
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
  context: ({ input }) => ({ topic: input.topic, misses: 0, next: 'menu' }),
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
          { guard: ({ event }) => event.id === 'staff', target: 'toStaff' },
          { target: 'done' },
        ],
        text: [
          { guard: 'isTopicText?', target: 'answer', actions: 'chooseTopic' },
          { guard: 'isSecondMiss?', actions: ['countMiss', 'offerStaff'] },
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
          { guard: ({ event }) => event.id === 'staff', target: 'toStaff' },
          { target: 'done' },
        ],
        text: [
          { guard: 'isTopicText?', target: 'answer', reenter: true, actions: 'chooseTopic' },
          { guard: 'isSecondMiss?', actions: ['countMiss', 'offerStaff'] },
          { actions: ['countMiss', 'sayNotUnderstood', 'askMore'] },
        ],
        global: { guard: ({ event }) => event.word === 'back', target: 'topics' },
      },
    },
    toStaff: { type: 'final', entry: assign({ next: 'staff' }) },
    done: { type: 'final' },
  },
  output: ({ context }) => ({ next: context.next }),
});

function topicFromText(event: UserEvent): string | undefined {
  return event.type === 'text' ? matchKeywords(event.normalized, topicVocabulary) : undefined;
}
