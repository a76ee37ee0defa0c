import arEmergencies from '../../locales/ar/emergencies.json' with { type: 'json' };
import arIntents from '../../locales/ar/intents.json' with { type: 'json' };
import arKeywords from '../../locales/ar/keywords.json' with { type: 'json' };
import { normalize } from '../domain/normalize.ts';

/**
 * Arabizi: Arabic written in Latin letters, with digits for the letters Latin lacks («abgha asajel
 * 3ndkom», «ummi ma tetnafas», «mata yrdon 3la 6alabi»). Young Saudis write it for their parents;
 * it is read as the Arabic it stands for, by the same readers as Arabic.
 */

/** Words of Arabizi that are no English word, as they are most often spelt. */
const arabiziWords = new Set(
  `ana ani abi aby abee abgha abga abgh ab8a abeh wesh wsh weesh esh eish shlon shlonk kaif kef keef mata meta
  leh lesh laish leish lish wain wen ween fein feen fi fih feh ma mo mu mb la ya yal wallah walah wallahi
  yalla 3ad bs bas tayeb tayb zain zein ahlan marhaba marhba salam alsalam assalam salamu alaikum alaykum
  3likum 3alaikum shukran mashkoor mashkur jazak jazakum jazakom khair kheir 7ayak hala abooy aboy abuy abui
  ubooy ummi umi omi ommi yumma yuma ukhti okhti akhoy akhuy ibni bnti binti zawjti zoji zawji marid mareed
  mareedh ta3ban 3ndi 3indi 3ndna 3ndkom 3indkum 3andakum 3ndkm ba3d ba3ad wayed wayid marra kther kthir
  6alab 6alabi talab talabi kursi korsi sareer srir dawa adwya 7afayed 7fayd mosa3da musa3ada sa3dni
  sa3doni sa3idni alyom alyoum lain lian wla wala ila ela mn m3 m3a ma3 allah inshallah insha ya3tikum
  y3tikum ye3tikum al3afyah al3afya 3afya abuya umm yumah ya7ad mu7tajeen m7taj me7taj a7taj ab8a`.split(/\s+/),
);

/** Words of English as they come in an English message; a message with more of them is English. */
const englishWords = new Set(
  `the a an i you is are am my to for of in on and please can want need help how what when where who why do
  does have has with me we your it this that not no yes hi hello thanks thank will would could be at from
  mother father mom dad son wife request apply status there here get give any our us they he she his her`.split(/\s+/),
);

/**
 * A word of letters and the digits that stand for a letter («3ndkom», «6alabi», «ma7tag», «ma3»);
 * not "2nd", "5pm" or "covid19".
 */
const digitWord = (word: string) =>
  /^(?=.*[a-z])(?=.*[2356789])[a-z2356789']+$/.test(word) &&
  !/^\d+(st|nd|rd|th|am|pm|s|k|km|kg)$/.test(word) &&
  !/[a-z]\d{2,}$/.test(word);

/** Whether a Latin-letter message is Arabizi rather than English: more of its words are Arabizi's. */
export function isArabizi(text: string): boolean {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const arabizi = words.filter((w) => arabiziWords.has(w) || digitWord(w)).length;
  const english = words.filter((w) => englishWords.has(w)).length;
  return arabizi > english && (arabizi >= 2 || english === 0);
}

/**
 * Letters that stand for an Arabic letter, longest first: digraphs, then digits, then single
 * letters; where one spelling stands for several letters («th» is «ث» or «ذ», «6» is «ط» or «ظ»),
 * the likeliest first.
 */
const letters: [string, string[]][] = [
  ["3'", ['غ']],
  ["7'", ['خ']],
  ["9'", ['ض']],
  ["6'", ['ظ']],
  ['sh', ['ش']],
  ['kh', ['خ']],
  ['gh', ['غ']],
  ['th', ['ث', 'ذ']],
  ['dh', ['ذ', 'ض']],
  ['2', ['ء']],
  ['3', ['ع']],
  ['5', ['خ']],
  ['6', ['ط', 'ظ']],
  ['7', ['ح']],
  ['8', ['ق']],
  ['9', ['ص']],
  ['b', ['ب']],
  ['p', ['ب']],
  ['t', ['ت', 'ط']],
  ['j', ['ج']],
  ['g', ['ق', 'ج']],
  ['d', ['د', 'ض']],
  ['r', ['ر']],
  ['z', ['ز', 'ظ']],
  ['s', ['س', 'ص']],
  ['c', ['ك']],
  ['f', ['ف']],
  ['v', ['ف']],
  ['q', ['ق']],
  ['k', ['ك']],
  ['l', ['ل']],
  ['m', ['م']],
  ['n', ['ن']],
  ['h', ['ه', 'ح']],
  ['w', ['و']],
  ['y', ['ي']],
  ['x', ['كس']],
];

/** Long vowels as Arabic letters. */
const longVowels: Record<string, string> = {
  aa: 'ا',
  ee: 'ي',
  ii: 'ي',
  oo: 'و',
  uu: 'و',
  ou: 'و',
  ai: 'ي',
  ay: 'ي',
  ei: 'ي',
  ey: 'ي',
};

/** A vowel inside a word, written as its long letter or (a short vowel) not at all. */
const vowels: Record<string, string> = { a: 'ا', e: 'ي', i: 'ي', o: 'و', u: 'و' };

/** The Arabic words the assistant knows (its phrases and word lists), as its readers fold them. */
let known: Set<string> | undefined;
function knownWords(): Set<string> {
  if (known) return known;
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) for (const v of value) collect(v);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v);
  };
  collect([arIntents, arKeywords, arEmergencies]);
  known = new Set(texts.flatMap((t) => normalize(t).split(/[^\p{L}]+/u)).filter(Boolean));
  return known;
}

