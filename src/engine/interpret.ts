import { distance } from 'fastest-levenshtein';
import type { FlowEvent, GlobalWord, Service } from '../../flows/events.ts';
import { parseRatingOption } from '../../flows/rating/ratingOptions.ts';
import { matchKeywords, matchWhole, stems } from '../domain/keywords.ts';
import type { ShownOption } from '../domain/messages.ts';
import { normalize } from '../domain/normalize.ts';
import { parseReference } from '../domain/reference.ts';
import type { EngineInput } from './inbound.ts';
import { optionToken } from './optionToken.ts';
import { readScore } from './score.ts';
import {
  answerVocabulary,
  emergencyVocabulary,
  globalVocabulary,
  serviceVocabulary,
  topicVocabulary,
} from './vocabulary.ts';

/** A rating button pressed after the question was gone: the item and answer its id carries. */
export type LateRating = NonNullable<ReturnType<typeof parseRatingOption>>;

/**
 * What the edge made of an input: an event for the flow, a reply the engine gives itself, or a
 * late rating the engine keeps itself (the flow has moved on and is not disturbed).
 */
export type Reading = { event: FlowEvent } | { edgeReply: string } | { lateRating: LateRating };

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
 * Reads an input once, at the edge, so flows see typed events and never raw menu text. An
 * option is recognised by its button, its number (any digits), its label in any language, a
 * close spelling of it, or a unique part of it; the global words work everywhere.
 */
export function interpret(
  input: Extract<EngineInput, { kind: 'text' }>,
  shown: ShownOption[],
  maxTextLength: number,
): Exclude<Reading, { lateRating: LateRating }>;
export function interpret(input: EngineInput, shown: ShownOption[], maxTextLength: number): Reading;
export function interpret(input: EngineInput, shown: ShownOption[], maxTextLength: number): Reading {
  switch (input.kind) {
    case 'text':
      return input.text.length > maxTextLength
        ? { edgeReply: 'common:tooLong' }
        : { event: readText(input.text, shown) };
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
    case 'media':
      return { event: { type: 'media', kind: input.media } };
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

function readText(text: string, shown: ShownOption[]): FlowEvent {
  const normalized = normalize(text);
  const choice = (id: string): FlowEvent => ({ type: 'choice', id });
  const free = () => freeText(text, normalized);
  const number = normalized.match(/^(\d{1,3})\s*[.)\-ـ]?$/);
  if (number) {
    const option = shown[Number(number[1]) - 1];
    return option ? choice(option.id) : free();
  }
  const labelled = shown.find((o) => o.id === normalized || o.labels.some((l) => normalize(l) === normalized));
  if (labelled) return choice(labelled.id);
  const answered = plainAnswer(normalized, shown);
  if (answered) return choice(answered);
  const global = matchWhole(normalized, globalVocabulary);
  if (global) return { type: 'global', word: global as GlobalWord };
  if (matchKeywords(normalized, emergencyVocabulary)) return { type: 'global', word: 'emergency', text, normalized };
  const scored = scoredOption(text, shown);
  if (scored) return choice(scored);
  const close = closeOption(normalized, shown);
  if (close) return choice(close);
  return free();
}

/** The option ids that say yes, and those that say no, across the flows' questions. */
const answerIds: Record<string, readonly string[]> = {
  yes: ['yes', 'agree', 'accept', 'submit', 'send', 'continue', 'confirm', 'another'],
  // «هل لديك استفسار آخر؟ — لا»: back to the menu, where that is the other way offered.
  no: ['no', 'decline', 'notAccept', 'menu'],
};

/** A plain yes or no, as the one offered option that says so; undefined when none or several do. */
function plainAnswer(normalized: string, shown: ShownOption[]): string | undefined {
  const answer = matchWhole(normalized, answerVocabulary);
  if (!answer) return undefined;
  const fitting = shown.filter((o) => answerIds[answer]?.includes(o.id));
  return fitting.length === 1 ? fitting[0]?.id : undefined;
}

/** Free text as a flow receives it, with the enquiry topic recognised in it, if any. */
export function freeText(text: string, normalized: string = normalize(text)): FlowEvent {
  const topic = matchKeywords(normalized, topicVocabulary);
  const service = matchKeywords(normalized, serviceVocabulary);
  const found = parseReference(text);
  const reference = found && ('typo' in found ? found.typo : found.text);
  return {
    type: 'text',
    text,
    normalized,
    ...(topic ? { topic } : {}),
    ...(service ? { service: service as Service } : {}),
    ...(reference ? { reference } : {}),
  };
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

/** Words that turn a statement round: «ما», «لم», «مو», «مش», «غير», "not", "no", "didn't". */
const negation = /(^|\s)(ما|لم|لا|مو|مب|مش|غير|not|no|didn'?t|never)(\s|$)/;

/** A close spelling of one label (a typo or two), or a part of exactly one label. */
function closeOption(normalized: string, shown: ShownOption[]): string | undefined {
  if (normalized.length < 3) return undefined;
  // «ما أفادتني» is not «أفادتني»: a negation the label does not have rules the label out.
  const negated = (label: string) => negation.test(normalized) && !negation.test(normalize(label));
  shown = shown.filter((o) => !o.labels.some(negated));
  const tolerance = Math.max(1, Math.floor(normalized.length / 6));
  const near = shown.filter((o) => o.labels.some((l) => distance(normalize(l), normalized) <= tolerance));
  if (near.length === 1) return near[0]?.id;
  const words = stems(normalized).filter((w) => w.length >= 3);
  if (words.length === 0) return undefined;
  const containing = shown.filter((o) => o.labels.some((l) => words.every((w) => stems(l).includes(w))));
  return containing.length === 1 ? containing[0]?.id : undefined;
}
