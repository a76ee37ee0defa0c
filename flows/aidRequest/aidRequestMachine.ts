import { and, assign, enqueueActions, not, sendParent, setup } from 'xstate';
import { smallTalkAnswer, topicAnswer } from '../asides.ts';
import {
  type ApplicationAnswers,
  type CatalogueItem,
  type DescribingNotice,
  effect,
  type FlowEvent,
  type Locale,
  noOptions,
  type OptionSpec,
  type Relationship,
  type Reply,
  reply,
  type SystemEvent,
} from '../events.ts';
import { choiceOf, normalizedOf, textOf } from '../eventWords.ts';
import type { LocaleChanged } from '../innerEvents.ts';
import {
  documentsAnswered,
  fieldToChange,
  incomeBands,
  isOnlyCourtesy,
  isTalk,
  localDigits,
  localMobile,
  readDescription,
  readHouseholdSize,
  readIncome,
  readMobile,
  readName,
  readNationalId,
  readPlace,
  readRelationship,
  requiredDocuments,
} from './answers.ts';

/** The version of the health-data consent text (`aid:ask.healthConsent`), kept with each decision. */
export const healthNoticeVersion = 1;

/**
 * The answers the summary lists and «تعديل بيان» offers, in this order; the relationship and the
 * patient's name only in a request for a family member.
 */
export const summaryFields = [
  'name',
  'relationship',
  'patientName',
  'nationalId',
  'phone',
  'city',
  'householdSize',
  'income',
  'aidType',
  'description',
  'documents',
] as const;

/** An answer the summary lists. */
export type SummaryField = (typeof summaryFields)[number];

/** Every question of the intake, each a state of the machine of the same name. */
export type Step = 'resume' | 'reuse' | 'healthConsent' | SummaryField | 'cityOther' | 'summary' | 'change';

/** The questions in the order they are asked («رجوع» goes one up this list). */
const order: readonly Step[] = ['healthConsent', ...summaryFields, 'summary'];

/** The answer to "use the name, ID and mobile of your last application?". */
export const reuseOptions: OptionSpec[] = [
  { id: 'useSaved', key: 'aid:option.useSaved' },
  { id: 'enterNew', key: 'aid:option.enterNew' },
];

/** The answer to the health-data consent. */
export const healthConsentOptions: OptionSpec[] = [
  { id: 'agree', key: 'aid:option.agree' },
  { id: 'decline', key: 'aid:option.decline' },
];

/** The choice offered when an unfinished application is waiting. */
export const resumeOptions: OptionSpec[] = [
  { id: 'continue', key: 'aid:option.continue' },
  { id: 'startOver', key: 'aid:option.startOver' },
];

/** The answer to "do you want to cancel your application?". */
export const cancelOptions: OptionSpec[] = [
  { id: 'yes', key: 'aid:option.cancelYes' },
  { id: 'no', key: 'aid:option.cancelNo' },
];

/** The monthly income bands, offered beside a typed amount. */
export const incomeOptions: OptionSpec[] = incomeBands.map((band) => ({ id: `band:${band}`, key: `aid:band.${band}` }));

/**
 * The summary's options: send the request, declaring the data correct (policy clause 4), or
 * change something (then the answers, one option each).
 */
export const summaryOptions: OptionSpec[] = [
  { id: 'submit', key: 'aid:option.submit' },
  { id: 'change', key: 'aid:option.change' },
];

/** The answers a request asks, one option each, to change from the summary. */
const editOptions = (answers: ApplicationAnswers): OptionSpec[] =>
  summaryFields
    .filter((field) => applies(field, answers))
    .map((field) => ({ id: `edit:${field}`, key: `aid:edit.${field}` }));

/** The answer to "who is the patient to you?". */
export const relationshipOptions: OptionSpec[] = (
  ['parent', 'child', 'spouse', 'sibling', 'other'] as const satisfies readonly Relationship[]
).map((r) => ({ id: `relationship:${r}`, key: `aid:relationship.${r}` }));

const laterOption: OptionSpec = { id: 'later', key: 'aid:option.later' };
const allLaterOption: OptionSpec = { id: 'allLater', key: 'aid:option.allLater' };
const forFamilyOption: OptionSpec = { id: 'forFamily', key: 'aid:option.forFamily' };
const platformPhoneOption: OptionSpec = { id: 'platformPhone', key: 'aid:option.platformPhone' };
const otherCityOption: OptionSpec = { id: 'otherCity', key: 'aid:option.otherCity' };

/** The lists staff configure: what may be asked for, the documents, the cities. */
export interface Catalogue {
  aidTypes: CatalogueItem[];
  documents: CatalogueItem[];
  cities: CatalogueItem[];
}

