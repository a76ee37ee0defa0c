import { distance } from 'fastest-levenshtein';
import {
  type FlowEvent,
  type GlobalWord,
  globalIntents,
  type Intent,
  type Locale,
  type Service,
  type SmallTalk,
  services,
  smallTalks,
  type Topic,
  topics,
  type Understood,
} from '../../flows/events.ts';
import { parseRatingOption } from '../../flows/rating/ratingOptions.ts';
import type { EngineInput } from '../domain/inbound.ts';
import type { ShownOption } from '../domain/messages.ts';
import { normalize } from '../domain/normalize.ts';
import { optionToken } from '../domain/optionToken.ts';
import type { Classification } from './classifier.ts';
import { findEntities } from './entities.ts';
import { matchKeywords, matchWhole } from './keywords.ts';
import { readScore } from './score.ts';
import { bare, stems, tokenize } from './tokenizer.ts';
import { standardUnderstanding, type Understanding } from './understanding.ts';
import { answerVocabulary, globalVocabulary, languageNames, serviceVocabulary } from './vocabulary.ts';

/** A rating button pressed after the question was gone: the item and answer its id carries. */
export type LateRating = NonNullable<ReturnType<typeof parseRatingOption>>;

/**
 * What the edge made of an input: an event for the flow, a reply the engine gives itself, or a
 * late rating the engine keeps itself (the flow has moved on and is not disturbed).
 */
export type Reading =
  | { event: FlowEvent }
  | { edgeReply: string; candidates?: ShownOption[] }
  | { lateRating: LateRating };

const commands: Record<string, GlobalWord> = {
  start: 'menu',
  menu: 'menu',
  help: 'help',
  language: 'language',
  staff: 'staff',
  cancel: 'cancel',
  back: 'back',
};

/**
 * How sure the classifier must be for a meaning to be acted on without asking (its scores are
 * spread over 26 classes, `None` among them: what the assistant does not do). Chosen on the
 * evaluation corpus (`npm run nlu:eval`).
 */
const confident = 0.4;
/** How sure it must be of a global word in a sentence: it leaves the question being asked. */
const confidentGlobal = 0.6;
/** How sure it must be of small talk, which is answered in place of the question asked. */
const confidentSmallTalk = 0.65;
const confidentInsult = 0.9;
/** The least a meaning must score to be offered in a clarifying question. */
const plausible = 0.05;

/**
 * The understanding of what people send, at the edge: flows see typed events and never raw text
 * to match. In this order:
 * 1. an option by its button or its number (any digits), or its label in any language;
 * 2. words of danger now, anywhere, in every state (the emergency detector);
 * 3. a plain yes or no to a yes/no question, a global word as the whole message, a score for a
 *    rating question, a close spelling of an option;
 * 4. free text, read by the classifier: a global word said in a sentence («ممكن اكلم موظف؟»)
 *    when it can leave the question asked, else a service, an enquiry, small talk, or, when it is
 *    not sure, the likeliest meanings to ask about; and the references, phone numbers and IDs it
 *    holds.
 */
export function interpret(
  input: Extract<EngineInput, { kind: 'text' }>,
  shown: ShownOption[],
  maxTextLength: number,
  understanding?: Understanding,
): Exclude<Reading, { lateRating: LateRating }>;
export function interpret(
  input: EngineInput,
  shown: ShownOption[],
  maxTextLength: number,
  understanding?: Understanding,
): Reading;
export function interpret(
  input: EngineInput,
  shown: ShownOption[],
  maxTextLength: number,
  understanding: Understanding = standardUnderstanding(),
): Reading {
  switch (input.kind) {
    case 'text':
      return input.text.length > maxTextLength
        ? { edgeReply: 'common:tooLong' }
        : readText(input.text, shown, understanding);
    case 'choice': {
      const option = shown.find((o) => o.id === input.choiceId || optionToken(o.id) === input.choiceId);
      if (option) return { event: { type: 'choice', id: option.id } };
      // An old rating button still rates the item it was offered for.
      const late = parseRatingOption(input.choiceId);
      return late ? { lateRating: late } : { edgeReply: 'common:staleOption' };
    }
    case 'command': {
      const word = commands[input.command.toLowerCase()];
      return word ? { event: { type: 'global', word } } : { edgeReply: 'common:notUnderstood' };
    }
    case 'media': {
      // A photo captioned «ابوي ينزف» is a call for help first.
      const caption = input.caption ?? '';
      if (caption.length <= maxTextLength && understanding.isEmergency(caption, tokenize(caption).lang)) {
        return { event: emergency(caption, understanding) };
      }
      return { event: { type: 'media', kind: input.media } };
    }
    case 'location':
      return { event: { type: 'location', latitude: input.latitude, longitude: input.longitude } };
    case 'contact':
      return { event: { type: 'contact', phone: input.phone } };
    case 'unsupported':
      return { edgeReply: input.what === 'group' ? 'common:privateOnly' : 'common:unsupported' };
    case 'timer':
      return { event: { type: 'timer', key: input.key } };
  }
}

