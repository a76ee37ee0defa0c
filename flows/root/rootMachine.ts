import { and, assign, emit, enqueueActions, sendTo, setup } from 'xstate';
import { dialogMachine, engineAnswers, languageOptions } from '../dialog/dialogMachine.ts';
import {
  type DescribingNotice,
  effect,
  type FlowEvent,
  type FlowOutput,
  type HandoffRequest,
  handoffNoAnswerTimer,
  type Locale,
  noOptions,
  type OptionSpec,
  type Reply,
  reply,
  type SystemEvent,
} from '../events.ts';
import { isBriefSmallTalk } from '../eventWords.ts';
import type { InnerEvent } from '../innerEvents.ts';
import { ratingMachine } from '../rating/ratingMachine.ts';
import type { RatingItem } from '../rating/ratingOptions.ts';
import { reviewCaseId } from '../review/reviewMachine.ts';

/**
 * The version of the flows' shape. Bump it whenever a state is renamed, moved or removed in any
 * flow: snapshots written by another version are not restored; the user is told politely that
 * the conversation starts again.
 */
export const rootFlowVersion = 8;

/** Whether an event told of thoughts of self-harm (an emergency the edge marked for care). */
const careFor = (event: { type: string }) => event.type === 'global' && (event as { care?: boolean }).care === true;

/** Priority of a handoff asked for with words of emergency or distress. */
const emergencyPriority = 2;

/** The answer to "do you want to leave the staff member?". */
export const confirmLeaveOptions: OptionSpec[] = [
  { id: 'yes', key: 'handoff:option.yes' },
  { id: 'no', key: 'handoff:option.no' },
];

type QueuedEvent = Extract<SystemEvent, { type: 'handoff.queued' }>;
type ClosedEvent = Extract<SystemEvent, { type: 'handoff.closed' }>;
type RootEvent = FlowEvent | FlowOutput | HandoffRequest | DescribingNotice;

interface RootContext {
  /** The language at the start, handed to the dialog. */
  locale: Locale;
  /** An application waits for a free description of the need and the health condition. */
  describing?: boolean;
  /** The last question the bot asked, asked again when a person hands the conversation back. */
  lastPrompt: Reply | undefined;
  handoffId: number | undefined;
  /** Whether a staff member has the conversation, or the person is still in the queue. */
  stage: 'waiting' | 'claimed';
  /** Set when the person chose to leave the handoff for the main menu. */
  thenMenu: boolean;
  /** What the pending "do you want to leave?" question was asked for. */
  leaving?: 'menu' | 'cancel';
  /** A waiting person was told their message reached staff; said once per wait. */
  acknowledged?: boolean;
  /** The 911/997 advice was given during this handoff; it is given once per handoff. */
  advised?: boolean;
  /** An emergency handoff was asked for; its `handoff.queued` answer decides what to say. */
  emergency?: boolean;
  /** …and it told of thoughts of self-harm: the answer ends with a word of care and a support line. */
  care?: boolean;
  /** The staff member who closed the handoff: whose work the rating that follows is about. */
  ratedStaff?: number;
}

const isWord =
  (...words: string[]) =>
  ({ event }: { event: RootEvent }) =>
    event.type === 'global' && words.includes(event.word);

/** Two transitions that go back to where the handoff was (with staff, or waiting), saying `action`. */
const backToStage = <A extends 'sayStaying' | 'sayKept'>(action: A) => [
  { guard: 'wasClaimed?' as const, target: '#root.handoff.claimed', actions: action },
  { target: '#root.handoff.waiting', actions: action },
];

/**
 * The root of every conversation. The bot's dialog runs as a child that stays alive throughout;
 * this machine routes each event to it, or, while a person has the conversation, answers for the
 * handoff itself:
 * - waiting in the queue, the person's first message is acknowledged once, the rest joins the
 *   thread for staff; with a staff member, the bot is silent;
 * - «إلغاء» (and «خلاص», «رجوع») and «القائمة» ask before leaving, in both stages;
 * - words of emergency raise the handoff's priority every time, and the 911/997 advice is given
 *   once per handoff, worded by whether anyone is at work;
 * - when staff close, the person rates the help and is back exactly where they were.
 *
 * Every reply said during a handoff withdraws the options of earlier messages ({@link noOptions}):
 * a number the person types then reaches staff as text, instead of choosing from a menu they can
 * no longer see.
 */
