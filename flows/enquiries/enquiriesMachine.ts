import { assign, enqueueActions, sendParent, setup } from 'xstate';
import type { Locale } from '../events.ts';
import {
  effect,
  handoffRequest,
  type OptionSpec,
  reply,
  type Service,
  type Topic,
  topics,
  type UserEvent,
} from '../events.ts';
import { faqSubjectId, helpfulOptions, parseRatingOption } from '../rating/ratingOptions.ts';

/** The topic list: every topic, then staff and the main menu. */
export const topicOptions: OptionSpec[] = [
  ...topics.map((id) => ({ id, key: `enquiries:topic.${id}` })),
  { id: 'staff', key: 'common:option.staff' },
  { id: 'menu', key: 'common:option.menu' },
];

/** What is offered after an answer. */
export const afterAnswerOptions: OptionSpec[] = [
  { id: 'another', key: 'enquiries:option.another' },
  { id: 'menu', key: 'common:option.menu' },
];

/**
 * Where the enquiries end: a service the chat gives (offered after the answers that speak of it,
 * or asked for in words), the menu, or `unclear`: a message not understood, for the dialog's
 * clarifying question.
 */
export type EnquiryNext = Service | 'menu' | 'unclear';

/**
 * The answers that tell people they can apply, follow up or complain in this chat offer it at once:
 * the promise is one tap away.
 */
export const serviceAfterTopic: Partial<Record<Topic, 'aid' | 'followUp' | 'complaint'>> = {
  services: 'aid',
  eligibility: 'aid',
  documents: 'aid',
  apply: 'aid',
  duration: 'followUp',
  rights: 'complaint',
};

/** Further services an answer offers after its own: the rights over one's data, one tap away. */
export const moreAfterTopic: Partial<Record<Topic, ('myData' | 'deleteData')[]>> = {
  rights: ['myData', 'deleteData'],
};

/** An answer that speaks of another offers it: the steps of applying name the documents. */
const topicAfterTopic: Partial<Record<Topic, Topic>> = { apply: 'documents', eligibility: 'documents' };

/** How the person rated the answer they were given, if they did. */
type Rated = 'helpful' | 'notHelpful' | undefined;

/**
 * The options after the answer to `topic`: another question, its services if it has any, a
 * person when the answer did not help, the menu, then the one-tap "was this helpful?" (until it
 * is answered: `rated`).
 */
export function optionsAfter(topic: string | undefined, rated?: Rated): OptionSpec[] {
  const service = topic === undefined ? undefined : serviceAfterTopic[topic as Topic];
  const more = topic === undefined ? [] : (moreAfterTopic[topic as Topic] ?? []);
  const helpful = topic === undefined || rated ? [] : helpfulOptions(topic);
  const [another, ...rest] = afterAnswerOptions as [OptionSpec, ...OptionSpec[]];
  const next = topic === undefined ? undefined : topicAfterTopic[topic as Topic];
  return [
    another,
    ...(service ? [service, ...more] : []).map((id) => ({ id, key: `enquiries:option.${id}` })),
    ...(next ? [{ id: next, key: `enquiries:topic.${next}` }] : []),
    ...(rated === 'notHelpful' ? [{ id: 'staff', key: 'common:option.staff' }] : []),
    ...rest,
    ...helpful,
  ];
}

/**
 * Enquiries: the FAQ of the policy (the association, services, eligibility, documents, how to
 * apply, how long, channels, hours and rights). A topic is chosen from the list or asked in the
 * person's own words; a message not understood goes back to the dialog, which asks what was meant.
 */
