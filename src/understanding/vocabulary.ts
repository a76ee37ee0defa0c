import arEmergencies from '../../locales/ar/emergencies.json' with { type: 'json' };
import arIntents from '../../locales/ar/intents.json' with { type: 'json' };
import ar from '../../locales/ar/keywords.json' with { type: 'json' };
import enEmergencies from '../../locales/en/emergencies.json' with { type: 'json' };
import enIntents from '../../locales/en/intents.json' with { type: 'json' };
import en from '../../locales/en/keywords.json' with { type: 'json' };
import type { TrainingData } from './classifier.ts';
import type { EmergencyLists } from './emergency.ts';
import { compileVocabulary } from './keywords.ts';

/**
 * The phrases the classifier learns each intent from, per language, as the association keeps
 * them in `locales/<lang>/intents.json`: staff add a phrasing there when a question was missed.
 */
export const intentPhrases: TrainingData = { ar: arIntents, en: enIntents };

/**
 * The words that work at every step (menu, back, cancel, help, staff, language) when they are the
 * whole message; in a sentence they are the classifier's. Both languages at once: a user who chose
 * English may still type Arabic.
 */
export const globalVocabulary = compileVocabulary(ar.global, en.global);

/** The services asked for by their name alone, as the README gives them («بياناتي», «احذف بياناتي»). */
export const serviceVocabulary = compileVocabulary(ar.services, en.services);

/** Greetings, prayers and thanks said around a request («الله يعطيكم العافيه», "dear team"): set aside to read the request. */
export const courtesyVocabulary = compileVocabulary({ courtesy: ar.courtesy }, { courtesy: en.courtesy });

/** The languages by name («انجليزي», "arabic"): «ابي انجليزي» switches at once. */
export const languageNames = compileVocabulary(ar.languageNames, en.languageNames);

/** Words of danger now, in both languages, and the phrases that say there is none («مو طارئ»). */
export const emergencyLists: EmergencyLists = {
  danger: [...ar.emergency.danger, ...en.emergency.danger],
  selfHarm: [...ar.emergency.selfHarm, ...en.emergency.selfHarm],
  services: [...ar.emergency.services, ...en.emergency.services],
  together: [...ar.emergency.together, ...en.emergency.together],
  calm: [...ar.emergency.calm, ...en.emergency.calm],
  history: [...ar.emergency.history, ...en.emergency.history],
  past: [...ar.emergency.past, ...en.emergency.past],
};

/** Every other phrase of each intent: enough of what people ordinarily write, in half the training time. */
function everyOther(intents: Record<string, readonly string[]>): string[] {
  return Object.values(intents).flatMap((phrases) => phrases.filter((_, i) => i % 3 !== 2));
}

/**
 * What the emergency detector's second opinion learns from: sentences of danger now and of
 * look-alikes that are not (`locales/<lang>/emergencies.json`), beside the intents' phrases as
 * what people ordinarily write.
 */
export const emergencySentences: TrainingData = {
  ar: { ...arEmergencies, other: everyOther(arIntents) },
  en: { ...enEmergencies, other: everyOther(enIntents) },
};

/** Words that say a score from 1 to 5 («ممتاز» 5, «سيء» 1, "very good" 4), read as a whole message. */
export const scoreVocabulary = compileVocabulary(ar.scores, en.scores);

/** Words that may come with a score without changing it («شكرا», «الخدمة», "thanks", "the service"). */
export const scoreFillerVocabulary = compileVocabulary({ filler: ar.scoreFillers }, { filler: en.scoreFillers });

/** A plain yes or no («نعم», «ايه», «تمام», «لا»), read as the option that says so when one is offered. */
export const answerVocabulary = compileVocabulary(ar.answers, en.answers);