/** Words of danger as an event; thoughts of self-harm are marked for a word of care and a support line. */
const emergency = (text: string, understanding: Understanding): FlowEvent => ({
  type: 'global',
  word: 'emergency',
  text,
  normalized: normalize(text),
  ...langOf(text),
  ...(understanding.harmsSelf(text) ? { care: true } : {}),
});

function readText(text: string, shown: ShownOption[], understanding: Understanding): Reading {
  const { normalized, lang } = tokenize(text);
  const event = readWords(text, normalized, lang, shown, understanding);
  // Nothing else meant (small talk at most): a word of one option only chooses it, words of two ask which.
  const meant = event.type !== 'text' || event.service || event.topic || event.global || event.answer;
  const owners = meant ? [] : distinctOptions(normalized, shown);
  if (owners.length === 1) return { event: { type: 'choice', id: owners[0]?.id as string } };
  if (owners.length === 2) return { edgeReply: 'common:whichOption', candidates: owners };
  return { event };
}

function readWords(
  text: string,
  normalized: string,
  lang: Locale | undefined,
  shown: ShownOption[],
  understanding: Understanding,
): FlowEvent {
  const choice = (id: string): FlowEvent => ({ type: 'choice', id });
  const number = normalized.match(/^(\d{1,3})\s*[.)\-ـ]?$/);
  if (number) {
    const option = shown[Number(number[1]) - 1];
    return option ? choice(option.id) : understand(text, shown, understanding);
  }
  const labelled = shown.find((o) => o.id === normalized || o.labels.some((l) => folded(l) === normalized));
  if (labelled) return choice(labelled.id);
  if (understanding.isEmergency(text, lang)) {
    if (!understanding.onlyAsksAboutServices(text)) return emergency(text, understanding);
    const asked = understand(text, shown, understanding);
    return asked.type === 'text' ? { ...asked, asksAboutEmergencyServices: true } : asked;
  }
  const said = yesOrNo(normalized);
  const answered = said && optionSaying(said, shown, acknowledges(normalized));
  if (answered) return choice(answered);
  const global = matchWhole(normalized, globalVocabulary) as GlobalWord | undefined;
  if (global) return globalEvent(global, normalized, lang);
  const scored = scoredOption(text, shown);
  if (scored) return choice(scored);
  const close = closeOption(normalized, shown);
  if (close) return choice(close);
  // A plain «لا» that no option answers is not taken for a cancel: the question is asked again.
  return said ? { ...freeText(text, []), answer: said } : understand(text, shown, understanding);
}

/**
 * `read` remembered per label: the same labels are shown again and again, so each is read once.
 * Labels come from the locales and the association's lists, a few hundred; the bound is for safety.
 */
function perLabel<T>(read: (label: string) => T): (label: string) => T {
  const known = new Map<string, T>();
  return (label) => {
    let value = known.get(label);
    if (value === undefined) {
      if (known.size >= 10_000) known.clear();
      value = read(label);
      known.set(label, value);
    }
    return value;
  };
}

/** An option's label as matching reads it. */
const folded = perLabel(normalize);

/**
 * A global word as an event, with the language it was written in; «انجليزي» and "arabic" name the
 * language to switch to (not when denied: «ما اعرف انجليزي»; `normalized` is then not given).
 */
function globalEvent(word: GlobalWord, normalized: string | undefined, lang: Locale | undefined): FlowEvent {
  const locale =
    word === 'language' && normalized ? (matchKeywords(normalized, languageNames) as Locale | undefined) : undefined;
  return { type: 'global', word, ...(locale ? { locale } : {}), ...(lang ? { lang } : {}) };
}

/** The language `text` is written in, as an event's field. */
function langOf(text: string): { lang?: Locale } {
  const { lang } = tokenize(text);
  return lang ? { lang } : {};
}

