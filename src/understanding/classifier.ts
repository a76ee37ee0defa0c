import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StemmerAr } from '@nlpjs/lang-ar';
import { StemmerEn } from '@nlpjs/lang-en-min';
import { NeuralNetwork, type TrainingItem } from '@nlpjs/neural';
import { distance } from 'fastest-levenshtein';
import type { Locale } from '../domain/messages.ts';
import { bare, tokenize } from './tokenizer.ts';

/** Training phrases per intent id, in one language. */
export type Utterances = Record<string, readonly string[]>;

/** Everything the classifier learns from: the phrases of each language. */
export type TrainingData = Record<Locale, Utterances>;

/** An intent and how likely it is (the scores of one text sum to 1). */
export interface Classification {
  intent: string;
  score: number;
}

/** Bumped whenever the features or the model change shape, so that cached models are retrained. */
const modelVersion = 4;

const stemmers = { ar: new StemmerAr(), en: new StemmerEn() };

/** The last text read, and its features. */
let last: { text: string; lang: Locale; features: readonly string[] } = { text: '', lang: 'ar', features: [] };

/**
 * The features of a text: each of its words (as the tokenizer reads them), its stem, and for an
 * Arabic word with a conjunction, a preposition or the article in front, the same without it
 * (the stemmer leaves «فالاوراق» whole); and each pair of neighbouring stems («ما رد» is not «رد»).
 */
export function featuresOf(text: string, lang: Locale): readonly string[] {
  // The emergency model and the intents read the same message one after the other.
  if (last.text === text && last.lang === lang) return last.features;
  const { words } = tokenize(text);
  const stripped = lang === 'ar' ? words.map(bare) : words;
  const stem = (list: string[]) => stemmers[lang].stem(list).filter(Boolean);
  const stems = stem(stripped);
  const pairs = stems.slice(1).map((s, i) => `${stems[i]}_${s}`);
  const features = [...new Set([...words, ...stripped, ...stem(words), ...stems, ...pairs])];
  last = { text, lang, features };
  return features;
}

/** The features of training phrases, computed once per process (both models learn the intents' phrases). */
const learned = new Map<string, readonly string[]>();
function phraseFeatures(phrase: string, lang: Locale): readonly string[] {
  const key = `${lang}:${phrase}`;
  const known = learned.get(key) ?? featuresOf(phrase, lang);
  learned.set(key, known);
  return known;
}

/**
 * One language's model, the way nlp.js's own NeuralNlu builds it: a neural network over word
 * stems, a "None" output that grows with the words it has never seen, a spell check of unknown
 * words of five letters or more against the known ones (one letter off), and no intent scored
 * that shares no word with the text. A text most of whose features it never saw gets none.
 */
class LanguageModel {
  private readonly net = new NeuralNetwork({ log: false, deltaErrorThresh: 3e-5 });
  private features: Record<string, number> = {};
  private intentFeatures: Record<string, Record<string, number>> = {};
  private spell!: SpellIndex;
  private delta: number | undefined;

  static train(lang: Locale, utterances: Utterances): LanguageModel {
    const model = new LanguageModel(lang);
    const corpus: TrainingItem[] = [];
    for (const [intent, phrases] of Object.entries(utterances)) {
      const own: Record<string, number> = {};
      model.intentFeatures[intent] = own;
      for (const phrase of phrases) {
        const input = Object.fromEntries(phraseFeatures(phrase, lang).map((f) => [f, 1]));
        for (const f of Object.keys(input)) own[f] = model.features[f] = 1;
        if (Object.keys(input).length > 0) corpus.push({ input, output: { [intent]: 1 } });
      }
    }
    const intents = Object.keys(model.intentFeatures);
    corpus.push({
      input: { nonefeature: 1 },
      output: { ...Object.fromEntries(intents.map((i) => [i, 1e-7])), None: 1 },
    });
    model.net.train(corpus);
    model.spell = new SpellIndex(Object.keys(model.features));
    return model;
  }

  static fromJSON(lang: Locale, json: SavedModel): LanguageModel {
    const model = new LanguageModel(lang);
    model.features = json.features;
    model.intentFeatures = json.intentFeatures;
    model.net.fromJSON(json.net);
    model.spell = new SpellIndex(Object.keys(model.features));
    return model;
  }

  private constructor(private readonly lang: Locale) {}

  toJSON(): SavedModel {
    return { features: this.features, intentFeatures: this.intentFeatures, net: this.net.toJSON() };
  }

  classify(text: string): Classification[] {
    const tokens = featuresOf(text, this.lang).map((f) => (this.features[f] ? f : (this.spell.correct(f) ?? f)));
    const known = tokens.filter((t) => this.features[t]);
    // Mostly words it never learned («الخبراء الشمالية», a place): no meaning, rather than a wild guess.
    if (known.length === 0 || known.length / tokens.length < 0.3) return [];
    const input: Record<string, number> = Object.fromEntries(known.map((t) => [t, 1]));
    // Every unknown word makes "None" likelier, each a little more than the one before.
    let delta = this.noneDelta;
    let none = 0;
    for (let i = known.length; i < tokens.length; i++, delta *= 1.2) none += delta;
    if (none) input.nonefeature = none;
    const scored = Object.entries(this.net.run(input) ?? {})
      .filter(
        ([intent, score]) => score > 0 && (intent === 'None' || known.some((t) => this.intentFeatures[intent]?.[t])),
      )
      .map(([intent, score]) => ({ intent, score: score ** 2 }));
    const total = scored.reduce((sum, c) => sum + c.score, 0);
    return scored.map((c) => ({ intent: c.intent, score: c.score / total })).sort((a, b) => b.score - a.score);
  }

