import { describe, expect, it } from 'vitest';
import { optionsAfter } from '../../flows/enquiries/enquiriesMachine.ts';
import type { FlowEvent } from '../../flows/events.ts';
import {
  faqSubjectId,
  parseRatingOption,
  type RatingItem,
  ratingOptionId,
  scoreOptions,
} from '../../flows/rating/ratingOptions.ts';
import { answerStart, effectNames, effectOf, replyKeys } from './aidFixtures.ts';
import { atMenu } from './flowHarness.ts';

const served: FlowEvent = { type: 'case.served', caseId: 42, staffUserId: 3 };
const resolved: FlowEvent = { type: 'ticket.resolved', ticketId: 9, staffUserId: 4 };
/** The engine's answer to `rating.ask`: first time asked (`fresh`), or asked before. */
const asked = (subject: 'case' | 'ticket', subjectId: number, fresh = true): FlowEvent => ({
  type: 'rating.asked',
  subject,
  subjectId,
  fresh,
});
const queued: FlowEvent = {
  type: 'handoff.queued',
  handoffId: 7,
  position: 1,
  open: true,
  opensAt: 0,
  already: false,
};

/** A person talking with a staff member, asked for from the main menu. */
function withStaff() {
  const h = atMenu();
  h.say('staff');
  h.send(queued);
  h.send({ type: 'handoff.claimed' });
  return h;
}

describe('rating options', () => {
  it('should carry the item rated in ids that fit a Telegram button, and read them back', () => {
    const item: RatingItem = { subject: 'ticket', subjectId: 123456 };
    const ids = scoreOptions(item).map((o) => o.id);
    expect(ids).toEqual([
      'rate:ticket:123456:1',
      'rate:ticket:123456:2',
      'rate:ticket:123456:3',
      'rate:ticket:123456:4',
      'rate:ticket:123456:5',
      'rate:ticket:123456:skip',
    ]);
    for (const id of ids) expect(Buffer.byteLength(id)).toBeLessThanOrEqual(64);
    expect(parseRatingOption('rate:case:42:4')).toEqual({ subject: 'case', subjectId: 42, answer: 4 });
    expect(parseRatingOption(ratingOptionId({ subject: 'handoff', subjectId: 7 }, 'none'))).toEqual({
      subject: 'handoff',
      subjectId: 7,
      answer: 'none',
    });
    for (const id of ['rate:case:42:6', 'rate:staff:1:5', 'rate:case:x:5', 'menu', '5']) {
      expect(parseRatingOption(id), id).toBeUndefined();
    }
  });

  it('should rate an FAQ answer under a number that does not depend on the order of the topics', () => {
    expect(faqSubjectId('documents')).toBe(faqSubjectId('documents'));
    expect(faqSubjectId('documents')).not.toBe(faqSubjectId('duration'));
    expect(faqSubjectId('documents')).toBeGreaterThan(0);
    expect(faqSubjectId('documents')).toBeLessThanOrEqual(0x7fffffff);
  });
});

