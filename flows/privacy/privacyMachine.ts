import { assign, enqueueActions, sendParent, setup } from 'xstate';
import { readLastFour } from '../aidRequest/answers.ts';
import { asideGuards, asides, smallTalkAnswer, topicAnswer } from '../asides.ts';
import {
  type DataSummary,
  effect,
  type FlowEvent,
  handoffRequest,
  type Locale,
  noOptions,
  type OptionSpec,
  reply,
  type SystemEvent,
  type UserEvent,
} from '../events.ts';
import type { LocaleChanged } from '../innerEvents.ts';

/** What the person came for: what is held about them, or erasing it. */
export type PrivacyMode = 'myData' | 'deleteData';

type Text = Extract<UserEvent, { type: 'text' }>;

/**
 * How the flow ended: `consent` is `declined` once it was withdrawn (or the data erased); `again`
 * is something else the person wrote instead of choosing, for the dialog to take up.
 */
export interface PrivacyOutput {
  consent?: 'declined';
  again?: Text;
}

/** "Erase everything?" and "withdraw your consent?": a clear yes, or no. */
export const eraseOptions: OptionSpec[] = [
  { id: 'confirm', key: 'privacy:option.eraseYes' },
  { id: 'no', key: 'privacy:option.eraseNo' },
];
export const withdrawOptions: OptionSpec[] = [
  { id: 'confirm', key: 'privacy:option.withdrawYes' },
  { id: 'no', key: 'privacy:option.withdrawNo' },
];

const deleteOption: OptionSpec = { id: 'deleteData', key: 'privacy:option.deleteData' };
const withdrawOption: OptionSpec = { id: 'withdraw', key: 'privacy:option.withdraw' };
const menuOption: OptionSpec = { id: 'menu', key: 'common:option.menu' };

/** How many lines of requests and of tickets the summary lists (the newest); the rest are counted. */
const listed = 10;

/** Wrong ID digits the flow takes before it offers a person instead (the engine cools down too). */
const maxTries = 3;

interface PrivacyContext {
  locale: Locale;
  mode: PrivacyMode;
  /** The privacy consent as the dialog knows it: withdrawing is offered only when it was given. */
  consent: 'given' | 'declined' | undefined;
  noticeVersion: number;
  lastFour?: string;
  tries: number;
  withdrawn: boolean;
  again?: Text;
}

type PrivacyEvent = FlowEvent | LocaleChanged;
type Refused = Extract<SystemEvent, { type: 'privacy.refused' }>;

/** The summary's replies: counts, then each request and ticket with its stage, then the consents. */
function summaryReplies(summary: DataSummary) {
  const replies = [
    reply('privacy:summary.intro', undefined, {
      messages: summary.messages,
      documents: summary.documents,
      ratings: summary.ratings,
    }),
  ];
  if (summary.cases.length === 0 && summary.tickets.length === 0) replies.push(reply('privacy:summary.noRequests'));
  for (const row of summary.cases.slice(0, listed)) replies.push(reply('privacy:summary.case', undefined, row));
  for (const row of summary.tickets.slice(0, listed)) replies.push(reply('privacy:summary.ticket', undefined, row));
  const more = Math.max(0, summary.cases.length - listed) + Math.max(0, summary.tickets.length - listed);
  if (more > 0) replies.push(reply('privacy:summary.more', undefined, { more }));
  if (summary.draft) replies.push(reply('privacy:summary.draft'));
  const latest = (purpose: 'privacy' | 'health') => summary.consents.filter((c) => c.purpose === purpose).at(-1);
  for (const purpose of ['privacy', 'health'] as const) {
    const decision = latest(purpose);
    if (decision)
      replies.push(
        reply(`privacy:summary.consent.${purpose}.${decision.decision}`, undefined, { atDate: decision.at }),
      );
  }
  replies.push(reply('privacy:summary.notShown'));
  return replies;
}

