import { intents } from '../../flows/events.ts';
import type { Locale } from '../domain/messages.ts';
import { type Classification, IntentClassifier, type TrainingData } from './classifier.ts';
import { EmergencyDetector } from './emergency.ts';
import { withoutPhrases } from './keywords.ts';
import { stems } from './tokenizer.ts';
import { courtesyVocabulary, emergencyLists, emergencySentences, intentPhrases } from './vocabulary.ts';

/** What a manager may teach a missed question as: an intent, or `None` (outside what the association does). */
export const teachable: readonly string[] = [...intents, 'None'];

/** A phrase a manager taught from the console's missed questions. */
export interface TaughtPhrase {
  lang: Locale;
  intent: string;
  text: string;
}

/** The phrases of `locales/<lang>/intents.json` with what managers taught added. */
function withTaught(taught: readonly TaughtPhrase[]): TrainingData {
  const data: TrainingData = { ar: { ...intentPhrases.ar }, en: { ...intentPhrases.en } };
  for (const { lang, intent, text } of taught) data[lang][intent] = [...(data[lang][intent] ?? []), text];
  return data;
}

/**
 * The assistant's understanding of free text: the intent classifier, which learns again when a
 * manager teaches it a missed question, and the emergency detector (word rules, with a
 * classifier of its own as a second opinion). Models are trained at start and kept under
 * `cacheDir` by a hash of their data, so a restart with the same phrases only loads them.
 */
export class Understanding {
  private intents: IntentClassifier;
  private readonly emergency: EmergencyDetector;

  constructor(private readonly options: { cacheDir?: string; taught?: readonly TaughtPhrase[] } = {}) {
    this.intents = IntentClassifier.for(withTaught(options.taught ?? []), this.cache('intents'));
    this.emergency = new EmergencyDetector(
      emergencyLists,
      IntentClassifier.for(emergencySentences, this.cache('emergencies')),
    );
  }

  /** The intents `text` may mean in `lang`, likeliest first. */
  classify(text: string, lang: Locale): Classification[] {
    return this.intents.classify(text, lang);
  }

  /** Whether `text` says someone is in danger now. */
  isEmergency(text: string, lang: Locale | undefined): boolean {
    return this.emergency.detect(text, lang);
  }

  /** Whether `text` only asks about an emergency service («هل توفرون اسعاف…؟»), naming no danger. */
  onlyAsksAboutServices(text: string): boolean {
    return this.emergency.onlyAsksAboutServices(text);
  }

  /** Whether `text` tells of thoughts of self-harm. */
  harmsSelf(text: string): boolean {
    return this.emergency.harmsSelf(text);
  }

  /**
   * `text` without its courtesy («السلام عليكم», «الله يعطيكم العافية», «جزاكم الله خير»), as
   * `locales/<lang>/keywords.json` lists it. Undefined when none was there, or fewer than two other
   * words are.
   */
  withoutCourtesy(text: string): string | undefined {
    const content = withoutPhrases(text, courtesyVocabulary);
    return content.length >= 2 && content.length < stems(text).length ? content.join(' ') : undefined;
  }

  /** Learns again, from the phrases in `locales/` and everything managers taught so far. */
  learn(taught: readonly TaughtPhrase[]): void {
    this.intents = IntentClassifier.for(withTaught(taught), this.cache('intents'));
  }

  private cache(name: string): { dir: string; name: string } | undefined {
    return this.options.cacheDir ? { dir: this.options.cacheDir, name } : undefined;
  }
}

let standard: Understanding | undefined;

/** The understanding trained on the phrases in `locales/` only, for callers that were not given one. */
export function standardUnderstanding(): Understanding {
  standard ??= new Understanding();
  return standard;
}
