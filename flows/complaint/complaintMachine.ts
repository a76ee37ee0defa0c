import { and, assign, enqueueActions, not, sendParent, setup } from 'xstate';
import { isOnlyCourtesy } from '../aidRequest/answers.ts';
import { asides, freeTextAsides } from '../asides.ts';
import {
  type CatalogueItem,
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
  type TicketDraft,
  type TicketSummary,
} from '../events.ts';
import { choiceOf, normalizedOf, textOf, wordCount } from '../eventWords.ts';
import type { LocaleChanged } from '../innerEvents.ts';
import { type LookupSpec, lookupActions, lookupGuards, lookupStates } from '../lookup/referenceLookup.ts';
import { wordsOnly } from '../wordsOnly.ts';

/** What a person may send: a complaint, a suggestion, or thanks. */
export const kindOptions: OptionSpec[] = [
  { id: 'complaint', key: 'complaint:option.complaint' },
  { id: 'suggestion', key: 'complaint:option.suggestion' },
  { id: 'thanks', key: 'complaint:option.thanks' },
];

/** Following up what was sent before, offered when the chat has sent something. */
const followUpOption: OptionSpec = { id: 'followUp', key: 'complaint:option.followUp' };
const staffOption: OptionSpec = { id: 'staff', key: 'common:option.staff' };
const menuOption: OptionSpec = { id: 'menu', key: 'common:option.menu' };

/** The photo is optional. */
export const photoOptions: OptionSpec[] = [{ id: 'noPhoto', key: 'complaint:option.noPhoto' }];

/** A suggestion or thanks may be sent without the person's name (nobody can answer it then). */
export const anonymityOptions: OptionSpec[] = [
  { id: 'named', key: 'complaint:option.named' },
  { id: 'anonymous', key: 'complaint:option.anonymous' },
];

/** Whether a complaint needs attention today: an urgent one goes to the staff queue with priority. */
export const urgencyOptions: OptionSpec[] = [
  { id: 'urgent', key: 'complaint:option.urgent' },
  { id: 'notUrgent', key: 'complaint:option.notUrgent' },
];

/** The last question before sending. */
export const confirmOptions: OptionSpec[] = [
  { id: 'send', key: 'complaint:option.send' },
  { id: 'rewrite', key: 'complaint:option.rewrite' },
  { id: 'cancel', key: 'complaint:option.cancel' },
];

/** The answer to the privacy notice, asked of someone who declined it before sending their name. */
export const privacyOptions: OptionSpec[] = [
  { id: 'agree', key: 'root:consent.agree' },
  { id: 'decline', key: 'root:consent.decline' },
];

/** Thanks written in the person's own words, offered to be passed on to the team. */
export const thanksNoteOptions: OptionSpec[] = [{ id: 'send', key: 'complaint:option.passOn' }, menuOption];

/** After a resolved complaint's status: is it solved? */
export const solvedOptions: OptionSpec[] = [
  { id: 'solved', key: 'complaint:option.solved' },
  { id: 'notSolved', key: 'complaint:option.notSolved' },
  menuOption,
];

/** After a status: another one by its number, or the menu. */
export const afterStatusOptions: OptionSpec[] = [{ id: 'another', key: 'complaint:option.another' }, menuOption];

type Kind = TicketDraft['kind'];
const kinds: readonly string[] = kindOptions.map((o) => o.id);

/** Where the person came from: the menu (or an enquiry answer), or their own words. */
export type ComplaintEntry = 'menu' | 'words';

interface ComplaintContext {
  locale: Locale;
  entry: ComplaintEntry;
  /** Whether the person can send photos on this channel (not in the terminal chat). */
  files: boolean;
  consent: 'given' | 'declined' | undefined;
  /** The privacy notice's version, kept with a consent given here. */
  noticeVersion: number;
  /** Consent was given in this flow: the dialog is told when it ends. */
  consented: boolean;
  categories: CatalogueItem[];
  /** This chat's own tickets, newest first. */
  mine: TicketSummary[];
  draft: Partial<TicketDraft>;
  /** A reference given and not yet looked up. */
  reference: string | undefined;
  /** The ticket being followed. */
  current: TicketSummary | undefined;
  /** The category the person's words named, by code, until the categories are loaded. */
  categoryCode?: string | undefined;
  /** The draft was left unsent before and is taken up. */
  resumed: boolean;
  /** A note of thanks: sent once agreed to, without a summary. */
  quick?: boolean;
}

