import { assign, enqueueActions, sendParent, sendTo, setup } from 'xstate';
import { aidRequestMachine } from '../aidRequest/aidRequestMachine.ts';
import { callsForStaff } from '../asides.ts';
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
  type Service,
  type SystemEvent,
  type TicketDraft,
  type Topic,
  topics,
  type UserEvent,
} from '../events.ts';
import { isBriefSmallTalk, normalizedOf } from '../eventWords.ts';
import { followUpMachine } from '../followUp/followUpMachine.ts';
import type { InnerEvent } from '../innerEvents.ts';
import { type PrivacyMode, type PrivacyOutput, privacyMachine } from '../privacy/privacyMachine.ts';
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

/** The notice's first asking is two lines on a phone; its whole text is one tap away. */
const briefConsentOptions: OptionSpec[] = [...consentOptions, { id: 'details', key: 'root:consent.details' }];

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
  'staff.availability',
  'privacy.summary',
  'privacy.verification',
  'privacy.erased',
  'privacy.refused',
];

/** What a service asked for in words leads to: its flow (a ticket of some kind for the last three). */
const ticketKinds: Partial<Record<Service, TicketDraft['kind']>> = {
  complaint: 'complaint',
  suggestion: 'suggestion',
  praise: 'thanks',
};

/**
 * The clarifying question's options: the likeliest services and enquiries (the main ones when
 * nothing was likely), then a person.
 */
export function clarifyOptions(likely: readonly string[] | undefined): OptionSpec[] {
  const ids = likely?.length ? likely : ['enquiries', 'aid', 'followUp', 'complaint'];
  return [...ids, 'staff'].map((id) => ({
    id,
    key: topics.includes(id as Topic) ? `enquiries:topic.${id}` : `root:clarify.option.${id}`,
  }));
}

/** After two misses: a person (with the honest wait), or the menu. */
export const offerStaffOptions: OptionSpec[] = [
  { id: 'staff', key: 'common:option.staff' },
  { id: 'menu', key: 'common:option.menu' },
];

type Text = Extract<UserEvent, { type: 'text' }>;

/**
 * Thanks of more than four words («الله يجزيكم الجنة على تعاونكم») are a message for the team,
 * offered to be passed on as a note of thanks; shorter ones are answered as small talk.
 */
export const isThanksNote = (event: { type: string }) =>
  event.type === 'text' && (event as Text).smallTalk === 'thanks' && !isBriefSmallTalk((event as Text).text);

/** Words about a staff member that ask to speak to nobody («موظف الاستقبال ما يحترم الناس»). */
const isAboutStaff = (event: { type: string }) => {
  if (event.type !== 'text' || callsForStaff(event)) return false;
  const text = event as Text;
  const unread = !text.service && !text.topic && !text.smallTalk;
  return text.global === 'staff' || (unread && grievanceCategory(text.normalized) === 'staffConduct');
};

/** A first message worth coming back to after the privacy notice: it asked for something. */
const asksSomething = (event: Text) =>
  event.service !== undefined ||
  event.topic !== undefined ||
  event.reference !== undefined ||
  isThanksNote(event) ||
  isAboutStaff(event);

interface DialogContext {
  locale: Locale;
  consent: 'given' | 'declined' | undefined;
  /** The first message, when it asked for something: taken up once the privacy notice is answered. */
  pending?: Text;
  /** What a message not understood most likely meant, offered in the clarifying question. */
  likely?: string[];
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
  /** What they asked to send in their words (a complaint, a suggestion, thanks), and what they wrote. */
  complaintKind?: TicketDraft['kind'];
  complaintText?: string;
  /** The category a grievance names by its words (a delay, a staff member's conduct), by code. */
  complaintCategory?: string;
  /** What was written and not sent when the person left for the menu: taken up where it was left. */
  complaintDraft?: Partial<TicketDraft>;
  /** The words that led to the flow the person is in, until they answer its first question. */
  routed?: { text: string; lang?: Locale } | undefined;
  /** Served requests and resolved complaints to rate, asked one by one at the main menu. */
  ratings?: RatingItem[];
  /** Ratings heard while a person had the conversation: due from the next menu on. */
  deferredRatings?: RatingItem[];
  /** The item whose rating is being asked. */
  rating?: RatingItem;
  /** What the person asked of their data: to see it, or to erase it. */
  privacyMode?: PrivacyMode;
}