/** One Arabizi word as its parts, each with the Arabic it may be written as, the likeliest first («ummi» is «umi»). */
function partsOf(word: string): string[][] {
  const parts: string[][] = [];
  let rest = word.replace(/([b-df-hj-np-tv-z])\1/g, '$1');
  while (rest.length > 0) {
    const long = longVowels[rest.slice(0, 2)];
    const vowel = vowels[rest[0] as string];
    const letter = letters.find(([l]) => rest.startsWith(l));
    const first = parts.length === 0;
    const last = rest.length === 1;
    if (long) {
      parts.push([long]);
      rest = rest.slice(2);
    } else if (vowel) {
      // A vowel that begins a word is an alef; one that ends it is written (a final «a» may be «ه» or «ى»).
      parts.push(first ? ['ا'] : last ? (vowel === 'ا' ? ['ا', 'ه', 'ي'] : [vowel]) : ['', vowel]);
      rest = rest.slice(1);
    } else {
      parts.push(letter ? letter[1] : ['']);
      rest = rest.slice(letter ? letter[0].length : 1);
    }
  }
  return parts;
}

/**
 * The first spelling of `parts` that `fits`, taking exactly `budget` parts other than their
 * likeliest (the search goes budget by budget, so the likeliest spelling that fits is found first).
 */
function spelt(
  parts: string[][],
  fits: (word: string) => boolean,
  budget: number,
  at = 0,
  built = '',
): string | undefined {
  if (at === parts.length) return budget === 0 && fits(built) ? built : undefined;
  const choices = parts[at] ?? [];
  for (let c = 0; c < choices.length && (c === 0 || budget > 0); c++) {
    const found = spelt(parts, fits, budget - (c > 0 ? 1 : 0), at + 1, built + choices[c]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Letters written alone: «w» is «و» glued to the next word, «l» is «ل», «b» is «ب». */
const singles: Record<string, string> = { w: 'و', l: 'ل', b: 'ب', f: 'ف', y: 'يا' };

/** An Arabizi word in Arabic letters: the first spelling the assistant knows (with a prefix or without), else the plainest. */
function arabicOf(word: string): string {
  if (englishWords.has(word)) return word;
  const single = singles[word];
  if (single) return single;
  const words = knownWords();
  const fits = (w: string) => words.has(w) || words.has(w.replace(/^(وال|بال|فال|ال|و|ب|ل)(?=\p{L}{3})/u, ''));
  // «shukran», «jiddan»: a final «an» may be the alef of «شكرا».
  const readings = [partsOf(word), ...(word.endsWith('an') ? [partsOf(word.slice(0, -1))] : [])];
  for (const parts of readings) {
    for (let budget = 0; budget <= 4; budget++) {
      const found = spelt(parts, fits, budget);
      if (found !== undefined) return found;
    }
  }
  return (readings[0] ?? []).map((choices) => choices[0] ?? '').join('') || word;
}

/** An Arabizi message in Arabic letters, word by word; what is not a word (digits, signs) stays. */
export function fromArabizi(text: string): string {
  return text
    .toLowerCase()
    .replace(/[a-z2356789']+/g, (word) =>
      /[a-z]/.test(word) && (word.length > 1 || singles[word]) ? arabicOf(word) : word,
    );
}