/** What the classifier makes of `text`, in its language (and in the other one too when both are in it). */
function classify(text: string, lang: Locale | undefined, understanding: Understanding): Classification[] {
  if (!lang) return [];
  const own = withContent(text, lang, understanding);
  const mixed = /[A-Za-z]/.test(text) && /[\u0621-\u064A]/.test(text);
  if (!mixed) return own;
  const other = withContent(text, lang === 'ar' ? 'en' : 'ar', understanding);
  return (other[0]?.score ?? 0) > (own[0]?.score ?? 0) ? other : own;
}

/**
 * What the classifier makes of `text`; when that is courtesy or unclear, what it makes of the rest
 * if that is a request it is sure of: «الله يعطيكم العافية ودنا بسرير طبي لخالتي» asks for aid.
 */
function withContent(text: string, lang: Locale, understanding: Understanding): Classification[] {
  const whole = understanding.classify(text, lang);
  const top = whole[0];
  if (top && top.score >= confident && !is(smallTalks, top.intent)) return whole;
  const content = understanding.withoutCourtesy(text);
  if (content === undefined) return whole;
  const rest = understanding.classify(content, lang);
  const meant = rest[0];
  return meant && meant.score >= confident && !is(smallTalks, meant.intent) && meant.intent !== 'None' ? rest : whole;
}

const is = <T extends string>(list: readonly T[], intent: string | undefined): intent is T =>
  list.includes(intent as T);

/**
 * Free text as a flow receives it, with what it means as far as the classifier can tell. A global
 * word in a sentence becomes a global event when it may leave the question asked: when a choice
 * was offered (two options or more); while a typed answer is awaited (a name, a description, a
 * rating's comment, a complaint's text:
 * «الموظف تكلم معي بأسلوب غير لائق» is a complaint, not a call for staff) only when the sentence
 * is four words at most and names the word itself. «ما ابي موظف» never calls for one.
 */
function understand(text: string, shown: ShownOption[], understanding: Understanding): FlowEvent {
  const { normalized, lang } = tokenize(text);
  const byName = matchWhole(normalized, serviceVocabulary) as Service | undefined;
  if (byName) return { ...freeText(text, []), service: byName };
  const classified = classify(text, lang, understanding);
  const top = classified[0];
  if (top && is(globalIntents, top.intent) && top.score >= confidentGlobal) {
    const words = normalized.split(' ').length;
    // «ما ابي موظف» is not a call for one (but «ما ابي اكمل» is a cancel, «ما فهمت» a call for help).
    const refused = (top.intent === 'staff' || top.intent === 'menu') && words <= 4 && negation.test(normalized);
    const named = matchKeywords(normalized, globalVocabulary) === top.intent;
    // One option alone («تخطي التعليق», «لاحقًا») is a way out of a question awaiting a typed answer.
    const choosing = shown.length >= 2;
    // The language changes only when one is named: a name it never saw reads as «language» to the classifier.
    const unnamedLanguage = top.intent === 'language' && !named;
    // Nor is anything cancelled unless a word of cancelling or a refusal to go on says so: «مو مستعجله»,
    // «ابي اكمل شكواي» and «لا تذكر اسمي» read as «cancel» to the classifier.
    const unnamedCancel = top.intent === 'cancel' && !named && !cancelling.test(normalized);
    if (!refused && !unnamedLanguage && !unnamedCancel && (choosing || (words <= 4 && named))) {
      return globalEvent(top.intent, negation.test(normalized) ? undefined : normalized, lang);
    }
    if (unnamedCancel) return freeText(text, classified.slice(1));
    if (!refused) return { ...freeText(text, classified), global: top.intent };
  }
  return freeText(text, classified);
}