type DialogEvent = FlowEvent | FlowOutput | HandoffRequest | InnerEvent | DescribingNotice;

/** A service chosen from the menu or a clarifying question. */
const serviceChoices = [
  { guard: { type: 'isChoice?', params: { id: 'aid' } }, target: 'aidGate' },
  { guard: { type: 'isChoice?', params: { id: 'followUp' } }, target: 'followUp' },
  { guard: { type: 'isChoice?', params: { id: 'staff' } }, actions: 'askForStaff' },
  { guard: { type: 'isChoice?', params: { id: 'complaint' } }, target: 'complaint', actions: 'enterComplaintFromMenu' },
  { guard: 'isTicketChoice?', target: 'complaint', actions: 'enterComplaintFromWords' },
  { guard: 'isPrivacyChoice?', target: 'privacy', actions: 'enterPrivacy' },
] as const;

/**
 * The category a grievance names, by code: a delay («لي شهر… ماحد رد», «تاخرتوا») or a staff
 * member's conduct («الموظف كان اسلوبه سيء»), as the edge folds the words.
 */
function grievanceCategory(normalized: string): string | undefined {
  if (/(^| )(ال)?(موظف|موظفه|مندوب|اسلوب|اسلوبه|اسلوبها|تعامل|تعاملهم|staff|rude)( |$)/.test(normalized))
    return 'staffConduct';
  if (
    /(تاخير|تاخر|تاخرتو|تاخرتوا|محد رد|ماحد رد|ما احد رد|ما رديتو|ما ردوا|لي شهر|لي اسبوع|صار لي|delay|late|waiting)/.test(
      normalized,
    )
  )
    return 'delay';
  return undefined;
}

/** Words that name a complaint, as the edge folds them («اشتكي», «شكوى», "complain"). */
const namesComplaint = /(^| )(اشتكي|نشتكي|اشتكى|شكوى|شكوي|شكوه|شكاوي|complain|complaint)( |$)/;

/**
 * Words that only ask to send something, with a greeting or English's little words around them
 * («السلام عليكم ابي ارفع شكوى», "I want to file a complaint about the…"): none of it says what happened.
 */
const askingWords = new Set(
  'ابي ابغي ابغى ابغا اريد ودي حاب عندي لدي ارفع اقدم اسوي اكتب ارسل اشتكي نشتكي شكوى شكوي شكوه اقترح اقتراح اشكر شكر شكرا السلام عليكم مرحبا i want to would like make file send submit have a an complain complaint suggest suggestion thank thanks about the of my in on for with hello hi'.split(
    ' ',
  ),
);

/** A sentence that says more than what it asks to send: three words or more besides the asking. */
const saysMore = (normalized: string) =>
  normalized.split(/[^\p{L}\p{N}]+/u).filter((w) => w && !askingWords.has(w)).length >= 3;

/** What a person asks for in words: a reference first, then a service, then a question. */
const wordRoutes = [
  { guard: 'continuesComplaint?', target: 'complaint', actions: 'enterComplaintFromMenu' },
  { guard: 'isReferenceText?', target: 'followUp', actions: 'rememberReference' },
  { guard: 'isTicketReferenceText?', target: 'complaint', actions: ['rememberReference', 'enterComplaintFromMenu'] },
  { guard: { type: 'isServiceText?', params: { service: 'aid' } }, target: 'aidGate' },
  { guard: { type: 'isServiceText?', params: { service: 'followUp' } }, target: 'followUp' },
  { guard: 'isTicketText?', target: 'complaint', actions: 'enterComplaintFromWords' },
  // «موظف الاستقبال ما يحترم الناس» names a staff member and asks to speak to nobody: what to send is asked, the words kept.
  { guard: 'isAboutStaff?', target: 'complaint', actions: 'enterComplaintFromWords' },
  { guard: 'isPrivacyText?', target: 'privacy', actions: 'enterPrivacy' },
  { guard: 'isTopicText?', target: 'enquiries', actions: 'rememberTopic' },
] as const;

