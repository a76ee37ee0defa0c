import { type FlowEvent, type Reply, reply } from './events.ts';

type TextEvent = Extract<FlowEvent, { type: 'text' }>;
const textEvent = (event: { type: string }) => (event.type === 'text' ? (event as TextEvent) : undefined);

/** Words saying the person has none of what is asked, or forgot it («ما عندي», «ما اذكره», "I don't have"). */
const hasNone =
  /(^| )(ما ?|مو |مب )(عندي|معي|لدي|عندنا|اذكر|اتذكر|ادري|اعرف)|(^| )ما ?فيه?( |$)|نسيت|ضاع|لا يوجد|ليس (عندي|لدي|معي)|don'?t (have|remember|know)|do not have|have no|forgot|lost/;

/** A question: a question mark, or a word that asks («وش», «متى», «كم», "when", "how"…). */
const questionWords =
  /[؟?]|(^| )(وش|ايش|شو|متي|كم|ليش|لماذا|هل|وين|اين|كيف|ماذا|what|when|how|why|where|which|can|do|does)( |$)/;

/** Up to eight words: a longer text written where free text is asked is the answer, whatever it asks too. */
const isShort = (normalized: string) => normalized.split(/\s+/).length <= 8;

/** Words of speaking to someone («اكلم», «اتواصل», "talk"): a sentence naming a staff member without them is about one. */
const speaks = /(^| )(ا|ن)?(كلم|تكلم|اتكلم|اكلم|تواصل|اتواصل|احكي|كلموني|اخاطب|ابي احد)|talk|speak|call me|contact/;

/** A text asking to speak to a person, in a short sentence with a word of speaking. */
export const callsForStaff = (event: { type: string }) => {
  const text = textEvent(event);
  return text?.global === 'staff' && isShort(text.normalized) && speaks.test(text.normalized);
};

/**
 * What a text may be instead of an answer, as the edge read it: a question about the association
 * (answered from the enquiries), small talk (answered), a call for a person. A flow answers it
 * and asks its question again, so nobody gets «I did not understand» for «متى تردون؟».
 */
export const asideGuards = {
  // «ما عندي رقم» says there is none, and asks nothing of the contact numbers.
  'asksTopic?': ({ event }: { event: { type: string } }) => {
    const text = textEvent(event);
    return text?.topic !== undefined && !hasNone.test(text.normalized ?? '');
  },
  'isSmallTalk?': ({ event }: { event: { type: string } }) => textEvent(event)?.smallTalk !== undefined,
  'asksForStaff?': ({ event }: { event: { type: string } }) => textEvent(event)?.global === 'staff',
  /**
   * Where free text is asked (a complaint), only a short question about the association is one:
   * «الموظف تأخر في الرد علي اسبوعين» names a delay and is the complaint.
   */
  'asksBriefly?': ({ event }: { event: { type: string } }) => {
    const text = textEvent(event);
    const normalized = text?.normalized ?? '';
    return (
      text?.topic !== undefined &&
      text.service === undefined &&
      isShort(normalized) &&
      questionWords.test(normalized) &&
      !hasNone.test(normalized)
    );
  },
  /**
   * Where free text is asked, a short sentence asking to speak to a person; one about a colleague
   * («موظف الاستقبال ما يحترم الناس») is the text.
   */
  'callsForStaff?': ({ event }: { event: { type: string } }) => callsForStaff(event),
  'isYesOrNo?': ({ event }: { event: { type: string } }) => textEvent(event)?.answer !== undefined,
  /** «ما عندي صوره», «لا ما عندي»: there is none of what is asked. */
  'saysNone?': ({ event }: { event: { type: string } }) => hasNone.test(textEvent(event)?.normalized ?? ''),
};

/** The answer to a question about the association read in a text. */
export const topicAnswer = (event: { type: string }): Reply => reply(`enquiries:answer.${textEvent(event)?.topic}`);

/** The answer to small talk read in a text. */
export const smallTalkAnswer = (event: { type: string }): Reply =>
  reply(`root:smallTalk.${textEvent(event)?.smallTalk}`);

/**
 * At a question of options, the transitions for a text that is no answer, with the guards above
 * and the machine's `askForStaff`, `answerTopic` and `answerSmallTalk`: a person is put through;
 * a question or small talk is answered and the question of `state` asked again.
 */
export function asides<const State extends string>(state: State) {
  return [
    { guard: 'asksForStaff?', actions: 'askForStaff' },
    { guard: 'asksTopic?', target: state, reenter: true, actions: 'answerTopic' },
    { guard: 'isSmallTalk?', target: state, reenter: true, actions: 'answerSmallTalk' },
  ] as const;
}

/**
 * Where free text is asked, the transitions for a text that is no answer: a short call for a
 * person puts them through, a short question is answered and the question of `state` asked again.
 */
export function freeTextAsides<const State extends string>(state: State) {
  return [
    { guard: 'callsForStaff?', actions: 'askForStaff' },
    { guard: 'asksBriefly?', target: state, reenter: true, actions: 'answerTopic' },
  ] as const;
}
