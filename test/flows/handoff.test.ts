import { describe, expect, it } from 'vitest';
import { optionsAfter } from '../../flows/enquiries/enquiriesMachine.ts';
import { type FlowEvent, type GlobalWord, handoffNoAnswerTimer } from '../../flows/events.ts';
import { atMenu, type Harness } from './flowHarness.ts';

type Queued = Extract<FlowEvent, { type: 'handoff.queued' }>;

/** The engine's answer to `handoff.request`. */
const queued = (extra: Partial<Queued> = {}): Queued => ({
  type: 'handoff.queued',
  handoffId: 7,
  position: 3,
  open: true,
  opensAt: 0,
  already: false,
  ...extra,
});

const noAnswer: FlowEvent = { type: 'timer', key: handoffNoAnswerTimer };
const emergencyRequest = { type: 'effect', name: 'handoff.request', priority: 2, reason: 'emergency' } as const;
const leaveRequest = { type: 'effect', name: 'handoff.cancel' } as const;

/** A person reading an enquiry answer (documents), with its options on offer. */
function inEnquiries() {
  const h = atMenu();
  h.choose('enquiries');
  h.choose('documents');
  return h;
}

/** A person who asked for staff from an enquiry answer and is in the queue. */
function waiting() {
  const h = inEnquiries();
  h.say('staff');
  h.send(queued());
  return h;
}

/** A person a staff member is talking to. */
function claimed() {
  const h = waiting();
  h.send({ type: 'handoff.claimed' });
  return h;
}

const replyKeys = (outputs: ReturnType<Harness['sendRaw']>) =>
  outputs.filter((o) => o.type === 'reply').map((o) => o.key);

describe('handoff: joining the queue', () => {
  it('should queue a person who asks, from the menu or at any step', () => {
    const h = atMenu();
    expect(h.sendRaw({ type: 'choice', id: 'staff' })).toEqual([
      { type: 'effect', name: 'handoff.request', priority: 0, reason: 'asked' },
    ]);
    expect(h.sendRaw(queued())).toEqual([
      { type: 'reply', key: 'handoff:queued', options: [], params: { position: 3, opensAt: 0 } },
    ]);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should say when the team is back outside working hours, and keep the person queued', () => {
    const h = atMenu();
    h.say('staff');
    const opensAt = Date.UTC(2026, 10, 29, 5, 0);
    expect(h.sendRaw(queued({ open: false, opensAt }))).toEqual([
      { type: 'reply', key: 'handoff:queuedClosed', options: [], params: { position: 3, opensAt } },
    ]);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should withdraw the options of the enquiry once the person is queued', () => {
    const h = inEnquiries();
    expect(h.offered()).toEqual(optionsAfter('documents').map((o) => o.id));
    h.say('staff');
    h.send(queued());
    expect(h.offered()).toEqual([]);
    expect(h.read('2')).toEqual({ type: 'text', text: '2', normalized: '2' });
  });
});

