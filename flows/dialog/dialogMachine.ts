import { assign, enqueueActions, sendParent, sendTo, setup } from 'xstate';
import { aidRequestMachine } from '../aidRequest/aidRequestMachine.ts';
import { complaintMachine } from '../complaint/complaintMachine.ts';
import { type EnquiryNext, enquiriesMachine } from '../enquiries/enquiriesMachine.ts';
import {
  type DescribingNotice,
  effect,
  type FlowEvent,
  type FlowOutput,
  type HandoffRequest,
  handoffRequest,
  type Locale,
  type OptionSpec,
  reply,
  type SystemEvent,
} from '../events.ts';
import { followUpMachine } from '../followUp/followUpMachine.ts';
import type { InnerEvent } from '../innerEvents.ts';
import { ratingMachine } from '../rating/ratingMachine.ts';
import type { RatingItem } from '../rating/ratingOptions.ts';
import { reviewCaseId, reviewMachine } from '../review/reviewMachine.ts';

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

/** What the engine sends back as the result of an effect (timers and the handoff's events aside). */
export type EngineAnswer = Exclude<SystemEvent['type'], 'timer' | `handoff.${string}`>;

/** The engine's answers to a child flow's effects: the root passes them to the dialog, the dialog to the child that asked. */
export const engineAnswers: readonly EngineAnswer[] = [
  'profile.phone',
  'catalogue',
  'draft.loaded',
  'case.submitted',
  'case.duplicate',
  'cases.list',
  'case.found',
  'case.notFound',
  'case.attached',
  'case.withdrawn',
  'ticketCategories',
  'ticket.filed',
  'tickets.list',
  'ticket.found',
  'ticket.notFound',
  'ticket.reopened',
  'rating.asked',
];

interface DialogContext {
  locale: Locale;
  consent: 'given' | 'declined' | undefined;
  misses: number;
  /** A topic recognised in free text at the main menu, handed to the enquiries flow. */
  topic: string | undefined;
  /** A request reference written at the main menu, handed to the follow-up flow. */
  reference: string | undefined;
  /** Periodic reviews due (case ids), asked one by one when the person is at the main menu. */
  reviews: number[];
  /** Reviews that fired while a person had the conversation: due from the next menu on. */
  deferred: number[];
  /** The case whose review is being asked. */
  reviewing: number | undefined;
  /** How the person came to complaints: from the menu, or in their own words («محد يرد علي»). */
  complaintEntry?: 'menu' | 'words';
  /** Served requests and resolved complaints to rate, asked one by one at the main menu. */
  ratings?: RatingItem[];
  /** Ratings heard while a person had the conversation: due from the next menu on. */
  deferredRatings?: RatingItem[];
  /** The item whose rating is being asked. */
  rating?: RatingItem;
}

type DialogEvent = FlowEvent | FlowOutput | HandoffRequest | InnerEvent | DescribingNotice;

/**
 * The transitions of a state that runs a child flow: what the person sends, and the engine's
 * answers to the child's effects, go to the child (`forward`, one action per child); `words` are
 * the global words the child answers itself, the others keep their meaning everywhere.
 */
function childEvents<A extends 'toAid' | 'toFollowUp' | 'toReview' | 'toRating' | 'toComplaint'>(
  forward: A,
  words: readonly string[],
) {
  const pass = { actions: forward };
  return {
    choice: pass,
    text: pass,
    media: pass,
    location: pass,
    contact: pass,
    ...(Object.fromEntries(engineAnswers.map((type) => [type, pass])) as Record<EngineAnswer, typeof pass>),
    'locale.changed': { actions: ['setLocale', forward] as const },
    global: [
      { guard: { type: 'isWordOf?', params: { words } } as const, actions: forward },
      { guard: 'isHelp?', actions: 'sayHelp' } as const,
    ],
  };
}

