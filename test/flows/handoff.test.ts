import { describe, expect, it } from 'vitest';
import type { FlowEvent } from '../../flows/events.ts';
import { atMenu } from './flowHarness.ts';

const queued = (extra: Partial<Extract<FlowEvent, { type: 'handoff.queued' }>> = {}): FlowEvent => ({
  type: 'handoff.queued',
  handoffId: 7,
  position: 3,
  open: true,
  opensAt: 0,
  already: false,
  ...extra,
});

/** A person in the middle of an enquiry answer who asks for staff and is queued. */
function waiting() {
  const h = atMenu();
  h.choose('enquiries');
  h.choose('documents');
  h.say('staff');
  h.send(queued());
  return h;
}

describe('handoff to staff', () => {
  it('should queue a person who asks, from the menu or at any step', () => {
    const h = atMenu();
    expect(h.sendRaw({ type: 'choice', id: 'staff' })).toEqual([
      { type: 'effect', name: 'handoff.request', priority: 0, reason: 'asked' },
    ]);
    expect(h.sendRaw(queued())).toEqual([
      { type: 'reply', key: 'handoff:queued', params: { position: 3, opensAt: 0 } },
    ]);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should give the emergency numbers first, then queue with priority', () => {
    const h = atMenu();
    h.choose('enquiries');
    expect(h.sendRaw({ type: 'global', word: 'emergency' })).toEqual([
      { type: 'reply', key: 'handoff:emergency' },
      { type: 'effect', name: 'handoff.request', priority: 2, reason: 'emergency' },
    ]);
  });

  it('should say when the team is back outside working hours, and keep the person queued', () => {
    const h = atMenu();
    h.say('staff');
    const opensAt = Date.UTC(2026, 10, 29, 5, 0);
    expect(h.sendRaw(queued({ open: false, opensAt }))).toEqual([
      { type: 'reply', key: 'handoff:queuedClosed', params: { position: 3, opensAt } },
    ]);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should keep the bot silent while waiting: messages join the thread for staff', () => {
    const h = waiting();
    expect(h.type('عندي سؤال عن طلبي')).toEqual([]);
    expect(h.send({ type: 'media', kind: 'photo', mediaId: 4 })).toEqual([]);
    expect(h.choose('1')).toEqual([]);
    expect(h.say('help')).toEqual(['handoff:help']);
    expect(h.say('staff')).toEqual(['handoff:already']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should let "cancel" leave the queue and return exactly where the person was', () => {
    const h = waiting();
    expect(h.sendRaw({ type: 'global', word: 'cancel' })).toEqual([{ type: 'effect', name: 'handoff.cancel' }]);
    expect(h.send({ type: 'handoff.closed', handoffId: 7, by: 'user' })).toEqual(['handoff:left', 'enquiries:more']);
    expect(h.state()).toBe('enquiries');
    expect(h.choose('another')).toEqual(['enquiries:prompt']);
  });

  it('should ask before "menu" takes the person out of the handoff', () => {
    const h = waiting();
    expect(h.options({ type: 'global', word: 'menu' })).toEqual(['yes', 'no']);
    expect(h.choose('no')).toEqual(['handoff:staying']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
    h.say('menu');
    expect(h.sendRaw({ type: 'choice', id: 'yes' })).toEqual([{ type: 'effect', name: 'handoff.cancel' }]);
    expect(h.send({ type: 'handoff.closed', handoffId: 7, by: 'user' })).toEqual(['handoff:left', 'root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should tell a waiting person once when nobody answers in time, and flag it for staff', () => {
    const h = waiting();
    expect(h.sendRaw({ type: 'timer', key: 'handoff.noAnswer' })).toEqual([
      { type: 'reply', key: 'handoff:stillWaiting' },
      { type: 'effect', name: 'handoff.overdue' },
    ]);
    h.send({ type: 'handoff.claimed' });
    expect(h.send({ type: 'timer', key: 'handoff.noAnswer' })).toEqual([]);
  });

  it('should announce the staff member, and after closing ask for a rating and return to the exact state', () => {
    const h = waiting();
    expect(h.send({ type: 'handoff.claimed' })).toEqual(['handoff:claimed']);
    expect(h.type('شكرا لكم')).toEqual([]);
    expect(h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' })).toEqual(['handoff:closed', 'rating:ask']);
    expect(h.sendRaw({ type: 'choice', id: '5' })).toEqual([
      { type: 'effect', name: 'rating.record', subject: 'handoff', subjectId: 7, score: 5 },
      { type: 'reply', key: 'rating:thanks' },
      expect.objectContaining({ type: 'reply', key: 'enquiries:more' }),
    ]);
    expect(h.state()).toBe('enquiries');
    expect(h.type('كم يستغرق الطلب')).toEqual(['enquiries:answer.duration', 'enquiries:more']);
  });

  it('should let the person skip the rating', () => {
    const h = waiting();
    h.send({ type: 'handoff.claimed' });
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    expect(h.sendRaw({ type: 'choice', id: 'skip' }).map((o) => o.type)).toEqual(['reply']);
    expect(h.state()).toBe('enquiries');
  });
});
