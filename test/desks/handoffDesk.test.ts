import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { handoffNoAnswerTimer } from '../../flows/events.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { listHandoffs, openHandoff } from '../../src/db/handoffs.ts';
import { auditLog, timers } from '../../src/db/schema.ts';
import { createStaffUser, setStaffDisabled } from '../../src/db/staff.ts';
import { HandoffDesk, type StaffActor } from '../../src/desks/handoff.ts';
import { config, setup } from '../helpers.ts';

type Setup = ReturnType<typeof setup>;
const open: Setup[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** Wednesday 10:00 in Riyadh: the team is at work. */
const workday = new Date('2026-11-25T10:00:00+03:00');

function deskSetup(flood?: { limit: number; windowMs: number }) {
  const s = setup({ clock: () => workday, ...(flood ? { flood } : {}) });
  open.push(s);
  const desk = new HandoffDesk(
    s.engine,
    { org: config.org, handoffNoAnswerMs: config.handoffNoAnswerMs },
    () => workday,
  );
  const staff = (username: string, role: StaffActor['role'] = 'officer'): StaffActor => {
    const user = createStaffUser(s.db, { username, displayName: username, role, passwordHash: 'x' });
    return { id: user.id, role: user.role };
  };
  const conversationOf = (chat: string) => findConversation(s.db, 'test', chat)?.id ?? 0;
  const timerOf = (chat: string) =>
    s.db
      .select()
      .from(timers)
      .where(and(eq(timers.conversationId, conversationOf(chat)), eq(timers.key, handoffNoAnswerTimer)))
      .get();
  const waiting = async (chat: string) => {
    await s.say(chat, 'السلام عليكم', '1', 'موظف');
    return conversationOf(chat);
  };
  const actions = () =>
    s.db
      .select()
      .from(auditLog)
      .all()
      .map((row) => row.action);
  return { ...s, desk, staff, waiting, timerOf, actions, last: (chat: string) => s.channel.texts(chat).at(-1) ?? '' };
}

describe('the handoff desk (staff commands, one owner)', () => {
  it('should let one staff member claim, refuse a second, and stop the no-answer timer', async () => {
    const s = deskSetup();
    const huda = s.staff('huda');
    const omar = s.staff('omar');
    const id = await s.waiting('a');
    expect(s.timerOf('a')).toBeDefined();
    expect(await s.desk.run(id, huda, { name: 'claim' })).toBe('done');
    expect(await s.desk.run(id, omar, { name: 'claim' })).toBe('taken');
    expect(s.timerOf('a')).toBeUndefined();
    await s.drainer.drain();
    expect(s.last('a')).toContain('انضم إليك');
    expect(s.actions()).toEqual(['handoff.claim']);
  });

  it('should release to the queue, tell the person, and start the no-answer timer again', async () => {
    const s = deskSetup();
    const huda = s.staff('huda');
    const id = await s.waiting('a');
    await s.desk.run(id, huda, { name: 'claim' });
    expect(await s.desk.run(id, s.staff('omar'), { name: 'release' })).toBe('notYours');
    expect(await s.desk.run(id, huda, { name: 'release' })).toBe('done');
    await s.drainer.drain();
    expect(openHandoff(s.db, id)).toMatchObject({ status: 'waiting', claimedBy: null });
    expect(s.timerOf('a')).toBeDefined();
    expect(s.last('a')).toContain('قائمة الانتظار');
  });

  it('should transfer only to a colleague who can take conversations', async () => {
    const s = deskSetup();
    const huda = s.staff('huda');
    const omar = s.staff('omar');
    const rana = s.staff('rana', 'researcher');
    const gone = s.staff('gone');
    setStaffDisabled(s.db, gone.id, true);
    const id = await s.waiting('a');
    await s.desk.run(id, huda, { name: 'claim' });
    expect(await s.desk.run(id, huda, { name: 'transfer', to: rana.id })).toBe('badTarget');
    expect(await s.desk.run(id, huda, { name: 'transfer', to: gone.id })).toBe('badTarget');
    expect(await s.desk.run(id, huda, { name: 'transfer', to: 9999 })).toBe('badTarget');
    expect(await s.desk.run(id, huda, { name: 'transfer', to: omar.id })).toBe('done');
    expect(openHandoff(s.db, id)?.claimedBy).toBe(omar.id);
    expect(await s.desk.run(id, huda, { name: 'reply', text: 'hello' })).toBe('notYours');
    expect(await s.desk.run(id, omar, { name: 'reply', text: 'أهلًا، معك عمر' })).toBe('done');
    await s.drainer.drain();
    expect(s.last('a')).toContain('معك عمر');
  });

  it('should close, cancel the timer, and ask the person to rate; a manager may act on any', async () => {
    const s = deskSetup();
    const huda = s.staff('huda');
    const majed = s.staff('majed', 'manager');
    const id = await s.waiting('a');
    expect(await s.desk.run(id, huda, { name: 'close' })).toBe('taken');
    await s.desk.run(id, huda, { name: 'claim' });
    expect(await s.desk.run(id, majed, { name: 'close' })).toBe('done');
    expect(openHandoff(s.db, id)).toBeUndefined();
    expect(s.timerOf('a')).toBeUndefined();
    await s.drainer.drain();
    expect(s.last('a')).toContain('نرجو تقييم الخدمة');
    expect(await s.desk.run(id, huda, { name: 'close' })).toBe('none');
    expect(s.actions()).toEqual(['handoff.claim', 'handoff.close']);
  });

  it("should put a disabled colleague's conversations back in the queue", async () => {
    const s = deskSetup();
    const huda = s.staff('huda');
    const admin = s.staff('admin', 'admin');
    const first = await s.waiting('a');
    const second = await s.waiting('b');
    await s.desk.run(first, huda, { name: 'claim' });
    await s.desk.run(second, huda, { name: 'claim' });
    expect(await s.desk.releaseAllOf(s.db, huda.id, admin)).toBe(2);
    expect(openHandoff(s.db, first)?.status).toBe('waiting');
    expect(openHandoff(s.db, second)?.status).toBe('waiting');
  });

  it('should let an emergency through a flood: the person gets the emergency numbers', async () => {
    const s = deskSetup({ limit: 5, windowMs: 60_000 });
    await s.say('a', 'السلام عليكم', '1');
    await s.say('a', ...Array.from({ length: 6 }, (_, i) => `رسالة ${i}`));
    const before = s.channel.texts('a').length;
    await s.say('a', 'أبوي فاقد الوعي');
    const said = s.channel.texts('a').slice(before).join('\n');
    expect(said).toContain('997');
    expect(openHandoff(s.db, findConversation(s.db, 'test', 'a')?.id ?? 0)?.priority).toBe(2);
  });

  it('should show in the queue who waits and why: platform name, phone, reason, last message', async () => {
    const s = deskSetup();
    for (const text of ['السلام عليكم', '1', 'موظف', 'عندي سؤال عن جهاز التنفس']) {
      await s.engine.handle({ ...s.text('a', text), senderName: 'أم فهد', senderPhone: '+966501234567' });
    }
    const [row] = listHandoffs(s.db, 'waiting');
    expect(row).toMatchObject({
      profileName: 'أم فهد',
      phone: '+966501234567',
      lastText: 'عندي سؤال عن جهاز التنفس',
      handoff: { reason: 'asked', priority: 0 },
    });
  });
});