interface AidContext {
  locale: Locale;
  catalogue: Catalogue;
  /** The sender's own mobile as the platform reports it (WhatsApp), offered as a one-tap answer. */
  platformPhone: string | undefined;
  /** Whether the person can send photos and PDFs on this channel (not in the terminal chat). */
  files: boolean;
  answers: ApplicationAnswers;
  /** An unfinished application found at the start, until the person chooses to continue it. */
  draft: ApplicationAnswers | undefined;
  /** The question being asked (or to ask again after a cancel that was not confirmed). */
  step: Step;
  /** The required document being asked for, while `step` is `documents`. */
  documentIndex: number;
  /** An answer is being edited from the summary: the summary comes next. */
  fromSummary: boolean;
  /** An earlier answer is being corrected in the middle of the form («ابي اغير الجوال»): the question to come back to. */
  resumeAt?: Step | undefined;
  /** This chat's last application's name, ID and mobile, offered instead of asking again. */
  saved?: { name: string; nationalId: string; phone: string } | undefined;
  /** The consent to health data given in this chat stands: not asked again. */
  healthConsentStands?: boolean;
}

type AidEvent = FlowEvent | LocaleChanged;
type TextEvent = Extract<FlowEvent, { type: 'text' }>;
type Params = { step: Step };

const cityId = (id: string) => `city:${id}`;
const aidTypeId = (id: string) => `aidType:${id}`;
const nameIn = (item: CatalogueItem | undefined, locale: Locale) => item?.names[locale] ?? '';

/** Whether a question already has an answer (a resumed draft goes to the first that has none). */
function answered(step: Step, answers: ApplicationAnswers, catalogue: Catalogue): boolean {
  switch (step) {
    case 'healthConsent':
      return answers.healthConsent === true;
    case 'city':
      return (
        answers.city !== undefined && (answers.city.startsWith('other:') || hasItem(catalogue.cities, answers.city))
      );
    case 'aidType':
      return hasItem(catalogue.aidTypes, answers.aidTypeId);
    case 'documents':
      return documentsAnswered(answers, catalogue.documents);
    case 'relationship':
    case 'name':
    case 'patientName':
    case 'nationalId':
    case 'phone':
    case 'householdSize':
    case 'income':
    case 'description':
      return answers[step] !== undefined;
    default:
      return false;
  }
}

const hasItem = (items: readonly CatalogueItem[], id: string | undefined) => items.some((i) => i.id === id);

/** The relationship and the patient's name belong to a request for a family member only. */
const applies = (step: Step, answers: ApplicationAnswers) =>
  (step !== 'relationship' && step !== 'patientName') || answers.forFamily === true;

/** Whether a question is asked: it applies, and the documents only when the catalogue asks for some. */
function asked(step: Step, { answers, catalogue }: Pick<AidContext, 'answers' | 'catalogue'>): boolean {
  return applies(step, answers) && (step !== 'documents' || requiredDocuments(catalogue.documents).length > 0);
}

function firstUnanswered(answers: ApplicationAnswers, catalogue: Catalogue): Step {
  return order.find((s) => asked(s, { answers, catalogue }) && !answered(s, answers, catalogue)) ?? 'summary';
}

/**
 * The question after `step` in the order; `cityOther` is the city's second half. The relationship
 * is skipped when the words that chose a family member named it («لابوي»).
 */
function after(step: Step, context: AidContext): Step {
  const from = order.indexOf(step === 'cityOther' ? 'city' : step);
  const skipped = (s: Step) => s === 'relationship' && context.answers.relationship !== undefined;
  return order.slice(from + 1).find((s) => asked(s, context) && !skipped(s)) ?? 'summary';
}

/** The question before `step` in the order, or undefined at the first one. */
function before(step: Step, context: AidContext): Step | undefined {
  if (step === 'cityOther') return 'city';
  if (step === 'change') return 'summary';
  const to = order.indexOf(step);
  return to <= 0 ? undefined : order.slice(0, to).findLast((s) => asked(s, context));
}

/** Moves on to the next question, or back to the summary when an answer was edited from it. */
function advance(context: AidContext): Partial<AidContext> {
  if (
    context.step === 'documents' &&
    context.documentIndex + 1 < requiredDocuments(context.catalogue.documents).length
  ) {
    return { documentIndex: context.documentIndex + 1 };
  }
  if (context.fromSummary) return { step: 'summary' };
  if (context.resumeAt) return { step: context.resumeAt, resumeAt: undefined, documentIndex: 0 };
  return { step: after(context.step, context), documentIndex: 0 };
}