/**
 * The transitions of a state that runs a child flow: what the person sends, and the engine's
 * answers to the child's effects, go to the child (`forward`, one action per child); `words` are
 * the global words the child answers itself, the others keep their meaning everywhere.
 */
function childEvents<A extends 'toAid' | 'toFollowUp' | 'toReview' | 'toRating' | 'toComplaint' | 'toPrivacy'>(
  forward: A,
  words: readonly string[],
) {
  const pass = { actions: forward };
  // Anything the person sends in the flow says the words that led there were read right.
  const answer = { actions: [forward, 'forgetRouting'] as const };
  return {
    choice: answer,
    text: answer,
    media: answer,
    location: answer,
    contact: answer,
    ...(Object.fromEntries(engineAnswers.map((type) => [type, pass])) as Record<EngineAnswer, typeof pass>),
    'locale.changed': { actions: ['setLocale', forward] as const },
    global: [
      { guard: { type: 'isWordOf?', params: { words } } as const, actions: ['recordChange', forward] as const },
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
    privacy: privacyMachine,
  },
  actions: {
    passUp: sendParent(({ event }) => event as FlowOutput | HandoffRequest | DescribingNotice),
    greet: sendParent(reply('root:greeting')),
    promptLanguage: sendParent(reply('root:language.prompt', languageOptions)),
    chooseLocale: assign({ locale: ({ event }) => (event.type === 'choice' && event.id === 'en' ? 'en' : 'ar') }),
    /** The language the person wrote in, or named («English please»). */
    takeLanguage: assign({
      locale: ({ context, event }) =>
        (event.type === 'text' ? event.lang : event.type === 'global' ? (event.locale ?? event.lang) : undefined) ??
        context.locale,
    }),
    keepPending: assign({
      pending: ({ context, event }) => (event.type === 'text' && asksSomething(event) ? event : context.pending),
    }),
    /** Back to what the first message asked for, now that the privacy notice is answered. */
    takePending: enqueueActions(({ context, enqueue }) => {
      if (!context.pending) return;
      enqueue.raise(context.pending);
      enqueue.assign({ pending: undefined });
    }),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'locale.changed' ? event.locale : context.locale),
    }),
    saveLocale: sendParent(({ context }) => effect({ name: 'locale.set', locale: context.locale })),
    confirmLanguage: sendParent(reply('root:language.chosen')),
    promptConsent: sendParent(reply('root:consent.brief', briefConsentOptions)),
    showConsentDetails: sendParent(reply('root:consent.notice', consentOptions)),
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
    /** The menu, unless a periodic review is due (that question comes first) or a first message is taken up. */
    promptMenu: enqueueActions(({ context, enqueue }) => {
      if (context.reviews.length === 0 && !context.ratings?.length && !context.pending)
        enqueue.sendParent(reply('root:menu.prompt', menuOptions));
    }),
    askForStaff: sendParent(handoffRequest('asked')),
    /** Kept, anonymised, for managers to teach the assistant what it missed. */
    recordMiss: sendParent(({ event }) =>
      effect({
        name: 'understanding.missed',
        text: event.type === 'text' ? event.text : '',
        ...(event.type === 'text' && event.lang ? { lang: event.lang } : {}),
      }),
    ),
    keepLikely: assign({ likely: ({ event }) => (event.type === 'text' ? event.likely : undefined) }),
    keepLikelyFromEnquiries: assign({
      likely: ({ event }) => (event as unknown as { output?: { likely?: string[] } }).output?.likely,
    }),
    promptClarify: sendParent(({ context }) => reply('root:clarify.prompt', clarifyOptions(context.likely))),
    askAvailability: sendParent(effect({ name: 'staff.availability' })),
    offerStaff: sendParent(({ event }) => {
      const { open, opensAt, waiting } = event as Extract<SystemEvent, { type: 'staff.availability' }>;
      return reply(open ? 'root:offerStaff.open' : 'root:offerStaff.closed', offerStaffOptions, {
        opensAt,
        waiting,
      });
    }),
    sayCancelled: sendParent(reply('common:cancelled')),
    sayHelp: sendParent(reply('common:help')),
    sayConsentAgain: sendParent(reply('root:consent.again', consentOptions)),
    sayMediaNotExpected: sendParent(reply('common:mediaNotExpected')),
    forgetWords: assign({ topic: undefined, reference: undefined, likely: undefined }),
    rememberTopic: assign({
      topic: ({ event }) => (event.type === 'text' ? event.topic : event.type === 'choice' ? event.id : undefined),
    }),
    rememberReference: assign({
      reference: ({ event }) => (event.type === 'text' ? event.reference : undefined),
    }),
    forward: sendTo('enquiries', ({ event }) => event),
    toAid: sendTo('aid', ({ event }) => event),
    toFollowUp: sendTo('followUp', ({ event }) => event),
    toReview: sendTo('review', ({ event }) => event),
    toComplaint: sendTo('complaint', ({ event }) => event),
    toPrivacy: sendTo('privacy', ({ event }) => event),
    /** «بياناتي» or «احذف بياناتي», asked in words, chosen, or offered after the answer about rights. */
    enterPrivacy: assign({
      privacyMode: ({ event }) => {
        const asked =
          event.type === 'text'
            ? event.service
            : event.type === 'choice'
              ? event.id
              : (event as unknown as { output?: { next?: string } }).output?.next;
        return asked === 'deleteData' ? 'deleteData' : 'myData';
      },
    }),
    /**
     * Consent withdrawn, or the data erased: nothing more is kept under the person's name until
     * they consent again (an application asks first), and the words they wrote before are gone.
     */
    keepPrivacyConsent: assign(({ context, event }) => {
      const output = (event as unknown as { output?: PrivacyOutput }).output;
      // Nor is anything more asked of them: reviews and ratings waiting for the menu are dropped.
      return output?.consent === 'declined'
        ? {
            consent: 'declined' as const,
            pending: undefined,
            complaintText: undefined,
            complaintDraft: undefined,
            reviews: [],
            deferred: [],
            ratings: [],
            deferredRatings: [],
          }
        : // A question asked instead of a choice is taken up at the menu, as a first message would be.
          { consent: context.consent, pending: output?.again };
    }),
    enterComplaintFromMenu: assign({
      complaintEntry: 'menu',
      complaintKind: undefined,
      complaintText: undefined,
      complaintCategory: undefined,
    }),
    /**
     * «ابي اشتكي من تأخر الرد»: a complaint, a suggestion or thanks asked for in words. A sentence
     * that says more than what it asks to send is its text (the person sees it in the summary and
     * may rewrite it); «I want to complain» is not. A suggestion or thanks goes straight on; a
     * complaint is asked first, with a person offered beside it («محد يرد علي» may rather want one).
     */
    enterComplaintFromWords: assign(({ event }) => {
      const service = isThanksNote(event)
        ? 'praise'
        : event.type === 'text'
          ? event.service
          : event.type === 'choice'
            ? event.id
            : undefined;
      const normalized = normalizedOf(event);
      const text = event.type === 'text' && saysMore(normalized) ? event.text.trim() : undefined;
      // «ابي اشتكي على…», «ابي ارفع شكوى»: a complaint by name is one; so is a grievance about a delay
      // or a staff member, in that category. «محد يرد علي» alone may want a person instead.
      const category = service === 'complaint' ? grievanceCategory(normalized) : undefined;
      const named = namesComplaint.test(normalized) || category !== undefined;
      return {
        complaintEntry: 'words' as const,
        complaintKind: service === 'complaint' && !named ? undefined : ticketKinds[service as Service],
        complaintText: text,
        complaintCategory: category,
      };
    }),
    /** Left for the menu: what was written and not sent is kept, and what was sent or cancelled forgotten. */
    keepComplaintDraft: assign({
      complaintDraft: ({ self }) => {
        const draft = self.getSnapshot().children.complaint?.getSnapshot()?.context.draft;
        return draft?.kind !== undefined && draft.text !== undefined ? draft : undefined;
      },
    }),
    forgetComplaintDraft: assign({ complaintDraft: undefined }),
    /** Leaving the menu: the words that chose where to, if it was words. */
    noteRouting: assign({
      routed: ({ event }) =>
        event.type === 'text' ? { text: event.text, ...(event.lang ? { lang: event.lang } : {}) } : undefined,
    }),
    forgetRouting: assign({ routed: undefined }),
    /**
     * Words that led to a flow the person left at once («ابي اكمل شكواي» read as something else,
     * then «القائمة»): kept among the missed questions for managers to teach.
     */
    recordChange: enqueueActions(({ context, enqueue, event }) => {
      if (!context.routed || event.type !== 'global' || !['menu', 'back', 'cancel'].includes(event.word)) return;
      enqueue.sendParent(effect({ name: 'understanding.missed', ...context.routed, reason: 'changed' }));
      enqueue.assign({ routed: undefined });
    }),
    /** A suggestion or thanks the enquiries heard asked for in words. */
    enterComplaintFromEnquiries: assign(({ event }) => ({
      complaintEntry: 'words' as const,
      complaintKind: ticketKinds[(event as unknown as { output?: { next?: Service } }).output?.next as Service],
      complaintText: undefined,
    })),
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
    /** «ابي اكمل شكواي», «كمل»: what was left unsent is taken up, unless another service is asked for. */
    'continuesComplaint?': ({ context, event }) =>
      context.complaintDraft !== undefined &&
      event.type === 'text' &&
      (event.service === undefined || ticketKinds[event.service] !== undefined) &&
      /(^| )(اكمل|كمل|نكمل|اكملها|اكمله|كملها|continue|resume)( |$)/.test(event.normalized),
    'isAboutStaff?': ({ event }) => isAboutStaff(event),
    'isTicketText?': ({ event }) =>
      (event.type === 'text' && ticketKinds[event.service as Service] !== undefined) || isThanksNote(event),
    'isTicketChoice?': ({ event }) => event.type === 'choice' && ticketKinds[event.id as Service] !== undefined,
    'isPrivacyText?': ({ event }) =>
      event.type === 'text' && (event.service === 'myData' || event.service === 'deleteData'),
    'isPrivacyChoice?': ({ event }) => event.type === 'choice' && (event.id === 'myData' || event.id === 'deleteData'),
    'isTopicChoice?': ({ event }) => event.type === 'choice' && topics.includes(event.id as Topic),
    /** A person asked for, in a word («موظف») or a sentence («I want to talk to a person»). */
    'asksForStaff?': ({ event }) => (event.type === 'global' && event.word === 'staff') || callsForStaff(event),
    'hasLanguage?': ({ event }) =>
      (event.type === 'text' && event.lang !== undefined) || (event.type === 'global' && event.locale !== undefined),
    // A request's reference (`A-…`); a complaint's (`C-…`) is not an aid request.
    'isReferenceText?': ({ event }) => event.type === 'text' && event.reference?.startsWith('A') === true,
    'isTicketReferenceText?': ({ event }) => event.type === 'text' && event.reference?.startsWith('C') === true,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
    'isHelp?': ({ event }) => event.type === 'global' && event.word === 'help',
    'isWordOf?': ({ event }, params: { words: readonly string[] }) =>
      event.type === 'global' && params.words.includes(event.word),
    'isStaff?': ({ event }) => event.type === 'global' && event.word === 'staff',
    'isNext?': ({ event }, params: { next: EnquiryNext }) =>
      (event as unknown as { output?: { next?: EnquiryNext } }).output?.next === params.next,
    'isTicketNext?': ({ event }) =>
      ticketKinds[(event as unknown as { output?: { next?: Service } }).output?.next as Service] !== undefined,
    'hasReviewDue?': ({ context }) => context.reviews.length > 0,
    'hasRatingDue?': ({ context }) => (context.ratings?.length ?? 0) > 0,
  },
}).createMachine({
  id: 'dialog',
  context: ({ input }) => ({
    locale: input.locale ?? 'ar',
    consent: undefined,
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
      { guard: 'isStaff?', actions: ['forgetRouting', 'askForStaff'] },
      // «English please»: the language named is taken at once (as choosing it would), then the menu.
      { guard: 'hasLanguage?', target: '.afterLanguage', actions: ['takeLanguage', 'saveLocale', 'confirmLanguage'] },
      { guard: ({ event }) => event.word === 'language', target: '.language' },
      // The menu, once consent is decided: before that, the privacy notice comes first.
      {
        guard: ({ event }) => event.word === 'cancel',
        target: '.afterLanguage',
        actions: ['recordChange', 'sayCancelled', 'forgetComplaintDraft'],
      },
      { target: '.afterLanguage', actions: 'recordChange' },
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
    /**
     * First contact: a message in Arabic (a greeting too) goes straight on in Arabic, one in
     * English in English; the language is asked only when it cannot be told (a number, an emoji,
     * a photo). What the first message asked for is taken up after the privacy notice.
     */
    new: {
      on: {
        // A timer is not the person writing: nothing is said until they do.
        timer: { actions: 'keepReview' },
        'timer.deferred': { actions: 'keepDeferredReview' },
        'case.served': { actions: 'keepRating' },
        'ticket.resolved': { actions: 'keepRating' },
        'rating.deferred': { actions: 'keepDeferredRating' },
        // The language of an emergency's words, taken before anything is said.
        'locale.changed': { actions: 'setLocale' },
        text: [
          {
            guard: 'asksForStaff?',
            target: 'withStaffFirst',
            actions: ['takeLanguage', 'saveLocale', 'greet', 'askForStaff'],
          },
          {
            guard: 'hasLanguage?',
            target: 'afterLanguage',
            actions: ['takeLanguage', 'saveLocale', 'greet', 'keepPending'],
          },
          { target: 'language', actions: 'greet' },
        ],
        global: [
          { guard: 'hasLanguage?', target: 'afterLanguage', actions: ['takeLanguage', 'saveLocale', 'greet'] },
          {
            guard: 'asksForStaff?',
            target: 'withStaffFirst',
            actions: ['takeLanguage', 'saveLocale', 'greet', 'askForStaff'],
          },
          { target: 'language', actions: 'greet' },
        ],
        '*': { target: 'language', actions: 'greet' },
      },
    },
    /**
     * A person asked for in the first message is put through at once; the privacy notice waits
     * until they write to the bot again (a word like «القائمة» goes there at once).
     */
    withStaffFirst: {
      on: {
        text: { target: 'afterLanguage', actions: 'keepPending' },
        choice: 'afterLanguage',
        media: 'afterLanguage',
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
        // Words in a language choose it («السلام عليكم» is Arabic); digits or emoji ask again.
        text: [
          {
            guard: 'hasLanguage?',
            target: 'afterLanguage',
            actions: ['takeLanguage', 'saveLocale', 'confirmLanguage', 'keepPending'],
          },
          { actions: 'promptLanguage' },
        ],
      },
    },
    afterLanguage: {
      always: [{ guard: 'hasConsentDecision?', target: 'menu' }, { target: 'consent' }],
    },
    consent: {
      entry: 'promptConsent',
      on: {
        choice: [
          { guard: 'isConsentChoice?', target: 'menu', actions: 'recordConsent' },
          { guard: { type: 'isChoice?', params: { id: 'details' } }, actions: 'showConsentDetails' },
          { actions: 'promptConsent' },
        ],
        // Not an answer: what it asked for waits, and the question is put again, briefly.
        text: { actions: ['keepPending', 'sayConsentAgain'] },
        global: [
          { guard: 'isHelp?', actions: 'sayHelp' },
          { guard: 'isStaff?', actions: 'askForStaff' },
          { guard: 'isBack?', target: 'language' },
          { guard: 'hasLanguage?', actions: ['takeLanguage', 'saveLocale', 'confirmLanguage', 'promptConsent'] },
          { guard: ({ event }) => event.word === 'language', target: 'language' },
          { actions: 'promptConsent' },
        ],
      },
    },
    menu: {
      exit: 'noteRouting',
      entry: ['forgetWords', 'releaseDeferred', 'releaseDeferredRatings', 'promptMenu', 'takePending'],
      always: [
        { guard: 'hasReviewDue?', target: 'review', actions: 'takeReview' },
        { guard: 'hasRatingDue?', target: 'rating', actions: 'takeRating' },
      ],
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'enquiries' } }, target: 'enquiries' },
          { guard: { type: 'isChoice?', params: { id: 'language' } }, target: 'language' },
          ...serviceChoices,
          { target: 'menu', reenter: true },
        ],
        // Not understood: one clarifying question with the likeliest services.
        text: [...wordRoutes, { target: 'clarify', actions: ['recordMiss', 'keepLikely'] }],
      },
    },
    /** "Did you mean…?": the likeliest two or three services and enquiries, and a person. */
    clarify: {
      exit: 'noteRouting',
      entry: 'promptClarify',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'enquiries' } }, target: 'enquiries' },
          { guard: 'isTopicChoice?', target: 'enquiries', actions: 'rememberTopic' },
          ...serviceChoices,
          { target: 'menu' },
        ],
        // A second miss: a person is offered, with the honest wait.
        text: [...wordRoutes, { target: 'offerStaff', actions: 'recordMiss' }],
      },
    },
    /** Two misses: a person (when they are at work, or when they are next, and that the message is kept), or the menu. */
    offerStaff: {
      exit: 'noteRouting',
      entry: 'askAvailability',
      on: {
        'staff.availability': { actions: 'offerStaff' },
        choice: [{ guard: { type: 'isChoice?', params: { id: 'staff' } }, actions: 'askForStaff' }, { target: 'menu' }],
        text: [...wordRoutes, { target: 'offerStaff', reenter: true, actions: 'recordMiss' }],
      },
    },
    enquiries: {
      // An answer given is no wrong turn; the question goes with it, in case it did not help.
      exit: 'forgetRouting',
      invoke: {
        id: 'enquiries',
        src: 'enquiries',
        input: ({ context }) => ({ topic: context.topic, asked: context.routed }),
        onDone: [
          { guard: { type: 'isNext?', params: { next: 'aid' } }, target: 'aidGate' },
          { guard: { type: 'isNext?', params: { next: 'followUp' } }, target: 'followUp' },
          {
            guard: { type: 'isNext?', params: { next: 'complaint' } },
            target: 'complaint',
            actions: 'enterComplaintFromMenu',
          },
          { guard: 'isTicketNext?', target: 'complaint', actions: 'enterComplaintFromEnquiries' },
          { guard: { type: 'isNext?', params: { next: 'myData' } }, target: 'privacy', actions: 'enterPrivacy' },
          { guard: { type: 'isNext?', params: { next: 'deleteData' } }, target: 'privacy', actions: 'enterPrivacy' },
          {
            guard: { type: 'isNext?', params: { next: 'unclear' } },
            target: 'clarify',
            actions: 'keepLikelyFromEnquiries',
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
        text: { actions: 'sayConsentAgain' },
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
          { guard: { type: 'isNext?', params: { next: 'aid' } }, target: 'aidGate' },
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
          kind: context.complaintKind,
          text: context.complaintText,
          category: context.complaintCategory,
          // What was left unsent is taken up, unless new words ask for something else.
          draft:
            context.complaintText === undefined &&
            (context.complaintKind === undefined || context.complaintKind === context.complaintDraft?.kind)
              ? context.complaintDraft
              : undefined,
          reference: context.reference?.startsWith('C') ? context.reference : undefined,
          consent: context.consent,
          noticeVersion: privacyNoticeVersion,
        }),
        onDone: { target: 'menu', actions: 'keepComplaintConsent' },
        onError: { actions: 'rethrow' },
      },
      exit: 'keepComplaintDraft',
      on: childEvents('toComplaint', ['back']),
    },
    /** A person's rights over their data: what is held, erasing it, withdrawing consent. */
    privacy: {
      invoke: {
        id: 'privacy',
        src: 'privacy',
        input: ({ context }) => ({
          locale: context.locale,
          mode: context.privacyMode ?? 'myData',
          consent: context.consent,
          noticeVersion: privacyNoticeVersion,
        }),
        onDone: { target: 'menu', actions: 'keepPrivacyConsent' },
        onError: { actions: 'rethrow' },
      },
      on: childEvents('toPrivacy', ['back']),
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