type ComplaintEvent = FlowEvent | LocaleChanged;
type Answer<T extends SystemEvent['type']> = Extract<SystemEvent, { type: T }>;

/** A complaint's reference written in a text (`C-…`); a request's (`A-…`) is not one. */
const ticketReference = (event: { type: string; reference?: string }) =>
  event.type === 'text' && event.reference?.startsWith('C') ? event.reference : undefined;

/** Finding what was sent: the chat's own, or anyone's by its reference (stage and dates only). */
const lookup: LookupSpec<TicketSummary, ComplaintContext> = {
  ns: 'complaint',
  option: (t) => ({
    id: `ticket:${t.ticketId}`,
    key: 'complaint:option.ticket',
    labels: { ar: `${t.reference} — ${t.category?.ar ?? ''}`, en: `${t.reference} — ${t.category?.en ?? ''}` },
  }),
  referenceIn: ticketReference,
  lookUp: (context) => ({ name: 'ticket.lookup', reference: context.reference ?? '' }),
  escapes: [staffOption, menuOption],
};

/** The kind a text asks to send in words («ابي اشتكي»: a complaint, «عندي اقتراح»: a suggestion). */
const kindInWords = (event: { type: string; service?: string }): Kind | undefined =>
  event.type === 'text'
    ? ({ complaint: 'complaint', suggestion: 'suggestion', praise: 'thanks' } as const)[event.service as string]
    : undefined;

/** A text worth sending: a few letters at least, and more than a greeting or thanks (unless thanks are sent). */
const isEnoughText = (text: string, normalized: string, kind?: Kind) =>
  (text.match(/[\p{L}\p{N}]/gu) ?? []).length >= 3 && (kind === 'thanks' || !isOnlyCourtesy(normalized));

/** A sentence of four words or more, written before it was asked for, is the text («ياليت يكون فيه توصيل…»). */
const tellsMore = (text: string, normalized: string, kind?: Kind) =>
  isEnoughText(text, normalized, kind) && wordCount(text) >= 4;

/** What the flow has to say about a ticket's stage: its heading, then where it stands. */
function statusReplies(summary: TicketSummary, locale: Locale) {
  const params: Params = {
    reference: summary.reference,
    category: summary.category?.[locale] ?? '',
    createdDate: summary.createdAt,
    changedDate: summary.changedAt,
    dueDate: summary.dueAt,
    resolution: summary.resolution ?? '',
  };
  const heading = summary.own ? `complaint:heading.${summary.kind}` : 'complaint:heading.other';
  const done = summary.stage === 'resolved' || summary.stage === 'closed';
  const stage =
    done && !summary.resolution ? `complaint:stage.${summary.stage}NoNote` : `complaint:stage.${summary.stage}`;
  return [reply(heading, undefined, params), reply(stage, undefined, params)];
}

/** Whether the person may say a resolved complaint of theirs is not solved. */
const mayReopen = (summary: TicketSummary | undefined) =>
  summary?.own === true && summary.kind === 'complaint' && summary.stage === 'resolved';

/**
 * Complaints, suggestions and thanks (the policy's first beneficiary right), and following them
 * up. The person chooses what they send, a category (staff configure them), writes it, may add a
 * photo; a suggestion or thanks may be sent without their name, a complaint never (it needs a way
 * to answer back: this chat); a complaint may be urgent. After a summary they get a reference and
 * the date an answer is expected by; an urgent complaint is put through to staff at once.
 * Following up: the chat's own tickets at once, or any by its reference (a mistyped one is said
 * to be one); a resolved complaint the person says is not solved is reopened.
 */
