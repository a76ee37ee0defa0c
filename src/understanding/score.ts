import { normalize } from '../domain/normalize.ts';
import type { CompiledVocabulary } from './keywords.ts';
import { stems } from './tokenizer.ts';
import { scoreFillerVocabulary, scoreVocabulary } from './vocabulary.ts';

/** What an emoji says, as a score; a skin tone or a variation selector does not change it. */
const emojiScores: Record<string, number> = {
  '👍': 5,
  '👏': 5,
  '😍': 5,
  '🥰': 5,
  '🤩': 5,
  '❤': 5,
  '💯': 5,
  '🌹': 5,
  '😊': 4,
  '🙂': 4,
  '😀': 4,
  '😃': 4,
  '😁': 4,
  '👌': 4,
  '😐': 3,
  '😶': 3,
  '🤷': 3,
  '😕': 2,
  '🙁': 2,
  '☹': 2,
  '😟': 2,
  '😞': 1,
  '😔': 1,
  '😢': 1,
  '😭': 1,
  '😠': 1,
  '😡': 1,
  '🤬': 1,
  '👎': 1,
  '💔': 1,
};

const stars = /[⭐★🌟]/gu;
/** Skin tones, the emoji variation selector and the joiner: they decorate, they do not score. */
const decorations = /[\u{1F3FB}-\u{1F3FF}\uFE0F\u200D]/gu;
/** «٤», «4 من 5», «4/5», «٥ نجوم», "5 stars" (digits are already Latin after normalising). */
const outOfFive = /^([1-5])\s*(?:(?:\/|من|out of|of)\s*5)?\s*(?:نجوم|نجمات|نجمه|stars?)?\s*[.!]*$/;

/**
 * The score from 1 to 5 a message gives, if it gives one: a digit in either system («٤», "4/5",
 * «٥ نجوم»), stars (⭐⭐⭐⭐), emoji that agree (👍 5, 😞 1) or words («ممتاز» 5, «جيد جدا» 4,
 * «سيء» 1, "not bad" 3). Words count only when everything else in the message is a polite
 * filler («شكرا», «الخدمة»…): «ما كانت ممتازة» is not a 5, and is not read as a score at all.
 */
export function readScore(text: string): number | undefined {
  const plain = normalize(text).replace(decorations, '');
  const starCount = [...plain.matchAll(stars)].length;
  const rest = plain.replace(stars, '').trim();
  if (starCount > 0) return rest === '' && starCount <= 5 ? starCount : undefined;
  const number = outOfFive.exec(rest);
  if (number) return Number(number[1]);
  const words = stems(rest);
  const symbols = new Set([...rest.matchAll(/\p{Extended_Pictographic}/gu)].map((m) => emojiScores[m[0]]));
  const said = scoreOfWords(words);
  if (symbols.size === 0) return said.score;
  // Emoji must agree with each other, and with the words if they say a score («ممتاز 👍», «شكرا 👍»).
  const shown = symbols.size === 1 ? [...symbols][0] : undefined;
  if (!said.readable || shown === undefined) return undefined;
  return said.score === undefined || said.score === shown ? shown : undefined;
}

/**
 * The score the words say, when every word is part of a score phrase or of a filler
 * (`readable`: nothing else was said; no words at all is readable too).
 */
function scoreOfWords(words: string[]): { score?: number; readable: boolean } {
  if (words.length === 0) return { readable: true };
  if (words.length > 8) return { readable: false };
  const covered = new Array<boolean>(words.length).fill(false);
  let best: { ids: Set<string>; length: number } = { ids: new Set(), length: 0 };
  const cover = (vocabulary: CompiledVocabulary, scoring: boolean) => {
    for (const { id, phrases } of vocabulary) {
      for (const phrase of phrases) {
        for (const start of runsOf(words, phrase)) {
          for (let k = 0; k < phrase.length; k++) covered[start + k] = true;
          if (!scoring) continue;
          if (phrase.length > best.length) best = { ids: new Set([id]), length: phrase.length };
          else if (phrase.length === best.length) best.ids.add(id);
        }
      }
    }
  };
  cover(scoreVocabulary, true);
  cover(scoreFillerVocabulary, false);
  // A word that is neither a score nor a filler, or two scores said as strongly («ممتاز وسيء»): no score.
  if (covered.includes(false) || best.ids.size > 1) return { readable: false };
  return best.ids.size === 1 ? { score: Number([...best.ids][0]), readable: true } : { readable: true };
}

/** Where `phrase` occurs in `words` as a run of whole words. */
function runsOf(words: string[], phrase: string[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((word, j) => words[i + j] === word)) starts.push(i);
  }
  return starts;
}
