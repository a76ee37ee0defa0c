import { assign, emit, enqueueActions, sendTo, setup } from 'xstate';
import { matchKeywords } from '../../src/domain/keywords.ts';
import { type EnquiriesOutput, enquiriesMachine } from '../enquiries/enquiriesMachine.ts';
import { effect, type FlowEvent, type FlowOutput, type Locale, type OptionSpec, reply } from '../events.ts';
import { topicVocabulary } from '../vocabulary.ts';

/**
 * The version of the dialog's shape. Bump it whenever a state is renamed, moved or removed, or a
 * child flow changes its states: snapshots written by another version are not restored, the user
 * is told politely that the conversation starts again.
 */
export const rootFlowVersion = 1;

/** The version of the privacy notice text; stored with each consent decision. */
export const privacyNoticeVersion = 1;

const languageOptions: OptionSpec[] = [
  { id: 'ar', key: 'root:language.ar' },
  { id: 'en', key: 'root:language.en' },
];

const consentOptions: OptionSpec[] = [
  { id: 'agree', key: 'root:consent.agree' },
  { id: 'decline', key: 'root:consent.decline' },
];

const menuItems = ['enquiries', 'aid', 'followUp', 'complaint', 'staff', 'language'] as const;
const menuOptions: OptionSpec[] = menuItems.map((id) => ({ id, key: `root:menu.${id}` }));
const comingSoon = new Set<string>(['aid', 'followUp', 'complaint', 'staff']);

interface RootContext {
  locale: Locale;
  consent: 'given' | 'declined' | undefined;
  misses: number;
  /** A topic recognised in free text at the main menu, handed to the enquiries flow. */
  topic: string | undefined;
}

/**
 * The root dialog every conversation runs: greeting → language → privacy notice and consent →
 * main menu, and the global words (menu, back, cancel, help, staff, language) at every step.
 * Child flows are invoked from here; what they say is relayed to the engine unchanged.
 */
