import type { Locale } from '../domain/messages.ts';
import { normalize } from '../domain/normalize.ts';
import type { IntentClassifier } from './classifier.ts';
import { cliticForms, tokenize } from './tokenizer.ts';

/**
 * A phrase as words. A word `*` is any one word («اخذت * حبه»: «اخذت ٢٠ حبه»); a word ending in `*`
 * matches any word it begins (a pronoun or a plural after it: «علي*» is «عليه», «عليها»). `key` is
 * its longest other word, if any: a message without it cannot hold the phrase.
 */
interface Phrase {
  words: string[];
  key: string | undefined;
}

/** A message as {@link wordsOf} reads it, with every form of every word in one set. */
interface Words {
  words: string[][];
  forms: Set<string>;
}

/** The word lists of the detector, per language in `locales/<lang>/keywords.json` (`emergency`). */
export interface EmergencyLists {
  /** Phrases of danger now («ما يتنفس», «نزيف», "not breathing"). */
  danger: readonly string[];
  /** Phrases of thoughts of self-harm («ابي انتحر», «ما ابي اعيش», "kill myself"): danger, and a word of care. */
  selfHarm: readonly string[];
  /**
   * The names of emergency services («اسعاف», «طوارئ», "ambulance"): danger said alone («اسعاف!»), but
   * a question that names one and no danger («هل توفرون اسعاف لنقل ابوي لموعده؟») only asks about it.
   */
  services: readonly string[];
  /**
   * Danger only together: each rule is a list of groups, each group its phrases separated by `|`;
   * one phrase of every group must be there («طاح*|طايح*» + «ما يقوم|بالارض»).
   */
  together: readonly (readonly string[])[];
  /** Phrases that say there is no emergency («مو طارئ», «تقرير من الطوارئ»): taken out before looking. */
  calm: readonly string[];
  /** Danger words that tell a history when a `past` phrase is there too («جلطه» + «قبل سنتين»); so do `together` rules. */
  history: readonly string[];
  /** Phrases of time past or of a lasting condition («من زمان», «مزمن», "years ago"). */
  past: readonly string[];
}

/** A message as words, each with the forms it may stand for («وبنتي» is also «بنتي»; «اسعااف» is «اسعاف»). */
function wordsOf(text: string): string[][] {
  return tokenize(text).words.map((word) => {
    const forms = new Set([word, word.replace(/(\p{L})\1+/gu, '$1')]);
    for (const form of [...forms]) for (const cut of cliticForms(form, 2)) forms.add(cut);
    return [...forms];
  });
}

const wordMatches = (forms: string[], word: string) =>
  word === '*' || (word.endsWith('*') ? forms.some((f) => f.startsWith(word.slice(0, -1))) : forms.includes(word));

/** Where `phrase` starts in the message at or after `from`, or -1. */
function find({ words, forms }: Words, phrase: Phrase, from = 0): number {
  if (phrase.key !== undefined && !forms.has(phrase.key)) return -1;
  const length = phrase.words.length;
  outer: for (let i = from; i + length <= words.length; i++) {
    for (let j = 0; j < length; j++) if (!wordMatches(words[i + j] ?? [], phrase.words[j] ?? '')) continue outer;
    return i;
  }
  return -1;
}

/** A phrase's words as a message's are read; `*` stays a wildcard, alone or at a word's end. */
const phraseWords = (phrase: string): string[] =>
  normalize(phrase)
    .split(' ')
    .flatMap((word) => {
      if (word === '*') return ['*'];
      const words = tokenize(word.replace(/\*$/, '')).words;
      return word.endsWith('*') ? [...words.slice(0, -1), `${words.at(-1) ?? ''}*`] : words;
    });

const compile = (phrases: readonly string[]): Phrase[] =>
  phrases
    .map(phraseWords)
    .filter((words) => words.length > 0)
    .map((words) => ({
      words,
      key: words.filter((w) => !w.endsWith('*')).sort((a, b) => b.length - a.length)[0],
    }));

/** Words of a span of time gone by, in the phrases of `past`. */
const timeAgo = /سنه|سنتين|سنوات|سنين|شهر|شهور|اشهر|اسبوع|ايام|يوم|زمان|الماضي|ago|last (year|month)/;

/**
 * Words of a question, a request or a wish, as the tokenizer folds them: a message with one of them
 * that names an emergency service and no danger asks about the service («ليتكم توفرون اسعاف»,
 * «ابي مساعده في قيمة نقل الوالده بالاسعاف الخاص»).
 */