/**
 * The bot's dialog: greeting → language → privacy notice and consent → main menu, and the global
 * words (menu, back, cancel, help, staff, language) at every step. It runs inside the root flow,
 * which keeps it alive (state, children and all) while a person has the conversation. Child
 * flows are invoked from here (enquiries, an aid application, following a request up, a
 * periodic review); what they say is passed up unchanged, and the engine's answers to their
 * effects are passed down to them.
 */
export const dialogMachine = setup({
  types: {
    context: {} as DialogContext,
    input: {} as { locale?: Locale },
    events: {} as DialogEvent,
  },
  actors: {
    enquiries: enquiriesMachine,
    aid: aidRequestMachine,
    followUp: followUpMachine,
    review: reviewMachine,
    complaint: complaintMachine,
    rating: ratingMachine,
  },
  actions: {
    passUp: sendParent(({ event }) => event as FlowOutput | HandoffRequest | DescribingNotice),
    greet: sendParent(reply('root:greeting')),
    promptLanguage: sendParent(reply('root:language.prompt', languageOptions)),
    chooseLocale: assign({ locale: ({ event }) => (event.type === 'choice' && event.id === 'en' ? 'en' : 'ar') }),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'locale.changed' ? event.locale : context.locale),
    }),
    saveLocale: sendParent(({ context }) => effect({ name: 'locale.set', locale: context.locale })),
    confirmLanguage: sendParent(reply('root:language.chosen')),
    promptConsent: sendParent(reply('root:consent.notice', consentOptions)),
    recordConsent: enqueueActions(({ event, enqueue }) => {
      const consent = event.type === 'choice' && event.id === 'agree' ? 'given' : 'declined';
      enqueue.assign({ consent });
      enqueue.sendParent(effect({ name: 'consent.record', decision: consent, noticeVersion: privacyNoticeVersion }));
      enqueue.sendParent(reply(consent === 'given' ? 'root:consent.given' : 'root:consent.declined'));
    }),
    /** The privacy notice again, for someone who declined it and now wants to apply. */
    promptConsentToApply: enqueueActions(({ enqueue }) => {
      enqueue.sendParent(reply('aid:privacyFirst'));
      enqueue.sendParent(reply('root:consent.notice', consentOptions));
    }),
    recordConsentToApply: enqueueActions(({ event, enqueue }) => {
      const consent = event.type === 'choice' && event.id === 'agree' ? 'given' : 'declined';
      enqueue.assign({ consent });
      enqueue.sendParent(effect({ name: 'consent.record', decision: consent, noticeVersion: privacyNoticeVersion }));
      enqueue.sendParent(reply(consent === 'given' ? 'root:consent.given' : 'aid:privacyDeclined'));
    }),
    /** The menu, unless a periodic review is due: that question comes first. */
    promptMenu: enqueueActions(({ context, enqueue }) => {
      if (context.reviews.length === 0 && !context.ratings?.length)
        enqueue.sendParent(reply('root:menu.prompt', menuOptions));
    }),
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
    resetMisses: assign({ misses: 0, topic: undefined, reference: undefined }),
    rememberTopic: assign({
      topic: ({ event }) => (event.type === 'text' ? event.topic : undefined),
    }),
    rememberReference: assign({
      reference: ({ event }) => (event.type === 'text' ? event.reference : undefined),
    }),
    forward: sendTo('enquiries', ({ event }) => event),
    toAid: sendTo('aid', ({ event }) => event),
    toFollowUp: sendTo('followUp', ({ event }) => event),
    toReview: sendTo('review', ({ event }) => event),
    toComplaint: sendTo('complaint', ({ event }) => event),
    enterComplaintFromMenu: assign({ complaintEntry: 'menu' as const }),
    enterComplaintFromWords: assign({ complaintEntry: 'words' as const }),
    /** A `C-…` reference the follow-up of requests was given: the complaints flow follows it up. */
    rememberTicketReference: assign({
      reference: ({ event }) => (event as unknown as { output?: { reference?: string } }).output?.reference,
    }),
    /** Consent given while sending a complaint is the privacy consent: it holds everywhere after. */
    keepComplaintConsent: assign({
      consent: ({ context, event }) =>
        (event as unknown as { output?: { consent?: 'given' } }).output?.consent ?? context.consent,
    }),
    toRating: sendTo('rating', ({ event }) => event),
    /** A served request or resolved complaint to rate, once, when the person is at the menu. */
    keepRating: assign({ ratings: ({ context, event }) => withItem(context, context.ratings, ratingItemOf(event)) }),
    keepDeferredRating: assign({
      deferredRatings: ({ context, event }) =>
        withItem(context, context.deferredRatings, event.type === 'rating.deferred' ? event.item : undefined),
    }),
    releaseDeferredRatings: assign({
      ratings: ({ context }) =>
        (context.deferredRatings ?? []).reduce((due, item) => withItem(context, due, item), context.ratings ?? []),
      deferredRatings: [],
    }),
    takeRating: assign({
      rating: ({ context }) => context.ratings?.[0],
      ratings: ({ context }) => (context.ratings ?? []).slice(1),
    }),
    keepReview: assign({
      reviews: ({ context, event }) => {
        const caseId = event.type === 'timer' ? reviewCaseId(event.key) : undefined;
        return caseId === undefined || context.reviews.includes(caseId)
          ? context.reviews
          : [...context.reviews, caseId];
      },
    }),
    keepDeferredReview: assign({
      deferred: ({ context, event }) => {
        const caseId = event.type === 'timer.deferred' ? reviewCaseId(event.key) : undefined;
        return caseId === undefined || context.deferred.includes(caseId)
          ? context.deferred
          : [...context.deferred, caseId];
      },
    }),
    /** Back at the menu: the reviews that waited for the end of a handoff are due now. */
    releaseDeferred: assign({
      reviews: ({ context }) => [...context.reviews, ...context.deferred.filter((id) => !context.reviews.includes(id))],
      deferred: [],
    }),
    takeReview: assign({
      reviewing: ({ context }) => context.reviews[0],
      reviews: ({ context }) => context.reviews.slice(1),
    }),
    rethrow: ({ event }) => {
      throw 'error' in event ? event.error : event;
    },
  },
  guards: {
    'hasConsentDecision?': ({ context }) => context.consent !== undefined,
    'hasConsent?': ({ context }) => context.consent === 'given',
    'isLanguageChoice?': ({ event }) => event.type === 'choice' && (event.id === 'ar' || event.id === 'en'),
    'isConsentChoice?': ({ event }) => event.type === 'choice' && (event.id === 'agree' || event.id === 'decline'),
    'isChoice?': ({ event }, params: { id: string }) => event.type === 'choice' && event.id === params.id,
    'isTopicText?': ({ event }) => event.type === 'text' && event.topic !== undefined,
    'isServiceText?': ({ event }, params: { service: string }) =>
      event.type === 'text' && event.service === params.service,
    // A request's reference (`A-…`); a complaint's (`C-…`) is not an aid request.
    'isReferenceText?': ({ event }) => event.type === 'text' && event.reference?.startsWith('A') === true,
    'isTicketReferenceText?': ({ event }) => event.type === 'text' && event.reference?.startsWith('C') === true,
    'isSecondMiss?': ({ context }) => context.misses >= 1,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
    'isHelp?': ({ event }) => event.type === 'global' && event.word === 'help',
    'isWordOf?': ({ event }, params: { words: readonly string[] }) =>
      event.type === 'global' && params.words.includes(event.word),
    'isStaff?': ({ event }) => event.type === 'global' && event.word === 'staff',
    'isNext?': ({ event }, params: { next: EnquiryNext }) =>
      (event as unknown as { output?: { next?: EnquiryNext } }).output?.next === params.next,
    'hasReviewDue?': ({ context }) => context.reviews.length > 0,
    'hasRatingDue?': ({ context }) => (context.ratings?.length ?? 0) > 0,
  },
}).createMachine({
  id: 'dialog',
  context: ({ input }) => ({
    locale: input.locale ?? 'ar',
    consent: undefined,
    misses: 0,
    topic: undefined,
    reference: undefined,
    reviews: [],
    deferred: [],
    reviewing: undefined,
  }),
  initial: 'new',
  on: {
    reply: { actions: 'passUp' },
    effect: { actions: 'passUp' },
    'handoff.request': { actions: 'passUp' },
    // An urgent complaint was queued for staff as it was filed: the root takes the person there.
    'handoff.queued': { actions: 'passUp' },
    describing: { actions: 'passUp' },
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
    // A periodic review is never asked in the middle of something: it waits for the menu.
    timer: { actions: 'keepReview' },
    'timer.deferred': { actions: 'keepDeferredReview' },
    // Nor is a rating: at the menu it is asked at once, elsewhere when the person is back there.
    'case.served': { actions: 'keepRating' },
    'ticket.resolved': { actions: 'keepRating' },
    'rating.deferred': { actions: 'keepDeferredRating' },
    'locale.changed': { actions: 'setLocale' },
  },
  states: {
    /** First contact: whatever the person sent, greet them and ask for a language. */
    new: {
      on: {
        // A timer is not the person writing: nothing is said until they do.
        timer: { actions: 'keepReview' },
        'timer.deferred': { actions: 'keepDeferredReview' },
        'case.served': { actions: 'keepRating' },
        'ticket.resolved': { actions: 'keepRating' },
        'rating.deferred': { actions: 'keepDeferredRating' },
        '*': { target: 'language', actions: 'greet' },
      },
    },
    language: {
      entry: 'promptLanguage',
      on: {
        choice: [
          {
            guard: 'isLanguageChoice?',
            target: 'afterLanguage',
            actions: ['chooseLocale', 'saveLocale', 'confirmLanguage'],
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
      entry: ['resetMisses', 'releaseDeferred', 'releaseDeferredRatings', 'promptMenu'],
      always: [
        { guard: 'hasReviewDue?', target: 'review', actions: 'takeReview' },
        { guard: 'hasRatingDue?', target: 'rating', actions: 'takeRating' },
      ],
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'enquiries' } }, target: 'enquiries' },
          { guard: { type: 'isChoice?', params: { id: 'aid' } }, target: 'aidGate' },
          { guard: { type: 'isChoice?', params: { id: 'followUp' } }, target: 'followUp' },
          { guard: { type: 'isChoice?', params: { id: 'language' } }, target: 'language' },
          { guard: { type: 'isChoice?', params: { id: 'staff' } }, actions: 'askForStaff' },
          {
            guard: { type: 'isChoice?', params: { id: 'complaint' } },
            target: 'complaint',
            actions: 'enterComplaintFromMenu',
          },
          { target: 'menu', reenter: true },
        ],
        // What the person asks for in words: a request's reference first, then a service, then a question.
        text: [
          { guard: 'isReferenceText?', target: 'followUp', actions: 'rememberReference' },
          {
            guard: 'isTicketReferenceText?',
            target: 'complaint',
            actions: ['rememberReference', 'enterComplaintFromMenu'],
          },
          { guard: { type: 'isServiceText?', params: { service: 'aid' } }, target: 'aidGate' },
          { guard: { type: 'isServiceText?', params: { service: 'followUp' } }, target: 'followUp' },
          {
            guard: { type: 'isServiceText?', params: { service: 'complaint' } },
            target: 'complaint',
            actions: 'enterComplaintFromWords',
          },
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
        onDone: [
          { guard: { type: 'isNext?', params: { next: 'aid' } }, target: 'aidGate' },
          { guard: { type: 'isNext?', params: { next: 'followUp' } }, target: 'followUp' },
          {
            guard: { type: 'isNext?', params: { next: 'complaint' } },
            target: 'complaint',
            actions: 'enterComplaintFromMenu',
          },
          { target: 'menu' },
        ],
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
    /** An application needs the privacy consent: someone who declined it is asked again first. */
    aidGate: {
      always: [{ guard: 'hasConsent?', target: 'aid' }, { target: 'aidConsent' }],
    },
    aidConsent: {
      entry: 'promptConsentToApply',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'agree' } }, target: 'aid', actions: 'recordConsentToApply' },
          { guard: { type: 'isChoice?', params: { id: 'decline' } }, target: 'menu', actions: 'recordConsentToApply' },
        ],
        text: { actions: ['sayNotUnderstood', 'promptConsentToApply'] },
      },
    },
    aid: {
      invoke: {
        id: 'aid',
        src: 'aid',
        input: ({ context }) => ({ locale: context.locale }),
        onDone: { target: 'menu' },
        onError: { actions: 'rethrow' },
      },
      // Leaving the application, however, ends its waiting for a description.
      exit: sendParent({ type: 'describing', on: false } satisfies DescribingNotice),
      // «رجوع», «إلغاء» and «القائمة» belong to the application: it asks before throwing it away.
      on: childEvents('toAid', ['back', 'cancel', 'menu']),
    },
    followUp: {
      invoke: {
        id: 'followUp',
        src: 'followUp',
        input: ({ context }) => ({ locale: context.locale, reference: context.reference }),
        onDone: [
          {
            guard: { type: 'isNext?', params: { next: 'complaint' } },
            target: 'complaint',
            actions: ['rememberTicketReference', 'enterComplaintFromMenu'],
          },
          { target: 'menu' },
        ],
        onError: { actions: 'rethrow' },
      },
      on: childEvents('toFollowUp', ['back']),
    },
    review: {
      invoke: {
        id: 'review',
        src: 'review',
        input: ({ context }) => ({ locale: context.locale, caseId: context.reviewing ?? 0 }),
        onDone: { target: 'menu' },
        onError: { actions: 'rethrow' },
      },
      on: childEvents('toReview', ['back']),
    },
    /** Complaints, suggestions and thanks, and following them up. */
    complaint: {
      invoke: {
        id: 'complaint',
        src: 'complaint',
        input: ({ context }) => ({
          locale: context.locale,
          entry: context.complaintEntry ?? 'menu',
          reference: context.reference?.startsWith('C') ? context.reference : undefined,
          consent: context.consent,
          noticeVersion: privacyNoticeVersion,
        }),
        onDone: { target: 'menu', actions: 'keepComplaintConsent' },
        onError: { actions: 'rethrow' },
      },
      on: childEvents('toComplaint', ['back']),
    },
    /** A served request or a resolved complaint is rated (once; the rating flow checks). */
    rating: {
      invoke: {
        id: 'rating',
        src: 'rating',
        input: ({ context }) => context.rating ?? { subject: 'case', subjectId: 0 },
        onDone: { target: 'menu' },
        onError: { actions: 'rethrow' },
      },
      on: childEvents('toRating', ['back', 'cancel']),
    },
  },
});

/** The item a `case.served` or `ticket.resolved` asks to rate. */
function ratingItemOf(event: DialogEvent): RatingItem | undefined {
  const staff = 'staffUserId' in event && event.staffUserId !== undefined ? { staffUserId: event.staffUserId } : {};
  if (event.type === 'case.served') return { subject: 'case', subjectId: event.caseId, ...staff };
  if (event.type === 'ticket.resolved') return { subject: 'ticket', subjectId: event.ticketId, ...staff };
  return undefined;
}

/** `list` with `item` added, unless it is there already or being asked now. */
function withItem(context: DialogContext, list: RatingItem[] | undefined, item: RatingItem | undefined): RatingItem[] {
  const same = (other: RatingItem | undefined) =>
    other !== undefined && item !== undefined && other.subject === item.subject && other.subjectId === item.subjectId;
  const known = list ?? [];
  return !item || known.some(same) || same(context.rating) ? known : [...known, item];
}
