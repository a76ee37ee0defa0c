import { describe, expect, it } from 'vitest';
import type { ShownOption } from '../../src/domain/messages.ts';
import type { EngineInput } from '../../src/engine/inbound.ts';
import { interpret } from '../../src/engine/interpret.ts';
import { optionToken } from '../../src/engine/optionToken.ts';

const shown: ShownOption[] = [
  { id: 'enquiries', labels: ['استفسارات عامة', 'General enquiries'] },
  { id: 'aid', labels: ['تقديم طلب مساعدة', 'Apply for aid'] },
  { id: 'followUp', labels: ['متابعة طلب', 'Follow up a request'] },
];
const base = { channel: 'test', chatId: 'c', messageId: 'm' };
const text = (t: string) => interpret({ ...base, kind: 'text', text: t }, shown, 2000);

describe('interpret', () => {
  it.each([
    ['1', 'enquiries'],
    ['٢', 'aid'],
    ['۳', 'followUp'],
    [' ٣. ', 'followUp'],
    ['استفسارات عامة', 'enquiries'],
    ['اِسْتِفْسَارَاتٌ عامّة', 'enquiries'],
    ['general ENQUIRIES', 'enquiries'],
    ['استفسارت عامه', 'enquiries'],
    ['متابعه', 'followUp'],
    ['Apply for aid', 'aid'],
  ])('should read %s as the option %s', (input, id) => {
    expect(text(input)).toEqual({ event: { type: 'choice', id } });
  });

  it.each([
    ['القائمة', 'menu'],
    ['القائمه', 'menu'],
    ['Menu', 'menu'],
    ['رجوع', 'back'],
    ['إلغاء', 'cancel'],
    ['الغاء', 'cancel'],
    ['مساعدة', 'help'],
    ['موظف', 'staff'],
    ['ابي اكلم موظف', 'staff'],
    ['STAFF', 'staff'],
    ['اللغة', 'language'],
  ])('should read %s as the global word %s', (input, word) => {
    expect(text(input)).toEqual({ event: { type: 'global', word } });
  });

  it.each(['أبوي طاح ونبي إسعاف بسرعة', 'فيه نزيف', 'I think it is a heart attack'])(
    'should read words of emergency anywhere in "%s"',
    (input) => {
      expect(text(input)).toMatchObject({ event: { type: 'global', word: 'emergency', text: input } });
    },
  );

  it('should pass other text on with its normalised form and the enquiry topic it names, keeping the original', () => {
    expect(text('وش الأوراق المطلوبة')).toEqual({
      event: { type: 'text', text: 'وش الأوراق المطلوبة', normalized: 'وش الاوراق المطلوبه', topic: 'documents' },
    });
    expect(text('السلام عليكم')).toEqual({
      event: { type: 'text', text: 'السلام عليكم', normalized: 'السلام عليكم' },
    });
  });

  it('should not read a number beyond the options as a choice', () => {
    expect(text('9')).toMatchObject({ event: { type: 'text' } });
  });

  it('should answer a huge text at the edge without the flow', () => {
    expect(text('ا'.repeat(100_000))).toEqual({ edgeReply: 'common:tooLong' });
  });

  it('should read a button of the current options as a choice and an old button as stale', () => {
    const press = (id: string): EngineInput => ({ ...base, kind: 'choice', choiceId: id });
    expect(interpret(press('aid'), shown, 2000)).toEqual({ event: { type: 'choice', id: 'aid' } });
    expect(interpret(press('consent.agree'), shown, 2000)).toEqual({ edgeReply: 'common:staleOption' });
  });

  it('should read a button carrying a long option id as a short token back as that option', () => {
    const longId = 'خيار-'.repeat(20);
    const withLong: ShownOption[] = [...shown, { id: longId, labels: ['طويل', 'Long'] }];
    const press: EngineInput = { ...base, kind: 'choice', choiceId: optionToken(longId) };
    expect(interpret(press, withLong, 2000)).toEqual({ event: { type: 'choice', id: longId } });
  });

  it('should map commands to global words and unsupported content to a polite answer', () => {
    expect(interpret({ ...base, kind: 'command', command: 'start' }, shown, 2000)).toEqual({
      event: { type: 'global', word: 'menu' },
    });
    expect(interpret({ ...base, kind: 'command', command: 'Staff' }, shown, 2000)).toEqual({
      event: { type: 'global', word: 'staff' },
    });
    expect(interpret({ ...base, kind: 'unsupported', what: 'sticker' }, shown, 2000)).toEqual({
      edgeReply: 'common:unsupported',
    });
  });

  it("should read a request for aid or for a request's status in everyday words, but not a question about documents", () => {
    for (const [said, service] of [
      ['ممكن تساعدوني', 'aid'],
      ['أحتاج أجهزة لأمي', 'aid'],
      ['can I get a medical bed', 'aid'],
      ['وين وصل طلبي؟', 'followUp'],
      ['what is the status of my request', 'followUp'],
    ] as const) {
      expect(text(said), said).toMatchObject({ event: { type: 'text', service } });
    }
    for (const question of ['what documents do I need?', 'وش الأوراق اللي احتاجها']) {
      expect(text(question), question).not.toMatchObject({ event: { service: 'aid' } });
    }
    expect(text('رقم طلبي a 48 00042 1')).toMatchObject({ event: { reference: 'A-48-00042-1', service: 'followUp' } });
  });

  it('should read a plain yes or no as the offered option that says so, and only then', () => {
    const consent = [
      { id: 'agree', labels: ['أوافق', 'I agree'] },
      { id: 'decline', labels: ['لا أوافق', 'I do not agree'] },
    ];
    for (const yes of ['نعم', 'ايه', 'ايوه', 'موافقه', 'تمام', 'yes', 'OK']) {
      expect(interpret({ ...base, kind: 'text', text: yes }, consent, 2000), yes).toEqual({
        event: { type: 'choice', id: 'agree' },
      });
    }
    for (const no of ['لا', 'لأ', 'no']) {
      expect(interpret({ ...base, kind: 'text', text: no }, consent, 2000), no).toEqual({
        event: { type: 'choice', id: 'decline' },
      });
    }
    const summary = [
      { id: 'submit', labels: ['إرسال الطلب', 'Send'] },
      { id: 'edit:1', labels: ['الاسم', 'Name'] },
    ];
    expect(interpret({ ...base, kind: 'text', text: 'ارسل الطلب' }, summary, 2000)).toEqual({
      event: { type: 'choice', id: 'submit' },
    });
    // At the menu, «نعم» names no option: it stays text.
    expect(
      interpret({ ...base, kind: 'text', text: 'نعم' }, [{ id: 'aid', labels: ['تقديم طلب مساعدة'] }], 2000),
    ).toMatchObject({
      event: { type: 'text' },
    });
  });

  it('should not read a negated phrase as the option that says the opposite', () => {
    const helpful = [
      { id: 'another', labels: ['استفسار آخر', 'Another question'] },
      { id: 'yes', labels: ['👍 أفادتني الإجابة', '👍 It helped'] },
      { id: 'no', labels: ['👎 لم تُفدني', '👎 It did not help'] },
    ];
    for (const said of ['ما أفادتني', 'ما افادتني', 'it did not help me']) {
      expect(interpret({ ...base, kind: 'text', text: said }, helpful, 2000), said).not.toEqual({
        event: { type: 'choice', id: 'yes' },
      });
    }
    expect(interpret({ ...base, kind: 'text', text: 'أفادتني' }, helpful, 2000)).toEqual({
      event: { type: 'choice', id: 'yes' },
    });
  });

  it('should answer «another question?» with a plain yes or no', () => {
    const after = [
      { id: 'another', labels: ['استفسار آخر', 'Another question'] },
      { id: 'menu', labels: ['القائمة الرئيسية', 'Main menu'] },
      { id: 'rate:faq:3:5', labels: ['👍 أفادتني الإجابة', '👍 It helped'] },
      { id: 'rate:faq:3:1', labels: ['👎 لم تُفدني', '👎 It did not help'] },
    ];
    expect(interpret({ ...base, kind: 'text', text: 'نعم' }, after, 2000)).toEqual({
      event: { type: 'choice', id: 'another' },
    });
    expect(interpret({ ...base, kind: 'text', text: 'لا' }, after, 2000)).toEqual({
      event: { type: 'choice', id: 'menu' },
    });
  });
});