const question =
  /(^| )(هل|وش|ايش|كم|متي|كيف|ليش|وين|شلون|ممكن|ابي مساعده|تساعدون|تساعدونا|ساعدونا|ليت|ليتكم|ياليت|اقترح|توفرون|قيمه|تكاليف|تكلفه|سعر|نقل|موعد|مواعيد|لمواعيد|لموعد|what|how|when|where|why|which|do you|does|can you|is there|are there|cost|price|transport|appointment|suggest|wish)( |$)/;

/** A message with every occurrence of `phrases` taken out; the set of forms stays true of what may be there. */
function without(read: string[][], phrases: Phrase[]): Words {
  const words: Words = { words: read, forms: new Set(read.flat()) };
  for (const phrase of phrases) {
    for (let at = find(words, phrase); at >= 0; at = find(words, phrase, at)) {
      words.words = [...words.words.slice(0, at), ...words.words.slice(at + phrase.words.length)];
    }
  }
  return words;
}

function has(message: Words, phrases: Phrase[]): boolean {
  for (const phrase of phrases) if (find(message, phrase) >= 0) return true;
  return false;
}

/**
 * Finds words of danger now in a message, in Arabic and English, wherever they are and whatever
 * is glued to them («وبنتي تنزف», «فأمي ما تتنفس»), before anything else is read. High recall on
 * purpose: a false alarm costs a staff member a look; a missed one may cost a life. Phrases that
 * say there is no emergency («مو طارئ», "not an emergency") are taken out first, and a stroke or
 * an accident told with a time long past («قبل سنتين») is a history, not an emergency. A
 * classifier gives a second opinion on the words the rules do not know («صدره يعصره»).
 */
export class EmergencyDetector {
  private readonly danger: Phrase[];
  private readonly selfHarm: Phrase[];
  private readonly services: Phrase[];
  private readonly together: Phrase[][][];
  private readonly calm: Phrase[];
  private readonly history: Phrase[];
  private readonly past: Phrase[];
  /** The phrases of `past` that name a time gone by («قبل شهر», "last year"), not a condition («مزمن»). */
  private readonly longAgo: Phrase[];

  /**
   * `model`, trained on sentences of danger (`danger`), of look-alikes (`calm`) and of everything
   * else people write (`other`), catches the danger the rules do not name.
   */
  constructor(
    lists: EmergencyLists,
    private readonly model?: IntentClassifier,
  ) {
    this.danger = compile(lists.danger);
    this.selfHarm = compile(lists.selfHarm);
    this.services = compile(lists.services);
    this.together = lists.together.map((rule) => rule.map((group) => compile(group.split('|'))));
    this.calm = compile(lists.calm);
    this.history = compile(lists.history);
    this.past = compile(lists.past);
    this.longAgo = compile(lists.past.filter((p) => timeAgo.test(p)));
  }

  detect(text: string, lang?: Locale): boolean {
    const read = wordsOf(text);
    if (this.byRules(read)) return true;
    // The model's opinion is not asked of a message naming a time long past («fell last month»): a history.
    return (
      lang !== undefined && !has({ words: read, forms: new Set(read.flat()) }, this.longAgo) && this.byModel(text, lang)
    );
  }

  /** Whether a message tells of thoughts of self-harm: it is answered with care and a support line too. */
  harmsSelf(text: string): boolean {
    return this.harmsSelfIn(wordsOf(text));
  }

  private harmsSelfIn(read: string[][]): boolean {
    return has({ words: read, forms: new Set(read.flat()) }, this.selfHarm);
  }

  private byModel(text: string, lang: Locale): boolean {
    const top = this.model?.classify(text, lang)[0];
    return top?.intent === 'danger' && top.score >= 0.5;
  }

  /**
   * Whether a message only asks about an emergency service: a question («هل», «وش», «كم», "?") in
   * which nothing but such a service's name is a word of danger. It still gets the numbers, in
   * one line, and its question is answered; nobody is put in the emergency queue for it.
   */
  onlyAsksAboutServices(text: string): boolean {
    if (!question.test(tokenize(text).normalized) && !/[?؟]/.test(text)) return false;
    const read = wordsOf(text);
    const words = without(read, this.calm);
    return has(words, this.services) && !this.harmsSelfIn(read) && !this.dangerIn(without(words.words, this.services));
  }

  /** A message's words, read once: thoughts of self-harm, then (calm phrases taken out) a service's name or danger. */
  private byRules(read: string[][]): boolean {
    if (this.harmsSelfIn(read)) return true;
    const words = without(read, this.calm);
    return has(words, this.services) || this.dangerIn(words);
  }

  private dangerIn(words: Words): boolean {
    if (has(words, this.danger)) return true;
    // A fall, a stroke or an accident told with a time long past is a history, not an emergency.
    if (has(words, this.past)) return false;
    return has(words, this.history) || this.together.some((rule) => rule.every((group) => has(words, group)));
  }
}