export const complaintMachine = setup({
  types: {
    context: {} as ComplaintContext,
    input: {} as {
      locale?: Locale;
      entry?: ComplaintEntry;
      /** What the person asked to send, in their words, and what they wrote, when it said enough. */
      kind?: Kind | undefined;
      text?: string | undefined;
      reference?: string | undefined;
      /** The category a grievance named, by code («التأخير»: `delay`), chosen once the categories are known. */
      category?: string | undefined;
      /** What was written and not sent before, when the person left for the menu: taken up where it was left. */
      draft?: Partial<TicketDraft> | undefined;
      consent?: 'given' | 'declined' | undefined;
      noticeVersion?: number;
    },
    events: {} as ComplaintEvent,
    output: {} as { next: 'menu'; consent?: 'given' },
  },
  actions: {
    ...lookupActions<TicketSummary, ComplaintContext, ComplaintEvent>(lookup),
    say: sendParent<ComplaintContext, ComplaintEvent, { key: string }, Reply, ComplaintEvent>((_, params) =>
      reply(params.key),
    ),
    askProfile: sendParent(effect({ name: 'profile.phone' })),
    askCategories: sendParent(effect({ name: 'ticketCategories.load' })),
    askMine: sendParent(effect({ name: 'tickets.mine' })),
    keepProfile: assign({ files: ({ event }) => (event as Answer<'profile.phone'>).files !== false }),
    keepCategories: assign({ categories: ({ event }) => (event as Answer<'ticketCategories'>).categories }),
    keepMine: assign({ mine: ({ event }) => (event as Answer<'tickets.list'>).tickets }),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'locale.changed' ? event.locale : context.locale),
    }),

    // ---- sending ----
    promptKind: sendParent(({ context }) =>
      reply(context.entry === 'words' ? 'complaint:ask.kindFromWords' : 'complaint:ask.kind', [
        ...kindOptions,
        ...(context.mine.length > 0 ? [followUpOption] : []),
        ...(context.entry === 'words' ? [staffOption] : []),
        menuOption,
      ]),
    ),
    askForStaff: sendParent(handoffRequest('asked')),
    // What was written when the complaint was asked for in words stays its text.
    keepKind: assign({ draft: ({ context, event }) => ({ text: context.draft.text, kind: choiceOf(event) as Kind }) }),
    keepKindInWords: assign({
      draft: ({ context, event }) => {
        const kind = kindInWords(event) as Kind;
        const text = tellsMore(textOf(event), normalizedOf(event), kind) ? { text: textOf(event).trim() } : {};
        return { ...context.draft, kind, ...text };
      },
    }),
    promptCategory: sendParent(({ context }) =>
      reply(
        'complaint:ask.category',
        context.categories.map((c) => ({ id: c.id, key: 'complaint:option.category', labels: c.names })),
      ),
    ),
    keepCategory: assign({ draft: ({ context, event }) => ({ ...context.draft, categoryId: choiceOf(event) }) }),
    keepNamedCategory: assign({
      draft: ({ context }) => ({
        ...context.draft,
        categoryId: context.categories.find((c) => c.code === context.categoryCode)?.id,
      }),
    }),
    promptText: sendParent(({ context }) => reply(`complaint:ask.text.${context.draft.kind}`, noOptions)),
    keepText: assign({ draft: ({ context, event }) => ({ ...context.draft, text: textOf(event).trim() }) }),
    keepPhoto: assign({
      draft: ({ context, event }) => ({
        ...context.draft,
        mediaId: event.type === 'media' ? event.mediaId : undefined,
      }),
    }),
    dropPhoto: assign({
      draft: ({ context }) => {
        const { mediaId: _m, ...rest } = context.draft;
        return rest;
      },
    }),
    promptPhoto: sendParent(reply('complaint:ask.photo', photoOptions)),
    promptAnonymity: sendParent(reply('complaint:ask.anonymous', anonymityOptions)),
    keepAnonymity: assign({
      draft: ({ context, event }) => ({ ...context.draft, anonymous: choiceOf(event) === 'anonymous' }),
    }),
    promptUrgency: sendParent(reply('complaint:ask.urgent', urgencyOptions)),
    keepUrgency: assign({
      draft: ({ context, event }) => ({ ...context.draft, urgent: choiceOf(event) === 'urgent' }),
    }),
    promptPrivacy: enqueueActions(({ enqueue }) => {
      enqueue.sendParent(reply('complaint:privacyFirst'));
      enqueue.sendParent(reply('root:consent.notice', privacyOptions));
    }),
    recordConsent: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ consent: 'given', consented: true });
      enqueue.sendParent(effect({ name: 'consent.record', decision: 'given', noticeVersion: context.noticeVersion }));
      enqueue.sendParent(reply('root:consent.given'));
    }),
    recordDecline: enqueueActions(({ context, enqueue }) => {
      enqueue.sendParent(
        effect({ name: 'consent.record', decision: 'declined', noticeVersion: context.noticeVersion }),
      );
      enqueue.sendParent(reply('complaint:privacyDeclined'));
    }),
    promptConfirm: enqueueActions(({ context, enqueue }) => {
      const { draft } = context;
      const chosen = context.categories.find((c) => c.id === draft.categoryId);
      const category = chosen?.names[context.locale] ?? '';
      // What is written about a staff member is never echoed: the chat may be opened by a colleague.
      const key = chosen?.aboutStaff ? 'complaint:summary.aboutStaff' : `complaint:summary.${draft.kind}`;
      enqueue.sendParent(reply(key, undefined, { category, text: draft.text ?? '' }));
      if (draft.mediaId !== undefined) enqueue.sendParent(reply('complaint:summary.photo'));
      if (draft.anonymous) enqueue.sendParent(reply('complaint:summary.anonymous'));
      if (draft.urgent) enqueue.sendParent(reply('complaint:summary.urgent'));
      enqueue.sendParent(reply('complaint:confirm', confirmOptions));
    }),
    askConfirmAgain: sendParent(reply('complaint:confirm', confirmOptions)),
    /** A note of thanks passed on as written: about the service, with the person's name, sent without a summary. */
    keepThanksNote: assign({
      draft: ({ context }) => ({
        ...context.draft,
        categoryId: (context.categories.find((c) => c.code === 'service') ?? context.categories[0])?.id,
        anonymous: false,
      }),
      quick: true,
    }),
    /** Sent, cancelled or declined: nothing is left to take up. */
    forgetDraft: assign({ draft: {} }),
    file: sendParent(({ context }) =>
      effect({
        name: 'ticket.file',
        ticket: {
          kind: context.draft.kind ?? 'complaint',
          categoryId: context.draft.categoryId ?? '',
          text: context.draft.text ?? '',
          ...(context.draft.mediaId === undefined ? {} : { mediaId: context.draft.mediaId }),
          ...(context.draft.anonymous ? { anonymous: true } : {}),
          ...(context.draft.urgent ? { urgent: true } : {}),
        },
      }),
    ),
    /**
     * The reference and the answer date. An urgent complaint put through to staff: the root hears
     * the queue's answer (and says the place in it); the reference is said again when the person
     * is back with the bot, with the way to the menu.
     */
    sayFiled: enqueueActions(({ context, enqueue, event }) => {
      const filed = event as Answer<'ticket.filed'>;
      const key = context.draft.anonymous ? 'complaint:filed.anonymous' : `complaint:filed.${context.draft.kind}`;
      const params = { reference: filed.reference, dueDate: filed.dueAt };
      if (!filed.urgent) {
        enqueue.sendParent(reply(key, undefined, params));
        return;
      }
      enqueue.sendParent(reply(key, filed.queued ? [menuOption] : undefined, params));
      if (!filed.queued) {
        enqueue.sendParent(reply('complaint:urgentNoted'));
        return;
      }
      enqueue.sendParent(reply('complaint:urgentQueued'));
      enqueue.sendParent({ type: 'handoff.queued', ...filed.queued });
    }),

    // ---- following up ----
    sayStatus: enqueueActions(({ context, enqueue }) => {
      for (const r of statusReplies(context.current as TicketSummary, context.locale)) enqueue.sendParent(r);
    }),
    promptNext: sendParent(({ context }) =>
      mayReopen(context.current)
        ? reply('complaint:ask.solved', solvedOptions)
        : reply('complaint:whatNext', afterStatusOptions),
    ),
    promptWhy: sendParent(reply('complaint:ask.whyNotSolved', noOptions)),
    reopen: sendParent(({ context, event }) =>
      effect({
        name: 'ticket.reopen',
        ticketId: context.current?.ticketId ?? 0,
        ...(isEnoughText(textOf(event), normalizedOf(event)) ? { note: textOf(event).trim() } : {}),
      }),
    ),
    sayReopened: sendParent(({ event }) => {
      const { reference, reopened } = event as Answer<'ticket.reopened'>;
      return reply(reopened ? 'complaint:reopened' : 'complaint:notReopened', undefined, { reference });
    }),
  },
  guards: {
    'isChoice?': ({ event }: { event: ComplaintEvent }, params: { id: string }) => choiceOf(event) === params.id,
    'isKind?': ({ event }) => kinds.includes(choiceOf(event)),
    'isCategory?': ({ context, event }) => context.categories.some((c) => c.id === choiceOf(event)),
    'isComplaint?': ({ context }) => context.draft.kind === 'complaint',
    'hasKind?': ({ context }) => context.draft.kind !== undefined,
    'namesCategory?': ({ context }) =>
      context.categoryCode !== undefined && context.categories.some((c) => c.code === context.categoryCode),
    'hasText?': ({ context }) => context.draft.text !== undefined,
    'hasCategory?': ({ context }) => context.draft.categoryId !== undefined,
    'isResumed?': ({ context }) => context.resumed,
    'isQuick?': ({ context }) => context.quick === true,
    'isThanksNote?': ({ context }) =>
      context.entry === 'words' && context.draft.kind === 'thanks' && context.draft.text !== undefined,
    /** The last question before the summary was answered: whether it is urgent, or sent with the name. */
    'hasDecided?': ({ context }) => context.draft.urgent !== undefined || context.draft.anonymous !== undefined,
    'isAnonymous?': ({ context }) => context.draft.anonymous === true,
    'hasConsent?': ({ context }) => context.consent === 'given',
    'canSendFiles?': ({ context }) => context.files,
    'hasPhoto?': ({ context }) => context.draft.mediaId !== undefined,
    'isBack?': ({ event }) => event.type === 'global' && event.word === 'back',
    'isEnoughText?': ({ context, event }) => isEnoughText(textOf(event), normalizedOf(event), context.draft.kind),
    'namesKind?': ({ event }) => kindInWords(event) !== undefined,
    'tellsMore?': ({ context, event }) => tellsMore(textOf(event), normalizedOf(event), context.draft.kind),
    'isPhoto?': ({ event }) => event.type === 'media' && event.kind === 'photo',
    'isStored?': ({ event }) => event.type === 'media' && event.mediaId !== undefined,
    'isQueued?': ({ event }) => (event as Answer<'ticket.filed'>).queued !== undefined,
    ...lookupGuards(lookup),
    'mayReopen?': ({ context }) => mayReopen(context.current),
  },
}).createMachine({
  id: 'complaint',
  context: ({ input }) => ({
    locale: input.locale ?? 'ar',
    entry: input.entry ?? 'menu',
    files: true,
    consent: input.consent,
    noticeVersion: input.noticeVersion ?? 1,
    consented: false,
    categories: [],
    mine: [],
    draft: input.draft ?? { ...(input.kind ? { kind: input.kind } : {}), ...(input.text ? { text: input.text } : {}) },
    resumed: input.draft !== undefined,
    reference: input.reference,
    current: undefined,
    categoryCode: input.category,
  }),
  output: ({ context }) => ({ next: 'menu' as const, ...(context.consented ? { consent: 'given' as const } : {}) }),
  initial: 'loading',
  on: wordsOnly,
  states: {
    /** Whether photos can be sent here, the categories, and what this chat sent before. */
    loading: {
      initial: 'profile',
      states: {
        profile: { entry: 'askProfile', on: { 'profile.phone': { target: 'categories', actions: 'keepProfile' } } },
        categories: {
          entry: 'askCategories',
          on: { ticketCategories: { target: 'mine', actions: 'keepCategories' } },
        },
        mine: { entry: 'askMine', on: { 'tickets.list': { target: '#complaint.start', actions: 'keepMine' } } },
      },
    },
    start: {
      always: [
        { guard: 'hasReference?', target: 'finding' },
        { guard: 'isResumed?', target: 'resuming' },
        { guard: 'isThanksNote?', target: 'thanksNote' },
        { guard: and(['hasKind?', 'namesCategory?']), target: 'afterCategory', actions: 'keepNamedCategory' },
        { guard: 'hasKind?', target: 'category' },
        { target: 'kind' },
      ],
    },
    kind: {
      entry: 'promptKind',
      on: {
        choice: [
          { guard: 'isKind?', target: 'category', actions: 'keepKind' },
          { guard: { type: 'isChoice?', params: { id: 'followUp' } }, target: 'finding' },
          { guard: { type: 'isChoice?', params: { id: 'staff' } }, actions: 'askForStaff' },
          { guard: { type: 'isChoice?', params: { id: 'menu' } }, target: 'done' },
        ],
        text: [
          { guard: 'isReferenceText?', target: 'finding', actions: 'keepReference' },
          ...freeTextAsides('kind'),
          // «ابي اشتكي», or the complaint itself: its kind is taken, and what it says kept as its text.
          { guard: 'namesKind?', target: 'category', actions: 'keepKindInWords' },
          {
            guard: 'tellsMore?',
            target: 'kind',
            reenter: true,
            actions: ['keepText', { type: 'say', params: { key: 'complaint:textKept' } }],
          },
          ...asides('kind'),
          { target: 'kind', reenter: true, actions: { type: 'say', params: { key: 'common:notUnderstood' } } },
        ],
        global: { guard: 'isBack?', target: 'done' },
      },
    },
    category: {
      entry: 'promptCategory',
      on: {
        choice: { guard: 'isCategory?', target: 'afterCategory', actions: 'keepCategory' },
        text: [
          ...freeTextAsides('category'),
          {
            guard: 'tellsMore?',
            target: 'category',
            reenter: true,
            actions: ['keepText', { type: 'say', params: { key: 'complaint:textKept' } }],
          },
          ...asides('category'),
          { target: 'category', reenter: true, actions: { type: 'say', params: { key: 'common:notUnderstood' } } },
        ],
        global: { guard: 'isBack?', target: 'kind' },
      },
    },
    /**
     * Thanks written before anything was asked («الله يجزيكم الجنة على تعاونكم»): acknowledged, and
     * passed on to the team with the person's name in one tap (their consent asked if not given).
     */
    thanksNote: {
      entry: sendParent(reply('complaint:thanksNote', thanksNoteOptions)),
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'send' } }, target: 'gate', actions: 'keepThanksNote' },
          { target: 'done' },
        ],
        text: [
          ...asides('thanksNote'),
          {
            target: 'thanksNote',
            reenter: true,
            actions: { type: 'say', params: { key: 'common:notUnderstood' } },
          },
        ],
      },
    },
    /** Taken up where it was left: the summary when every question was answered, else the next question. */
    resuming: {
      entry: { type: 'say', params: { key: 'complaint:resumed' } },
      always: [
        { guard: 'hasDecided?', target: 'gate' },
        { guard: 'hasCategory?', target: 'afterText' },
        { target: 'category' },
      ],
    },
    /** What they wrote when they asked is their text (the summary shows it, and they may rewrite it). */
    afterCategory: {
      always: [{ guard: 'hasText?', target: 'afterText' }, { target: 'text' }],
    },
    /** What they want to say, in their words; a photo sent first is kept for the next question. */
    text: {
      entry: 'promptText',
      on: {
        text: [
          ...freeTextAsides('text'),
          { guard: 'isYesOrNo?', actions: { type: 'say', params: { key: 'complaint:invalid.text' } } },
          { guard: 'isEnoughText?', target: 'afterText', actions: 'keepText' },
          { actions: { type: 'say', params: { key: 'complaint:invalid.text' } } },
        ],
        media: [
          {
            guard: and(['isPhoto?', 'isStored?', 'canSendFiles?']),
            actions: ['keepPhoto', { type: 'say', params: { key: 'complaint:photoFirst' } }],
          },
          { actions: { type: 'say', params: { key: 'complaint:invalid.text' } } },
        ],
        global: { guard: 'isBack?', target: 'category' },
      },
    },
    afterText: {
      always: [{ guard: and(['canSendFiles?', not('hasPhoto?')]), target: 'photo' }, { target: 'afterPhoto' }],
    },
    photo: {
      entry: 'promptPhoto',
      on: {
        media: [
          {
            guard: and(['isPhoto?', 'isStored?']),
            target: 'afterPhoto',
            actions: ['keepPhoto', { type: 'say', params: { key: 'complaint:photoReceived' } }],
          },
          { guard: 'isPhoto?', actions: { type: 'say', params: { key: 'complaint:photoNotReceived' } } },
          { actions: { type: 'say', params: { key: 'complaint:photoOnly' } } },
        ],
        choice: { guard: { type: 'isChoice?', params: { id: 'noPhoto' } }, target: 'afterPhoto' },
        text: [
          { guard: 'saysNone?', target: 'afterPhoto' },
          ...asides('photo'),
          { target: 'photo', reenter: true, actions: { type: 'say', params: { key: 'common:notUnderstood' } } },
        ],
        global: { guard: 'isBack?', target: 'text', actions: 'dropPhoto' },
      },
    },
    afterPhoto: {
      always: [{ guard: 'isComplaint?', target: 'urgency' }, { target: 'anonymity' }],
    },
    /** A suggestion or thanks only: a complaint needs a way to answer back. */
    anonymity: {
      entry: 'promptAnonymity',
      on: {
        choice: {
          guard: ({ event }) => anonymityOptions.some((o) => o.id === choiceOf(event)),
          target: 'gate',
          actions: 'keepAnonymity',
        },
        text: [
          ...asides('anonymity'),
          { target: 'anonymity', reenter: true, actions: { type: 'say', params: { key: 'common:notUnderstood' } } },
        ],
        global: { guard: 'isBack?', target: 'text' },
      },
    },
    urgency: {
      entry: 'promptUrgency',
      on: {
        choice: {
          guard: ({ event }) => urgencyOptions.some((o) => o.id === choiceOf(event)),
          target: 'gate',
          actions: 'keepUrgency',
        },
        text: [
          ...asides('urgency'),
          { target: 'urgency', reenter: true, actions: { type: 'say', params: { key: 'common:notUnderstood' } } },
        ],
        global: { guard: 'isBack?', target: 'text' },
      },
    },
    /** What is sent with the person's name is kept and answered here: that needs their consent. */
    gate: {
      always: [
        { guard: and(['isQuick?', 'hasConsent?']), target: 'filing' },
        { guard: 'isAnonymous?', target: 'confirm' },
        { guard: 'hasConsent?', target: 'confirm' },
        { target: 'privacy' },
      ],
    },
    privacy: {
      entry: 'promptPrivacy',
      on: {
        choice: [
          {
            guard: and([{ type: 'isChoice?', params: { id: 'agree' } }, 'isQuick?']),
            target: 'filing',
            actions: 'recordConsent',
          },
          { guard: { type: 'isChoice?', params: { id: 'agree' } }, target: 'confirm', actions: 'recordConsent' },
          {
            guard: { type: 'isChoice?', params: { id: 'decline' } },
            target: 'done',
            actions: ['recordDecline', 'forgetDraft'],
          },
        ],
        text: { target: 'privacy', reenter: true, actions: { type: 'say', params: { key: 'common:notUnderstood' } } },
        global: { guard: 'isBack?', target: 'text' },
      },
    },
    confirm: {
      entry: 'promptConfirm',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'send' } }, target: 'filing' },
          { guard: { type: 'isChoice?', params: { id: 'rewrite' } }, target: 'text' },
          {
            guard: { type: 'isChoice?', params: { id: 'cancel' } },
            target: 'done',
            actions: [{ type: 'say', params: { key: 'complaint:cancelled' } }, 'forgetDraft'],
          },
        ],
        // Asked again without the summary above it: the person has just read it. A new text
        // written here replaces the old one; a plain «لا» is told how to change or cancel it.
        text: [
          { guard: 'asksForStaff?', actions: 'askForStaff' },
          { guard: 'asksBriefly?', actions: ['answerTopic', 'askConfirmAgain'] },
          { guard: 'tellsMore?', target: 'confirm', reenter: true, actions: 'keepText' },
          {
            guard: 'isYesOrNo?',
            actions: [{ type: 'say', params: { key: 'complaint:notSentYet' } }, 'askConfirmAgain'],
          },
          { guard: 'asksTopic?', actions: ['answerTopic', 'askConfirmAgain'] },
          { guard: 'isSmallTalk?', actions: ['answerSmallTalk', 'askConfirmAgain'] },
          { actions: [{ type: 'say', params: { key: 'common:notUnderstood' } }, 'askConfirmAgain'] },
        ],
        global: [
          { guard: and(['isBack?', 'isComplaint?']), target: 'urgency' },
          { guard: 'isBack?', target: 'anonymity' },
        ],
      },
    },
    filing: {
      entry: 'file',
      on: {
        'ticket.filed': [
          { guard: 'isQueued?', target: 'withStaff', actions: ['sayFiled', 'forgetDraft'] },
          { target: 'done', actions: ['sayFiled', 'forgetDraft'] },
        ],
      },
    },
    /**
     * An urgent complaint: the person is with staff now (the root has them). Back with the bot,
     * whatever they send next leads to the menu.
     */
    withStaff: {
      on: { choice: 'done', text: 'done', media: 'done', location: 'done', contact: 'done', global: 'done' },
    },

    // ---- following up ----
    ...lookupStates({
      verify: 'lookingUp',
      textFirst: [],
      backFromReference: { guard: 'isBack?', target: 'done' },
      escape: [
        { guard: { type: 'isChoice?', params: { id: 'staff' } }, actions: 'askForStaff' },
        { guard: { type: 'isChoice?', params: { id: 'menu' } }, target: 'done' },
      ],
      found: 'ticket.found',
      notFound: 'ticket.notFound',
      ready: {
        choice: [
          { guard: and([{ type: 'isChoice?', params: { id: 'notSolved' } }, 'mayReopen?']), target: 'why' },
          {
            guard: { type: 'isChoice?', params: { id: 'solved' } },
            target: 'done',
            actions: { type: 'say', params: { key: 'complaint:gladSolved' } },
          },
        ],
        other: {},
      },
    }),
    showing: {
      entry: ['sayStatus', 'promptNext'],
      always: 'ready',
    },
    /** Not solved: what is still wrong, in their words, goes with the reopening. */
    why: {
      entry: 'promptWhy',
      on: {
        text: { target: 'reopening' },
        global: { guard: 'isBack?', target: 'showing' },
      },
    },
    reopening: {
      entry: 'reopen',
      on: { 'ticket.reopened': { target: 'done', actions: 'sayReopened' } },
    },
    done: { type: 'final' },
  },
});
