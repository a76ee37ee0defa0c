import { assign, enqueueActions, sendParent, setup } from 'xstate';
import { incomeOptions } from '../aidRequest/aidRequestMachine.ts';
import { readDescription, readHouseholdSize, readIncome } from '../aidRequest/answers.ts';
import {
  type ApplicationAnswers,
  type CaseSummary,
  effect,
  type FlowEvent,
  type Locale,
  noOptions,
  type OptionSpec,
  reply,
  reviewTimerPrefix,
  type SystemEvent,
} from '../events.ts';
import { choiceOf, textOf } from '../eventWords.ts';
import type { LocaleChanged } from '../innerEvents.ts';
import { wordsOnly } from '../wordsOnly.ts';

/** The answer to "have your circumstances changed?". */
export const reviewOptions: OptionSpec[] = [
  { id: 'noChange', key: 'review:option.noChange' },
  { id: 'changed', key: 'review:option.changed' },
];

/** The case a periodic review timer is for (`case.review:<caseId>`), or undefined for another timer. */
export function reviewCaseId(key: string): number | undefined {
  if (!key.startsWith(reviewTimerPrefix)) return undefined;
  const id = Number(key.slice(reviewTimerPrefix.length));
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

interface ReviewContext {
  locale: Locale;
  caseId: number;
  /** The request under review, as this chat's own requests list it (for its reference). */
  summary: CaseSummary | undefined;
  /** What the person updated: household size, income, need. */
  answers: Pick<ApplicationAnswers, 'householdSize' | 'income' | 'description'>;
}

type ReviewEvent = FlowEvent | LocaleChanged;

/** The thanks at the end, with the request's reference when this chat's list has it. */
const thanks = (changed: boolean, summary: CaseSummary | undefined) => {
  if (!summary) return reply(changed ? 'review:thanksChangedFile' : 'review:thanksNoChangeFile');
  return reply(changed ? 'review:thanksChanged' : 'review:thanksNoChange', undefined, { reference: summary.reference });
};

/**
 * The periodic review of a permanent beneficiary (policy clause 6), when its durable timer
 * reaches the conversation: have their circumstances changed? "No change" renews the review;
 * "changed" asks for the household size, the income and the need again, and the research
 * department gets a review task with them. Never started in the middle of something else: the
 * dialog keeps it until the person is back at the menu.
 */
export const reviewMachine = setup({
  types: {
    context: {} as ReviewContext,
    input: {} as { locale?: Locale; caseId: number },
    events: {} as ReviewEvent,
    output: {} as { next: 'menu' },
  },
  actions: {
    say: sendParent((_, params: { key: string }) => reply(params.key)),
    askMine: sendParent(effect({ name: 'cases.mine' })),
    keepSummary: assign({
      summary: ({ context, event }) =>
        (event as Extract<SystemEvent, { type: 'cases.list' }>).cases.find((c) => c.caseId === context.caseId),
    }),
    askChanged: sendParent(({ context }) =>
      context.summary
        ? reply('review:ask', reviewOptions, {
            reference: context.summary.reference,
            aidType: context.summary.aidType[context.locale],
          })
        : reply('review:askFile', reviewOptions),
    ),
    askHousehold: sendParent(reply('review:householdSize', noOptions)),
    askIncome: sendParent(reply('review:income', incomeOptions)),
    askNeed: sendParent(reply('review:need', noOptions)),
    keepHousehold: assign({
      answers: ({ context, event }) => ({ ...context.answers, householdSize: readHouseholdSize(textOf(event)) }),
    }),
    keepIncome: assign({
      answers: ({ context, event }) => ({
        ...context.answers,
        income: incomeOptions.find((o) => o.id === choiceOf(event))?.id ?? readIncome(textOf(event)),
      }),
    }),
    keepNeed: assign({
      answers: ({ context, event }) => ({ ...context.answers, description: readDescription(textOf(event)) }),
    }),
    answerNoChange: enqueueActions(({ context, enqueue }) => {
      enqueue.sendParent(effect({ name: 'review.answer', caseId: context.caseId, changed: false }));
      enqueue.sendParent(thanks(false, context.summary));
    }),
    answerChanged: enqueueActions(({ context, enqueue }) => {
      enqueue.sendParent(
        effect({ name: 'review.answer', caseId: context.caseId, changed: true, answers: context.answers }),
      );
      enqueue.sendParent(thanks(true, context.summary));
    }),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'locale.changed' ? event.locale : context.locale),
    }),
  },
  guards: {
    'isChoice?': ({ event }, params: { id: string }) => choiceOf(event) === params.id,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
    'isHouseholdSize?': ({ event }) => readHouseholdSize(textOf(event)) !== undefined,
    'isIncome?': ({ event }) =>
      incomeOptions.some((o) => o.id === choiceOf(event)) || readIncome(textOf(event)) !== undefined,
    'isNeed?': ({ event }) => readDescription(textOf(event)) !== undefined,
  },
}).createMachine({
  id: 'review',
  context: ({ input }) => ({ locale: input.locale ?? 'ar', caseId: input.caseId, summary: undefined, answers: {} }),
  initial: 'loading',
  on: wordsOnly,
  states: {
    loading: {
      entry: 'askMine',
      on: { 'cases.list': { target: 'asking', actions: 'keepSummary' } },
    },
    asking: {
      entry: 'askChanged',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'noChange' } }, target: 'done', actions: 'answerNoChange' },
          { guard: { type: 'isChoice?', params: { id: 'changed' } }, target: 'householdSize' },
        ],
        text: { target: 'asking', reenter: true, actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        global: { guard: 'isBack?', target: 'done', actions: { type: 'say', params: { key: 'review:later' } } },
      },
    },
    householdSize: {
      entry: 'askHousehold',
      on: {
        text: [
          { guard: 'isHouseholdSize?', target: 'income', actions: 'keepHousehold' },
          { actions: { type: 'say', params: { key: 'aid:invalid.householdSize' } } },
        ],
        global: { guard: 'isBack?', target: 'asking' },
      },
    },
    income: {
      entry: 'askIncome',
      on: {
        choice: [
          { guard: 'isIncome?', target: 'need', actions: 'keepIncome' },
          { target: 'income', reenter: true, actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        text: [
          { guard: 'isIncome?', target: 'need', actions: 'keepIncome' },
          { actions: { type: 'say', params: { key: 'aid:invalid.income' } } },
        ],
        global: { guard: 'isBack?', target: 'householdSize' },
      },
    },
    need: {
      entry: 'askNeed',
      on: {
        text: [
          { guard: 'isNeed?', target: 'done', actions: ['keepNeed', 'answerChanged'] },
          { actions: { type: 'say', params: { key: 'aid:invalid.description' } } },
        ],
        global: { guard: 'isBack?', target: 'income' },
      },
    },
    done: { type: 'final' },
  },
  output: { next: 'menu' },
});
