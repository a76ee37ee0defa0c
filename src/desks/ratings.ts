import type { EffectRequest, SystemEvent } from '../../flows/events.ts';
import { topics as topicIds } from '../../flows/events.ts';
import { faqSubjectId } from '../../flows/rating/ratingOptions.ts';
import type { Db } from '../db/client.ts';
import type { Conversation } from '../db/conversations.ts';
import { findRating, handlingStaff, noteAsked, recentFaqRating, rescore, saveAnswer } from '../db/ratings.ts';
import type { LateRating } from '../understanding/interpret.ts';

type AskRequest = Extract<EffectRequest, { name: 'rating.ask' }>;
type RecordRequest = Extract<EffectRequest, { name: 'rating.record' }>;
type AskedEvent = Extract<SystemEvent, { type: 'rating.asked' }>;

/** The longest comment kept (the rest is dropped, not refused). */
export const maxRatingComment = 1000;

/** How long an FAQ answer's rating may still be changed (an old 👍 pressed again) rather than repeated. */
const faqRerateMs = 86_400_000;

/** The FAQ answers that can be rated, by the number they are rated under. */
const faqSubjects = new Set(topicIds.map(faqSubjectId));

/**
 * Notes that the rating of an item is asked in this conversation, on its channel, with the
 * staff member whose work it was. `fresh` is false when the item was asked before: the flow
 * then says nothing (asked once per item, whatever sends the item again).
 */
export function askRating(tx: Db, conversation: Conversation, request: AskRequest, now: Date): AskedEvent {
  const fresh = noteAsked(
    tx,
    {
      conversationId: conversation.id,
      subject: request.subject,
      subjectId: request.subjectId,
      staffUserId: request.staffUserId ?? handlingStaff(tx, request.subject, request.subjectId),
      channel: conversation.channel,
    },
    now,
  );
  return { type: 'rating.asked', subject: request.subject, subjectId: request.subjectId, fresh };
}

/** Keeps a score (null: skipped) and perhaps a comment; a repeat updates, never fails. */
export function recordRating(tx: Db, conversation: Conversation, request: RecordRequest, now: Date): void {
  const comment = request.comment?.trim().slice(0, maxRatingComment);
  const staff =
    request.staffUserId ?? (request.subject === 'faq' ? null : handlingStaff(tx, request.subject, request.subjectId));
  saveAnswer(
    tx,
    {
      conversationId: conversation.id,
      subject: request.subject,
      subjectId: request.subjectId,
      staffUserId: staff,
      channel: conversation.channel,
      score: request.score,
      comment: comment || null,
    },
    now,
  );
}

/**
 * A rating button pressed after the person moved on: kept against the item its id names, if
 * that item was asked about in this very conversation (or is an FAQ answer), without disturbing
 * the flow. Returns what to tell the person, or undefined for a button that rates nothing of theirs.
 */
export function recordLateRating(tx: Db, conversation: Conversation, late: LateRating, now: Date): string | undefined {
  const { subject, subjectId, answer } = late;
  if (subject === 'faq') {
    if (!faqSubjects.has(subjectId) || typeof answer !== 'number') return undefined;
    const recent = recentFaqRating(tx, conversation.id, subjectId, new Date(now.getTime() - faqRerateMs));
    if (recent) rescore(tx, recent.id, answer, now);
    else recordRating(tx, conversation, { name: 'rating.record', subject, subjectId, score: answer }, now);
    return 'rating:lateThanks';
  }
  const asked = findRating(tx, subject, subjectId);
  if (!asked || asked.conversationId !== conversation.id) return undefined;
  if (answer === 'none') return 'rating:skipped';
  recordRating(
    tx,
    conversation,
    { name: 'rating.record', subject, subjectId, score: answer === 'skip' ? null : answer },
    now,
  );
  return answer === 'skip' ? 'rating:skipped' : 'rating:lateThanks';
}
