import { describe, expect, it } from 'vitest';
import { type FlowEvent, reviewTimerPrefix } from '../../flows/events.ts';
import { reviewCaseId } from '../../flows/review/reviewMachine.ts';
import { answerStart, caseSummary, effectNames, effectOf, replyKeys } from './aidFixtures.ts';
import { atMenu, harness } from './flowHarness.ts';

const permanent = caseSummary({ stage: 'registered' });
const due: FlowEvent = { type: 'timer', key: `${reviewTimerPrefix}${permanent.caseId}` };

/** Answers the review's `cases.mine` with this chat's requests. */
const listed: FlowEvent = { type: 'cases.list', cases: [permanent] };

describe('reviewMachine', () => {
  it('should read the case from the timer key, and nothing from other timers', () => {
    expect(reviewCaseId(`${reviewTimerPrefix}42`)).toBe(42);
    expect(reviewCaseId('handoff.noAnswer')).toBeUndefined();
    expect(reviewCaseId(`${reviewTimerPrefix}x`)).toBeUndefined();
  });

  it('should ask a person at the menu at once, with the reference, and renew on "no change"', () => {
    const h = atMenu();
    expect(effectNames(h.sendRaw(due))).toEqual(['cases.mine']);
    const asked = h.sendRaw(listed);
    expect(replyKeys(asked)).toEqual(['review:ask']);
    expect(h.text(asked)).toContain(permanent.reference);
    expect(h.offered()).toEqual(['noChange', 'changed']);
    const out = h.writeRaw('لم يتغير شيء');
    expect(out).toContainEqual({ type: 'effect', name: 'review.answer', caseId: 42, changed: false });
    expect(replyKeys(out)).toEqual(['review:thanksNoChange', 'root:menu.prompt']);
    expect(h.text(out)).toContain(permanent.reference);
  });

  it('should walk a changed situation through household, income and need, for a review task', () => {
    const h = atMenu();
    h.send(due);
    h.send(listed);
    expect(h.write('٢')).toEqual(['review:householdSize']);
    expect(h.write('ستة')).toEqual(['aid:invalid.householdSize']);
    expect(h.write('٧ افراد')).toEqual(['review:income']);
    expect(h.say('back')).toEqual(['review:householdSize']);
    h.write('٧');
    expect(h.write('لا يوجد دخل')).toEqual(['review:need']);
    const out = h.writeRaw('ابوي صار يحتاج جهاز اكسجين بعد العملية');
    expect(effectOf(out, 'review.answer')).toEqual({
      type: 'effect',
      name: 'review.answer',
      caseId: 42,
      changed: true,
      answers: { householdSize: 7, income: 'band:none', description: 'ابوي صار يحتاج جهاز اكسجين بعد العملية' },
    });
    expect(replyKeys(out)).toEqual(['review:thanksChanged', 'root:menu.prompt']);
  });

  it('should not interrupt an application: it waits, and is asked when the person is back at the menu', () => {
    const h = atMenu();
    answerStart(h, h.sendRaw({ type: 'choice', id: 'aid' }));
    h.choose('agree');
    // The timer reaches the conversation mid-intake: nothing is said, the question stays.
    expect(h.sendRaw(due)).toEqual([]);
    expect(h.child('aid')).toBe('name');
    expect(h.write('محمد الحربي')).toEqual(['aid:ask.nationalId']);
    // Back at the menu, the review comes first, instead of the menu.
    const out = h.writeRaw('القائمة');
    expect(replyKeys(out)).toEqual(['aid:paused']);
    expect(effectNames(out)).toEqual(['cases.mine']);
    expect(h.send(listed)).toEqual(['review:ask']);
    h.choose('noChange');
    expect(h.state()).toBe('menu');
  });

  it('should wait while a person is with staff, and ask at the next menu', () => {
    const h = atMenu();
    h.say('staff');
    h.send({ type: 'handoff.queued', handoffId: 5, position: 1, open: true, opensAt: 0, already: false });
    h.send({ type: 'handoff.claimed' });
    expect(h.sendRaw(due)).toEqual([]);
    expect(h.send({ type: 'handoff.closed', handoffId: 5, by: 'staff' })).toEqual(['handoff:closed', 'rating:ask']);
    expect(h.write('5')).toEqual(['rating:thanks', 'rating:comment.ask']);
    expect(h.write('تخطي')).toEqual(['root:menu.prompt']);
    const out = h.writeRaw('القائمة');
    expect(effectNames(out)).toEqual(['cases.mine']);
    expect(h.send(listed)).toEqual(['review:ask']);
  });

  it('should keep a review that fires before the person has written, and ask it after the consent', () => {
    const h = harness();
    expect(h.sendRaw(due)).toEqual([]);
    expect(h.write('السلام عليكم')).toEqual(['root:greeting', 'root:consent.brief']);
    const out = h.sendRaw({ type: 'choice', id: 'agree' });
    expect(replyKeys(out)).toEqual(['root:consent.given']);
    expect(effectNames(out)).toContain('cases.mine');
    expect(h.send(listed)).toEqual(['review:ask']);
  });

  it('should let the person leave the question and say how to tell us later', () => {
    const h = atMenu();
    h.send(due);
    h.send(listed);
    expect(h.say('back')).toEqual(['review:later', 'root:menu.prompt']);
    expect(h.state()).toBe('menu');
  });

  it('should ask without a reference when the request is not in this chat', () => {
    const h = atMenu();
    h.send(due);
    expect(h.send({ type: 'cases.list', cases: [] })).toEqual(['review:askFile']);
    expect(h.send({ type: 'choice', id: 'noChange' })).toEqual(['review:thanksNoChangeFile', 'root:menu.prompt']);
  });
});
