import ar from '../../locales/ar/keywords.json' with { type: 'json' };
import en from '../../locales/en/keywords.json' with { type: 'json' };
import { compileVocabulary } from '../domain/keywords.ts';

/**
 * Enquiry topics and the phrases people use for them, in every language at once: a user who
 * chose English may still type Arabic. The phrases live in `locales/<lang>/keywords.json`.
 */
export const topicVocabulary = compileVocabulary(ar.topics, en.topics);

/** The words that work at every step (menu, back, cancel, help, staff, language), whole-message. */
export const globalVocabulary = compileVocabulary(ar.global, en.global);

/** Words of emergency or distress, found anywhere in a message: the bot gives 911 / 997 first. */
export const emergencyVocabulary = compileVocabulary(ar.emergency, en.emergency);

/** Services asked for in free text («ممكن تساعدوني», «وين وصل طلبي»): `aid` and `followUp`. */
export const serviceVocabulary = compileVocabulary(ar.services, en.services);

/** Words that say a score from 1 to 5 («ممتاز» 5, «سيء» 1, "very good" 4), read as a whole message. */
export const scoreVocabulary = compileVocabulary(ar.scores, en.scores);

/** Words that may come with a score without changing it («شكرا», «الخدمة», "thanks", "the service"). */
export const scoreFillerVocabulary = compileVocabulary({ filler: ar.scoreFillers }, { filler: en.scoreFillers });

/** A plain yes or no («نعم», «ايه», «تمام», «لا»), read as the option that says so when one is offered. */
export const answerVocabulary = compileVocabulary(ar.answers, en.answers);