export const enquiriesMachine = setup({
  types: {
    context: {} as {
      topic: string | undefined;
      next: EnquiryNext;
      likely?: string[];
      rated?: Rated;
      /** The question as the person wrote it, when the answer was to words. */
      asked?: { text: string; lang?: Locale } | undefined;
    },
    input: {} as { topic?: string | undefined; asked?: { text: string; lang?: Locale } | undefined },
    events: {} as UserEvent,
    output: {} as { next: EnquiryNext; likely?: string[] },
  },
  actions: {
    promptTopics: sendParent(reply('enquiries:prompt', topicOptions)),
    answerTopic: sendParent(({ context }) => reply(`enquiries:answer.${context.topic}`)),
    askMore: sendParent(({ context }) => reply('enquiries:more', optionsAfter(context.topic, context.rated))),
    /** "Was this helpful?" answered: kept against the answer, never asked again for it. */
    rateAnswer: enqueueActions(({ context, enqueue, event }) => {
      const score = event.type === 'choice' ? parseRatingOption(event.id)?.answer : undefined;
      if (typeof score !== 'number' || context.topic === undefined) return;
      const rated = score > 1 ? 'helpful' : 'notHelpful';
      enqueue.assign({ rated });
      enqueue.sendParent(
        effect({ name: 'rating.record', subject: 'faq', subjectId: faqSubjectId(context.topic), score }),
      );
      // An answer that did not help: a person is offered beside another question, and the
      // question, if it was written, is kept for managers to teach.
      enqueue.sendParent(reply(rated === 'helpful' ? 'rating:helpfulThanks' : 'rating:notHelpfulThanks'));
      if (rated === 'notHelpful' && context.asked) {
        enqueue.sendParent(effect({ name: 'understanding.missed', ...context.asked, reason: 'unhelpful' }));
      }
    }),
    askForStaff: sendParent(handoffRequest('asked')),
    chooseTopic: assign({
      topic: ({ event }) => (event.type === 'choice' ? event.id : topicFromText(event)),
      rated: undefined,
      asked: ({ event }) =>
        event.type === 'text' ? { text: event.text, ...(event.lang ? { lang: event.lang } : {}) } : undefined,
    }),
    chooseService: assign({
      next: ({ event }) => (event.type === 'choice' ? event.id : serviceFromText(event)) as EnquiryNext,
    }),
    /** Not understood: kept for managers to teach, and handed to the dialog with what it likely meant. */
    giveUp: enqueueActions(({ enqueue, event }) => {
      if (event.type !== 'text') return;
      enqueue.sendParent(
        effect({ name: 'understanding.missed', text: event.text, ...(event.lang ? { lang: event.lang } : {}) }),
      );
      enqueue.assign({ next: 'unclear', likely: event.likely });
    }),
  },
  guards: {
    'hasTopic?': ({ context }) => context.topic !== undefined,
    'isTopicChoice?': ({ event }) => event.type === 'choice' && topics.includes(event.id as Topic),
    'isHelpfulChoice?': ({ event }) => event.type === 'choice' && parseRatingOption(event.id)?.subject === 'faq',
    'isTopicText?': ({ event }) => topicFromText(event) !== undefined,
    'isServiceChoice?': ({ event }) =>
      event.type === 'choice' && ['aid', 'followUp', 'complaint', 'myData', 'deleteData'].includes(event.id),
    // Here a question is expected, so a topic comes first («what documents do I need?»); a
    // service asked for in words alone («ممكن تساعدوني») leaves the enquiries for it.
    'isServiceText?': ({ event }) => serviceFromText(event) !== undefined,
  },
}).createMachine({
  id: 'enquiries',
  context: ({ input }) => ({ topic: input.topic, next: 'menu', asked: input.asked }),
  output: ({ context }) => ({ next: context.next, ...(context.likely ? { likely: context.likely } : {}) }),
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
          { guard: 'isServiceText?', target: 'done', actions: 'chooseService' },
          { target: 'done', actions: 'giveUp' },
        ],
        global: { guard: ({ event }) => event.word === 'back', target: 'done' },
      },
    },
    answer: {
      entry: ['answerTopic', 'askMore'],
      on: {
        choice: [
          { guard: 'isTopicChoice?', target: 'answer', reenter: true, actions: 'chooseTopic' },
          { guard: 'isHelpfulChoice?', actions: ['rateAnswer', 'askMore'] },
          { guard: 'isServiceChoice?', target: 'done', actions: 'chooseService' },
          { guard: ({ event }) => event.id === 'another', target: 'topics' },
          { guard: ({ event }) => event.id === 'staff', actions: 'askForStaff' },
          { target: 'done' },
        ],
        text: [
          { guard: 'isTopicText?', target: 'answer', reenter: true, actions: 'chooseTopic' },
          { guard: 'isServiceText?', target: 'done', actions: 'chooseService' },
          { target: 'done', actions: 'giveUp' },
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

function serviceFromText(event: UserEvent): string | undefined {
  return event.type === 'text' ? event.service : undefined;
}
