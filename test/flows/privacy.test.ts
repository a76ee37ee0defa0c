import { describe, expect, it } from 'vitest';
import { type DataSummary, reviewTimerPrefix } from '../../flows/events.ts';
import { effectNames, effectOf, replyKeys } from './aidFixtures.ts';
import { atMenu, harness } from './flowHarness.ts';

/** What the engine tells of a chat that applied once and complained once. */
function held(extra: Partial<DataSummary> = {}): DataSummary {
  return {
    conversations: 1,
    messages: 42,
    cases: [{ reference: 'A-48-00042-1', stage: 'under_research' }],
    tickets: [{ reference: 'C-48-00007-3', kind: 'complaint', stage: 'open' }],
    consents: [
      { decision: 'given', purpose: 'privacy', at: Date.UTC(2026, 10, 20, 7) },
      { decision: 'given', purpose: 'health', at: Date.UTC(2026, 10, 20, 7, 5) },
    ],
    documents: 3,
    draft: false,
    ratings: 1,
    ...extra,
  };
}

/** A person at the menu who wrote «بياناتي» and was told what is held. */
function summarised(summary = held()) {
  const h = atMenu();
  const asked = h.writeRaw('بياناتي');
  expect(effectNames(asked)).toEqual(['privacy.summary']);
  const told = h.sendRaw({ type: 'privacy.summary', summary });
  return { h, told };
}

/** A person who asked to erase their data and said yes: the flow asks how to verify them. */
function confirmedErasure() {
  const h = atMenu();
  expect(h.write('ابي تمسحون معلوماتي')).toEqual(['privacy:erase.explain']);
  expect(h.offered()).toEqual(['confirm', 'no']);
  expect(effectNames(h.writeRaw('نعم'))).toEqual(['privacy.verify']);
  return h;
}

describe('privacyMachine: what is held («بياناتي»)', () => {
  it('should list the requests and complaints with their stages, the counts and the consents, and say what it does not show', () => {
    const { h, told } = summarised();
    expect(replyKeys(told)).toEqual([
      'privacy:summary.intro',
      'privacy:summary.case',
      'privacy:summary.ticket',
      'privacy:summary.consent.privacy.given',
      'privacy:summary.consent.health.given',
      'privacy:summary.notShown',
      'privacy:summary.options',
    ]);
    const text = h.text(told);
    expect(text).toContain('A-48-00042-1');
    expect(text).toContain('قيد الدراسة والتحقق من البيانات');
    expect(text).toContain('C-48-00007-3');
    expect(text).toContain('٤٢');
    expect(h.offered()).toEqual(['deleteData', 'withdraw', 'menu']);
  });

  it('should be reached in English words and from the answer about rights, without typing', () => {
    const en = harness();
    en.write('hello');
    en.choose('agree');
    expect(effectNames(en.writeRaw('what data do you have about me'))).toEqual(['privacy.summary']);

    const h = atMenu();
    h.write('وش حقوقي');
    expect(h.offered()).toContain('myData');
    expect(h.offered()).toContain('deleteData');
    expect(effectNames(h.sendRaw({ type: 'choice', id: 'myData' }))).toEqual(['privacy.summary']);
  });

  it('should take up a question asked instead of a choice, as at the menu', () => {
    const { h } = summarised();
    expect(h.write('متى الدوام عندكم')).toEqual(['enquiries:answer.hours', 'enquiries:more']);
  });

  it('should not offer to withdraw a consent that was never given', () => {
    const h = harness();
    h.write('السلام عليكم');
    h.choose('decline');
    h.writeRaw('بياناتي');
    h.sendRaw({ type: 'privacy.summary', summary: held({ cases: [], tickets: [], consents: [] }) });
    expect(h.offered()).toEqual(['deleteData', 'menu']);
  });

  it('should withdraw the consent on a clear yes, and ask for it again before an application', () => {
    const { h } = summarised();
    expect(h.choose('withdraw')).toEqual(['privacy:withdraw.explain']);
    const out = h.sendRaw({ type: 'choice', id: 'confirm' });
    expect(effectOf(out, 'privacy.withdraw')).toEqual({ type: 'effect', name: 'privacy.withdraw', noticeVersion: 1 });
    expect(replyKeys(out)).toEqual(['privacy:withdraw.done', 'root:menu.prompt']);
    // Nothing more is kept under their name until they consent again.
    expect(h.choose('aid')).toEqual(['aid:privacyFirst', 'root:consent.notice']);
  });

  it('should drop a periodic review that came due meanwhile once the consent is withdrawn', () => {
    const { h } = summarised();
    h.send({ type: 'timer', key: `${reviewTimerPrefix}42` });
    h.choose('withdraw');
    expect(replyKeys(h.sendRaw({ type: 'choice', id: 'confirm' }))).toEqual([
      'privacy:withdraw.done',
      'root:menu.prompt',
    ]);
    expect(h.state()).toBe('menu');
  });

  it('should keep the consent on anything but a clear yes', () => {
    const { h } = summarised();
    h.choose('withdraw');
    const out = h.sendRaw({ type: 'choice', id: 'no' });
    expect(effectNames(out)).toEqual([]);
    expect(replyKeys(out)).toEqual(['privacy:withdraw.kept', 'root:menu.prompt']);
  });
});

