import { type FlowEvent, type Reply, reply } from './events.ts';

type TextEvent = Extract<FlowEvent, { type: 'text' }>;
const textEvent = (event: { type: string }) => (event.type === 'text' ? (event as TextEvent) : undefined);

/** Words saying the person has none of what is asked, or forgot it («ما عندي», «ما اذكره», "I don't have"). */
const hasNone =
  /(^| )(ما ?|مو |مب )(عندي|معي|لدي|عندنا|اذكر|اتذكر|ادري|اعرف)|نسيت|ضاع|لا يوجد|ليس (عندي|لدي|معي)|don'?t (have|remember|know)|do not have|have no|forgot|lost/;

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
