import { describe, expect, it } from 'vitest';
import type { CaseSummary, FlowOutput, Locale } from '../../flows/events.ts';
import { withdrawableStages } from '../../flows/followUp/followUpMachine.ts';
import arFollowUp from '../../locales/ar/followUp.json' with { type: 'json' };
import enFollowUp from '../../locales/en/followUp.json' with { type: 'json' };
import { caseSummary, documents, effectNames, effectOf, replyKeys } from './aidFixtures.ts';
import { atMenu, type Harness } from './flowHarness.ts';

/** The stage names of GLOSSARY.md ("as the beneficiary reads them"): the words staff use too. */
const glossary: Record<string, Record<Locale, string>> = {
  submitted: { ar: 'تم استلام طلبك', en: 'received' },
  under_research: { ar: 'قيد الدراسة والتحقق من البيانات', en: 'under review (verifying your information)' },
  incomplete: { ar: 'بانتظار استكمال بيانات أو مستندات', en: 'waiting for missing information or documents' },
  field_visit: { ar: 'زيارة ميدانية مجدولة', en: 'field visit scheduled' },
  management_review: { ar: 'معروض على الإدارة لاتخاذ القرار', en: 'with management for a decision' },
  approved: { ar: 'تمت الموافقة على طلبك', en: 'approved' },
  rejected: { ar: 'نعتذر، لم تتم الموافقة على طلبك', en: 'not approved' },
  registered: { ar: 'تم تسجيلك مستفيدًا', en: 'registered as a beneficiary' },
  served: { ar: 'تم تقديم الخدمة', en: 'service delivered' },
};
const stageNames = { ar: arFollowUp.stageName, en: enFollowUp.stageName };

const report = documents[1] as CaseSummary['missing'][number];
const incomeProof = documents[2] as CaseSummary['missing'][number];

/**
 * A person at the menu who chose «follow up a request»; the engine answers `profile.phone` and
 * `cases.mine` with this chat's own requests.
 */
function following(mine: CaseSummary[], { files, h = atMenu() }: { files?: boolean; h?: Harness } = {}) {
  return { h, out: startFollowUp(h, h.sendRaw({ type: 'choice', id: 'followUp' }), mine, files) };
}

function startFollowUp(h: Harness, start: FlowOutput[], mine: CaseSummary[], files?: boolean): FlowOutput[] {
  expect(effectNames(start)).toEqual(['profile.phone']);
  const listed = h.sendRaw({ type: 'profile.phone', phone: undefined, ...(files === undefined ? {} : { files }) });
  expect(effectNames(listed)).toEqual(['cases.mine']);
  return h.sendRaw({ type: 'cases.list', cases: mine });
}