/** The question, with its options, as asked now. */
function question(context: AidContext): Reply {
  const { locale, catalogue, answers } = context;
  switch (context.step) {
    case 'resume':
      return reply('aid:ask.resume', resumeOptions);
    case 'reuse': {
      const saved = context.saved ?? { name: '', nationalId: '', phone: '' };
      return reply('aid:ask.reuse', reuseOptions, {
        name: saved.name,
        lastFour: localDigits(saved.nationalId.slice(-4), locale),
        phone: localDigits(localMobile(saved.phone), locale),
      });
    }
    case 'healthConsent':
      return reply('aid:ask.healthConsent', healthConsentOptions);
    // For a family member, the applicant's own name; else theirs, or the way to apply for a relative.
    case 'name':
      return answers.forFamily ? reply('aid:ask.applicantName', noOptions) : reply('aid:ask.name', [forFamilyOption]);
    case 'relationship':
      return reply('aid:ask.relationship', relationshipOptions);
    case 'nationalId':
      return reply(answers.forFamily ? 'aid:ask.patientId' : 'aid:ask.nationalId', noOptions);
    case 'phone':
      return context.platformPhone
        ? reply('aid:ask.phoneOrPlatform', [platformPhoneOption], {
            phone: localDigits(localMobile(context.platformPhone), locale),
          })
        : reply('aid:ask.phone', noOptions);
    case 'city':
      return reply('aid:ask.city', [
        ...catalogue.cities.map((c) => ({ id: cityId(c.id), key: 'aid:option.listed', labels: c.names })),
        otherCityOption,
      ]);
    case 'income':
      return reply('aid:ask.income', incomeOptions);
    case 'aidType':
      return reply(
        'aid:ask.aidType',
        catalogue.aidTypes.map((a) => ({ id: aidTypeId(a.id), key: 'aid:option.listed', labels: a.names })),
      );
    case 'documents': {
      const documents = requiredDocuments(catalogue.documents);
      const more = context.documentIndex + 1 < documents.length;
      return reply('aid:ask.document', more ? [laterOption, allLaterOption] : [laterOption], {
        document: nameIn(documents[context.documentIndex], locale),
        number: localDigits(String(context.documentIndex + 1), locale),
        total: localDigits(String(documents.length), locale),
      });
    }
    case 'summary':
      // The need is a health detail: the summary is marked as the person's answer is.
      return {
        ...reply(
          answers.forFamily ? 'aid:summary.family' : 'aid:summary.self',
          summaryOptions,
          summaryParams(answers, catalogue, locale),
        ),
        flag: 'health',
      };
    case 'change':
      return reply('aid:ask.change', editOptions(answers));
    default:
      return reply(`aid:ask.${context.step}`, noOptions);
  }
}

/** Every answer written out for the summary, in the person's language. */
function summaryParams(answers: ApplicationAnswers, catalogue: Catalogue, locale: Locale): Record<string, string> {
  const city = answers.city ?? '';
  const income = answers.income ?? '';
  const documents = requiredDocuments(catalogue.documents);
  const sent = documents.filter((d) => answers.documents?.some((a) => a.documentTypeId === d.id && a.mediaId)).length;
  return {
    name: answers.name ?? '',
    patientName: answers.patientName ?? '',
    relationshipKey: `aid:relationship.${answers.relationship ?? 'other'}`,
    nationalId: localDigits(answers.nationalId ?? '', locale),
    phone: localDigits(localMobile(answers.phone ?? ''), locale),
    city: city.startsWith('other:')
      ? city.slice('other:'.length)
      : nameIn(
          catalogue.cities.find((c) => c.id === city),
          locale,
        ),
    householdSize: localDigits(String(answers.householdSize ?? ''), locale),
    // The income line nests the band's own text, or the amount in riyals.
    incomeKey: income.startsWith('band:') ? `aid:band.${income.slice('band:'.length)}` : 'aid:riyals',
    amount: localDigits(income, locale),
    aidType: nameIn(
      catalogue.aidTypes.find((a) => a.id === answers.aidTypeId),
      locale,
    ),
    description: answers.description ?? '',
    sent: localDigits(String(sent), locale),
    total: localDigits(String(documents.length), locale),
  };
}

/**
 * What a text that does not answer the question may be instead, tried before saying it is no
 * answer: a correction of another answer («ابي اغير رقم الجوال»: that question, then this one
 * again), a global word asked for in a sentence (staff, the menu, cancel…: acted on where the
 * person is, the answers so far kept), a question about the association (answered, then the
 * question asked again), small talk (answered likewise), or another service (the application
 * is kept for when they come back).
 */
const asides = [
  { guard: 'isEdit?', target: 'route', actions: 'startEdit' },
  { guard: 'saysGlobal?', actions: 'passGlobal' },
  { guard: 'asksTopic?', target: 'route', actions: 'answerTopic' },
  { guard: 'isSmallTalk?', target: 'route', actions: 'answerSmallTalk' },
  { guard: 'asksService?', target: 'route', actions: { type: 'say', params: { key: 'aid:otherService' } } },
] as const;

/**
 * An application for in-kind aid, entirely in the chat: the health-data consent, then name,
 * national ID or Iqama, mobile, city, household size, income, the aid asked for and why, the
 * documents (a photo or PDF each, or later), the declaration of policy clause 4, a summary where
 * any answer can be changed by its number, and the request submitted for a reference and the
 * date the association answers by. Every answer is kept as a draft outside the conversation, so
 * the person can continue days later or after an update; «رجوع» goes one question back and
 * «إلغاء» asks before throwing the application away.
 */
