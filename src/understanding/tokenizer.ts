import type { Locale } from '../domain/messages.ts';
import { normalize } from '../domain/normalize.ts';
import { fromArabizi, isArabizi } from './arabizi.ts';

/** A text as every reader of understanding sees it (keywords, the classifier, the emergency rules). */
export interface Tokens {
  /** Folded for matching ({@link normalize}): digits Latin, alef and taa marbuta variants one letter. */
  normalized: string;
  /** Its words: letters and digits only, a letter said three times or more once, «ما» apart from a verb glued to it. */
  words: string[];
  /** The script most of its words are written in (Arabic on a tie, and for Arabizi); undefined when it has no letters. */
  lang: Locale | undefined;
}

/**
 * What may stand glued to the front of an Arabic word, as a whole: a conjunction (و، ف), then a
 * preposition (ب، ك، ل) and/or the article («وبالجمعيه», «فالاوراق», «للمريض» is ل + ال).
 */
const proclitic = /^(?:[وف]?(?:[بك]?ال|لل|[بكل])|[وف])$/;

/** A few texts read lately: a message is read by the edge, the emergency rules and the classifier in turn. */
const recent = new Map<string, Tokens>();

/**
 * Splits a text into words once, for every reader of it; Arabizi is read in Arabic letters. «شكرااااا» is «شكرا», "pleeease" is
 * "please"; «مايتنفس», «ماتصحى» are «ما يتنفس», «ما تصحى» (the negation glued to the verb, not
 * «مات», «ماتت»); an apostrophe or a hyphen splits a word ("can't" is "can t", on both sides of a
 * match).
 */
export function tokenize(text: string): Tokens {
  const known = recent.get(text);
  if (known) return known;
  // Arabizi («abgha asajel 3ndkom») is read as the Arabic it stands for, and answered in Arabic.
  const written = languageOf(text);
  const arabizi = written === 'en' && isArabizi(text);
  const normalized = normalize(arabizi ? fromArabizi(text) : text);
  const words = normalized
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/(^| )ما(?=[يت]\p{L}{3})/gu, '$1ما ')
    .split(' ')
    .filter(Boolean)
    .map((word) => word.replace(/(\p{L})\1{2,}/gu, '$1'));
  const tokens = { normalized, words, lang: arabizi ? ('ar' as const) : written };
  if (recent.size >= 8) recent.delete(recent.keys().next().value as string);
  recent.set(text, tokens);
  return tokens;
}

/** The language a text is written in: the script most of its words are in (Arabic on a tie). */
function languageOf(text: string): Locale | undefined {
  const words = text.split(/\s+/);
  const arabic = words.filter((w) => /[\u0621-\u064A\u0671-\u06D3]/.test(w)).length;
  const latin = words.filter((w) => /[A-Za-z]/.test(w)).length;
  if (arabic === 0 && latin === 0) return undefined;
  return arabic >= latin ? 'ar' : 'en';
}

/**
 * Each way a word may read with what is glued to its front taken off, longest first, leaving at
 * least `rest` letters: «وبالجمعيه» is also «جمعيه» and «بالجمعيه»; «والد» keeps its «ال».
 */
export function cliticForms(word: string, rest: number): string[] {
  const forms: string[] = [];
  for (let cut = Math.min(4, word.length - rest); cut >= 1; cut--) {
    if (proclitic.test(word.slice(0, cut))) forms.push(word.slice(cut));
  }
  return forms;
}

/** A word as keywords and the classifier compare it: without what is glued to its front, three letters left at least. */
export function bare(word: string): string {
  return cliticForms(word, 3)[0] ?? word;
}

/** A text's words as keywords compare them ({@link bare}). */
export function stems(text: string): string[] {
  return tokenize(text).words.map(bare);
}