  /** How much one unknown word adds to "None": intents per known feature, as nlp.js reckons it. */
  private get noneDelta(): number {
    this.delta ??= Object.keys(this.intentFeatures).length / Object.keys(this.features).length;
    return this.delta;
  }
}

/**
 * Finds the known word one letter off an unknown one («المستندت» → «المستندات»), for words of five
 * letters or more, as nlp.js's spell check does, but through an index of every known word with one
 * letter deleted (the "symmetric delete" method): a few look-ups per word instead of comparing it
 * with thousands, so that a message's reading stays well under a millisecond.
 */
class SpellIndex {
  private readonly byDelete = new Map<string, string[]>();
  private readonly corrected = new Map<string, string | undefined>();

  constructor(words: string[]) {
    for (const word of words) {
      if (word.length < 4 || word.includes('_')) continue;
      for (const key of [word, ...deletes(word)]) {
        const list = this.byDelete.get(key);
        if (list) list.push(word);
        else this.byDelete.set(key, [word]);
      }
    }
  }

  /** The known word one edit away (the closest in length, then the first in order), if any. */
  correct(token: string): string | undefined {
    if (token.length < 5 || token.includes('_')) return undefined;
    // People write the same words again and again: each is looked up once (a few thousand kept).
    if (this.corrected.has(token)) return this.corrected.get(token);
    const candidates = new Set([token, ...deletes(token)].flatMap((key) => this.byDelete.get(key) ?? []));
    const word = [...candidates]
      .filter((w) => distance(w, token) <= 1)
      .sort((a, b) => Math.abs(a.length - token.length) - Math.abs(b.length - token.length) || a.localeCompare(b))[0];
    if (this.corrected.size >= 5000) this.corrected.clear();
    this.corrected.set(token, word);
    return word;
  }
}

/** A word with each one of its letters left out in turn. */
const deletes = (word: string) => Array.from({ length: word.length }, (_, i) => word.slice(0, i) + word.slice(i + 1));

interface SavedModel {
  features: Record<string, number>;
  intentFeatures: Record<string, Record<string, number>>;
  net: unknown;
}

/**
 * Reads what a person wrote as one of the intents it was trained on, in Arabic or English, in
 * about a tenth of a millisecond, synchronously (the engine reads a message inside its
 * transaction). Built on nlp.js's neural network and stemmers.
 */
export class IntentClassifier {
  private constructor(
    readonly hash: string,
    private readonly models: Record<Locale, LanguageModel>,
  ) {}

  /**
   * The classifier for `data`: trained once per process, and kept under `cache.dir` as
   * `<name>-<hash of the data>.json`, so that a restart with the same phrases loads it instead of
   * training again; older models of that name are removed once the new one is written.
   */
  static for(data: TrainingData, cache?: { dir: string; name: string }): IntentClassifier {
    const hash = createHash('sha256')
      .update(JSON.stringify([modelVersion, data]))
      .digest('hex')
      .slice(0, 16);
    const known = trained.get(hash);
    if (known) return known;
    const file = cache ? join(cache.dir, `${cache.name}-${hash}.json`) : undefined;
    const classifier = (file && IntentClassifier.load(hash, file)) || IntentClassifier.train(hash, data);
    if (cache && file && !existsSync(file)) IntentClassifier.save(classifier, cache.dir, cache.name, file);
    // A few kept in memory (tests build several); each manager's lesson makes a new one.
    trained.set(hash, classifier);
    for (const old of [...trained.keys()].slice(0, -4)) trained.delete(old);
    return classifier;
  }

  private static train(hash: string, data: TrainingData): IntentClassifier {
    return new IntentClassifier(hash, {
      ar: LanguageModel.train('ar', data.ar),
      en: LanguageModel.train('en', data.en),
    });
  }

  private static save(classifier: IntentClassifier, dir: string, name: string, file: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { ar, en } = classifier.models;
    writeFileSync(`${file}.tmp`, JSON.stringify({ ar: ar.toJSON(), en: en.toJSON() }), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    for (const other of readdirSync(dir)) {
      if (other.startsWith(`${name}-`) && join(dir, other) !== file) rmSync(join(dir, other), { force: true });
    }
  }

  private static load(hash: string, file: string): IntentClassifier | undefined {
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<Locale, SavedModel>;
      return new IntentClassifier(hash, {
        ar: LanguageModel.fromJSON('ar', json.ar),
        en: LanguageModel.fromJSON('en', json.en),
      });
    } catch {
      // Missing or damaged: trained again.
      return undefined;
    }
  }

  /** The intents `text` may mean, likeliest first (none when it shares no word with any phrase). */
  classify(text: string, lang: Locale): Classification[] {
    return this.models[lang].classify(text);
  }
}

const trained = new Map<string, IntentClassifier>();
