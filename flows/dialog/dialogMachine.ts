import { assign, enqueueActions, sendParent, sendTo, setup } from 'xstate';
import { enquiriesMachine } from '../enquiries/enquiriesMachine.ts';
import {
  effect,
  type FlowEvent,
  type FlowOutput,
  type HandoffRequest,
  handoffRequest,
  type Locale,
  type OptionSpec,
  reply,
} from '../events.ts';

/** The version of the privacy notice text; stored with each consent decision. */
export const privacyNoticeVersion = 1;

/** The languages offered, each named in its own language. */
export const languageOptions: OptionSpec[] = [
  { id: 'ar', key: 'root:language.ar' },
  { id: 'en', key: 'root:language.en' },
];

/** The answers to the privacy notice. */
export const consentOptions: OptionSpec[] = [
  { id: 'agree', key: 'root:consent.agree' },
  { id: 'decline', key: 'root:consent.decline' },
];

const menuItems = ['enquiries', 'aid', 'followUp', 'complaint', 'staff', 'language'] as const;

/** The main menu, in the order it is offered. */
export const menuOptions: OptionSpec[] = menuItems.map((id) => ({ id, key: `root:menu.${id}` }));

/** The menu items not served in the chat yet: each has a `root:comingSoon.<id>` answer. */
export const comingSoonItems: readonly string[] = ['aid', 'followUp', 'complaint'];
const comingSoon = new Set<string>(comingSoonItems);

interface DialogContext {
  locale: Locale;
  consent: 'given' | 'declined' | undefined;
  misses: number;
  /** A topic recognised in free text at the main menu, handed to the enquiries flow. */
  topic: string | undefined;
}

/**
 * The bot's dialog: greeting → language → privacy notice and consent → main menu, and the global
 * words (menu, back, cancel, help, staff, language) at every step. It runs inside the root flow,
 * which keeps it alive (state, children and all) while a person has the conversation. Child
 * flows are invoked from here; what they say is passed up unchanged.
 */
export const dialogMachine = setup({
  types: {
    context: {} as DialogContext,
    input: {} as { locale?: Locale },
    events: {} as FlowEvent | FlowOutput | HandoffRequest,
  },
  actors: { enquiries: enquiriesMachine },
  actions: {
    passUp: sendParent(({ event }) => event),
    greet: sendParent(reply('root:greeting')),
    promptLanguage: sendParent(reply('root:language.prompt', languageOptions)),
    setLocale: assign({ locale: ({ event }) => (event.type === 'choice' && event.id === 'en' ? 'en' : 'ar') }),
    saveLocale: sendParent(({ context }) => effect({ name: 'locale.set', locale: context.locale })),
    confirmLanguage: sendParent(reply('root:language.chosen')),
    promptConsent: sendParent(reply('root:consent.notice', consentOptions)),
    recordConsent: enqueueActions(({ event, enqueue }) => {
      const consent = event.type === 'choice' && event.id === 'agree' ? 'given' : 'declined';
      enqueue.assign({ consent });
      enqueue.sendParent(effect({ name: 'consent.record', decision: consent, noticeVersion: privacyNoticeVersion }));
      enqueue.sendParent(reply(consent === 'given' ? 'root:consent.given' : 'root:consent.declined'));
    }),
    promptMenu: sendParent(reply('root:menu.prompt', menuOptions)),
    sayComingSoon: sendParent(({ event }) => reply(`root:comingSoon.${event.type === 'choice' ? event.id : 'aid'}`)),
    askForStaff: sendParent(handoffRequest('asked')),
    handOverMisunderstood: enqueueActions(({ enqueue }) => {
      enqueue.sendParent(reply('handoff:misunderstood'));
      enqueue.sendParent(handoffRequest('misunderstood'));
    }),
    sayCancelled: sendParent(reply('common:cancelled')),
    sayHelp: sendParent(reply('common:help')),
    sayNotUnderstood: sendParent(reply('common:notUnderstood')),
    sayMediaNotExpected: sendParent(reply('common:mediaNotExpected')),
    countMiss: assign({ misses: ({ context }) => context.misses + 1 }),
    resetMisses: assign({ misses: 0, topic: undefined }),
    rememberTopic: assign({
      topic: ({ event }) => (event.type === 'text' ? event.topic : undefined),
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
    'isTopicText?': ({ event }) => event.type === 'text' && event.topic !== undefined,
    'isSecondMiss?': ({ context }) => context.misses >= 1,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
    'isHelp?': ({ event }) => event.type === 'global' && event.word === 'help',
    'isStaff?': ({ event }) => event.type === 'global' && event.word === 'staff',
  },
}).createMachine({
  id: 'dialog',
  context: ({ input }) => ({ locale: input.locale ?? 'ar', consent: undefined, misses: 0, topic: undefined }),
  initial: 'new',
  on: {
    reply: { actions: 'passUp' },
    effect: { actions: 'passUp' },
    'handoff.request': { actions: 'passUp' },
    global: [
      { guard: 'isHelp?', actions: 'sayHelp' },
      { guard: 'isStaff?', actions: 'askForStaff' },
      { guard: ({ event }) => event.word === 'language', target: '.language' },
      // The menu, once consent is decided: before that, the privacy notice comes first.
      { guard: ({ event }) => event.word === 'cancel', target: '.afterLanguage', actions: 'sayCancelled' },
      { target: '.afterLanguage' },
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
          { guard: 'isStaff?', actions: 'askForStaff' },
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
          { guard: ({ event }) => event.id === 'staff', actions: 'askForStaff' },
          { guard: 'isComingSoon?', target: 'menu', reenter: true, actions: 'sayComingSoon' },
          { target: 'menu', reenter: true },
        ],
        text: [
          { guard: 'isTopicText?', target: 'enquiries', actions: 'rememberTopic' },
          { guard: 'isSecondMiss?', actions: ['resetMisses', 'handOverMisunderstood'] },
          { actions: ['countMiss', 'sayNotUnderstood', 'promptMenu'] },
        ],
      },
    },
    enquiries: {
      invoke: {
        id: 'enquiries',
        src: 'enquiries',
        input: ({ context }) => ({ topic: context.topic }),
        onDone: { target: 'menu' },
        // A child flow's failure must not go unnoticed: fail this turn, so the engine apologises.
        onError: { actions: 'rethrow' },
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