describe('rating after a conversation with staff', () => {
  it('should ask at once, read a score in words, keep whose work it was, then take an optional comment', () => {
    const h = withStaff();
    const closed = h.sendRaw({ type: 'handoff.closed', handoffId: 7, by: 'staff', staffUserId: 3 });
    expect(replyKeys(closed)).toEqual(['handoff:closed', 'rating:ask']);
    // Asked once: the engine notes it (for the response rate), the flow does not wait for it.
    expect(effectOf(closed, 'rating.ask')).toEqual({
      type: 'effect',
      name: 'rating.ask',
      subject: 'handoff',
      subjectId: 7,
      staffUserId: 3,
    });
    expect(h.offered()).toEqual(scoreOptions({ subject: 'handoff', subjectId: 7 }).map((o) => o.id));
    const scored = h.writeRaw('ممتاز');
    expect(effectOf(scored, 'rating.record')).toEqual({
      type: 'effect',
      name: 'rating.record',
      subject: 'handoff',
      subjectId: 7,
      staffUserId: 3,
      score: 5,
    });
    expect(replyKeys(scored)).toEqual(['rating:thanks', 'rating:comment.ask']);
    const commented = h.writeRaw('الموظف كان صبورًا معي');
    expect(effectOf(commented, 'rating.record')).toMatchObject({ score: 5, comment: 'الموظف كان صبورًا معي' });
    expect(replyKeys(commented)).toEqual(['rating:comment.thanks', 'root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should ask what could be better after a low score, and let the comment be skipped', () => {
    const h = withStaff();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    expect(h.write('😞')).toEqual(['rating:thanks', 'rating:comment.askLow']);
    const skipped = h.writeRaw('تخطي');
    expect(effectNames(skipped)).toEqual([]);
    expect(replyKeys(skipped)).toEqual(['root:menu.prompt']);
  });

  it('should take «لا» at the comment step as no comment, not as one', () => {
    const h = withStaff();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    h.write('٤');
    const out = h.writeRaw('لا');
    expect(effectNames(out)).toEqual([]);
    expect(replyKeys(out)).toEqual(['root:menu.prompt']);
  });

  it('should let «تخطي» skip the rating, and keep that it was skipped', () => {
    const h = withStaff();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    const out = h.writeRaw('تخطي');
    expect(effectOf(out, 'rating.record')).toMatchObject({ subject: 'handoff', subjectId: 7, score: null });
    expect(replyKeys(out)).toEqual(['rating:skipped', 'root:menu.prompt']);
  });

  it('should read digits of both systems, stars and emoji as the score', () => {
    for (const [typed, score] of [
      ['٤', 4],
      ['2', 2],
      ['٥ من ٥', 5],
      ['⭐⭐⭐', 3],
      ['👍', 5],
      ['سيء', 1],
      ['جيد جدا', 4],
    ] as const) {
      const h = withStaff();
      h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
      expect(effectOf(h.writeRaw(typed), 'rating.record'), typed).toMatchObject({ score });
    }
  });

  it('should never ask when the person left the queue before anyone took it', () => {
    const h = atMenu();
    h.say('staff');
    h.send(queued);
    const out = h.sendRaw({ type: 'handoff.closed', handoffId: 7, by: 'user' });
    expect(replyKeys(out)).toEqual(['handoff:left', 'root:menu.prompt']);
    expect(effectNames(out)).toEqual([]);
  });
});

describe('rating a served request or a resolved complaint', () => {
  it('should take a thank-you written as the comment of a served request as that comment, not as small talk', () => {
    const h = atMenu();
    h.send(served);
    h.send(asked('case', 42));
    h.write('٥');
    const commented = h.writeRaw('شكرا جزيلا');
    expect(effectOf(commented, 'rating.record')).toMatchObject({ score: 5, comment: 'شكرا جزيلا' });
  });

  it('should ask a person at the menu at once, once the engine says it was never asked', () => {
    const h = atMenu();
    const heard = h.sendRaw(served);
    expect(heard).toEqual([{ type: 'effect', name: 'rating.ask', subject: 'case', subjectId: 42, staffUserId: 3 }]);
    expect(h.send(asked('case', 42))).toEqual(['rating:askCase']);
    expect(h.offered()).toEqual(scoreOptions({ subject: 'case', subjectId: 42 }).map((o) => o.id));
    const scored = h.writeRaw('4');
    expect(effectOf(scored, 'rating.record')).toEqual({
      type: 'effect',
      name: 'rating.record',
      subject: 'case',
      subjectId: 42,
      staffUserId: 3,
      score: 4,
    });
    expect(h.choose(ratingOptionId({ subject: 'case', subjectId: 42 }, 'none'))).toEqual(['root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should say nothing about an item asked before (a complaint resolved again)', () => {
    const h = atMenu();
    expect(effectNames(h.sendRaw(resolved))).toEqual(['rating.ask']);
    expect(h.send(asked('ticket', 9, false))).toEqual(['root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should ask about a resolved complaint in its own words', () => {
    const h = atMenu();
    h.send(resolved);
    expect(h.send(asked('ticket', 9))).toEqual(['rating:askTicket']);
    expect(h.offered()[0]).toBe('rate:ticket:9:1');
  });

  it('should not interrupt an application, and ask when the person is back at the menu', () => {
    const h = atMenu();
    answerStart(h, h.sendRaw({ type: 'choice', id: 'aid' }));
    h.choose('agree');
    expect(h.child('aid')).toBe('name');
    // Heard mid-intake: nothing is said, the application's question stays on offer.
    const before = h.offered();
    expect(h.sendRaw(served)).toEqual([]);
    expect(h.offered()).toEqual(before);
    expect(h.write('محمد الحربي')).toEqual(['aid:ask.nationalId']);
    const out = h.writeRaw('القائمة');
    expect(replyKeys(out)).toEqual(['aid:paused']);
    expect(effectOf(out, 'rating.ask')).toMatchObject({ subject: 'case', subjectId: 42 });
    expect(h.send(asked('case', 42))).toEqual(['rating:askCase']);
  });

  it('should wait while a staff member has the conversation, and ask at the next menu, after their own rating', () => {
    const h = withStaff();
    expect(h.sendRaw(served)).toEqual([]);
    expect(h.sendRaw(resolved)).toEqual([]);
    expect(h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' })).toEqual(['handoff:closed', 'rating:ask']);
    // Heard while rating the conversation: it waits too.
    expect(h.sendRaw({ type: 'case.served', caseId: 43 })).toEqual([]);
    h.write('5');
    expect(h.write('تخطي')).toEqual(['root:menu.prompt']);
    // At the next menu, one by one.
    expect(effectOf(h.sendRaw({ type: 'global', word: 'menu' }), 'rating.ask')).toMatchObject({
      subject: 'case',
      subjectId: 42,
    });
    expect(h.send(asked('case', 42))).toEqual(['rating:askCase']);
    h.write('تخطي');
    // The skip ended it: the next item is checked at once.
    expect(h.send(asked('ticket', 9))).toEqual(['rating:askTicket']);
    h.write('تخطي');
    expect(h.send(asked('case', 43))).toEqual(['rating:askCase']);
    expect(h.write('تخطي')).toEqual(['rating:skipped', 'root:menu.prompt']);
  });

  it('should take the same item once, however often it is heard', () => {
    const h = atMenu();
    answerStart(h, h.sendRaw({ type: 'choice', id: 'aid' }));
    h.send(served);
    h.send(served);
    const out = h.writeRaw('القائمة');
    expect(effectNames(out).filter((n) => n === 'rating.ask')).toHaveLength(1);
    h.send(asked('case', 42));
    h.write('تخطي');
    expect(h.state()).toBe('menu');
  });

  it('should let «القائمة» leave the question, and an emergency reach staff', () => {
    const h = atMenu();
    h.send(served);
    h.send(asked('case', 42));
    expect(h.write('القائمة')).toEqual(['root:menu.prompt']);
    const other = atMenu();
    other.send(served);
    other.send(asked('case', 42));
    expect(other.sendRaw({ type: 'global', word: 'emergency' })).toEqual([
      { type: 'effect', name: 'handoff.request', priority: 2, reason: 'emergency' },
    ]);
  });

  it('should never leave a person waiting on an answer the engine did not give', () => {
    const h = atMenu();
    h.send(served);
    expect(h.write('بطاطس')).toEqual(['root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });
});

describe('"was this helpful?" after an FAQ answer', () => {
  it('should keep a written question whose answer did not help for managers to teach', () => {
    const h = atMenu();
    h.writeRaw('وش الاوراق المطلوبه؟');
    expect(h.writeRaw('👎')).toContainEqual({
      type: 'effect',
      name: 'understanding.missed',
      text: 'وش الاوراق المطلوبه؟',
      lang: 'ar',
      reason: 'unhelpful',
    });
    // A topic chosen from the list has no words to teach.
    h.choose('another');
    h.choose('hours');
    expect(h.writeRaw('👎').some((o) => o.type === 'effect' && o.name === 'understanding.missed')).toBe(false);
  });

  it('should offer it with the answer, keep the tap against the answer, and not offer it again', () => {
    const h = atMenu();
    h.choose('enquiries');
    h.choose('documents');
    expect(h.offered()).toEqual(optionsAfter('documents').map((o) => o.id));
    expect(h.offered().slice(-2)).toEqual([
      `rate:faq:${faqSubjectId('documents')}:5`,
      `rate:faq:${faqSubjectId('documents')}:1`,
    ]);
    const out = h.writeRaw('👍');
    expect(effectOf(out, 'rating.record')).toEqual({
      type: 'effect',
      name: 'rating.record',
      subject: 'faq',
      subjectId: faqSubjectId('documents'),
      score: 5,
    });
    expect(replyKeys(out)).toEqual(['rating:helpfulThanks', 'enquiries:more']);
    expect(h.offered()).toEqual(optionsAfter('documents', 'helpful').map((o) => o.id));
    // A new answer may be rated again.
    h.choose('another');
    h.choose('hours');
    const unhelpful = h.writeRaw('لم تفدني');
    expect(effectOf(unhelpful, 'rating.record')).toMatchObject({
      subject: 'faq',
      subjectId: faqSubjectId('hours'),
      score: 1,
    });
    // An answer that did not help offers a person.
    expect(replyKeys(unhelpful)).toEqual(['rating:notHelpfulThanks', 'enquiries:more']);
    expect(h.offered()).toContain('staff');
  });

  it('should leave the numbers of the other options where they were', () => {
    const h = atMenu();
    h.choose('enquiries');
    h.choose('hours');
    expect(h.write('1')).toEqual(['enquiries:prompt']);
  });
});