/** The event of free text: what the classifier found in it (`classified`), and the numbers it holds. */
export function freeText(
  text: string,
  classified: Classification[] = classify(text, tokenize(text).lang, standardUnderstanding()),
): Extract<FlowEvent, { type: 'text' }> {
  const { normalized, lang } = tokenize(text);
  const entities = findEntities(text);
  // Small talk is a short message of its own: «السلام عليكم، وش صار على A-48-00042-1؟» asks something.
  const asks = entities.reference !== undefined || normalized.split(' ').length > 6;
  // …unless nothing else in it is clear: «شكرا مره على التعاون الله يعطيكم العافيه» is thanks.
  const asked = classified.filter((c) => !is(smallTalks, c.intent));
  const clear = (asked[0]?.score ?? 0) >= confident;
  const meant = promoteService(asks && clear ? asked : classified, normalized);
  const top = meant[0];
  // Calling someone rude when they were not is worse than not noticing: rude words need more.
  const bar = top?.intent === 'insult' ? confidentInsult : is(smallTalks, top?.intent) ? confidentSmallTalk : confident;
  const sure = top && top.score >= bar ? (top.intent as Intent) : undefined;
  const meaning: Understood = is(services, sure)
    ? { service: sure as Service }
    : is(topics, sure)
      ? { topic: sure as Topic }
      : is(smallTalks, sure)
        ? { smallTalk: sure as SmallTalk }
        : {};
  const likely = sure
    ? []
    : meant
        .filter((c) => c.score >= plausible && (is(services, c.intent) || is(topics, c.intent)))
        .slice(0, 3)
        .map((c) => c.intent as Service | Topic);
  return {
    type: 'text',
    text,
    normalized,
    ...(lang ? { lang } : {}),
    ...meaning,
    ...(likely.length > 0 ? { likely } : {}),
    ...entities,
  };
}

/**
 * A long message (more than ten words) tells a story around what it asks: a service among the
 * likeliest three beats the enquiry its words also touch («…ومشوار المستشفى مكلفنا، هل ممكن
 * تساعدونه بالمواصلات؟» asks for aid, not the contact channels).
 */
function promoteService(classified: Classification[], normalized: string): Classification[] {
  const top = classified[0];
  if (!top || normalized.split(' ').length <= 10 || is(services, top.intent) || is(smallTalks, top.intent)) {
    return classified;
  }
  const service = classified.slice(1, 3).find((c) => is(services, c.intent) && c.score >= 0.1);
  return service ? [{ intent: service.intent, score: Math.max(service.score, confident) }, ...classified] : classified;
}

/** The option ids that say yes, and those that say no, across the flows' questions. */
const answerIds: Record<'yes' | 'no', readonly string[]> = {
  yes: ['yes', 'agree', 'accept', 'submit', 'send', 'continue', 'confirm', 'another', 'urgent', 'solved', 'changed'],
  // «هل لديك استفسار آخر؟ — لا»: back to the menu, where that is the other way offered.
  no: ['no', 'decline', 'notAccept', 'menu', 'notUrgent', 'notSolved', 'noChange', 'noPhoto'],
};

/** The one-word answers, each a way of saying yes or no on its own («تمام», «ارسل», «لا»). */
const answerWords = new Map(
  answerVocabulary.map(({ id, phrases }) => [id, new Set(phrases.filter((p) => p.length === 1).map((p) => p[0]))]),
);

/**
 * Whether a message only says yes or no: one of the answers' phrases as a whole («ما ابي»), or
 * words each of which says it alone («تمام ارسل», «ok send», «لا لا»).
 */
function yesOrNo(normalized: string): 'yes' | 'no' | undefined {
  const whole = matchWhole(normalized, answerVocabulary);
  if (whole === 'yes' || whole === 'no') return whole;
  const words = stems(normalized);
  if (words.length < 2) return undefined;
  return (['yes', 'no'] as const).find((answer) => words.every((w) => answerWords.get(answer)?.has(w)));
}

/** Words that only acknowledge («تمام», «طيب», "ok"): a yes to go on, never that something is urgent. */
const acknowledgements = new Set(['تمام', 'طيب', 'اوكي', 'اوك', 'ok', 'okay', 'زين', 'حسنا', 'ماشي']);
const acknowledges = (normalized: string) => normalized.split(/\s+/).every((w) => acknowledgements.has(w));

/** The one offered option that says `answer`; undefined when none or several do. */
function optionSaying(answer: 'yes' | 'no', shown: ShownOption[], onlyAcknowledges = false): string | undefined {
  const fitting = shown.filter((o) => answerIds[answer].includes(o.id) && !(onlyAcknowledges && o.id === 'urgent'));
  return fitting.length === 1 ? fitting[0]?.id : undefined;
}

/**
 * The rating option a message chooses in words, digits, stars or emoji («ممتاز», «٤ من ٥», 👍),
 * when rating options are on offer: the one with that score, or, where only some scores are
 * offered ("was this helpful?": 5 or 1), the one nearest to it if one is nearest.
 */
