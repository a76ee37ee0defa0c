import { bare, stems, tokenize } from './tokenizer.ts';

/** A list of phrases per topic id, in any language, as written by people who maintain them. */
export type Vocabulary = Record<string, readonly string[]>;

/** A vocabulary prepared once for fast matching. */
export type CompiledVocabulary = { id: string; phrases: string[][] }[];

/** Prepares a vocabulary (normalises and stems every phrase) so matching does no repeated work. */
export function compileVocabulary(...vocabularies: Vocabulary[]): CompiledVocabulary {
  const byId = new Map<string, string[][]>();
  for (const vocabulary of vocabularies) {
    for (const [id, phrases] of Object.entries(vocabulary)) {
      const list = byId.get(id) ?? [];
      for (const phrase of phrases) {
        const s = stems(phrase);
        if (s.length > 0) list.push(s);
      }
      byId.set(id, list);
    }
  }
  return [...byId].map(([id, phrases]) => ({ id, phrases }));
}

/**
 * Finds the topic whose phrases best cover `text`: each phrase found as a run of whole words
 * scores its word count. Returns the best topic id, or undefined when nothing matches.
 */
export function matchKeywords(text: string, vocabulary: CompiledVocabulary): string | undefined {
  const words = stems(text);
  let best: { id: string; score: number } | undefined;
  for (const { id, phrases } of vocabulary) {
    let score = 0;
    for (const phrase of phrases) if (containsRun(words, phrase)) score += phrase.length;
    if (score > 0 && (!best || score > best.score)) best = { id, score };
  }
  return best?.id;
}

/** Whether the whole of `text` is one of the phrases of a topic; returns that topic's id. */
export function matchWhole(text: string, vocabulary: CompiledVocabulary): string | undefined {
  const words = stems(text).join(' ');
  return vocabulary.find(({ phrases }) => phrases.some((p) => p.join(' ') === words))?.id;
}

/** `text`'s words, as written, with every run of a phrase of `vocabulary` taken out, the longest phrases first. */
export function withoutPhrases(text: string, vocabulary: CompiledVocabulary): string[] {
  const words = [...tokenize(text).words];
  const stems = words.map(bare);
  for (const phrase of longestFirst(vocabulary)) {
    for (let at = runAt(stems, phrase); at >= 0; at = runAt(stems, phrase)) {
      words.splice(at, phrase.length);
      stems.splice(at, phrase.length);
    }
  }
  return words;
}

/** A vocabulary's phrases, the longest first, sorted once per vocabulary. */
const sortedPhrases = new WeakMap<CompiledVocabulary, string[][]>();
function longestFirst(vocabulary: CompiledVocabulary): string[][] {
  let phrases = sortedPhrases.get(vocabulary);
  if (!phrases) {
    phrases = vocabulary.flatMap((v) => v.phrases).sort((a, b) => b.length - a.length);
    sortedPhrases.set(vocabulary, phrases);
  }
  return phrases;
}

const containsRun = (words: string[], phrase: string[]) => runAt(words, phrase) >= 0;

/** Where `phrase` runs in `words`, or -1. */
function runAt(words: string[], phrase: string[]): number {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}