export const rootMachine = setup({
  types: {
    context: {} as RootContext,
    input: {} as { locale?: Locale },
    events: {} as RootEvent,
    emitted: {} as FlowOutput,
  },
  actors: { dialog: dialogMachine, rating: ratingMachine },
  actions: {
    setDescribing: assign({ describing: ({ event }) => (event as DescribingNotice).on }),
    /** Words of illness typed as the application's description are that description. */
    describeToDialog: sendTo('dialog', ({ event }) => {
      const { text = '', normalized = '' } = event as Extract<FlowEvent, { type: 'global' }>;
      return { type: 'text', text, normalized } satisfies FlowEvent;
    }),
    sayNumbers: emit(reply('handoff:numbers')),
    adviseOnly: enqueueActions(({ enqueue, event }) => {
      enqueue.emit(reply('handoff:emergencyAdvice'));
      if (careFor(event)) enqueue.emit(reply('handoff:care'));
    }),
    /** Small talk answered kindly, and the question the person was at asked again (not after a goodbye). */
    answerSmallTalk: enqueueActions(({ context, enqueue, event }) => {
      const kind = event.type === 'text' ? event.smallTalk : undefined;
      enqueue.emit(reply(`root:smallTalk.${kind}`));
      if (kind !== 'goodbye' && context.lastPrompt) enqueue.emit(context.lastPrompt);
    }),
    /** How to answer, then the question the person was at asked again. */
    sayHelp: enqueueActions(({ context, enqueue }) => {
      enqueue.emit(reply('common:help'));
      if (context.lastPrompt) enqueue.emit(context.lastPrompt);
    }),
    relay: emit(({ event }) => event as FlowOutput),
    // A question asked with options, or with none on purpose (an answer typed in words), is the
    // one to ask again when the person comes back from staff.
    remember: assign({
      lastPrompt: ({ context, event }) => (event.type === 'reply' && event.options ? event : context.lastPrompt),
    }),
    toDialog: sendTo('dialog', ({ event }) => event),
    toRating: sendTo('rating', ({ event }) => event),
    /** A served request or resolved complaint, heard while with staff or rating: rated at the next menu. */
    deferRating: sendTo('dialog', ({ event }): InnerEvent => {
      const rated = event as Extract<SystemEvent, { type: 'case.served' | 'ticket.resolved' }>;
      const staff = rated.staffUserId !== undefined ? { staffUserId: rated.staffUserId } : {};
      return {
        type: 'rating.deferred',
        item:
          rated.type === 'ticket.resolved'
            ? { subject: 'ticket', subjectId: rated.ticketId, ...staff }
            : { subject: 'case', subjectId: rated.caseId, ...staff },
      };
    }),
    keepRatedStaff: assign({ ratedStaff: ({ event }) => (event as ClosedEvent).staffUserId }),
    /** A periodic review due while the person is with staff waits in the dialog for the menu. */
    deferTimer: sendTo(
      'dialog',
      ({ event }): InnerEvent => ({
        type: 'timer.deferred',
        key: event.type === 'timer' ? event.key : '',
      }),
    ),
    requestHandoff: enqueueActions(({ enqueue, event }) => {
      const request = event as HandoffRequest;
      enqueue.assign({ emergency: false });
      enqueue.emit(effect({ name: 'handoff.request', priority: request.priority, reason: request.reason }));
    }),
    /** Asks for a person with priority; what to say waits for the answer (is anyone at work?). */
    requestEmergency: enqueueActions(({ enqueue, event, self }) => {
      enqueue.assign({ emergency: true, care: careFor(event) });
      // The very first message: the numbers are given in the language it is written in.
      const lang = event.type === 'global' ? event.lang : undefined;
      if (lang && self.getSnapshot().children.dialog?.getSnapshot().matches('new')) {
        enqueue.emit(effect({ name: 'locale.set', locale: lang }));
        enqueue.sendTo('dialog', { type: 'locale.changed', locale: lang } satisfies InnerEvent);
      }
      enqueue.emit(effect({ name: 'handoff.request', priority: emergencyPriority, reason: 'emergency' }));
    }),
    /** With a staff member: their thread is flagged, the person gets the 911/997 advice once. */
    raiseEmergencyWithStaff: enqueueActions(({ context, enqueue, event }) => {
      enqueue.emit(effect({ name: 'handoff.request', priority: emergencyPriority, reason: 'emergency' }));
      if (!context.advised) {
        enqueue.assign({ advised: true, acknowledged: true });
        enqueue.emit(reply('handoff:emergencyWithStaff', noOptions));
      }
      if (careFor(event)) enqueue.emit(reply('handoff:care'));
    }),
    enterQueue: assign({
      handoffId: ({ event }) => (event as QueuedEvent).handoffId,
      ratedStaff: undefined,
      stage: 'waiting',
      thenMenu: false,
      acknowledged: false,
      advised: false,
    }),
    sayQueued: enqueueActions(({ context, enqueue, event }) => {
      const { position, open, opensAt, already } = event as QueuedEvent;
      if (context.emergency) {
        enqueue.assign({ emergency: false, advised: true, care: false });
        enqueue.emit(reply(open ? 'handoff:emergency' : 'handoff:emergencyClosed', noOptions, { position, opensAt }));
        if (context.care) enqueue.emit(reply('handoff:care'));
        return;
      }
      const key = already ? 'handoff:already' : open ? 'handoff:queued' : 'handoff:queuedClosed';
      enqueue.emit(reply(key, noOptions, { position, opensAt }));
    }),
    /** The answer to an emergency raised while waiting: the advice, once, worded by the hour. */
    sayEmergencyQueued: enqueueActions(({ context, enqueue, event }) => {
      if (!context.emergency) return;
      enqueue.assign({ emergency: false, care: false });
      if (!context.advised && context.stage !== 'claimed') {
        const { position, open, opensAt } = event as QueuedEvent;
        enqueue.assign({ advised: true, acknowledged: true });
        enqueue.emit(reply(open ? 'handoff:emergency' : 'handoff:emergencyClosed', noOptions, { position, opensAt }));
      }
      if (context.care) enqueue.emit(reply('handoff:care'));
    }),
    sayClaimed: enqueueActions(({ enqueue }) => {
      enqueue.assign({ stage: 'claimed' });
      enqueue.emit(reply('handoff:claimed', noOptions));
    }),
    sayReleased: enqueueActions(({ enqueue }) => {
      enqueue.assign({ stage: 'waiting', acknowledged: false });
      enqueue.emit(reply('handoff:released', noOptions));
    }),
    sayStillWaiting: enqueueActions(({ enqueue }) => {
      enqueue.emit(reply('handoff:stillWaiting', noOptions));
      enqueue.emit(effect({ name: 'handoff.overdue' }));
    }),
    acknowledgeOnce: enqueueActions(({ context, enqueue }) => {
      if (context.acknowledged) return;
      enqueue.assign({ acknowledged: true });
      enqueue.emit(reply('handoff:received', noOptions));
    }),
    sayHandoffHelp: emit(({ context }) =>
      reply(context.stage === 'claimed' ? 'handoff:helpWithStaff' : 'handoff:help', noOptions),
    ),
    sayAlready: emit(({ context }) =>
      reply(context.stage === 'claimed' ? 'handoff:withStaff' : 'handoff:already', noOptions),
    ),
    markLeavingForMenu: assign({ leaving: 'menu' }),
    markLeavingForCancel: assign({ leaving: 'cancel' }),
    askLeave: emit(({ context }) => {
      const claimed = context.stage === 'claimed';
      const forMenu = context.leaving === 'menu';
      const key = claimed
        ? forMenu
          ? 'handoff:confirmEndMenu'
          : 'handoff:confirmEnd'
        : forMenu
          ? 'handoff:confirmLeave'
          : 'handoff:confirmCancel';
      return reply(key, confirmLeaveOptions);
    }),
    /**
     * Leaves at once: the flow does not wait for the engine's `handoff.closed`, so a handoff the
     * engine no longer has can never keep the person in the queue.
     */
    leave: enqueueActions(({ context, enqueue, event }) => {
      const forMenu = event.type === 'global' ? event.word === 'menu' : context.leaving === 'menu';
      enqueue.assign({ thenMenu: forMenu });
      enqueue.emit(effect({ name: 'handoff.cancel' }));
      enqueue.emit(reply(context.stage === 'claimed' ? 'handoff:ended' : 'handoff:left', noOptions));
    }),
    sayStaying: emit(reply('handoff:staying', noOptions)),
    sayKept: enqueueActions(({ enqueue }) => {
      enqueue.assign({ acknowledged: true });
      enqueue.emit(reply('handoff:kept', noOptions));
    }),
    sayLeft: emit(reply('handoff:left', noOptions)),
    sayClosed: emit(reply('handoff:closed', noOptions)),
    promptLanguage: emit(reply('root:language.prompt', languageOptions)),
    setLanguage: enqueueActions(({ enqueue, event }) => {
      const locale: Locale = event.type === 'choice' && event.id === 'en' ? 'en' : 'ar';
      enqueue.emit(effect({ name: 'locale.set', locale }));
      enqueue.sendTo('dialog', { type: 'locale.changed', locale } satisfies InnerEvent);
      enqueue.emit(reply('root:language.chosen', noOptions));
    }),
    /** Back with the bot: the menu if asked for, otherwise the question it last asked. */
    resume: enqueueActions(({ context, enqueue }) => {
      if (context.thenMenu) enqueue.sendTo('dialog', { type: 'global', word: 'menu' });
      else if (context.lastPrompt) enqueue.emit(context.lastPrompt);
    }),
    rethrow: ({ event }) => {
      throw 'error' in event ? event.error : event;
    },
  },
  guards: {
    'isEmergency?': isWord('emergency'),
    // Small talk where a choice is asked: a typed answer (a name, a complaint) is never taken for it.
    // At the language question, words in a language are its answer («السلام عليكم» is Arabic).
    'isSmallTalkAtChoice?': ({ context, event }) => {
      const options = context.lastPrompt?.options ?? [];
      const languageQuestion = options.every((o) => languageOptions.some((l) => l.id === o.id));
      // One option alone («تخطي التعليق») is a way out of a typed answer, not a choice: as the edge reads it.
      // A longer sentence («الله يجزاكم خير على تعاملكم الطيب» at the topic of thanks) is for the flow to read.
      return (
        event.type === 'text' &&
        event.smallTalk !== undefined &&
        isBriefSmallTalk(event.text) &&
        options.length >= 2 &&
        !languageQuestion
      );
    },
    'asksAboutEmergencyServices?': ({ event }) => event.type === 'text' && event.asksAboutEmergencyServices === true,
    'isDescribing?': ({ context, event }) => context.describing === true && event.type === 'global' && !!event.text,
    'isLeaveWord?': isWord('cancel', 'back'),
    'isMenu?': isWord('menu'),
    'isMenuOrCancel?': isWord('menu', 'cancel'),
    'isStaff?': isWord('staff'),
    'isStaffOrBack?': isWord('staff', 'back'),
    'isHelp?': isWord('help'),
    'isLanguage?': isWord('language'),
    'isYes?': ({ event }) => event.type === 'choice' && event.id === 'yes',
    'isMenuChoice?': ({ event }) => event.type === 'choice' && event.id === 'menu',
    'isStaffChoice?': ({ event }) => event.type === 'choice' && event.id === 'staff',
    'isLanguageChoice?': ({ event }) => event.type === 'choice' && languageOptions.some((o) => o.id === event.id),
    'wasClaimed?': ({ context }) => context.stage === 'claimed',
    'closedByUser?': ({ event }) => (event as ClosedEvent).by === 'user',
    'isNoAnswerWhileWaiting?': ({ context, event }) =>
      context.stage === 'waiting' && event.type === 'timer' && event.key === handoffNoAnswerTimer,
    'isReviewTimer?': ({ event }) => event.type === 'timer' && reviewCaseId(event.key) !== undefined,
  },
}).createMachine({
  id: 'root',
  context: ({ input }) => ({
    locale: input.locale ?? 'ar',
    lastPrompt: undefined,
    handoffId: undefined,
    stage: 'waiting',
    thenMenu: false,
  }),
  invoke: {
    id: 'dialog',
    src: 'dialog',
    input: ({ context }) => ({ locale: context.locale }),
    // A child flow's failure must not go unnoticed: fail this turn, so the engine apologises.
    onError: { actions: 'rethrow' },
  },
  on: {
    reply: { actions: 'relay' },
    effect: { actions: 'relay' },
  },
  initial: 'bot',
  states: {
    bot: {
      on: {
        reply: { actions: ['relay', 'remember'] },
        global: [
          // Describing a long illness for an application: the words are the answer, with the advice.
          { guard: and(['isEmergency?', 'isDescribing?']), actions: ['describeToDialog', 'adviseOnly'] },
          { guard: 'isEmergency?', actions: 'requestEmergency' },
          { guard: 'isHelp?', actions: 'sayHelp' },
          { actions: 'toDialog' },
        ],
        describing: { actions: 'setDescribing' },
        choice: { actions: 'toDialog' },
        text: [
          { guard: 'isSmallTalkAtChoice?', actions: 'answerSmallTalk' },
          { guard: 'asksAboutEmergencyServices?', actions: ['sayNumbers', 'toDialog'] },
          { actions: 'toDialog' },
        ],
        media: { actions: 'toDialog' },
        location: { actions: 'toDialog' },
        contact: { actions: 'toDialog' },
        timer: { actions: 'toDialog' },
        ...Object.fromEntries(engineAnswers.map((type) => [type, { actions: 'toDialog' as const }])),
        'handoff.request': { actions: 'requestHandoff' },
        'handoff.queued': { target: 'handoff', actions: ['enterQueue', 'sayQueued'] },
        // The dialog asks for the rating now if the person is at the main menu, else at the next one.
        'case.served': { actions: 'toDialog' },
        'ticket.resolved': { actions: 'toDialog' },
      },
    },
    handoff: {
      initial: 'waiting',
      on: {
        global: [
          // Words of emergency end any question: the thread is flagged, the person advised once.
          { guard: and(['isEmergency?', 'wasClaimed?']), target: '.claimed', actions: 'raiseEmergencyWithStaff' },
          { guard: 'isEmergency?', target: '.waiting', actions: 'requestEmergency' },
          { guard: 'isLeaveWord?', target: '.confirmLeave', actions: 'markLeavingForCancel' },
          { guard: 'isMenu?', target: '.confirmLeave', actions: 'markLeavingForMenu' },
          { guard: 'isStaff?', actions: 'sayAlready' },
          { guard: 'isHelp?', actions: 'sayHandoffHelp' },
          { guard: 'isLanguage?', target: '.language' },
        ],
        'handoff.queued': { actions: 'sayEmergencyQueued' },
        'handoff.closed': [
          { guard: 'closedByUser?', target: 'bot', actions: ['sayLeft', 'resume'] },
          { target: 'rating', actions: ['sayClosed', 'keepRatedStaff'] },
        ],
        'case.served': { actions: 'deferRating' },
        'ticket.resolved': { actions: 'deferRating' },
        'handoff.claimed': { target: '.claimed', actions: 'sayClaimed' },
        'handoff.released': { target: '.waiting', actions: 'sayReleased' },
        timer: [
          { guard: 'isNoAnswerWhileWaiting?', actions: 'sayStillWaiting' },
          { guard: 'isReviewTimer?', actions: 'deferTimer' },
        ],
      },
      states: {
        /** In the queue: the first message is acknowledged, everything joins the thread for staff. */
        waiting: {
          on: {
            choice: [
              { guard: 'isMenuChoice?', target: 'confirmLeave', actions: 'markLeavingForMenu' },
              { guard: 'isStaffChoice?', actions: 'sayAlready' },
              { actions: 'acknowledgeOnce' },
            ],
            text: { actions: 'acknowledgeOnce' },
            media: { actions: 'acknowledgeOnce' },
            location: { actions: 'acknowledgeOnce' },
            contact: { actions: 'acknowledgeOnce' },
          },
        },
        /**
         * A staff member has the conversation: the bot does not interrupt. What the person sends,
         * numbers and pressed options too, is kept in the thread for the staff member to answer.
         */
        claimed: {},
        confirmLeave: {
          entry: 'askLeave',
          on: {
            choice: [{ guard: 'isYes?', actions: 'leave', target: 'leaving' }, ...backToStage('sayStaying')],
            // Not an answer: the question is dropped, the message kept for staff, and the person told so.
            text: backToStage('sayKept'),
            media: backToStage('sayKept'),
            location: backToStage('sayKept'),
            contact: backToStage('sayKept'),
            global: [
              // Saying a leaving word again is a yes; asking for staff or going back is a no.
              { guard: 'isMenuOrCancel?', actions: 'leave', target: 'leaving' },
              { guard: and(['isStaffOrBack?', 'wasClaimed?']), target: 'claimed', actions: 'sayStaying' },
              { guard: 'isStaffOrBack?', target: 'waiting', actions: 'sayStaying' },
            ],
          },
        },
        /** Changing the language in the queue or with staff, without leaving them. */
        language: {
          entry: 'promptLanguage',
          on: {
            choice: [
              { guard: and(['isLanguageChoice?', 'wasClaimed?']), target: 'claimed', actions: 'setLanguage' },
              { guard: 'isLanguageChoice?', target: 'waiting', actions: 'setLanguage' },
              ...backToStage('sayStaying'),
            ],
            text: backToStage('sayKept'),
            media: backToStage('sayKept'),
            location: backToStage('sayKept'),
            contact: backToStage('sayKept'),
          },
        },
        /** The person said yes: back with the bot, or first the rating if a staff member had helped. */
        leaving: {
          always: [
            { guard: 'wasClaimed?', target: '#root.rating' },
            { target: '#root.bot', actions: 'resume' },
          ],
        },
      },
    },
    rating: {
      invoke: {
        id: 'rating',
        src: 'rating',
        input: ({ context }): RatingItem & { askNow: boolean } => ({
          subject: 'handoff',
          subjectId: context.handoffId ?? 0,
          ...(context.ratedStaff !== undefined ? { staffUserId: context.ratedStaff } : {}),
          // A handoff closes once: its rating is asked at once.
          askNow: true,
        }),
        onDone: { target: 'bot', actions: 'resume' },
        onError: { actions: 'rethrow' },
      },
      on: {
        choice: { actions: 'toRating' },
        text: { actions: 'toRating' },
        media: { actions: 'toRating' },
        location: { actions: 'toRating' },
        contact: { actions: 'toRating' },
        timer: { guard: 'isReviewTimer?', actions: 'deferTimer' },
        'case.served': { actions: 'deferRating' },
        'ticket.resolved': { actions: 'deferRating' },
        global: [
          // An emergency is never lost to a rating question.
          { guard: 'isEmergency?', target: 'bot', actions: 'requestEmergency' },
          // "cancel" or "back" skips the rating: back where the person was.
          { guard: 'isLeaveWord?', actions: 'toRating' },
          // Any other word skips the rating and does what it always does.
          { target: 'bot', actions: 'toDialog' },
        ],
      },
    },
  },
});