describe('handoff: waiting in the queue', () => {
  it('should acknowledge the first message once, and keep the rest for staff', () => {
    const h = waiting();
    expect(h.write('عندي سؤال عن طلبي')).toEqual(['handoff:received']);
    expect(h.write('ابي اعرف متى')).toEqual([]);
    expect(h.send({ type: 'media', kind: 'photo', mediaId: 4 })).toEqual([]);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should acknowledge a photo sent first, too', () => {
    const h = waiting();
    expect(h.send({ type: 'media', kind: 'photo', mediaId: 4 })).toEqual(['handoff:received']);
    expect(h.write('هذي الصورة')).toEqual([]);
  });

  it('should never silently drop a number typed after a handoff from enquiries', () => {
    const h = waiting();
    // "2" was "main menu" in the enquiry's options: now it is a message for staff, and answered.
    expect(h.write('2')).toEqual(['handoff:received']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should answer an option pressed on an earlier message', () => {
    const h = waiting();
    expect(h.choose('menu')).toEqual(['handoff:confirmLeave']);
    h.choose('no');
    expect(h.choose('staff')).toEqual(['handoff:already']);
    expect(h.choose('another')).toEqual(['handoff:received']);
    expect(h.choose('documents')).toEqual([]);
  });

  it('should answer "help" and "staff" with what the queue means', () => {
    const h = waiting();
    expect(h.write('مساعدة')).toEqual(['handoff:help']);
    expect(h.write('موظف')).toEqual(['handoff:already']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should ask before «إلغاء» or «خلاص» take the person out of the queue, then return exactly where they were', () => {
    for (const word of ['إلغاء', 'خلاص']) {
      const h = waiting();
      expect(h.write(word)).toEqual(['handoff:confirmCancel']);
      expect(h.offered()).toEqual(['yes', 'no']);
      const out = h.sendRaw({ type: 'choice', id: 'yes' });
      expect(out[0]).toEqual(leaveRequest);
      expect(replyKeys(out)).toEqual(['handoff:left', 'enquiries:more']);
      expect(h.state()).toBe('enquiries');
      // The engine's confirmation comes after: nothing more is said.
      expect(h.send({ type: 'handoff.closed', handoffId: 7, by: 'user' })).toEqual([]);
      expect(h.choose('another')).toEqual(['enquiries:prompt']);
    }
  });

  it('should ask before «القائمة» takes the person out of the queue, then show the main menu', () => {
    const h = waiting();
    expect(h.options({ type: 'global', word: 'menu' })).toEqual(['yes', 'no']);
    expect(h.write('لا')).toEqual(['handoff:staying']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
    expect(h.offered()).toEqual([]);
    h.write('القائمة');
    const out = h.sendRaw({ type: 'choice', id: 'yes' });
    expect(out[0]).toEqual(leaveRequest);
    expect(replyKeys(out)).toEqual(['handoff:left', 'root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should leave the queue even when the engine has no handoff left to cancel', () => {
    const h = waiting();
    h.say('cancel');
    h.choose('yes');
    expect(h.write('كم يستغرق الطلب')).toEqual(['enquiries:answer.duration', 'enquiries:more']);
  });

  it('should tell a waiting person once when nobody answers in time, and flag it for staff', () => {
    const h = waiting();
    expect(h.sendRaw(noAnswer)).toEqual([
      { type: 'reply', key: 'handoff:stillWaiting', options: [] },
      { type: 'effect', name: 'handoff.overdue' },
    ]);
    h.send({ type: 'handoff.claimed' });
    expect(h.send(noAnswer)).toEqual([]);
  });

  it('should still tell a waiting person nobody answered while the leave question is open', () => {
    const h = waiting();
    h.say('menu');
    expect(h.send(noAnswer)).toEqual(['handoff:stillWaiting']);
  });

  it('should let the person change the language without leaving the queue', () => {
    const h = waiting();
    expect(h.write('اللغة')).toEqual(['root:language.prompt']);
    expect(h.offered()).toEqual(['ar', 'en']);
    const out = h.sendRaw({ type: 'choice', id: 'en' });
    expect(out).toContainEqual({ type: 'effect', name: 'locale.set', locale: 'en' });
    expect(replyKeys(out)).toEqual(['root:language.chosen']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
    expect(h.offered()).toEqual([]);
  });

  it('should tell the person when a staff member puts them back in the queue, and acknowledge again', () => {
    const h = claimed();
    h.write('مرحبا');
    expect(h.send({ type: 'handoff.released' })).toEqual(['handoff:released']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
    expect(h.write('هل من أحد؟')).toEqual(['handoff:received']);
  });
});

describe('handoff: with a staff member', () => {
  it('should announce the staff member, and after closing ask for a rating and return to the exact state', () => {
    const h = waiting();
    expect(h.send({ type: 'handoff.claimed' })).toEqual(['handoff:claimed']);
    expect(h.type('شكرا لكم')).toEqual([]);
    expect(h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' })).toEqual(['handoff:closed', 'rating:ask']);
    expect(h.sendRaw({ type: 'choice', id: '5' })).toEqual([
      { type: 'effect', name: 'rating.record', subject: 'handoff', subjectId: 7, score: 5 },
      { type: 'reply', key: 'rating:thanks' },
      expect.objectContaining({ type: 'reply', key: 'rating:comment.ask' }),
    ]);
    expect(h.write('تخطي')).toEqual(['enquiries:more']);
    expect(h.state()).toBe('enquiries');
    expect(h.type('كم يستغرق الطلب')).toEqual(['enquiries:answer.duration', 'enquiries:more']);
  });

  it('should keep what the person sends for the staff member, numbers included, without a word from the bot', () => {
    const h = claimed();
    expect(h.write('عندنا ثلاثة أطفال')).toEqual([]);
    expect(h.write('3')).toEqual([]);
    expect(h.send({ type: 'media', kind: 'voice', mediaId: 9 })).toEqual([]);
    expect(h.send({ type: 'location', latitude: 26.3, longitude: 43.9 })).toEqual([]);
    expect(h.choose('menu')).toEqual([]);
    expect(h.state()).toEqual({ handoff: 'claimed' });
  });

  it('should ask before «خلاص» ends the conversation with the staff member', () => {
    const h = claimed();
    expect(h.write('خلاص')).toEqual(['handoff:confirmEnd']);
    expect(h.write('لا')).toEqual(['handoff:staying']);
    expect(h.state()).toEqual({ handoff: 'claimed' });
    expect(h.write('إلغاء')).toEqual(['handoff:confirmEnd']);
    const out = h.sendRaw({ type: 'choice', id: 'yes' });
    expect(out[0]).toEqual(leaveRequest);
    expect(replyKeys(out)).toEqual(['handoff:ended', 'rating:ask']);
    expect(h.send({ type: 'handoff.closed', handoffId: 7, by: 'user' })).toEqual([]);
    expect(replyKeys(h.sendRaw({ type: 'choice', id: '4' }))).toEqual(['rating:thanks', 'rating:comment.ask']);
    expect(h.write('كان لطيفًا')).toEqual(['rating:comment.thanks', 'enquiries:more']);
    expect(h.state()).toBe('enquiries');
  });

  it('should ask before «القائمة» ends the conversation, then rate and show the main menu', () => {
    const h = claimed();
    expect(h.write('القائمة')).toEqual(['handoff:confirmEndMenu']);
    expect(replyKeys(h.sendRaw({ type: 'choice', id: 'yes' }))).toEqual(['handoff:ended', 'rating:ask']);
    expect(h.choose('skip')).toEqual(['rating:skipped', 'root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should answer "staff" and "help" for a conversation with staff, not for the queue', () => {
    const h = claimed();
    expect(h.write('موظف')).toEqual(['handoff:withStaff']);
    expect(h.write('مساعدة')).toEqual(['handoff:helpWithStaff']);
  });

  it('should let the person skip the rating', () => {
    const h = claimed();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    expect(h.sendRaw({ type: 'choice', id: 'skip' }).map((o) => o.type)).toEqual(['effect', 'reply', 'reply']);
    expect(h.state()).toBe('enquiries');
  });
});

describe('handoff: the leave question never leaves a person stuck', () => {
  const asked = { 'in the queue': waiting, 'with a staff member': claimed };

  it.each(Object.entries(asked))('should keep free text %s for staff and say the request goes on', (_, start) => {
    const h = start();
    const before = h.state();
    h.say('cancel');
    expect(h.write('لحظة أبي أسأل عن الموعد')).toEqual(['handoff:kept']);
    expect(h.state()).toEqual(before);
    expect(h.offered()).toEqual([]);
  });

  it.each(Object.entries(asked))('should read an unrelated number %s as a message, not an answer', (_, start) => {
    const h = start();
    const before = h.state();
    h.say('menu');
    expect(h.read('7')).toMatchObject({ type: 'text' });
    expect(h.write('7')).toEqual(['handoff:kept']);
    expect(h.state()).toEqual(before);
  });

  it.each(Object.entries(asked))('should keep a photo sent %s and say the request goes on', (_, start) => {
    const h = start();
    const before = h.state();
    h.say('menu');
    expect(h.send({ type: 'media', kind: 'photo', mediaId: 3 })).toEqual(['handoff:kept']);
    expect(h.state()).toEqual(before);
  });

  it('should take a leaving word said again as yes, and "staff" or "back" as no', () => {
    const h = waiting();
    h.say('menu');
    expect(h.write('إلغاء')).toEqual(['handoff:left', 'enquiries:more']);
    const k = claimed();
    k.say('cancel');
    expect(k.write('موظف')).toEqual(['handoff:staying']);
    k.say('cancel');
    expect(k.write('رجوع')).toEqual(['handoff:staying']);
    expect(k.state()).toEqual({ handoff: 'claimed' });
  });

  it('should drop the question when a staff member joins meanwhile', () => {
    const h = waiting();
    h.say('cancel');
    expect(h.send({ type: 'handoff.claimed' })).toEqual(['handoff:claimed']);
    expect(h.state()).toEqual({ handoff: 'claimed' });
    expect(h.offered()).toEqual([]);
  });

  const stages: Record<string, () => Harness> = {
    waiting,
    claimed,
    'asked to leave the queue': () => {
      const h = waiting();
      h.say('cancel');
      return h;
    },
    'asked to leave the staff member': () => {
      const h = claimed();
      h.say('menu');
      return h;
    },
    'asked for a language': () => {
      const h = waiting();
      h.say('language');
      return h;
    },
  };
  const words: GlobalWord[] = ['menu', 'back', 'cancel', 'help', 'staff', 'language'];

  it.each(Object.keys(stages).flatMap((stage) => words.map((word) => [word, stage] as const)))(
    'should answer the word "%s" when %s',
    (word, stage) => {
      const h = (stages[stage] as () => Harness)();
      expect(h.say(word).length).toBeGreaterThan(0);
    },
  );

  it.each(Object.keys(stages))('should answer text, or keep it for the staff member, when %s', (stage) => {
    const h = (stages[stage] as () => Harness)();
    const said = h.write('ممكن سؤال');
    if (said.length === 0) expect(h.state()).toEqual({ handoff: 'claimed' });
  });
});

describe('handoff: emergencies', () => {
  it('should give the 911/997 advice and the priority queue together, once the queue has answered', () => {
    const h = atMenu();
    h.choose('enquiries');
    expect(h.sendRaw({ type: 'global', word: 'emergency' })).toEqual([emergencyRequest]);
    expect(h.sendRaw(queued({ position: 1 }))).toEqual([
      { type: 'reply', key: 'handoff:emergency', options: [], params: { position: 1, opensAt: 0 } },
    ]);
    expect(h.state()).toEqual({ handoff: 'waiting' });
  });

  it('should say plainly out of hours that no one is in the office, never that the person is being put through', () => {
    const h = atMenu();
    expect(h.write('ابوي اغمي عليه')).toEqual([]);
    const opensAt = Date.UTC(2026, 10, 29, 5, 0);
    expect(h.send(queued({ open: false, opensAt }))).toEqual(['handoff:emergencyClosed']);
  });

  it('should raise the priority on every emergency while waiting, and advise only once', () => {
    const h = waiting();
    expect(h.sendRaw({ type: 'global', word: 'emergency' })).toEqual([emergencyRequest]);
    expect(h.send(queued({ already: true, position: 1 }))).toEqual(['handoff:emergency']);
    expect(h.sendRaw({ type: 'global', word: 'emergency' })).toEqual([emergencyRequest]);
    expect(h.send(queued({ already: true, position: 1 }))).toEqual([]);
    // The advice answered the person: their next message needs no other acknowledgement.
    expect(h.write('تكفون بسرعة')).toEqual([]);
  });

  it('should advise out of hours while waiting with the closed wording', () => {
    const h = waiting();
    h.say('emergency');
    expect(h.send(queued({ already: true, open: false }))).toEqual(['handoff:emergencyClosed']);
  });

  it('should flag an emergency for the staff member without the queue script, advising once', () => {
    const h = claimed();
    const first = h.sendRaw({ type: 'global', word: 'emergency' });
    expect(first[0]).toEqual(emergencyRequest);
    expect(replyKeys(first)).toEqual(['handoff:emergencyWithStaff']);
    expect(h.send(queued({ already: true, position: 1 }))).toEqual([]);
    expect(h.sendRaw({ type: 'global', word: 'emergency' })).toEqual([emergencyRequest]);
    expect(h.send(queued({ already: true, position: 1, open: false }))).toEqual([]);
    expect(h.state()).toEqual({ handoff: 'claimed' });
  });

  it('should not advise again with the staff member when the person was advised while waiting', () => {
    const h = waiting();
    h.say('emergency');
    h.send(queued({ already: true }));
    h.send({ type: 'handoff.claimed' });
    expect(h.sendRaw({ type: 'global', word: 'emergency' })).toEqual([emergencyRequest]);
  });

  it('should advise again in a new handoff', () => {
    const h = claimed();
    h.say('emergency');
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    h.choose('skip');
    h.say('emergency');
    expect(h.send(queued({ handoffId: 8 }))).toEqual(['handoff:emergency']);
  });

  it('should end the leave question and go back to the staff member on an emergency', () => {
    const h = claimed();
    h.say('cancel');
    expect(h.say('emergency')).toEqual(['handoff:emergencyWithStaff']);
    expect(h.state()).toEqual({ handoff: 'claimed' });
  });

  it('should not lose an emergency to the rating question', () => {
    const h = claimed();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    expect(h.sendRaw({ type: 'global', word: 'emergency' })).toEqual([emergencyRequest]);
    expect(h.send(queued({ handoffId: 8 }))).toEqual(['handoff:emergency']);
  });
});

describe('handoff: the rating afterwards', () => {
  it('should let "menu" skip the rating and show the main menu', () => {
    const h = claimed();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    expect(h.write('القائمة')).toEqual(['root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should let "cancel" skip the rating and return where the person was', () => {
    const h = claimed();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    expect(h.say('cancel')).toEqual(['enquiries:more']);
    expect(h.state()).toBe('enquiries');
  });

  it('should let "staff" skip the rating and queue the person again', () => {
    const h = claimed();
    h.send({ type: 'handoff.closed', handoffId: 7, by: 'staff' });
    expect(h.sendRaw({ type: 'global', word: 'staff' })).toEqual([
      { type: 'effect', name: 'handoff.request', priority: 0, reason: 'asked' },
    ]);
  });
});
