import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { findConversation } from '../../src/db/conversations.ts';
import { claimHandoff, closeHandoff, openHandoff } from '../../src/db/handoffs.ts';
import { handoffs, ratings, transcript } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { TimerScheduler } from '../../src/engine/timerScheduler.ts';
import { memoryLogger, setup } from '../helpers.ts';

type Setup = ReturnType<typeof setup>;
const open: Setup[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** Riyadh is UTC+3; 2026-11-25 is a Wednesday, 2026-11-27 a Friday. */
const riyadh = (iso: string) => new Date(`${iso}+03:00`);

function at(start: Date) {
  let now = start.getTime();
  const s = setup({ clock: () => new Date(now) });
  open.push(s);
  const conversation = (chat: string) => findConversation(s.db, 'test', chat)!;
  return {
    ...s,
    advance: (ms: number) => {
      now += ms;
    },
    clock: () => new Date(now),
    conversation,
    /** Greets, chooses Arabic, consents, then says `words`. */
    async askForStaff(chat: string, words = 'موظف') {
      await s.say(chat, 'السلام عليكم', '1', words);
      return s.channel.texts(chat).at(-1) ?? '';
    },
  };
}

describe('handoff in the engine', () => {
  it('should tell each person their place: first come first served, emergencies first', async () => {
    const s = at(riyadh('2026-11-25T10:00:00'));
    expect(await s.askForStaff('a')).toContain('ترتيبك في قائمة الانتظار: ١');
    expect(await s.askForStaff('b')).toContain('ترتيبك في قائمة الانتظار: ٢');
    const c = await s.askForStaff('c', 'أبوي فاقد الوعي');
    const texts = s.channel.texts('c');
    expect(texts.at(-1)).toContain('911');
    expect(texts.at(-1)).toContain('997');
    // What to do now comes first; then where they stand among urgent cases, never "ahead" and "tenth" at once.
    expect(c.split('\n')[0]).toContain('997');
    expect(c).toContain('ترتيبك بين الحالات العاجلة: ١');
    expect(openHandoff(s.db, s.conversation('c').id)?.priority).toBe(2);
  });

  it('should say when the team is back outside working hours, and keep the person queued', async () => {
    const s = at(riyadh('2026-11-27T20:00:00'));
    const said = await s.askForStaff('a');
    expect(said).toContain('خارج أوقات العمل');
    expect(said).toContain('الأحد');
    expect(openHandoff(s.db, s.conversation('a').id)?.status).toBe('waiting');
  });

  it('should tell a waiting person again once nobody claims in time, and flag the item', async () => {
    const s = at(riyadh('2026-11-25T10:00:00'));
    await s.askForStaff('a');
    const scheduler = new TimerScheduler(s.db, s.engine, memoryLogger().logger, 1000, s.clock);
    expect(await scheduler.tick()).toBe(0);
    s.advance(16 * 60_000);
    expect(await scheduler.tick()).toBe(1);
    await s.drainer.drain();
    expect(s.channel.texts('a').at(-1)).toContain('نعتذر عن التأخير');
    expect(openHandoff(s.db, s.conversation('a').id)?.overdue).toBe(true);
    s.advance(60 * 60_000);
    expect(await scheduler.tick()).toBe(0);
  });

  it('should keep everything the person sends while waiting, and let "cancel" leave the queue once confirmed', async () => {
    const s = at(riyadh('2026-11-25T10:00:00'));
    await s.askForStaff('a');
    const before = s.channel.texts('a').length;
    await s.say('a', 'عندي سؤال عن طلبي', 'أرجو الرد');
    // Only the first message is acknowledged.
    expect(s.channel.texts('a')).toHaveLength(before + 1);
    await s.say('a', 'إلغاء', 'نعم');
    expect(s.channel.texts('a').at(-1)).toContain('تم إلغاء طلب التحدث مع موظف');
    expect(s.db.select().from(handoffs).get()).toMatchObject({ status: 'closed', closedBy: 'user' });
    const kept = s.db.select().from(transcript).where(eq(transcript.text, 'أرجو الرد')).all();
    expect(kept).toHaveLength(1);
  });

  it('should relay staff, then bring the person back to the menu with a rating request', async () => {
    const s = at(riyadh('2026-11-25T10:00:00'));
    await s.askForStaff('a');
    const id = s.conversation('a').id;
    const staff = createStaffUser(s.db, { username: 'huda', displayName: 'هدى', role: 'officer', passwordHash: 'x' });
    await s.engine.act(id, (tx) => {
      const handoff = openHandoff(tx, id)!;
      claimHandoff(tx, handoff.id, staff.id, s.clock());
      return { event: { type: 'handoff.claimed' } };
    });
    await s.engine.act(id, () => ({ message: 'أهلًا، كيف أخدمك؟' }));
    await s.drainer.drain();
    expect(s.channel.texts('a').slice(-2)).toEqual([
      'انضم إليك أحد موظفي علاقات المستفيدين، تفضل بكتابة ما تحتاجه.',
      'أهلًا، كيف أخدمك؟',
    ]);
    expect(s.db.select().from(transcript).where(eq(transcript.author, 'staff')).get()?.text).toBe('أهلًا، كيف أخدمك؟');

    await s.engine.act(id, (tx) => {
      const handoff = openHandoff(tx, id)!;
      closeHandoff(tx, handoff.id, 'staff', s.clock());
      return { event: { type: 'handoff.closed', handoffId: handoff.id, by: 'staff' } };
    });
    await s.drainer.drain();
    expect(s.channel.texts('a').at(-1)).toContain('نرجو تقييم الخدمة');
    await s.say('a', '٥');
    expect(s.db.select().from(ratings).get()).toMatchObject({ subject: 'handoff', score: 5, staffUserId: staff.id });
    expect(s.channel.texts('a').at(-1)).toContain('شكرًا لتقييمك');
    await s.say('a', 'تخطي');
    expect(s.channel.texts('a').at(-1)).toContain('كيف يمكنني خدمتك؟');
  });
});