/**
 * A person's rights over their data, in the chat (PDPL). «بياناتي» tells what is held about
 * them — counts, references and stages, consent decisions; no ID, phone, description of a need
 * or document name, since whoever holds the phone reads it — and offers to erase it or to
 * withdraw consent. «احذف بياناتي» says what is erased and what the law keeps, asks for a clear
 * yes, verifies (the ID's last four digits when a request from this chat gave one, otherwise the
 * platform account the message comes from), erases, and gives the request's reference and the
 * date by which staff finish what lies outside the chat. Withdrawing consent stops processing
 * beyond answering (drafts, reviews, notices).
 */
export const privacyMachine = setup({
  types: {
    context: {} as PrivacyContext,
    input: {} as {
      locale: Locale;
      mode: PrivacyMode;
      consent: 'given' | 'declined' | undefined;
      noticeVersion: number;
    },
    events: {} as PrivacyEvent,
    output: {} as PrivacyOutput,
  },
  actions: {
    say: sendParent((_, params: { key: string }) => reply(params.key)),
    askForStaff: sendParent(handoffRequest('asked')),
    answerTopic: sendParent(({ event }) => topicAnswer(event)),
    answerSmallTalk: sendParent(({ event }) => smallTalkAnswer(event)),
    askSummary: sendParent(effect({ name: 'privacy.summary' })),
    saySummary: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'privacy.summary') return;
      for (const line of summaryReplies(event.summary)) enqueue.sendParent(line);
      enqueue.sendParent(
        reply('privacy:summary.options', [
          deleteOption,
          ...(context.consent === 'given' && !context.withdrawn ? [withdrawOption] : []),
          menuOption,
        ]),
      );
    }),
    promptOptions: sendParent(({ context }) =>
      reply('privacy:summary.options', [
        deleteOption,
        ...(context.consent === 'given' && !context.withdrawn ? [withdrawOption] : []),
        menuOption,
      ]),
    ),
    askErase: sendParent(reply('privacy:erase.explain', eraseOptions)),
    askWithdraw: sendParent(reply('privacy:withdraw.explain', withdrawOptions)),
    withdraw: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ withdrawn: true });
      enqueue.sendParent(effect({ name: 'privacy.withdraw', noticeVersion: context.noticeVersion }));
      enqueue.sendParent(reply('privacy:withdraw.done'));
    }),
    askVerification: sendParent(effect({ name: 'privacy.verify' })),
    askLastFour: sendParent(reply('privacy:erase.askLastFour', noOptions)),
    keepLastFour: assign({ lastFour: ({ event }) => (event.type === 'text' ? readLastFour(event.text) : undefined) }),
    erase: sendParent(({ context }) =>
      effect({ name: 'privacy.erase', ...(context.lastFour ? { lastFour: context.lastFour } : {}) }),
    ),
    sayErased: enqueueActions(({ event, enqueue }) => {
      if (event.type !== 'privacy.erased') return;
      enqueue.assign({ withdrawn: true });
      enqueue.sendParent(reply('privacy:erase.done', undefined, { reference: event.reference, dueDate: event.dueAt }));
    }),
    countTry: assign({ tries: ({ context }) => context.tries + 1 }),
    sayRefused: sendParent(({ context, event }) => {
      const { reason, until } = event as Refused;
      if (reason === 'coolDown')
        return until === undefined
          ? reply('privacy:erase.coolDownLater')
          : reply('privacy:erase.coolDown', undefined, { untilAt: until });
      return context.tries >= maxTries ? reply('privacy:erase.giveUp') : reply('privacy:erase.mismatch', noOptions);
    }),
    /** Something else asked instead of a choice: the dialog takes it up. */
    keepAgain: assign({ again: ({ event }) => (event.type === 'text' ? event : undefined) }),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'locale.changed' ? event.locale : context.locale),
    }),
  },
  guards: {
    ...asideGuards,
    'wantsErasure?': ({ context }) => context.mode === 'deleteData',
    'isChoice?': ({ event }: { event: PrivacyEvent }, params: { id: string }) =>
      event.type === 'choice' && event.id === params.id,
    'asksErasure?': ({ event }) =>
      (event.type === 'text' && event.service === 'deleteData') ||
      (event.type === 'choice' && event.id === 'deleteData'),
    'asksSummary?': ({ event }) => event.type === 'text' && event.service === 'myData',
    'hasLastFour?': ({ event }) => event.type === 'text' && readLastFour(event.text) !== undefined,
    'byId?': ({ event }) => event.type === 'privacy.verification' && event.method === 'id',
    'isMismatch?': ({ context, event }) =>
      event.type === 'privacy.refused' && event.reason === 'mismatch' && context.tries + 1 < maxTries,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
  },
}).createMachine({
  id: 'privacy',
  context: ({ input }) => ({
    locale: input.locale,
    mode: input.mode,
    consent: input.consent,
    noticeVersion: input.noticeVersion,
    tries: 0,
    withdrawn: false,
  }),
  initial: 'start',
  on: { 'locale.changed': { actions: 'setLocale' } },
  states: {
    start: { always: [{ guard: 'wantsErasure?', target: 'confirmErase' }, { target: 'loading' }] },
    loading: {
      entry: 'askSummary',
      on: { 'privacy.summary': { target: 'summary', actions: 'saySummary' } },
    },
    /** What is held, with what can be done about it. */
    summary: {
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'deleteData' } }, target: 'confirmErase' },
          { guard: { type: 'isChoice?', params: { id: 'withdraw' } }, target: 'confirmWithdraw' },
          { target: 'done' },
        ],
        text: [
          { guard: 'asksErasure?', target: 'confirmErase' },
          { guard: 'asksSummary?', target: 'loading' },
          { target: 'done', actions: 'keepAgain' },
        ],
        global: { guard: 'isBack?', target: 'done' },
      },
    },
    confirmWithdraw: {
      entry: 'askWithdraw',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'confirm' } }, target: 'done', actions: 'withdraw' },
          { target: 'done', actions: { type: 'say', params: { key: 'privacy:withdraw.kept' } } },
        ],
        // A question is answered; anything else but a clear yes keeps the consent: withdrawing is never a guess.
        text: [
          ...asides('confirmWithdraw'),
          { target: 'done', actions: { type: 'say', params: { key: 'privacy:withdraw.kept' } } },
        ],
        global: { guard: 'isBack?', target: 'done' },
      },
    },
    /** What is erased and what the law keeps; a clear yes goes on. */
    confirmErase: {
      entry: 'askErase',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'confirm' } }, target: 'verifying' },
          { target: 'done', actions: { type: 'say', params: { key: 'privacy:erase.kept' } } },
        ],
        text: [
          ...asides('confirmErase'),
          { target: 'done', actions: { type: 'say', params: { key: 'privacy:erase.kept' } } },
        ],
        global: { guard: 'isBack?', target: 'done' },
      },
    },
    verifying: {
      entry: 'askVerification',
      on: {
        'privacy.verification': [{ guard: 'byId?', target: 'askLastFour' }, { target: 'erasing' }],
      },
    },
    /** The last four digits of the ID given in a request from this chat. */
    askLastFour: {
      entry: 'askLastFour',
      on: {
        text: [
          { guard: 'hasLastFour?', target: 'erasing', actions: 'keepLastFour' },
          { actions: { type: 'say', params: { key: 'privacy:erase.invalidLastFour' } } },
        ],
        choice: { actions: { type: 'say', params: { key: 'privacy:erase.invalidLastFour' } } },
        global: { guard: 'isBack?', target: 'done' },
      },
    },
    erasing: {
      entry: 'erase',
      on: {
        'privacy.erased': { target: 'done', actions: 'sayErased' },
        'privacy.refused': [
          { guard: 'isMismatch?', target: 'askLastFour', actions: ['countTry', 'sayRefused'], reenter: true },
          { target: 'done', actions: ['countTry', 'sayRefused'] },
        ],
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => ({
    ...(context.withdrawn ? { consent: 'declined' as const } : {}),
    ...(context.again ? { again: context.again } : {}),
  }),
});