describe('privacyMachine: erasure («احذف بياناتي»)', () => {
  it('should say what is erased and kept, and erase nothing without a clear yes', () => {
    const h = atMenu();
    h.write('احذف بياناتي');
    const out = h.sendRaw({ type: 'choice', id: 'no' });
    expect(effectNames(out)).toEqual([]);
    expect(replyKeys(out)).toEqual(['privacy:erase.kept', 'root:menu.prompt']);
  });

  it('should erase at once when no ID was given (the platform account is the proof), with the reference and the date', () => {
    const h = confirmedErasure();
    const out = h.sendRaw({ type: 'privacy.verification', method: 'platform' });
    expect(effectOf(out, 'privacy.erase')).toEqual({ type: 'effect', name: 'privacy.erase' });
    const done = h.sendRaw({ type: 'privacy.erased', reference: 'D-00004', dueAt: Date.UTC(2026, 11, 26, 9) });
    expect(replyKeys(done)).toEqual(['privacy:erase.done', 'root:menu.prompt']);
    const text = h.text(done);
    expect(text).toContain('D-00004');
    expect(text).toContain('٢٦ ديسمبر ٢٠٢٦');
    // The consent went with the data: an application asks for it again.
    expect(h.choose('aid')).toEqual(['aid:privacyFirst', 'root:consent.notice']);
  });

  it('should ask for the last four digits of the ID a request gave, in any digits, and pass them on', () => {
    const h = confirmedErasure();
    expect(h.send({ type: 'privacy.verification', method: 'id' })).toEqual(['privacy:erase.askLastFour']);
    expect(h.write('ما اذكره')).toEqual(['privacy:erase.invalidLastFour']);
    const out = h.writeRaw('٧٨٩٧');
    expect(effectOf(out, 'privacy.erase')).toEqual({ type: 'effect', name: 'privacy.erase', lastFour: '7897' });
  });

  it('should ask again after wrong digits, and give up (offering a person) after the third', () => {
    const h = confirmedErasure();
    h.send({ type: 'privacy.verification', method: 'id' });
    h.write('1111');
    expect(h.send({ type: 'privacy.refused', reason: 'mismatch' })).toEqual([
      'privacy:erase.mismatch',
      'privacy:erase.askLastFour',
    ]);
    h.write('2222');
    h.send({ type: 'privacy.refused', reason: 'mismatch' });
    h.write('3333');
    expect(h.send({ type: 'privacy.refused', reason: 'mismatch' })).toEqual([
      'privacy:erase.giveUp',
      'root:menu.prompt',
    ]);
  });

  it('should say when the checks are cooling down', () => {
    const h = confirmedErasure();
    h.send({ type: 'privacy.verification', method: 'id' });
    h.write('1111');
    expect(h.send({ type: 'privacy.refused', reason: 'coolDown', until: Date.UTC(2026, 10, 26, 12) })).toEqual([
      'privacy:erase.coolDown',
      'root:menu.prompt',
    ]);
  });
});
