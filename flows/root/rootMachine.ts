import { assign, emit, enqueueActions, sendTo, setup } from 'xstate';
import { dialogMachine } from '../dialog/dialogMachine.ts';
import {
  effect,
  type FlowEvent,
  type FlowOutput,
  type HandoffRequest,
  type Locale,
  type Reply,
  reply,
  type SystemEvent,
} from '../events.ts';
import { ratingMachine } from '../rating/ratingMachine.ts';

/**
 * The version of the flows' shape. Bump it whenever a state is renamed, moved or removed in any
 * flow: snapshots written by another version are not restored; the user is told politely that
 * the conversation starts again.
 */
export const rootFlowVersion = 2;

/** Priority of a handoff asked for with words of emergency or distress. */
const emergencyPriority = 2;

type QueuedEvent = Extract<SystemEvent, { type: 'handoff.queued' }>;
type ClosedEvent = Extract<SystemEvent, { type: 'handoff.closed' }>;

interface RootContext {
  /** The language at the start, handed to the dialog. */
  locale: Locale;
  /** The last question the bot asked, asked again when a person hands the conversation back. */
  lastPrompt: Reply | undefined;
  handoffId: number | undefined;
  /** Where the handoff was before "menu" asked whether to leave it. */
  stage: 'waiting' | 'claimed';
  /** Set when the person chose to leave the handoff for the main menu. */
  thenMenu: boolean;
}

const isWord =
  (word: string) =>
  ({ event }: { event: FlowEvent | FlowOutput | HandoffRequest }) =>
    event.type === 'global' && event.word === word;

/**
 * The root of every conversation. The bot's dialog runs as a child that stays alive throughout;
 * this machine routes each event to it, or, while a person has the conversation, keeps the bot
 * silent: the person's messages join the staff thread, "cancel" leaves the queue, "menu" asks
 * first. When staff close, the person rates the help and is back exactly where they were.
 */
export const rootMachine = setup({
  types: {
    context: {} as RootContext,
    input: {} as { locale?: Locale },
    events: {} as FlowEvent | FlowOutput | HandoffRequest,
    emitted: {} as FlowOutput,
  },
  actors: { dialog: dialogMachine, rating: ratingMachine },
  actions: {
    relay: emit(({ event }) => event as FlowOutput),
    remember: assign({
      lastPrompt: ({ context, event }) => (event.type === 'reply' && event.options ? event : context.lastPrompt),
    }),
    toDialog: sendTo('dialog', ({ event }) => event),
    toRating: sendTo('rating', ({ event }) => event),
    requestHandoff: emit(({ event }) => {
      const request = event as HandoffRequest;
      return effect({ name: 'handoff.request', priority: request.priority, reason: request.reason });
    }),
    sayEmergency: enqueueActions(({ enqueue }) => {
      enqueue.emit(reply('handoff:emergency'));
      enqueue.emit(effect({ name: 'handoff.request', priority: emergencyPriority, reason: 'emergency' }));
    }),
    enterQueue: assign({
      handoffId: ({ event }) => (event as QueuedEvent).handoffId,
      stage: 'waiting',
      thenMenu: false,
    }),
    sayQueued: emit(({ event }) => {
      const { position, open, opensAt, already } = event as QueuedEvent;
      return reply(already ? 'handoff:already' : open ? 'handoff:queued' : 'handoff:queuedClosed', undefined, {
        position,
        opensAt,
      });
    }),
    sayClaimed: enqueueActions(({ enqueue }) => {
      enqueue.assign({ stage: 'claimed' });
      enqueue.emit(reply('handoff:claimed'));
    }),
    sayReleased: assign({ stage: 'waiting' }),
    sayStillWaiting: enqueueActions(({ enqueue }) => {
      enqueue.emit(reply('handoff:stillWaiting'));
      enqueue.emit(effect({ name: 'handoff.overdue' }));
    }),
    sayHandoffHelp: emit(reply('handoff:help')),
    sayAlready: emit(reply('handoff:already')),
    askLeave: emit(
      reply('handoff:confirmLeave', [
        { id: 'yes', key: 'handoff:option.yes' },
        { id: 'no', key: 'handoff:option.no' },
      ]),
    ),
    leave: emit(effect({ name: 'handoff.cancel' })),
    leaveForMenu: enqueueActions(({ enqueue }) => {
      enqueue.assign({ thenMenu: true });
      enqueue.emit(effect({ name: 'handoff.cancel' }));
    }),
    sayStaying: emit(reply('handoff:staying')),
    sayLeft: emit(reply('handoff:left')),
    sayClosed: emit(reply('handoff:closed')),
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
    'isCancel?': isWord('cancel'),
    'isMenu?': isWord('menu'),
    'isStaff?': isWord('staff'),
    'isHelp?': isWord('help'),
    'isYes?': ({ event }) => event.type === 'choice' && event.id === 'yes',
    'wasClaimed?': ({ context }) => context.stage === 'claimed',
    'closedByUser?': ({ event }) => (event as ClosedEvent).by === 'user',
    'isNoAnswerTimer?': ({ event }) => event.type === 'timer' && event.key === 'handoff.noAnswer',
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
        global: [{ guard: 'isEmergency?', actions: 'sayEmergency' }, { actions: 'toDialog' }],
        choice: { actions: 'toDialog' },
        text: { actions: 'toDialog' },
        media: { actions: 'toDialog' },
        location: { actions: 'toDialog' },
        contact: { actions: 'toDialog' },
        timer: { actions: 'toDialog' },
        'profile.phone': { actions: 'toDialog' },
        'handoff.request': { actions: 'requestHandoff' },
        'handoff.queued': { target: 'handoff', actions: ['enterQueue', 'sayQueued'] },
      },
    },
    handoff: {
      initial: 'waiting',
      on: {
        global: [
          { guard: 'isEmergency?', actions: 'sayEmergency' },
          { guard: 'isCancel?', actions: 'leave' },
          { guard: 'isMenu?', target: '.confirmLeave' },
          { guard: 'isStaff?', actions: 'sayAlready' },
          { guard: 'isHelp?', actions: 'sayHandoffHelp' },
        ],
        'handoff.closed': [
          { guard: 'closedByUser?', target: 'bot', actions: ['sayLeft', 'resume'] },
          { target: 'rating', actions: 'sayClosed' },
        ],
        'handoff.claimed': { target: '.claimed', actions: 'sayClaimed' },
        'handoff.released': { target: '.waiting', actions: 'sayReleased' },
        // Everything else the person sends is kept in the thread for staff; the bot stays silent.
      },
      states: {
        waiting: {
          on: { timer: { guard: 'isNoAnswerTimer?', actions: 'sayStillWaiting' } },
        },
        claimed: {},
        confirmLeave: {
          entry: 'askLeave',
          on: {
            choice: [
              { guard: 'isYes?', actions: 'leaveForMenu' },
              { guard: 'wasClaimed?', target: 'claimed', actions: 'sayStaying' },
              { target: 'waiting', actions: 'sayStaying' },
            ],
            text: [{ guard: 'wasClaimed?', target: 'claimed' }, { target: 'waiting' }],
          },
        },
      },
    },
    rating: {
      invoke: {
        id: 'rating',
        src: 'rating',
        input: ({ context }) => ({ subjectId: context.handoffId ?? 0 }),
        onDone: { target: 'bot', actions: 'resume' },
        onError: { actions: 'rethrow' },
      },
      on: {
        choice: { actions: 'toRating' },
        text: { actions: 'toRating' },
        global: { actions: 'toRating' },
        media: { actions: 'toRating' },
      },
    },
  },
});