export const rootMachine = setup({
  types: {
    context: {} as RootContext,
    input: {} as { locale?: Locale },
    events: {} as FlowEvent | FlowOutput,
    emitted: {} as FlowOutput,
  },
  actors: { enquiries: enquiriesMachine },
  actions: {
    relay: emit(({ event }) => event as FlowOutput),
    greet: emit(reply('root:greeting')),
    promptLanguage: emit(reply('root:language.prompt', languageOptions)),
    setLocale: assign({ locale: ({ event }) => (event.type === 'choice' && event.id === 'en' ? 'en' : 'ar') }),
    saveLocale: emit(({ context }) => effect({ name: 'locale.set', locale: context.locale })),
    confirmLanguage: emit(reply('root:language.chosen')),
    promptConsent: emit(reply('root:consent.notice', consentOptions)),
    recordConsent: enqueueActions(({ event, enqueue }) => {
      const consent = event.type === 'choice' && event.id === 'agree' ? 'given' : 'declined';
      enqueue.assign({ consent });
      enqueue.emit(effect({ name: 'consent.record', decision: consent, noticeVersion: privacyNoticeVersion }));
      enqueue.emit(reply(consent === 'given' ? 'root:consent.given' : 'root:consent.declined'));
    }),
    promptMenu: emit(reply('root:menu.prompt', menuOptions)),
    sayComingSoon: emit(({ event }) => reply(`root:comingSoon.${event.type === 'choice' ? event.id : 'staff'}`)),
    sayStaffComingSoon: emit(reply('root:comingSoon.staff')),
    sayCancelled: emit(reply('common:cancelled')),
    sayHelp: emit(reply('common:help')),
    sayNotUnderstood: emit(reply('common:notUnderstood')),
    sayMediaNotExpected: emit(reply('common:mediaNotExpected')),
    offerStaff: emit(
      reply('common:offerStaff', [
        { id: 'staff', key: 'common:option.staff' },
        { id: 'enquiries', key: 'root:menu.enquiries' },
      ]),
    ),
    countMiss: assign({ misses: ({ context }) => context.misses + 1 }),
    resetMisses: assign({ misses: 0, topic: undefined }),
    rememberTopic: assign({
      topic: ({ event }) => (event.type === 'text' ? matchKeywords(event.normalized, topicVocabulary) : undefined),
    }),
    forward: sendTo('enquiries', ({ event }) => event),
    rethrow: ({ event }) => {
      throw 'error' in event ? event.error : event;
    },
  },
  guards: {
    'hasConsentDecision?': ({ context }) => context.consent !== undefined,
    'isLanguageChoice?': ({ event }) => event.type === 'choice' && (event.id === 'ar' || event.id === 'en'),
    'isConsentChoice?': ({ event }) => event.type === 'choice' && (event.id === 'agree' || event.id === 'decline'),
    'isComingSoon?': ({ event }) => event.type === 'choice' && comingSoon.has(event.id),
    'isTopicText?': ({ event }) =>
      event.type === 'text' && matchKeywords(event.normalized, topicVocabulary) !== undefined,
    'isSecondMiss?': ({ context }) => context.misses >= 1,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
    'isHelp?': ({ event }) => event.type === 'global' && event.word === 'help',
    'endedForStaff?': ({ event }) =>
      'output' in event && (event.output as EnquiriesOutput | undefined)?.next === 'staff',
  },
}).createMachine({
  id: 'root',
  context: ({ input }) => ({ locale: input.locale ?? 'ar', consent: undefined, misses: 0, topic: undefined }),
  initial: 'new',
  on: {
    reply: { actions: 'relay' },
    effect: { actions: 'relay' },
    global: [
      { guard: 'isHelp?', actions: 'sayHelp' },
      { guard: ({ event }) => event.word === 'language', target: '.language' },
      { guard: ({ event }) => event.word === 'cancel', target: '.menu', actions: 'sayCancelled' },
      { guard: ({ event }) => event.word === 'staff', target: '.menu', actions: 'sayStaffComingSoon' },
      { target: '.menu' },
    ],
    media: { actions: 'sayMediaNotExpected' },
    location: { actions: 'sayMediaNotExpected' },
    contact: { actions: 'sayMediaNotExpected' },
  },
  states: {
    /** First contact: whatever the person sent, greet them and ask for a language. */
    new: {
      on: { '*': { target: 'language', actions: 'greet' } },
    },
    language: {
      entry: 'promptLanguage',
      on: {
        choice: [
          {
            guard: 'isLanguageChoice?',
            target: 'afterLanguage',
            actions: ['setLocale', 'saveLocale', 'confirmLanguage'],
          },
          { actions: 'promptLanguage' },
        ],
        text: { actions: ['sayNotUnderstood', 'promptLanguage'] },
      },
    },
    afterLanguage: {
      always: [{ guard: 'hasConsentDecision?', target: 'menu' }, { target: 'consent' }],
    },
    consent: {
      entry: 'promptConsent',
      on: {
        choice: [{ guard: 'isConsentChoice?', target: 'menu', actions: 'recordConsent' }, { actions: 'promptConsent' }],
        text: { actions: ['sayNotUnderstood', 'promptConsent'] },
        global: [
          { guard: 'isHelp?', actions: 'sayHelp' },
          { guard: 'isBack?', target: 'language' },
          { guard: ({ event }) => event.word === 'language', target: 'language' },
          { actions: 'promptConsent' },
        ],
      },
    },
    menu: {
      entry: ['resetMisses', 'promptMenu'],
      on: {
        choice: [
          { guard: ({ event }) => event.id === 'enquiries', target: 'enquiries' },
          { guard: ({ event }) => event.id === 'language', target: 'language' },
          { guard: 'isComingSoon?', target: 'menu', reenter: true, actions: 'sayComingSoon' },
          { target: 'menu', reenter: true },
        ],
        text: [
          { guard: 'isTopicText?', target: 'enquiries', actions: 'rememberTopic' },
          { guard: 'isSecondMiss?', actions: ['countMiss', 'offerStaff'] },
          { actions: ['countMiss', 'sayNotUnderstood', 'promptMenu'] },
        ],
      },
    },
    enquiries: {
      invoke: {
        id: 'enquiries',
        src: 'enquiries',
        input: ({ context }) => ({ topic: context.topic }),
        onDone: [{ guard: 'endedForStaff?', target: 'menu', actions: 'sayStaffComingSoon' }, { target: 'menu' }],
      },
      on: {
        choice: { actions: 'forward' },
        text: { actions: 'forward' },
        global: [
          { guard: 'isBack?', actions: 'forward' },
          { guard: 'isHelp?', actions: 'sayHelp' },
        ],
      },
    },
  },
});
