import { and, assign, sendParent, setup } from 'xstate';
import { readLastFour } from '../aidRequest/answers.ts';
import { asides } from '../asides.ts';
import {
  type CaseSummary,
  effect,
  type FlowEvent,
  handoffRequest,
  type Locale,
  noOptions,
  type OptionSpec,
  type Params,
  type Reply,
  reply,
  type SystemEvent,
} from '../events.ts';
import type { LocaleChanged } from '../innerEvents.ts';
import { type LookupSpec, lookupActions, lookupGuards, lookupStates } from '../lookup/referenceLookup.ts';
import { wordsOnly } from '../wordsOnly.ts';

/**
 * The stages an applicant may still withdraw from: before a decision (the case module's
 * `withdrawableStages`, which refuses the others whoever asks; here it only decides whether
 * the option is offered).
 */
export const withdrawableStages: readonly string[] = [
  'submitted',
  'under_research',
  'incomplete',
  'field_visit',
  'management_review',
];

/** The answer to "do you want to withdraw this request?". */
export const withdrawOptions: OptionSpec[] = [
  { id: 'yes', key: 'followUp:option.withdrawYes' },
  { id: 'no', key: 'followUp:option.withdrawNo' },
];

const withdrawOption: OptionSpec = { id: 'withdraw', key: 'followUp:option.withdraw' };
const anotherOption: OptionSpec = { id: 'another', key: 'followUp:option.another' };
const menuOption: OptionSpec = { id: 'menu', key: 'common:option.menu' };

interface FollowUpContext {
  locale: Locale;
  /** Whether the person can send photos and PDFs on this channel (not in the terminal chat). */
  files: boolean;
  /** This chat's own requests, newest first. */
  mine: CaseSummary[];
  /** A reference given and not yet looked up. */
  reference: string | undefined;
  lastFour: string | undefined;
  /** The request being followed. */
  current: CaseSummary | undefined;
  /** A complaint's reference (`C-…`) written here: the complaints flow follows it up. */
  ticketReference?: string | undefined;
  /** The person came to apply, not to follow up («ابغى اسجل طلب»): the application comes next. */
  applying?: boolean;
}

type FollowUpEvent = FlowEvent | LocaleChanged;

const textReference = (event: { type: string; reference?: string }) =>
  event.type === 'text' ? event.reference : undefined;
const isTicketReference = (event: FollowUpEvent) => textReference(event)?.startsWith('C') === true;

/** Finding the request: the chat's own, or any by its reference and the ID's last four digits. */
const lookup: LookupSpec<CaseSummary, FollowUpContext> = {
  ns: 'followUp',
  option: (c) => ({
    id: `case:${c.caseId}`,
    key: 'followUp:option.request',
    labels: { ar: `${c.reference} — ${c.aidType.ar}`, en: `${c.reference} — ${c.aidType.en}` },
  }),
  referenceIn: textReference,
  lookUp: (context) => ({ name: 'case.lookup', reference: context.reference ?? '', lastFour: context.lastFour ?? '' }),
  escapes: [
    { id: 'apply', key: 'root:menu.aid' },
    { id: 'staff', key: 'common:option.staff' },
    { id: 'menu', key: 'common:option.menu' },
  ],
};

/** The missing documents as a list, one a line, in the person's language. */
const listOf = (summary: CaseSummary, locale: Locale) => summary.missing.map((m) => `• ${m.names[locale]}`).join('\n');

/** The request's stage in plain words: what it means, since when, what comes next and by when. */
function status(summary: CaseSummary, locale: Locale): Reply {
  const params: Params = {
    reference: summary.reference,
    aidType: summary.aidType[locale],
    changedDate: summary.changedAt,
    dueDate: summary.dueAt,
    missing: listOf(summary, locale),
    reason: summary.reason ?? '',
    ...(summary.visitAt === undefined ? {} : { visitAt: summary.visitAt, visitDate: summary.visitAt }),
  };
  // Not the applicant's chat: what a printed receipt says, and where the rest is.
  if (summary.own === false) return reply(`followUp:receipt.${summary.stage}`, undefined, params);
  if (summary.stage === 'incomplete' && summary.missing.length === 0)
    return reply('followUp:incompleteNoItems', undefined, params);
  if (summary.stage === 'field_visit' && summary.visitAt === undefined)
    return reply('followUp:fieldVisitUnscheduled', undefined, params);
  if (summary.stage === 'rejected' && !summary.reason) return reply('followUp:rejectedNoReason', undefined, params);
  return reply(`followUp:stage.${summary.stage}`, undefined, params);
}

/** What can be done with the request now: withdraw it before a decision, follow another, or the menu. */
function actions(context: FollowUpContext): OptionSpec[] {
  const current = context.current;
  return [
    ...(current && current.own !== false && withdrawableStages.includes(current.stage) ? [withdrawOption] : []),
    anotherOption,
    menuOption,
  ];
}