export const aidRequestMachine = setup({
  types: {
    context: {} as AidContext,
    input: {} as { locale?: Locale },
    events: {} as AidEvent,
    output: {} as { next: 'menu' },
  },
  actions: {
    ask: sendParent(({ context }) => question(context)),
    say: sendParent((_, params: { key: string }) => reply(params.key)),
    loadCatalogue: sendParent(effect({ name: 'catalogue.load' })),
    askProfile: sendParent(effect({ name: 'profile.phone', applicant: true })),
    loadDraft: sendParent(effect({ name: 'draft.load' })),
    saveDraft: sendParent(({ context }) => effect({ name: 'draft.save', answers: context.answers })),
    clearDraft: sendParent(effect({ name: 'draft.clear' })),
    keepCatalogue: assign({
      catalogue: ({ event }) => {
        const { aidTypes, documents, cities } = event as Extract<SystemEvent, { type: 'catalogue' }>;
        return { aidTypes, documents, cities };
      },
    }),
    keepProfile: assign(({ event }) => {
      const { phone, files, saved, healthConsent } = event as Extract<SystemEvent, { type: 'profile.phone' }>;
      return {
        platformPhone: phone === undefined ? undefined : readMobile(phone),
        files: files !== false,
        saved,
        healthConsentStands: healthConsent === true,
      };
    }),
    keepDraft: assign({ draft: ({ event }) => (event as Extract<SystemEvent, { type: 'draft.loaded' }>).answers }),
    continueDraft: enqueueActions(({ context, enqueue }) => {
      const answers = context.draft ?? {};
      enqueue.assign({
        answers,
        draft: undefined,
        step: firstUnanswered(answers, context.catalogue),
        documentIndex: 0,
      });
      enqueue.sendParent(reply('aid:resumed'));
    }),
    startOver: enqueueActions(({ enqueue }) => {
      enqueue.assign({ answers: {}, draft: undefined, step: 'healthConsent', documentIndex: 0 });
      enqueue.sendParent(effect({ name: 'draft.clear' }));
      enqueue.sendParent(reply('aid:intro'));
    }),
    startFresh: enqueueActions(({ context, enqueue }) => {
      // A consent to health data that stands is not asked again; the last application's details are offered.
      const answers = context.healthConsentStands ? { healthConsent: true } : {};
      enqueue.assign({ answers, step: context.saved ? 'reuse' : firstUnanswered(answers, context.catalogue) });
      enqueue.sendParent(reply('aid:intro'));
    }),
    useSaved: assign(({ context }) => {
      const { name, nationalId, phone } = context.saved ?? {};
      const answers = { ...context.answers, name, nationalId, phone };
      return { answers, step: firstUnanswered(answers, context.catalogue) };
    }),
    enterNew: assign(({ context }) => ({ step: firstUnanswered(context.answers, context.catalogue) })),
    setLocale: assign({
      locale: ({ context, event }) => (event.type === 'locale.changed' ? event.locale : context.locale),
    }),
    advance: assign(({ context }) => advance(context)),
    goTo: assign((_, params: Params) => ({ step: params.step })),
    stepBack: assign(({ context }) => {
      if (context.fromSummary) return { step: 'summary' as Step, fromSummary: false };
      if (context.step === 'documents' && context.documentIndex > 0)
        return { documentIndex: context.documentIndex - 1 };
      const step = before(context.step, context) ?? context.step;
      const last = Math.max(0, requiredDocuments(context.catalogue.documents).length - 1);
      return { step, documentIndex: step === 'documents' ? last : 0 };
    }),
    startEdit: assign(({ context, event }) => {
      const field = (choiceOf(event).slice('edit:'.length) || fieldToChange(normalizedOf(event))) as SummaryField;
      // From the summary, back to it; from a question, back to that question once corrected.
      const fromSummary = context.step === 'summary' || context.step === 'change';
      return { step: field as Step, fromSummary, resumeAt: fromSummary ? undefined : context.step, documentIndex: 0 };
    }),
    // The summary is long: a miss asks for the choice again, with the options, not the whole summary.
    askSummaryChoice: sendParent(reply('aid:chooseOption', summaryOptions)),
    leaveSummary: assign({ fromSummary: false }),
    answer: assign({
      answers: ({ context, event }, params: Params) => ({ ...context.answers, ...read(params.step, context, event) }),
    }),
    giveHealthConsent: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ answers: { ...context.answers, healthConsent: true } });
      enqueue.sendParent(
        effect({ name: 'consent.record', decision: 'given', noticeVersion: healthNoticeVersion, purpose: 'health' }),
      );
    }),
    declineHealthConsent: enqueueActions(({ enqueue }) => {
      enqueue.sendParent(
        effect({ name: 'consent.record', decision: 'declined', noticeVersion: healthNoticeVersion, purpose: 'health' }),
      );
      enqueue.sendParent(effect({ name: 'draft.clear' }));
      enqueue.sendParent(reply('aid:healthDeclined'));
    }),
    keepDocument: assign({
      answers: ({ context, event }) => {
        const document = requiredDocuments(context.catalogue.documents)[context.documentIndex];
        if (!document) return context.answers;
        const mediaId = event.type === 'media' ? event.mediaId : undefined;
        const others = (context.answers.documents ?? []).filter((d) => d.documentTypeId !== document.id);
        const entry =
          mediaId === undefined
            ? { documentTypeId: document.id, later: true }
            : { documentTypeId: document.id, mediaId };
        return { ...context.answers, documents: [...others, entry] };
      },
    }),
    sayDocumentReceived: sendParent(({ context }) =>
      reply('aid:documentReceived', undefined, {
        document: nameIn(requiredDocuments(context.catalogue.documents)[context.documentIndex], context.locale),
      }),
    ),
    // Every document not sent yet is for later; the next question is the one after the documents.
    allLater: assign(({ context }) => {
      const required = requiredDocuments(context.catalogue.documents);
      const sent = (context.answers.documents ?? []).filter((d) => d.mediaId !== undefined);
      const documents = required.map(
        (d) => sent.find((s) => s.documentTypeId === d.id) ?? { documentTypeId: d.id, later: true },
      );
      return { answers: { ...context.answers, documents }, documentIndex: Math.max(0, required.length - 1) };
    }),
    sayDocumentsElsewhere: sendParent(({ context }) =>
      reply('aid:documentsElsewhere', undefined, {
        documents: requiredDocuments(context.catalogue.documents)
          .map((d) => `• ${nameIn(d, context.locale)}`)
          .join('\n'),
      }),
    ),
    // «الطلب لأحد أفراد أسرتي», or a relative named («لابوي»): who they are, when the words say it.
    chooseFamily: assign(({ context, event }) => {
      const relationship = readRelationship(normalizedOf(event));
      return { answers: { ...context.answers, forFamily: true, ...(relationship ? { relationship } : {}) } };
    }),
    acceptDeclaration: assign({ answers: ({ context }) => ({ ...context.answers, declaration: true }) }),
    submit: sendParent(({ context }) => effect({ name: 'case.submit', answers: context.answers })),
    saySubmitted: enqueueActions(({ context, enqueue, event }) => {
      const { reference, dueAt } = event as Extract<SystemEvent, { type: 'case.submitted' }>;
      enqueue.sendParent(reply('aid:submitted', undefined, { reference, dueDate: dueAt }));
      if (context.answers.documents?.some((d) => d.later))
        enqueue.sendParent(reply('aid:documentsLater', undefined, { reference }));
    }),
    sayDuplicate: sendParent(({ context, event }) => {
      const { summary } = event as Extract<SystemEvent, { type: 'case.duplicate' }>;
      if (!summary) return reply('aid:duplicateElsewhere');
      return reply('aid:duplicate', undefined, {
        reference: summary.reference,
        stage: summary.stage,
        aidType: summary.aidType[context.locale],
      });
    }),
    askCancel: sendParent(reply('aid:cancel.confirm', cancelOptions)),
    // Heard by the dialog as if said alone: staff, help and the language there; cancel, back and the menu back here.
    passGlobal: sendParent(({ event }) => ({ type: 'global', word: (event as TextEvent).global ?? 'help' })),
    answerTopic: sendParent(({ event }) => topicAnswer(event)),
    answerSmallTalk: sendParent(({ event }) => smallTalkAnswer(event)),
    sayPaused: enqueueActions(({ context, enqueue }) => {
      if (Object.keys(context.answers).length > 0) enqueue.sendParent(reply('aid:paused'));
    }),
  },
  guards: {
    'isStep?': ({ context }, params: Params) => context.step === params.step,
    'isChoice?': ({ event }, params: { id: string }) => choiceOf(event) === params.id,
    'isWord?': ({ event }, params: { word: string }) => event.type === 'global' && event.word === params.word,
    'hasDraft?': ({ event }) => {
      const { answers } = event as Extract<SystemEvent, { type: 'draft.loaded' }>;
      return answers !== undefined && Object.keys(answers).length > 0;
    },
    'isFirstQuestion?': ({ context }) => !context.fromSummary && before(context.step, context) === undefined,
    'isValid?': ({ context, event }, params: Params) => read(params.step, context, event) !== undefined,
    'saysGlobal?': ({ event }) => talk(event)?.global !== undefined,
    'asksTopic?': ({ event }) => talk(event)?.topic !== undefined,
    'isSmallTalk?': ({ event }) => talk(event)?.smallTalk !== undefined,
    'asksService?': ({ event }) => talk(event)?.service !== undefined,
    'isMistypedId?': ({ event }) => {
      const reading = readNationalId(textOf(event));
      return 'problem' in reading && reading.problem === 'checksum';
    },
    'isEdit?': ({ event }) => choiceOf(event).startsWith('edit:') || fieldToChange(normalizedOf(event)) !== undefined,
    'namesRelative?': ({ context, event }) =>
      !context.answers.forFamily && readRelationship(normalizedOf(event)) !== undefined,
    'isFile?': ({ event }) => event.type === 'media' && (event.kind === 'photo' || event.kind === 'document'),
    'isStored?': ({ event }) => event.type === 'media' && event.mediaId !== undefined,
    'canSendFiles?': ({ context }) => context.files,
    'isComplete?': ({ context }) => firstUnanswered(context.answers, context.catalogue) === 'summary',
  },
}).createMachine({
  id: 'aid',
  context: ({ input }) => ({
    locale: input.locale ?? 'ar',
    catalogue: { aidTypes: [], documents: [], cities: [] },
    platformPhone: undefined,
    files: true,
    answers: {},
    draft: undefined,
    step: 'healthConsent',
    documentIndex: 0,
    fromSummary: false,
  }),
  initial: 'loading',
  on: {
    'locale.changed': { actions: 'setLocale' },
    global: [
      { guard: { type: 'isWord?', params: { word: 'cancel' } }, target: '.confirmCancel' },
      { guard: and([{ type: 'isWord?', params: { word: 'back' } }, 'isFirstQuestion?']), target: '.done' },
      { guard: { type: 'isWord?', params: { word: 'back' } }, target: '.route', actions: 'stepBack' },
      { guard: { type: 'isWord?', params: { word: 'menu' } }, target: '.done', actions: 'sayPaused' },
    ],
    // A file sent before the documents step: thanked for, and the question asked again.
    media: { target: '.route', actions: { type: 'say', params: { key: 'aid:fileLater' } } },
    location: { target: '.route', actions: { type: 'say', params: { key: 'aid:notExpected' } } },
    contact: { target: '.route', actions: { type: 'say', params: { key: 'aid:notExpected' } } },
    choice: { target: '.route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
  },
  states: {
    /** Asks the engine, one after the other, for the catalogue, the sender's phone and a draft. */
    loading: {
      initial: 'catalogue',
      // Nothing is asked yet: words other than the global ones wait for the first question.
      on: { text: {}, choice: {}, media: {}, location: {}, contact: {} },
      states: {
        catalogue: { entry: 'loadCatalogue', on: { catalogue: { target: 'profile', actions: 'keepCatalogue' } } },
        profile: { entry: 'askProfile', on: { 'profile.phone': { target: 'draft', actions: 'keepProfile' } } },
        draft: {
          entry: 'loadDraft',
          on: {
            'draft.loaded': [
              {
                guard: 'hasDraft?',
                target: '#aid.route',
                actions: ['keepDraft', { type: 'goTo', params: { step: 'resume' } }],
              },
              { target: '#aid.route', actions: 'startFresh' },
            ],
          },
        },
      },
    },
    /** Asks the question of `step`: every question is reached through here. */
    route: {
      always: (
        [
          'resume',
          'reuse',
          'healthConsent',
          ...summaryFields,
          'cityOther',
          'summary',
          'change',
        ] as const satisfies readonly Step[]
      ).map((step) => ({ guard: { type: 'isStep?' as const, params: { step } }, target: step })),
    },
    resume: {
      entry: 'ask',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'continue' } }, target: 'route', actions: 'continueDraft' },
          { guard: { type: 'isChoice?', params: { id: 'startOver' } }, target: 'route', actions: 'startOver' },
        ],
        text: [...asides, { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } }],
      },
    },
    reuse: {
      entry: 'ask',
      on: {
        choice: [
          {
            guard: { type: 'isChoice?', params: { id: 'useSaved' } },
            target: 'route',
            actions: ['useSaved', 'saveDraft'],
          },
          { guard: { type: 'isChoice?', params: { id: 'enterNew' } }, target: 'route', actions: 'enterNew' },
        ],
        text: [...asides, { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } }],
      },
    },
    healthConsent: {
      entry: 'ask',
      on: {
        choice: [
          {
            guard: { type: 'isChoice?', params: { id: 'agree' } },
            target: 'route',
            actions: ['giveHealthConsent', 'advance', 'saveDraft'],
          },
          { guard: { type: 'isChoice?', params: { id: 'decline' } }, target: 'done', actions: 'declineHealthConsent' },
        ],
        text: [...asides, { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } }],
      },
    },
    name: {
      entry: 'ask',
      on: {
        choice: [
          {
            guard: { type: 'isChoice?', params: { id: 'forFamily' } },
            target: 'route',
            actions: ['chooseFamily', 'saveDraft'],
          },
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        text: [
          { guard: 'namesRelative?', target: 'route', actions: ['chooseFamily', 'saveDraft'] },
          ...saveIfValid('name'),
          ...asides,
          { target: 'route', actions: { type: 'say', params: { key: 'aid:invalid.name' } } },
        ],
      },
    },
    relationship: {
      entry: 'ask',
      on: {
        choice: [
          ...saveIfValid('relationship'),
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        text: [
          ...saveIfValid('relationship'),
          ...asides,
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
      },
    },
    patientName: textQuestion('patientName', 'aid:invalid.name'),
    nationalId: {
      entry: 'ask',
      on: {
        text: [
          ...saveIfValid('nationalId'),
          ...asides,
          {
            guard: 'isMistypedId?',
            target: 'route',
            actions: { type: 'say', params: { key: 'aid:invalid.idMistyped' } },
          },
          { target: 'route', actions: { type: 'say', params: { key: 'aid:invalid.idFormat' } } },
        ],
      },
    },
    phone: {
      entry: 'ask',
      on: {
        choice: [
          { guard: { type: 'isChoice?', params: { id: 'platformPhone' } }, ...save('phone') },
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        text: [
          ...saveIfValid('phone'),
          ...asides,
          { target: 'route', actions: { type: 'say', params: { key: 'aid:invalid.phone' } } },
        ],
        contact: [
          ...saveIfValid('phone'),
          { target: 'route', actions: { type: 'say', params: { key: 'aid:invalid.phone' } } },
        ],
      },
    },
    city: {
      entry: 'ask',
      on: {
        choice: [
          ...saveIfValid('city'),
          {
            guard: { type: 'isChoice?', params: { id: 'otherCity' } },
            target: 'route',
            actions: { type: 'goTo', params: { step: 'cityOther' } },
          },
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        // A place not in the list, typed in words, is taken as it is.
        text: [
          ...saveIfValid('city'),
          ...asides,
          { target: 'route', actions: { type: 'say', params: { key: 'aid:invalid.city' } } },
        ],
      },
    },
    cityOther: {
      entry: 'ask',
      on: {
        text: [
          ...saveIfValid('cityOther'),
          ...asides,
          { target: 'route', actions: { type: 'say', params: { key: 'aid:invalid.city' } } },
        ],
      },
    },
    householdSize: textQuestion('householdSize', 'aid:invalid.householdSize'),
    income: {
      entry: 'ask',
      on: {
        choice: [
          ...saveIfValid('income'),
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        text: [
          ...saveIfValid('income'),
          ...asides,
          { target: 'route', actions: { type: 'say', params: { key: 'aid:invalid.income' } } },
        ],
      },
    },
    aidType: {
      entry: 'ask',
      on: {
        choice: [
          ...saveIfValid('aidType'),
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        text: [...asides, { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } }],
      },
    },
    description: {
      ...textQuestion('description', 'aid:invalid.description'),
      entry: ['ask', sendParent({ type: 'describing', on: true } satisfies DescribingNotice)],
      exit: sendParent({ type: 'describing', on: false } satisfies DescribingNotice),
    },
    documents: {
      entry: enqueueActions(({ context, enqueue }) => {
        if (context.files) enqueue('ask');
      }),
      // On a channel that cannot carry files (the terminal), they are all for later.
      always: {
        guard: not('canSendFiles?'),
        target: 'route',
        actions: ['allLater', 'sayDocumentsElsewhere', 'advance', 'saveDraft'],
      },
      on: {
        media: [
          {
            guard: and(['isFile?', 'isStored?']),
            target: 'route',
            actions: ['keepDocument', 'sayDocumentReceived', 'advance', 'saveDraft'],
          },
          { guard: 'isFile?', target: 'route', actions: { type: 'say', params: { key: 'aid:fileNotReceived' } } },
          { target: 'route', actions: { type: 'say', params: { key: 'aid:photoOrPdf' } } },
        ],
        choice: [
          {
            guard: { type: 'isChoice?', params: { id: 'later' } },
            target: 'route',
            actions: ['keepDocument', 'advance', 'saveDraft'],
          },
          {
            guard: { type: 'isChoice?', params: { id: 'allLater' } },
            target: 'route',
            actions: ['allLater', 'advance', 'saveDraft'],
          },
          { target: 'route', actions: { type: 'say', params: { key: 'aid:photoOrPdf' } } },
        ],
        text: { target: 'route', actions: { type: 'say', params: { key: 'aid:photoOrPdf' } } },
      },
    },
    summary: {
      entry: ['leaveSummary', 'ask'],
      on: {
        choice: [
          {
            guard: { type: 'isChoice?', params: { id: 'change' } },
            target: 'route',
            actions: { type: 'goTo', params: { step: 'change' } },
          },
          {
            guard: and([{ type: 'isChoice?', params: { id: 'submit' } }, 'isComplete?']),
            target: 'submitting',
            actions: 'acceptDeclaration',
          },
          // A draft from an older catalogue may miss an answer: that question is asked first.
          {
            guard: { type: 'isChoice?', params: { id: 'submit' } },
            target: 'route',
            actions: assign(({ context }) => ({ step: firstUnanswered(context.answers, context.catalogue) })),
          },
        ],
        text: [{ guard: 'isEdit?', target: 'route', actions: 'startEdit' }, ...asides, { actions: 'askSummaryChoice' }],
      },
    },
    /** «تعديل بيان»: which answer, one option each (or named in words). */
    change: {
      entry: 'ask',
      on: {
        choice: [
          { guard: 'isEdit?', target: 'route', actions: 'startEdit' },
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
        text: [
          { guard: 'isEdit?', target: 'route', actions: 'startEdit' },
          ...asides,
          { target: 'route', actions: { type: 'say', params: { key: 'aid:chooseOption' } } },
        ],
      },
    },
    submitting: {
      entry: 'submit',
      on: {
        'case.submitted': { target: 'done', actions: ['saySubmitted', 'clearDraft'] },
        'case.duplicate': { target: 'done', actions: ['sayDuplicate', 'clearDraft'] },
        // The request is on its way: nothing the person sends now can change it.
        global: {},
      },
    },
    confirmCancel: {
      entry: 'askCancel',
      on: {
        choice: [
          {
            guard: { type: 'isChoice?', params: { id: 'yes' } },
            target: 'done',
            actions: ['clearDraft', { type: 'say', params: { key: 'aid:cancel.done' } }],
          },
          { target: 'route' },
        ],
        // Anything but a clear yes keeps the application: throwing it away is never a guess.
        text: { target: 'route' },
        media: { target: 'route' },
        global: [
          {
            guard: { type: 'isWord?', params: { word: 'cancel' } },
            target: 'done',
            actions: ['clearDraft', { type: 'say', params: { key: 'aid:cancel.done' } }],
          },
          { guard: { type: 'isWord?', params: { word: 'back' } }, target: 'route' },
          { guard: { type: 'isWord?', params: { word: 'menu' } }, target: 'done', actions: 'sayPaused' },
        ],
      },
    },
    done: { type: 'final' },
  },
  output: { next: 'menu' },
});

/**
 * A text that is talk (a question, courtesy, a request: see `isTalk`), whose meaning the edge read
 * may then be acted on; undefined for anything else. The classifier alone is not trusted with a
 * name or a number («نورة سعد» reads as a greeting to it, «رقمي ما اذكره» as a question).
 */
const talk = (event: AidEvent) => (event.type === 'text' && isTalk(event.text, event.normalized) ? event : undefined);

/** The answer `event` gives to the question of `step`, or undefined if it does not answer it. */
function read(step: Step, context: AidContext, event: AidEvent): Partial<ApplicationAnswers> | undefined {
  // «لا» where a name or a place is asked is no name and no place.
  const text = event.type === 'text' && event.answer !== undefined ? '' : textOf(event);
  switch (step) {
    case 'name':
    case 'patientName': {
      const name = !isTalk(text, normalizedOf(event)) && readName(text);
      return name ? { [step]: name } : undefined;
    }
    case 'relationship': {
      const chosen = choiceOf(event).slice('relationship:'.length) as Relationship;
      const relationship = relationshipOptions.some((o) => o.id === choiceOf(event))
        ? chosen
        : readRelationship(normalizedOf(event));
      return relationship ? { relationship } : undefined;
    }
    case 'nationalId': {
      const reading = readNationalId(text);
      return 'id' in reading ? { nationalId: reading.id } : undefined;
    }
    case 'phone': {
      const typed =
        event.type === 'contact' ? event.phone : choiceOf(event) === 'platformPhone' ? context.platformPhone : text;
      const phone = typed === undefined ? undefined : readMobile(typed);
      return phone ? { phone } : undefined;
    }
    case 'city': {
      const choice = choiceOf(event).slice('city:'.length);
      if (hasItem(context.catalogue.cities, choice)) return { city: choice };
      const place = !isTalk(text, normalizedOf(event)) && readPlace(text);
      return place ? { city: `other:${place}` } : undefined;
    }
    case 'cityOther': {
      const place = !isTalk(text, normalizedOf(event)) && readPlace(text);
      return place ? { city: `other:${place}` } : undefined;
    }
    case 'householdSize': {
      const householdSize = readHouseholdSize(text);
      return householdSize ? { householdSize } : undefined;
    }
    case 'income': {
      const band = incomeOptions.find((o) => o.id === choiceOf(event));
      const income = band?.id ?? readIncome(text);
      return income ? { income } : undefined;
    }
    case 'aidType': {
      const id = choiceOf(event).slice('aidType:'.length);
      return hasItem(context.catalogue.aidTypes, id) ? { aidTypeId: id } : undefined;
    }
    case 'description': {
      const description = !isOnlyCourtesy(normalizedOf(event)) && readDescription(text);
      return description ? { description } : undefined;
    }
    default:
      return undefined;
  }
}

/** Keeps the answer to `step` and goes on (to the next question, or back to the summary). */
function save(step: Step) {
  return {
    target: 'route',
    actions: [{ type: 'answer', params: { step } }, 'advance', 'saveDraft'],
  } as const;
}

/** The transition that keeps a valid answer to `step`, for a list of transitions. */
function saveIfValid(step: Step) {
  return [{ guard: { type: 'isValid?', params: { step } }, ...save(step) }] as const;
}

/** A question answered in words: a valid answer is kept, anything else is explained and asked again. */
function textQuestion(step: Step, invalid: string) {
  return {
    entry: 'ask',
    on: {
      text: [...saveIfValid(step), ...asides, { target: 'route', actions: { type: 'say', params: { key: invalid } } }],
    },
  } as const;
}
