import { describe, expect, it } from 'vitest';
import type { EngineInput } from '../../src/domain/inbound.ts';
import type { ShownOption } from '../../src/domain/messages.ts';
import { optionToken } from '../../src/domain/optionToken.ts';
import { interpret } from '../../src/understanding/interpret.ts';

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
    ['القائمة', 'menu', 'ar'],
    ['القائمه', 'menu', 'ar'],
    ['Menu', 'menu', 'en'],
    ['رجوع', 'back', 'ar'],
    ['إلغاء', 'cancel', 'ar'],
    ['الغاء', 'cancel', 'ar'],
    ['مساعدة', 'help', 'ar'],
    ['موظف', 'staff', 'ar'],
    ['ابي اكلم موظف', 'staff', 'ar'],
    ['STAFF', 'staff', 'en'],
    ['اللغة', 'language', 'ar'],
  ])('should read %s as the global word %s, written in %s', (input, word, lang) => {
    expect(text(input)).toEqual({ event: { type: 'global', word, lang } });
  });

  it.each(['أبوي طاح ونبي إسعاف بسرعة', 'فيه نزيف', 'I think it is a heart attack'])(
    'should read words of emergency anywhere in "%s"',
    (input) => {
      expect(text(input)).toMatchObject({ event: { type: 'global', word: 'emergency', text: input } });
    },
  );

  it('should pass other text on with its normalised form, its language and the enquiry it asks, keeping the original', () => {
    expect(text('وش الأوراق المطلوبة')).toEqual({
      event: {
        type: 'text',
        text: 'وش الأوراق المطلوبة',
        normalized: 'وش الاوراق المطلوبه',
        lang: 'ar',
        topic: 'documents',
      },
    });
    expect(text('what papers do you need from me')).toMatchObject({ event: { lang: 'en', topic: 'documents' } });
    expect(text('🌹🌹')).toEqual({ event: { type: 'text', text: '🌹🌹', normalized: '🌹🌹' } });
  });

  it('should find words of danger glued to conjunctions, in everyday words, and not in a calm denial', () => {
    for (const said of [
      'وبنتي تنزف',
      'فامي ما تتنفس',
      'وابوي مغمى عليه',
      'ابوي صدره يعصره وعرقان',
      'my kid drank bleach',
    ]) {
      expect(text(said), said).toMatchObject({ event: { type: 'global', word: 'emergency', text: said } });
    }
    for (const calm of [
      'مو طارئ بس ابي اعرف متى الرد',
      'امي جاتها جلطه قبل سنتين وتحتاج كرسي',
      'التقرير من الطوارئ ينفع؟',
    ]) {
      expect(text(calm), calm).toMatchObject({ event: { type: 'text' } });
    }
  });

  it('should read a photo captioned with words of danger as an emergency', () => {
    const photo: EngineInput = { ...base, kind: 'media', media: 'photo', caption: 'ابوي ينزف من راسه' };
    expect(interpret(photo, shown, 2000)).toMatchObject({ event: { type: 'global', word: 'emergency' } });
  });

  it('should read a global word said in a sentence when a choice is asked, but not a complaint about staff while text is awaited', () => {
    expect(text('ممكن اكلم احد من الموظفين لو سمحت')).toEqual({ event: { type: 'global', word: 'staff', lang: 'ar' } });
    expect(text('ما ابي موظف')).not.toMatchObject({ event: { type: 'global' } });
    const typed = (t: string) => interpret({ ...base, kind: 'text', text: t }, [], 2000);
    expect(typed('ابي اكلم موظف')).toEqual({ event: { type: 'global', word: 'staff', lang: 'ar' } });
    expect(typed('الموظف تكلم معي بأسلوب غير لائق')).toMatchObject({ event: { type: 'text' } });
    // A rating's comment, with its one «skip» button, is a typed answer too.
    const comment = [{ id: 'rate:handoff:7:none', labels: ['تخطي التعليق', 'Skip the comment'] }];
    const commented = (t: string) => interpret({ ...base, kind: 'text', text: t }, comment, 2000);
    expect(commented('الموظفة تأخرت في الرد علي')).toMatchObject({ event: { type: 'text' } });
    expect(commented('شرح لي كل شيء بصبر')).toMatchObject({ event: { type: 'text' } });
  });

  it('should switch to a language named in words, but not to one the person says they cannot read', () => {
    expect(text('English please')).toEqual({ event: { type: 'global', word: 'language', locale: 'en', lang: 'en' } });
    expect(text('ابي عربي')).toMatchObject({ event: { type: 'global', word: 'language', locale: 'ar' } });
    expect(text('ما اعرف اقرا انجليزي')).toEqual({ event: { type: 'global', word: 'language', lang: 'ar' } });
  });

  it('should read small talk, unless the message asks for something too', () => {
    expect(text('السلام عليكم')).toMatchObject({ event: { smallTalk: 'greeting' } });
    expect(text('يعطيك العافيه')).toMatchObject({ event: { smallTalk: 'thanks' } });
    expect(text('السلام عليكم وش صار على A-48-00042-1')).not.toMatchObject({ event: { smallTalk: 'greeting' } });
  });

  it('should find a reference, a mobile number and an ID inside a sentence', () => {
    expect(text('طلبي رقم ٤٨٠٠٠٤٢١ وش صار عليه')).toMatchObject({ event: { reference: 'A-48-00042-1' } });
    expect(text('طلبي رقم ٤٨٠٠٠٤٢٢')).not.toMatchObject({ event: { reference: expect.anything() } });
    expect(text('جوالي ٠٥٥ ١٢٣ ٤٥٦٧ وهويتي 1000000008')).toMatchObject({
      event: { phone: '+966551234567', nationalId: '1000000008' },
    });
  });

  it('should offer the likeliest meanings of a message it is not sure of', () => {
    const reading = text('بطاطس');
    expect(reading).toMatchObject({ event: { type: 'text' } });
    expect(reading).not.toMatchObject({ event: { service: expect.anything() } });
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
    expect(text('رقم طلبي a 48 00042 1')).toMatchObject({ event: { reference: 'A-48-00042-1' } });
  });

  it('should read a plain yes or no as the offered option that says so, and only then', () => {
    const consent = [
      { id: 'agree', labels: ['أوافق', 'I agree'] },
      { id: 'decline', labels: ['لا أوافق', 'I do not agree'] },
    ];
    for (const yes of ['نعم', 'ايه', 'ايوه', 'اوكي', 'أكيد', 'موافقه', 'تمام', 'yes', 'OK']) {
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

  it('should answer the question asked with yes or no, and never take a plain «لا» for a cancel', () => {
    const urgency = [
      { id: 'urgent', labels: ['نعم، عاجلة', 'Yes, urgent'] },
      { id: 'notUrgent', labels: ['ليست عاجلة', 'Not urgent'] },
    ];
    const said = (t: string, options: ShownOption[]) => interpret({ ...base, kind: 'text', text: t }, options, 2000);
    for (const [t, id] of [
      ['لا', 'notUrgent'],
      ['مو عاجله', 'notUrgent'],
      ['لا مو عاجله', 'notUrgent'],
      ['not urgent', 'notUrgent'],
      ['نعم', 'urgent'],
      ['عاجله', 'urgent'],
    ]) {
      expect(said(t as string, urgency), t).toEqual({ event: { type: 'choice', id } });
    }
    // No option says no (the complaint's confirmation: send, rewrite, cancel): asked again, nothing cancelled.
    const confirm = [
      { id: 'send', labels: ['نعم، أرسلها', 'Yes, send it'] },
      { id: 'rewrite', labels: ['أعيد كتابة النص', 'Rewrite it'] },
      { id: 'cancel', labels: ['لا، ألغِها', 'No, cancel it'] },
    ];
    expect(said('لا', confirm)).toMatchObject({ event: { type: 'text', text: 'لا' } });
    expect(said('لا', [])).toMatchObject({ event: { type: 'text', text: 'لا' } });
    for (const t of ['ايه ارسلها', 'تمام ارسل', 'ok send']) {
      expect(said(t, confirm), t).toEqual({ event: { type: 'choice', id: 'send' } });
    }
  });

  it('should choose the option whose label has a word as written, before reading it without its clitics', () => {
    const anonymity = [
      { id: 'named', labels: ['باسمي (يمكنكم الرد عليّ)', 'With my name (you can answer me)'] },
      { id: 'anonymous', labels: ['دون ذكر اسمي', 'Without my name'] },
    ];
    expect(interpret({ ...base, kind: 'text', text: 'باسمي' }, anonymity, 2000)).toEqual({
      event: { type: 'choice', id: 'named' },
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
    // «تخطي»: past the "was this helpful?" question, to the menu.
    expect(interpret({ ...base, kind: 'text', text: 'تخطي' }, after, 2000)).toEqual({
      event: { type: 'choice', id: 'menu' },
    });
  });
});