const missingNow = (context: FollowUpContext) =>
  context.current?.own !== false &&
  context.current?.stage === 'incomplete' &&
  (context.current?.missing.length ?? 0) > 0;

/** The question after the status: send the first missing document here, or choose what next. */
function next(context: FollowUpContext): Reply {
  const current = context.current as CaseSummary;
  if (!missingNow(context)) return reply('followUp:whatNext', actions(context));
  if (!context.files) return reply('followUp:missingElsewhere', actions(context), { reference: current.reference });
  return reply('followUp:sendMissing', actions(context), {
    reference: current.reference,
    document: current.missing[0]?.names[context.locale] ?? '',
  });
}

/**
 * Following a request up. A chat that applied sees its own requests at once (choosing one when
 * there are several); anyone else gives the reference and the last four digits of the ID, and
 * the engine's lookup tells a mistyped reference from an unknown one (the same words whether
 * the reference or the digits are wrong) and cools down after repeated failures. The answer is
 * the stage in plain words, the date of the last change, what comes next and the date the
 * association answers by; missing documents can be sent right here, and a request not yet
 * decided can be withdrawn after a confirmation.
 */
export const followUpMachine = setup({
  types: {
    context: {} as FollowUpContext,
    input: {} as { locale?: Locale; reference?: string | undefined },
    events: {} as FollowUpEvent,
    output: {} as { next: 'menu' } | { next: 'aid' } | { next: 'complaint'; reference: string },
  },
  actions: {
    say: sendParent((_, params: { key: string }) => reply(params.key)),
    askProfile: sendParent(effect({ name: 'profile.phone' })),
    askMine: sendParent(effect({ name: 'cases.mine' })),
    keepProfile: assign({
      files: ({ event }) => (event as Extract<SystemEvent, { type: 'profile.phone' }>).files !== false,
    }),
    keepMine: assign({ mine: ({ event }) => (event as Extract<SystemEvent, { type: 'cases.list' }>).cases }),
    keepTicketReference: assign({ ticketReference: ({ event }) => textReference(event) }),
    keepApplying: assign({ applying: true }),
    askForStaff: sendParent(handoffRequest('asked')),
    keepLastFour: assign({ lastFour: ({ event }) => (event.type === 'text' ? readLastFour(event.text) : undefined) }),
    ...lookupActions<CaseSummary, FollowUpContext, FollowUpEvent>(lookup),
    promptLastFour: sendParent(({ context }) =>
      reply('followUp:ask.lastFour', noOptions, { reference: context.reference ?? '' }),
    ),
    sayStatus: sendParent(({ context }) => status(context.current as CaseSummary, context.locale)),
    promptNext: sendParent(({ context }) => next(context)),
    attach: sendParent(({ context, event }) =>
      effect({
        name: 'case.attach',
        caseId: context.current?.caseId ?? 0,
        mediaId: event.type === 'media' ? (event.mediaId ?? 0) : 0,
        ...(context.current?.missing[0] ? { documentTypeId: context.current.missing[0].id } : {}),
      }),
    ),
    sayAttached: sendParent(({ context }) => {
      const current = context.current as CaseSummary;
      if (current.missing.length === 0)
        return reply('followUp:attachedAll', actions(context), { reference: current.reference });
      return reply('followUp:attachedMore', actions(context), {
        reference: current.reference,
        missing: listOf(current, context.locale),
        document: current.missing[0]?.names[context.locale] ?? '',
      });
    }),
    sayFileNotNeeded: sendParent(({ context }) =>
      reply('followUp:fileNotNeeded', undefined, { reference: context.current?.reference ?? '' }),
    ),
    askWithdraw: sendParent(({ context }) =>
      reply('followUp:withdraw.confirm', withdrawOptions, { reference: context.current?.reference ?? '' }),
    ),
    withdraw: sendParent(({ context }) => effect({ name: 'case.withdraw', caseId: context.current?.caseId ?? 0 })),
    sayWithdrawn: sendParent(({ event }) => {
      const { reference, withdrawn } = event as Extract<SystemEvent, { type: 'case.withdrawn' }>;
      return reply(withdrawn ? 'followUp:withdraw.done' : 'followUp:withdraw.tooLate', undefined, { reference });
    }),
    sayKept: sendParent(({ context }) =>
      reply('followUp:withdraw.kept', undefined, { reference: context.current?.reference ?? '' }),
    ),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'locale.changed' ? event.locale : context.locale),
    }),
  },
  guards: {
    'isChoice?': ({ event }, params: { id: string }) => event.type === 'choice' && event.id === params.id,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
    ...lookupGuards(lookup),
    'isTicketReferenceText?': ({ event }) => isTicketReference(event),
    'asksToApply?': ({ event }) => event.type === 'text' && event.service === 'aid' && event.reference === undefined,
    'isLastFour?': ({ event }) => event.type === 'text' && readLastFour(event.text) !== undefined,
    'isMissingNow?': ({ context }) => missingNow(context),
    'isFile?': ({ event }) => event.type === 'media' && (event.kind === 'photo' || event.kind === 'document'),
    'isStored?': ({ event }) => event.type === 'media' && event.mediaId !== undefined,
    'isWithdrawable?': ({ context }) =>
      context.current?.own !== false && withdrawableStages.includes(context.current?.stage ?? ''),
  },
}).createMachine({
  id: 'followUp',
  context: ({ input }) => ({
    locale: input.locale ?? 'ar',
    files: true,
    mine: [],
    reference: input.reference,
    lastFour: undefined,
    current: undefined,
  }),
  initial: 'loading',
  on: wordsOnly,
  states: {
    /** Asks the engine whether files can be sent here, then for this chat's own requests. */
    loading: {
      initial: 'profile',
      states: {
        profile: { entry: 'askProfile', on: { 'profile.phone': { target: 'mine', actions: 'keepProfile' } } },
        mine: {
          entry: 'askMine',
          on: {
            'cases.list': { target: '#followUp.finding', actions: 'keepMine' },
          },
        },
      },
    },
    ...lookupStates({
      verify: 'askLastFour',
      textFirst: [
        { guard: 'isTicketReferenceText?', target: 'done', actions: 'keepTicketReference' },
        { guard: 'asksToApply?', target: 'done', actions: 'keepApplying' },
      ],
      escape: [
        { guard: { type: 'isChoice?', params: { id: 'apply' } }, target: 'done', actions: 'keepApplying' },
        { guard: { type: 'isChoice?', params: { id: 'staff' } }, actions: 'askForStaff' },
        { guard: { type: 'isChoice?', params: { id: 'menu' } }, target: 'done' },
      ],
      backFromReference: [
        { guard: and(['isBack?', 'hasAny?']), target: 'choosing' },
        { guard: 'isBack?', target: 'done' },
      ],
      found: 'case.found',
      notFound: 'case.notFound',
      // The request is on screen: a missing document, or withdrawing it.
      ready: {
        choice: [
          {
            guard: and([{ type: 'isChoice?', params: { id: 'withdraw' } }, 'isWithdrawable?']),
            target: 'confirmWithdraw',
          },
        ],
        other: {
          media: [
            { guard: and(['isMissingNow?', 'isFile?', 'isStored?']), target: 'attaching' },
            {
              guard: and(['isMissingNow?', 'isFile?']),
              actions: { type: 'say', params: { key: 'aid:fileNotReceived' } },
            },
            { guard: 'isMissingNow?', actions: { type: 'say', params: { key: 'followUp:photoOrPdf' } } },
            { actions: 'sayFileNotNeeded' },
          ],
        },
      },
    }),
    askLastFour: {
      entry: 'promptLastFour',
      on: {
        text: [
          { guard: 'isTicketReferenceText?', target: 'done', actions: 'keepTicketReference' },
          { guard: 'isLastFour?', target: 'lookingUp', actions: 'keepLastFour' },
          // A reference written again here is a new one to look up.
          { guard: 'isReferenceText?', target: 'finding', actions: 'keepReference' },
          ...asides('askLastFour'),
          { actions: { type: 'say', params: { key: 'followUp:invalid.lastFour' } } },
        ],
        global: { guard: 'isBack?', target: 'askReference' },
      },
    },
    showing: {
      entry: ['sayStatus', 'promptNext'],
      always: 'ready',
    },
    attaching: {
      entry: 'attach',
      on: { 'case.attached': { target: 'ready', actions: ['keepFound', 'sayAttached'] } },
    },
    confirmWithdraw: {
      entry: 'askWithdraw',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'yes' } }, target: 'withdrawing' },
          { target: 'ready', actions: ['sayKept', 'promptNext'] },
        ],
        // Anything but a clear yes keeps the request: withdrawing is never a guess.
        text: { target: 'ready', actions: ['sayKept', 'promptNext'] },
        global: { guard: 'isBack?', target: 'ready', actions: ['sayKept', 'promptNext'] },
      },
    },
    withdrawing: {
      entry: 'withdraw',
      on: { 'case.withdrawn': { target: 'done', actions: 'sayWithdrawn' } },
    },
    done: { type: 'final' },
  },
  output: ({ context }) =>
    context.ticketReference
      ? { next: 'complaint' as const, reference: context.ticketReference }
      : { next: context.applying ? ('aid' as const) : ('menu' as const) },
});
