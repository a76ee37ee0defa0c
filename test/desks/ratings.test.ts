import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { faqSubjectId } from '../../flows/rating/ratingOptions.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { claimHandoff, closeHandoff, openHandoff } from '../../src/db/handoffs.ts';
import { findRating, noteAsked, saveAnswer } from '../../src/db/ratings.ts';
import { ratings, transcript } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { setup } from '../helpers.ts';

type Setup = ReturnType<typeof setup>;
const open: Setup[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** Wednesday 25 November 2026, 10:00 in Riyadh: a working day. */
const start = new Date('2026-11-25T07:00:00Z');

function ratingsSetup() {
  let now = start.getTime();
  const clock = () => new Date(now);
  const s = setup({ clock });
  open.push(s);
  const staff = createStaffUser(s.db, { username: 'huda', displayName: 'هدى', role: 'officer', passwordHash: 'x' });
  const conversation = (chat: string) => findConversation(s.db, 'test', chat)!;
  return {
    ...s,
    staff,
    clock,
    advance: (ms: number) => {
      now += ms;
    },
    conversation,
    /** Greets, chooses Arabic, consents: at the main menu. */
    atMenu: (chat: string) => s.say(chat, 'السلام عليكم', '1'),
    /** Presses a button carrying `choiceId`, as Telegram sends it. */
    async presses(chat: string, choiceId: string) {
      await s.engine.handle({ channel: 'test', chatId: chat, messageId: randomUUID(), kind: 'choice', choiceId });
      await s.drainer.drain();
    },
    /** A staff member marks a request served, as the case module tells the flow. */
    async serve(chat: string, caseId: number) {
      await s.engine.act(conversation(chat).id, () => ({
        event: { type: 'case.served', caseId, staffUserId: staff.id },
      }));
      await s.drainer.drain();
    },
    /** The person asks for staff; a staff member takes the conversation and closes it. */
    async talkedWithStaff(chat: string) {
      await s.say(chat, 'موظف');
      const id = conversation(chat).id;
      await s.engine.act(id, (tx) => {
        claimHandoff(tx, openHandoff(tx, id)!.id, staff.id, clock());
        return { event: { type: 'handoff.claimed' } };
      });
      let handoffId = 0;
      await s.engine.act(id, (tx) => {
        handoffId = openHandoff(tx, id)!.id;
        closeHandoff(tx, handoffId, 'staff', clock());
        return { event: { type: 'handoff.closed', handoffId, by: 'staff', staffUserId: staff.id } };
      });
      await s.drainer.drain();
      return handoffId;
    },
    last: (chat: string) => s.channel.texts(chat).at(-1) ?? '',
  };
}

const ask = 'نرجو تقييم';

describe('ratings in the engine', () => {
  it('should keep a rating with its channel, item, staff member and times, and its comment', async () => {
    const s = ratingsSetup();
    await s.atMenu('a');
    const handoffId = await s.talkedWithStaff('a');
    expect(s.last('a')).toContain(ask);
    expect(findRating(s.db, 'handoff', handoffId)).toMatchObject({
      conversationId: s.conversation('a').id,
      channel: 'test',
      staffUserId: s.staff.id,
      score: null,
      askedAt: start,
      answeredAt: null,
    });
    s.advance(60_000);
    await s.say('a', 'ممتاز');
    expect(s.last('a')).toContain('شكرًا لتقييمك');
    await s.say('a', 'شرح لي كل شيء بصبر');
    expect(findRating(s.db, 'handoff', handoffId)).toMatchObject({
      score: 5,
      comment: 'شرح لي كل شيء بصبر',
      askedAt: start,
      answeredAt: new Date(start.getTime() + 60_000),
    });
    expect(s.db.select().from(ratings).all()).toHaveLength(1);
  });

  it('should mark every answer to a rating question, so that no staff view shows it', async () => {
    const s = ratingsSetup();
    await s.atMenu('a');
    await s.talkedWithStaff('a');
    await s.say('a', '٢');
    await s.say('a', 'انتظرت طويلًا');
    await s.say('a', 'القائمة');
    const flags = s.db
      .select()
      .from(transcript)
      .where(eq(transcript.direction, 'in'))
      .all()
      .map((row) => [row.text ?? '', (row.payload as { flag?: string } | null)?.flag]);
    expect(flags.slice(-3)).toEqual([
      ['٢', 'rating'],
      ['انتظرت طويلًا', 'rating'],
      ['القائمة', undefined],
    ]);
  });

  it('should ask about a served request once, however often it is served', async () => {
    const s = ratingsSetup();
    await s.atMenu('a');
    await s.serve('a', 42);
    expect(s.last('a')).toContain('نرجو تقييم الخدمة التي قُدِّمت لك');
    await s.say('a', 'تخطي');
    expect(findRating(s.db, 'case', 42)).toMatchObject({ score: null, staffUserId: s.staff.id });
    expect(findRating(s.db, 'case', 42)?.answeredAt).not.toBeNull();
    await s.serve('a', 43);
    await s.say('a', 'تخطي');
    const asked = s.channel.texts('a').filter((t) => t.includes(ask)).length;
    expect(asked).toBe(2);
    await s.serve('a', 42);
    expect(s.channel.texts('a').filter((t) => t.includes(ask))).toHaveLength(asked);
    expect(s.db.select().from(ratings).all()).toHaveLength(2);
  });

  it('should keep a late answer against its item, thank the person, and leave the conversation where it was', async () => {
    const s = ratingsSetup();
    await s.atMenu('a');
    await s.serve('a', 42);
    // The person moves on without answering: the rating question's options are gone.
    await s.say('a', 'القائمة');
    const before = s.conversation('a');
    s.advance(3_600_000);
    await s.presses('a', 'rate:case:42:4');
    expect(s.last('a')).toBe('شكرًا لك، سجّلنا تقييمك.');
    expect(findRating(s.db, 'case', 42)).toMatchObject({
      score: 4,
      answeredAt: new Date(start.getTime() + 3_600_000),
    });
    const after = s.conversation('a');
    expect(after.snapshot).toEqual(before.snapshot);
    expect(after.options).toEqual(before.options);
    // What the person types next is still read against the menu.
    await s.say('a', '1');
    expect(s.last('a')).toContain('اختر موضوع استفسارك');
  });

  it("should not let a button rate another person's item, nor an item never asked about", async () => {
    const s = ratingsSetup();
    await s.atMenu('a');
    await s.atMenu('b');
    await s.serve('a', 42);
    await s.presses('b', 'rate:case:42:1');
    await s.presses('b', 'rate:ticket:77:1');
    expect(s.channel.texts('b').slice(-2)).toEqual([s.last('b'), s.last('b')]);
    expect(s.last('b')).not.toContain('سجّلنا تقييمك');
    expect(findRating(s.db, 'case', 42)?.score).toBeNull();
    expect(findRating(s.db, 'ticket', 77)).toBeUndefined();
  });

  it('should never ask a person who left the queue before anyone took it', async () => {
    const s = ratingsSetup();
    await s.atMenu('a');
    await s.say('a', 'موظف', 'إلغاء', 'نعم');
    expect(s.channel.texts('a').some((t) => t.includes(ask))).toBe(false);
    expect(s.db.select().from(ratings).all()).toEqual([]);
  });

  it('should keep "was this helpful?" against the answer, and change it from an old button rather than repeat it', async () => {
    const s = ratingsSetup();
    await s.atMenu('a');
    await s.say('a', 'وش الأوراق المطلوبة');
    await s.say('a', '👍');
    expect(s.last('a')).toContain('رأيك يساعدنا');
    const subjectId = faqSubjectId('documents');
    expect(s.db.select().from(ratings).all()).toMatchObject([{ subject: 'faq', subjectId, score: 5, channel: 'test' }]);
    await s.presses('a', `rate:faq:${subjectId}:1`);
    expect(s.db.select().from(ratings).all()).toMatchObject([{ subject: 'faq', subjectId, score: 1 }]);
    await s.presses('a', 'rate:faq:12345:5');
    expect(s.db.select().from(ratings).all()).toHaveLength(1);
  });

  it('should take a repeated or out-of-order answer without failing, and never erase a score with a skip', () => {
    const s = ratingsSetup();
    const row = { conversationId: 0, subject: 'ticket' as const, subjectId: 5, channel: 'whatsapp', staffUserId: null };
    s.db.run(`insert into conversations (id, channel, chat_id, flow_version) values (0, 'whatsapp', 'z', 1)`);
    expect(noteAsked(s.db, row, start)).toBe(true);
    expect(noteAsked(s.db, row, start)).toBe(false);
    saveAnswer(s.db, { ...row, score: 2, comment: null }, start);
    saveAnswer(s.db, { ...row, score: null, comment: 'تأخر الرد' }, start);
    saveAnswer(s.db, { ...row, score: null, comment: null }, start);
    expect(findRating(s.db, 'ticket', 5)).toMatchObject({ score: 2, comment: 'تأخر الرد' });
    expect(s.db.select().from(ratings).all()).toHaveLength(1);
  });
});
