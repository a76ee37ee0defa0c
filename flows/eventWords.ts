/**
 * The words of an event, whatever flow receives it: what a person typed, or the id of the
 * option they chose; empty for any other event, so that no answer reader ever takes it.
 */

/** What a person typed, if the event is free text. */
export function textOf(event: { type: string }): string {
  return event.type === 'text' && 'text' in event && typeof event.text === 'string' ? event.text : '';
}

/** What a person typed as the edge folded it (digits Latin, one alef…), if the event is free text. */
export function normalizedOf(event: { type: string }): string {
  return event.type === 'text' && 'normalized' in event && typeof event.normalized === 'string' ? event.normalized : '';
}

/** How many words a person typed. */
export const wordCount = (text: string) => text.trim().split(/\s+/).length;

/**
 * Small talk of at most four words («شكرا», «الله يعطيك العافيه») is answered as small talk; a
 * longer sentence («الله يجزيكم الجنة على تعاونكم») says more, and is for the flow to read.
 */
export const isBriefSmallTalk = (text: string) => wordCount(text) <= 4;

/** The option a person chose, if the event is a choice. */
export function choiceOf(event: { type: string }): string {
  return event.type === 'choice' && 'id' in event && typeof event.id === 'string' ? event.id : '';
}
