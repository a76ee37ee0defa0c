import type { OptionSpec } from '../events.ts';

/** What a beneficiary may rate: a conversation with staff, a resolved complaint, a served request, an FAQ answer. */
export type RatingSubject = 'handoff' | 'ticket' | 'case' | 'faq';

/** The item a rating is about, and the staff member whose work it was (if any). */
export interface RatingItem {
  subject: RatingSubject;
  subjectId: number;
  staffUserId?: number;
}

/** What an answer to a rating question says: a score from 1 to 5, "skip", or "no comment". */
export type RatingAnswer = number | 'skip' | 'none';

const subjects: readonly RatingSubject[] = ['handoff', 'ticket', 'case', 'faq'];

/** The lowest and highest scores. */
export const scoreRange = [1, 5] as const;

/**
 * The id of a rating option: `rate:<subject>:<id>:<answer>`. It carries the item rated, so a
 * button pressed long after the question (the person moved on) is still read as a rating of
 * that item, by the engine. ASCII and short: it fits Telegram's 64 bytes of callback data.
 */
export function ratingOptionId(item: RatingItem, answer: RatingAnswer): string {
  return `rate:${item.subject}:${item.subjectId}:${answer}`;
}

/** Reads a rating option's id back; undefined for any other option. */
export function parseRatingOption(
  id: string,
): { subject: RatingSubject; subjectId: number; answer: RatingAnswer } | undefined {
  const match = /^rate:([a-z]+):(\d{1,12}):([1-5]|skip|none)$/.exec(id);
  if (!match) return undefined;
  const subject = subjects.find((s) => s === match[1]);
  if (!subject) return undefined;
  const raw = match[3] as string;
  const answer: RatingAnswer = raw === 'skip' || raw === 'none' ? raw : Number(raw);
  return { subject, subjectId: Number(match[2]), answer };
}

/** The scores from 1 to 5, then "skip", for one item. */
export function scoreOptions(item: RatingItem): OptionSpec[] {
  return [
    ...[1, 2, 3, 4, 5].map((score) => ({ id: ratingOptionId(item, score), key: `rating:score.${score}` })),
    { id: ratingOptionId(item, 'skip'), key: 'rating:option.skip' },
  ];
}

/** What is offered with the invitation to add a comment: to leave it. */
export function commentOptions(item: RatingItem): OptionSpec[] {
  return [{ id: ratingOptionId(item, 'none'), key: 'rating:option.noComment' }];
}

/** The one-tap "was this helpful?" after an FAQ answer: yes is a 5, no a 1. */
export function helpfulOptions(topic: string): OptionSpec[] {
  const item: RatingItem = { subject: 'faq', subjectId: faqSubjectId(topic) };
  return [
    { id: ratingOptionId(item, 5), key: 'rating:option.helpful' },
    { id: ratingOptionId(item, 1), key: 'rating:option.notHelpful' },
  ];
}

/**
 * The number an FAQ answer is rated under: a hash of its topic id (FNV-1a, 31 bits), so that
 * adding or reordering topics never moves old ratings to another answer.
 */
export function faqSubjectId(topic: string): number {
  let hash = 0x811c9dc5;
  for (const char of topic) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}