describe('followUpMachine: finding the request', () => {
  it("should show a chat's only request at once: its stage, last change, next step and answer date", () => {
    const summary = caseSummary();
    const { h, out } = following([summary]);
    expect(replyKeys(out)).toEqual(['followUp:stage.under_research', 'followUp:whatNext']);
    const text = h.text(out);
    expect(text).toContain(summary.reference);
    expect(text).toContain(glossary.under_research?.ar);
    expect(text).toContain(summary.aidType.ar);
    expect(text).not.toMatch(/\{\{|followUp:/);
    expect(h.offered()).toEqual(['withdraw', 'another', 'menu']);
  });

  it('should let a chat with several requests choose one, by number or by its reference', () => {
    const first = caseSummary();
    const second = caseSummary({ caseId: 43, reference: 'A-48-00043-7', stage: 'approved' });
    const { h, out } = following([first, second]);
    expect(replyKeys(out)).toEqual(['followUp:choose']);
    expect(h.offered()).toEqual(['case:42', 'case:43', 'other']);
    expect(h.write('٢')).toEqual(['followUp:stage.approved', 'followUp:whatNext']);
    // Decided: it can no longer be withdrawn.
    expect(h.offered()).toEqual(['another', 'menu']);
    expect(h.write('متابعة طلب آخر')).toEqual(['followUp:choose']);
    expect(h.write('a 48 00042 1')).toEqual(['followUp:stage.under_research', 'followUp:whatNext']);
  });

  it('should ask anyone else for the reference and the last four digits of the ID, read however typed', () => {
    const { h, out } = following([]);
    expect(replyKeys(out)).toEqual(['followUp:ask.reference']);
    expect(h.write('رقمي ما اذكره')).toEqual(['followUp:notReference']);
    expect(h.write('رقم طلبي a٤٨ ٠٠٠٤٣ ٧')).toEqual(['followUp:ask.lastFour']);
    expect(h.write('١٢')).toEqual(['followUp:invalid.lastFour']);
    const lookup = h.writeRaw('٥ ٦ ٧ ٨');
    expect(effectOf(lookup, 'case.lookup')).toEqual({
      type: 'effect',
      name: 'case.lookup',
      reference: 'A-48-00043-7',
      lastFour: '5678',
    });
    const found = caseSummary({ caseId: 43, reference: 'A-48-00043-7', stage: 'submitted' });
    expect(h.send({ type: 'case.found', summary: found })).toEqual(['followUp:stage.submitted', 'followUp:whatNext']);
  });

  it("should tell a chat that is not the applicant's what a receipt says, and offer nothing to act on", () => {
    const { h } = following([]);
    h.write('A-48-00043-7');
    h.write('5678');
    const receipt = caseSummary({
      caseId: 43,
      reference: 'A-48-00043-7',
      stage: 'incomplete',
      own: false,
      missing: [],
    });
    const out = h.sendRaw({ type: 'case.found', summary: receipt });
    expect(replyKeys(out)).toEqual(['followUp:receipt.incomplete', 'followUp:whatNext']);
    expect(h.text(out)).toContain('A-48-00043-7');
    expect(h.offered()).toEqual(['another', 'menu']);
    expect(h.write('سحب الطلب')).not.toContain('followUp:withdraw.confirm');
  });

  it('should say a mistyped reference looks mistyped, and ask for it again', () => {
    const { h } = following([]);
    h.write('A-48-00042-7');
    h.write('1234');
    const out = h.sendRaw({ type: 'case.notFound', reason: 'typo' });
    expect(replyKeys(out)).toEqual(['followUp:typo', 'followUp:ask.reference']);
    expect(h.text(out)).toContain('A-48-00042-7');
    expect(h.write('A-48-00042-1')).toEqual(['followUp:ask.lastFour']);
  });

  it('should answer the same words whether the reference or the ID digits are wrong', () => {
    const { h } = following([]);
    h.write('A-48-00043-7');
    h.write('1111');
    const wrongDigits = h.sendRaw({ type: 'case.notFound', reason: 'unknown' });
    h.write('A-48-00043-7');
    h.write('5678');
    const wrongReference = h.sendRaw({ type: 'case.notFound', reason: 'unknown' });
    expect(replyKeys(wrongDigits)).toEqual(['followUp:notFound', 'followUp:ask.reference']);
    expect(h.text(wrongDigits)).toBe(h.text(wrongReference));
  });

  it('should tell when to try again after too many failures, and go back to the menu', () => {
    const { h } = following([]);
    h.write('A-48-00043-7');
    h.write('1111');
    const until = Date.UTC(2026, 10, 26, 12, 30);
    const out = h.sendRaw({ type: 'case.notFound', reason: 'coolDown', until });
    expect(replyKeys(out)).toEqual(['followUp:coolDown', 'root:menu.prompt']);
    expect(h.text(out)).toContain(
      new Intl.DateTimeFormat('ar-SA-u-ca-gregory-nu-arab', {
        weekday: 'long',
        timeZone: 'Asia/Riyadh',
      }).format(until),
    );
    expect(h.state()).toBe('menu');
  });

  it('should follow the request whose reference is written anywhere at the menu', () => {
    const own = caseSummary();
    const h = atMenu();
    const text = 'السلام عليكم وش صار على A-48-00042-1 ؟';
    expect(h.read(text)).toMatchObject({ type: 'text', reference: 'A-48-00042-1' });
    const out = startFollowUp(h, h.writeRaw(text), [own]);
    expect(replyKeys(out)).toEqual(['followUp:stage.under_research', 'followUp:whatNext']);

    const other = atMenu();
    expect(replyKeys(startFollowUp(other, other.writeRaw('A4800043-7'), [own]))).toEqual(['followUp:ask.lastFour']);
  });

  it('should go back from the digits to the reference, and from there to the list or the menu', () => {
    const { h } = following([caseSummary(), caseSummary({ caseId: 43, reference: 'A-48-00043-7' })]);
    h.choose('other');
    h.write('A-47-00007-2');
    expect(h.say('back')).toEqual(['followUp:ask.reference']);
    expect(h.say('back')).toEqual(['followUp:choose']);
    expect(h.say('back')).toEqual(['root:menu.prompt']);
  });
});

describe('followUpMachine: stages in plain words', () => {
  it('should use the stage names of the glossary, in both languages', () => {
    for (const [stage, names] of Object.entries(glossary)) {
      for (const locale of ['ar', 'en'] as const) {
        expect(stageNames[locale][stage as keyof typeof arFollowUp.stageName], `${stage} ${locale}`).toBe(
          names[locale],
        );
      }
    }
  });

  it.each(Object.keys(glossary))('should tell the %s stage by its glossary name, with the reference', (stage) => {
    const summary = caseSummary({
      stage,
      missing: stage === 'incomplete' ? [report] : [],
      ...(stage === 'field_visit' ? { visitAt: Date.UTC(2026, 10, 29, 7) } : {}),
      ...(stage === 'rejected' ? { reason: 'الدخل يكفي الاحتياج' } : {}),
    });
    const { h, out } = following([summary]);
    expect(replyKeys(out)[0]).toBe(`followUp:stage.${stage}`);
    for (const locale of ['ar', 'en'] as const) {
      const text = h.text(out, locale);
      expect(text).toContain(glossary[stage]?.[locale]);
      expect(text).toContain(summary.reference);
      expect(text).not.toMatch(/\{\{|followUp:/);
    }
    expect(h.offered().includes('withdraw')).toBe(withdrawableStages.includes(stage));
  });

  it('should give the visit, the reason or the missing items where the stage has them', () => {
    const { h, out } = following([caseSummary({ stage: 'rejected', reason: 'الدخل يكفي الاحتياج' })]);
    expect(h.text(out)).toContain('الدخل يكفي الاحتياج');
    expect(replyKeys(following([caseSummary({ stage: 'rejected' })]).out)[0]).toBe('followUp:rejectedNoReason');
    expect(replyKeys(following([caseSummary({ stage: 'field_visit' })]).out)[0]).toBe('followUp:fieldVisitUnscheduled');
    expect(replyKeys(following([caseSummary({ stage: 'incomplete' })]).out)[0]).toBe('followUp:incompleteNoItems');
  });
});

describe('followUpMachine: missing documents and withdrawal', () => {
  const incomplete = caseSummary({ stage: 'incomplete', missing: [report, incomeProof] });

  it('should list what is missing and take each document sent right there', () => {
    const { h, out } = following([incomplete]);
    expect(replyKeys(out)).toEqual(['followUp:stage.incomplete', 'followUp:sendMissing']);
    const text = h.text(out);
    expect(text).toContain(report.names.ar);
    expect(text).toContain(incomeProof.names.ar);

    expect(h.send({ type: 'media', kind: 'voice', mediaId: 9 })).toEqual(['followUp:photoOrPdf']);
    const attach = h.sendRaw({ type: 'media', kind: 'photo', mediaId: 77 });
    expect(attach).toEqual([
      { type: 'effect', name: 'case.attach', caseId: 42, mediaId: 77, documentTypeId: report.id },
    ]);
    const more = h.sendRaw({ type: 'case.attached', summary: { ...incomplete, missing: [incomeProof] } });
    expect(replyKeys(more)).toEqual(['followUp:attachedMore']);
    expect(h.text(more)).toContain(incomeProof.names.ar);

    const last = h.sendRaw({ type: 'media', kind: 'document', mediaId: 78 });
    expect(effectOf(last, 'case.attach')).toMatchObject({ mediaId: 78, documentTypeId: incomeProof.id });
    const back = { ...incomplete, stage: 'under_research', missing: [] };
    const all = h.sendRaw({ type: 'case.attached', summary: back });
    expect(replyKeys(all)).toEqual(['followUp:attachedAll']);
    expect(h.text(all)).toContain(incomplete.reference);
    // Nothing is missing now: another file is thanked for, not attached.
    const extra = h.sendRaw({ type: 'media', kind: 'photo', mediaId: 79 });
    expect(replyKeys(extra)).toEqual(['followUp:fileNotNeeded']);
    expect(effectNames(extra)).toEqual([]);
  });

  it('should tell a person on a channel without files where to send the missing documents', () => {
    const { out } = following([incomplete], { files: false });
    expect(replyKeys(out)).toEqual(['followUp:stage.incomplete', 'followUp:missingElsewhere']);
  });

  it('should withdraw a request not yet decided, only after a clear yes', () => {
    const { h } = following([caseSummary()]);
    expect(h.write('سحب الطلب')).toEqual(['followUp:withdraw.confirm']);
    expect(h.write('لا')).toEqual(['followUp:withdraw.kept', 'followUp:whatNext']);
    h.choose('withdraw');
    expect(h.say('back')).toEqual(['followUp:withdraw.kept', 'followUp:whatNext']);
    h.choose('withdraw');
    expect(h.sendRaw({ type: 'choice', id: 'yes' })).toEqual([{ type: 'effect', name: 'case.withdraw', caseId: 42 }]);
    const done = h.sendRaw({ type: 'case.withdrawn', reference: 'A-48-00042-1', withdrawn: true });
    expect(replyKeys(done)).toEqual(['followUp:withdraw.done', 'root:menu.prompt']);
    expect(h.text(done)).toContain('A-48-00042-1');
  });

  it('should say so when the decision came first', () => {
    const { h } = following([caseSummary({ stage: 'management_review' })]);
    h.choose('withdraw');
    h.choose('yes');
    expect(h.send({ type: 'case.withdrawn', reference: 'A-48-00042-1', withdrawn: false })).toEqual([
      'followUp:withdraw.tooLate',
      'root:menu.prompt',
    ]);
  });
});