function scoredOption(text: string, shown: ShownOption[]): string | undefined {
  const offered = shown.flatMap((o) => {
    const answer = parseRatingOption(o.id)?.answer;
    return typeof answer === 'number' ? [{ id: o.id, score: answer }] : [];
  });
  if (offered.length === 0) return undefined;
  const score = readScore(text);
  if (score === undefined) return undefined;
  const distance = (o: { score: number }) => Math.abs(o.score - score);
  const nearest = Math.min(...offered.map(distance));
  const chosen = offered.filter((o) => distance(o) === nearest);
  return chosen.length === 1 ? chosen[0]?.id : undefined;
}

/**
 * A word of cancelling in any form («الغها», «لغيه», «كنسل») or a refusal to go on («ما ابي اكمل»,
 * "I don't want to continue"): what makes a sentence the classifier reads as «cancel» one.
 */
const cancelling =
  /(^| )[وف]?(ا?لغ|كنسل|cancel|ا?وقف|توقف|خلاص|انسى)|(ما|مو|مب|لا) ?(عاد )?(ابي|ابغي|ابغى|ابغا|اريد|ودي)( (اكمل|استمر)|$)|(don'?t|do not) want to (continue|go on)|\bstop\b|never ?mind|forget it/;

/** Words that turn a statement round: «ما», «لم», «مو», «مش», «غير», «ليست», "not", "no", "didn't". */
const negation = /(^|\s)(ما|لم|لا|مو|مب|موب|مهب|مش|غير|ليس|ليست|not|no|didn'?t|never)(\s|$)/;

/** The options a message may mean: «ما أفادتني» is not «أفادتني», «عاجلة» is not «ليست عاجلة». */
function sameWay(normalized: string, shown: ShownOption[]): ShownOption[] {
  const negated = (label: string) => negation.test(normalized) !== negation.test(folded(label));
  return shown.filter((o) => !o.labels.every(negated));
}

/** A message's words of three letters or more, as written where a label has them, else without their clitics. */
function wordsFor(normalized: string, shown: ShownOption[], skip: ReadonlySet<string> = new Set()): string[] {
  const inLabels = (word: string) => shown.some((o) => o.labels.some((l) => labelWords(l).has(word)));
  return tokenize(normalized)
    .words.filter((w) => w.length >= 3 && !skip.has(w))
    .map((w) => (inLabels(w) ? w : bare(w)));
}

/** Words around a choice that say nothing of it («ابي اللي فيه…», «…بعدين»). */
const fillers = new Set(
  'ابي ابغي ابغى ابغا اريد ودي اللي الي فيه فيها هذا هذي هذه يعني الحين بعدين شي شيء بس طيب تمام خلاص عطني اختار اخترت want the one please'.split(
    ' ',
  ),
);

/**
 * The options owning a word of the message that no other option has, when every other word is
 * a filler («كلها بعدين» and «سأرسلها كلها لاحقًا»): one is chosen, two are asked about. A word
 * of no label keeps it a typed answer («الخبراء الشمالية» is no «رياض الخبراء»).
 */
function distinctOptions(normalized: string, shown: ShownOption[]): ShownOption[] {
  const options = sameWay(normalized, shown);
  const owners = (word: string) => options.filter((o) => o.labels.some((l) => labelWords(l).has(word)));
  const words = wordsFor(normalized, options, fillers);
  if (words.some((w) => owners(w).length === 0)) return [];
  return [
    ...new Set(
      words
        .map(owners)
        .filter((o) => o.length === 1)
        .map((o) => o[0] as ShownOption),
    ),
  ];
}

/** A close spelling of one label (a typo or two), or a part of exactly one label. */
function closeOption(normalized: string, shown: ShownOption[]): string | undefined {
  if (normalized.length < 3) return undefined;
  shown = sameWay(normalized, shown);
  const tolerance = Math.max(1, Math.floor(normalized.length / 6));
  const near = shown.filter((o) => o.labels.some((l) => distance(folded(l), normalized) <= tolerance));
  if (near.length === 1) return near[0]?.id;
  // A word as written first («باسمي» is in «باسمي (يمكنكم الرد عليّ)» only), else without its clitics.
  const read = wordsFor(normalized, shown);
  if (read.length === 0) return undefined;
  const containing = shown.filter((o) => o.labels.some((l) => read.every((w) => labelWords(l).has(w))));
  return containing.length === 1 ? containing[0]?.id : undefined;
}

/** The words of an option's label, as written and without what is glued to their front. */
const labelWords = perLabel((label) => new Set(tokenize(label).words.flatMap((w) => [w, bare(w)])));
