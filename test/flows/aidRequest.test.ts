import { describe, expect, it } from 'vitest';
import { healthNoticeVersion } from '../../flows/aidRequest/aidRequestMachine.ts';
import type { ApplicationAnswers, FlowOutput, Locale } from '../../flows/events.ts';
import arAid from '../../locales/ar/aid.json' with { type: 'json' };
import arFollowUp from '../../locales/ar/followUp.json' with { type: 'json' };
import enAid from '../../locales/en/aid.json' with { type: 'json' };
import { loadConfig } from '../../src/config.ts';
import { bothCalendars } from '../../src/domain/hijri.ts';
import { createI18n } from '../../src/i18n.ts';
import {
  aidTypes,
  answerStart,
  caseSummary,
  cities,
  documents,
  effectNames,
  effectOf,
  replyKeys,
} from './aidFixtures.ts';
import { atMenu, harness } from './flowHarness.ts';

const i18n = createI18n();
const t = (key: string, lng: Locale, params: Record<string, unknown> = {}) => i18n.t(key, { lng, ...params });
const aidLocales = { ar: arAid, en: enAid };

/** A person at the main menu in `locale`, with the privacy consent given. */
function menuIn(locale: Locale) {
  if (locale === 'ar') return atMenu();
  const h = harness();
  h.type('hi');
  h.choose('en');
  h.choose('agree');
  return h;
}

/** A person who chose «apply» at the menu and whose application has started (no draft). */
function applying(options: Parameters<typeof answerStart>[2] = {}, locale: Locale = 'ar') {
  const h = menuIn(locale);
  const start = answerStart(h, h.sendRaw({ type: 'choice', id: 'aid' }), options);
  return { h, start };
}

/** An application answered up to (not including) the question `until`. */
function answeredUntil(until: string, options: Parameters<typeof answerStart>[2] = {}) {
  const { h } = applying(options);
  const steps: [string, () => unknown][] = [
    ['healthConsent', () => h.choose('agree')],
    ['name', () => h.write('محمد عبدالله الحربي')],
    ['nationalId', () => h.write('1000000008')],
    ['phone', () => h.write('0501234567')],
    ['city', () => h.choose('city:buraydah')],
    ['householdSize', () => h.write('5')],
    ['income', () => h.write('3000')],
    ['aidType', () => h.choose('aidType:1')],
    ['description', () => h.write('والدتي مريضة وتحتاج سريرا طبيا')],
    [
      'documents',
      () => {
        h.choose('later');
        h.choose('later');
        h.choose('later');
      },
    ],
  ];
  for (const [step, answer] of steps) {
    if (step === until) break;
    answer();
  }
  return h;
}

/** Each row: what the person types (or sends) at a step, and the question that must come next. */
type Row = { step: string; send: string | { media: number }; next: string };

const walks: Record<Locale, { opening: string; platformPhone?: string; rows: Row[]; answers: ApplicationAnswers }> = {
  ar: {
    // Saudi dialect, Arabic-Indic digits, spaces in numbers, a city typed with ه for ة.
    opening: 'ابي اقدم طلب مساعدة لو سمحت',
    rows: [
      { step: 'healthConsent', send: '١', next: 'aid:ask.name' },
      { step: 'name', send: 'محمد بن عبدالله الحربي', next: 'aid:ask.nationalId' },
      { step: 'nationalId', send: '١٠٠٠ ٠٠٠ ٠٠٨', next: 'aid:ask.phone' },
      { step: 'phone', send: '٠٥٥ ١٢٣ ٤٥٦٧', next: 'aid:ask.city' },
      { step: 'city', send: 'بريده', next: 'aid:ask.householdSize' },
      { step: 'householdSize', send: '٦ افراد', next: 'aid:ask.income' },
      { step: 'income', send: 'تقريبا ٣٬٥٠٠ ريال', next: 'aid:ask.aidType' },
      { step: 'aidType', send: '١', next: 'aid:ask.description' },
      { step: 'description', send: 'امي كبيره بالسن ومريضه وتحتاج سرير طبي', next: 'aid:ask.document' },
      { step: 'documents', send: { media: 501 }, next: 'aid:ask.document' },
      { step: 'documents', send: { media: 502 }, next: 'aid:ask.document' },
      { step: 'documents', send: 'لاحقا', next: 'aid:summary.self' },
    ],
    answers: {
      healthConsent: true,
      name: 'محمد بن عبدالله الحربي',
      nationalId: '1000000008',
      phone: '+966551234567',
      city: 'buraydah',
      householdSize: 6,
      income: '3500',
      aidTypeId: '1',
      description: 'امي كبيره بالسن ومريضه وتحتاج سرير طبي',
      documents: [
        { documentTypeId: '11', mediaId: 501 },
        { documentTypeId: '12', mediaId: 502 },
        { documentTypeId: '13', later: true },
      ],
    },
  },
  en: {
    opening: 'can i get a medical bed',
    platformPhone: '966501234567',
    rows: [
      { step: 'healthConsent', send: 'I agree', next: 'aid:ask.name' },
      { step: 'name', send: 'John  Smith', next: 'aid:ask.nationalId' },
      { step: 'nationalId', send: '2123-456-788', next: 'aid:ask.phoneOrPlatform' },
      { step: 'phone', send: 'use this number', next: 'aid:ask.city' },
      { step: 'city', send: 'Unaizah', next: 'aid:ask.householdSize' },
      { step: 'householdSize', send: '4', next: 'aid:ask.income' },
      { step: 'income', send: 'Less than 3,000 riyals', next: 'aid:ask.aidType' },
      { step: 'aidType', send: 'medicines', next: 'aid:ask.description' },
      { step: 'description', send: 'Insulin for my diabetic father', next: 'aid:ask.document' },
      { step: 'documents', send: 'later', next: 'aid:ask.document' },
      { step: 'documents', send: '1', next: 'aid:ask.document' },
      { step: 'documents', send: { media: 503 }, next: 'aid:summary.self' },
    ],
    answers: {
      healthConsent: true,
      name: 'John Smith',
      nationalId: '2123456788',
      phone: '+966501234567',
      city: 'unaizah',
      householdSize: 4,
      income: 'band:under3000',
      aidTypeId: '2',
      description: 'Insulin for my diabetic father',
      documents: [
        { documentTypeId: '11', later: true },
        { documentTypeId: '12', later: true },
        { documentTypeId: '13', mediaId: 503 },
      ],
    },
  },
};

describe('aidRequestMachine: the whole intake', () => {
  it.each(Object.keys(walks) as Locale[])(
    'should take an application from words at the menu to a reference and an answer date (%s)',
    (locale) => {
      const walk = walks[locale];
      const h = menuIn(locale);
      // The person asks in their own words; the edge reads the service, the flow starts the application.
      expect(h.read(walk.opening)).toMatchObject({ type: 'text', service: 'aid' });
      const start = answerStart(h, h.writeRaw(walk.opening), { phone: walk.platformPhone });
      expect(replyKeys(start)).toEqual(['aid:intro', 'aid:ask.healthConsent']);
      expect(h.child('aid')).toBe('healthConsent');

      let saved: ApplicationAnswers | undefined;
      let last: FlowOutput[] = [];
      for (const row of walk.rows) {
        expect(h.child('aid'), JSON.stringify(row)).toBe(row.step);
        last =
          typeof row.send === 'string'
            ? h.writeRaw(row.send)
            : h.sendRaw({ type: 'media', kind: 'photo', mediaId: row.send.media });
        expect(replyKeys(last).at(-1), JSON.stringify(row)).toBe(row.next);
        // Every answer is kept as a draft outside the conversation at once.
        saved = effectOf(last, 'draft.save')?.answers;
        expect(saved, JSON.stringify(row)).toBeDefined();
      }
      expect(saved).toEqual(walk.answers);

      // The summary shows every answer in the person's language, nothing left untranslated.
      const summary = h.text(last, locale);
      for (const value of [
        walk.answers.name,
        walk.answers.description,
        aidTypes.find((a) => a.id === walk.answers.aidTypeId)?.names[locale],
      ]) {
        expect(summary).toContain(value);
      }
      expect(summary).toContain(cities.find((c) => c.id === walk.answers.city)?.names[locale]);
      expect(summary).not.toMatch(/\$t\(|aid:|\{\{/);
      // Sending is declaring the answers correct (policy clause 4): the summary says so.
      expect(summary).toContain(locale === 'ar' ? 'تقرّ بأن بياناتك صحيحة' : 'you declare the details are correct');
      expect(h.offered()).toEqual(['submit', 'change']);

      const submit = h.writeRaw(locale === 'ar' ? '١' : '1');
      expect(effectOf(submit, 'case.submit')?.answers).toEqual({ ...walk.answers, declaration: true });
      const dueAt = Date.UTC(2026, 11, 10, 9);
      const done = h.sendRaw({ type: 'case.submitted', caseId: 9, reference: 'A-48-00043-7', dueAt });
      expect(replyKeys(done)).toEqual(['aid:submitted', 'aid:documentsLater', 'root:menu.prompt']);
      expect(effectNames(done)).toEqual(['draft.clear']);
      const text = h.text(done, locale);
      expect(text).toContain('A-48-00043-7');
      // The answer date, Hijri first with the Gregorian beside it.
      const { hijri, gregorian } = bothCalendars(new Date(dueAt), locale, loadConfig({}).org.timeZone);
      expect(text).toContain(t('common:bothCalendars', locale, { hijri, gregorian }));
      expect(h.state()).toBe('menu');
    },
  );

  it('should record the health-data consent for its own purpose before the first question', () => {
    const { h } = applying();
    const out = h.sendRaw({ type: 'choice', id: 'agree' });
    expect(out).toContainEqual({
      type: 'effect',
      name: 'consent.record',
      decision: 'given',
      noticeVersion: healthNoticeVersion,
      purpose: 'health',
    });
    expect(replyKeys(out)).toEqual(['aid:ask.name']);
  });

  it('should end politely with how to apply at the office when the health-data consent is declined', () => {
    const { h } = applying();
    const out = h.writeRaw('2');
    expect(out).toContainEqual({
      type: 'effect',
      name: 'consent.record',
      decision: 'declined',
      noticeVersion: healthNoticeVersion,
      purpose: 'health',
    });
    expect(replyKeys(out)).toEqual(['aid:healthDeclined', 'root:menu.prompt']);
    expect(effectNames(out)).toContain('draft.clear');
    expect(h.text(out)).toContain(loadConfig({}).org.phone);
  });

  it('should ask for the privacy consent first when the person declined it earlier', () => {
    const h = harness();
    h.type('hi');
    h.choose('ar');
    h.choose('decline');
    expect(h.choose('aid')).toEqual(['aid:privacyFirst', 'root:consent.notice']);
    const agreed = h.sendRaw({ type: 'choice', id: 'agree' });
    expect(agreed).toContainEqual({ type: 'effect', name: 'consent.record', decision: 'given', noticeVersion: 1 });
    expect(effectNames(agreed)).toContain('catalogue.load');

    const again = harness();
    again.type('hi');
    again.choose('ar');
    again.choose('decline');
    again.choose('aid');
    expect(again.choose('decline')).toEqual(['aid:privacyDeclined', 'root:menu.prompt']);
  });
});

describe('aidRequestMachine: answers', () => {
  it('should mark the summary, which echoes the need, as a health detail', () => {
    const h = answeredUntil('documents');
    const later = () => h.sendRaw({ type: 'choice', id: 'later' });
    const said = [...later(), ...later(), ...later()];
    expect(said.find((o) => o.type === 'reply' && o.key === 'aid:summary.self')).toMatchObject({ flag: 'health' });
  });

  it.each([
    ['1000000008', '1000000008'],
    ['١٠٠٠٠٠٠٠٠٨', '1000000008'],
    ['۱۰۰۰۰۰۰۰۰۸', '1000000008'],
    ['1234 567 897', '1234567897'],
    ['2123-456-788', '2123456788'],
    ['٢٠٠٠٠٠٠٠٠٦', '2000000006'],
  ])('should take the national ID or Iqama %s as %s', (typed, id) => {
    const h = answeredUntil('nationalId');
    expect(h.write(typed)).toEqual(['aid:ask.phone']);
    expect(effectOf(h.writeRaw('0501234567'), 'draft.save')?.answers.nationalId).toBe(id);
  });

  it.each([
    ['1000000000', 'aid:invalid.idMistyped'],
    ['1234567890', 'aid:invalid.idMistyped'],
    ['٢٠٠٠٠٠٠٠٠٧', 'aid:invalid.idMistyped'],
    ['5234567893', 'aid:invalid.idFormat'],
    ['0000000000', 'aid:invalid.idFormat'],
    ['12345', 'aid:invalid.idFormat'],
    ['رقمي ما اذكره', 'aid:invalid.idFormat'],
  ])('should not take %s as an ID, and say why (%s)', (typed, problem) => {
    const h = answeredUntil('nationalId');
    expect(h.write(typed)).toEqual([problem, 'aid:ask.nationalId']);
    expect(h.child('aid')).toBe('nationalId');
  });

  it('should tell a mistyped ID apart from one that is not an ID, in the words of the glossary', () => {
    expect(t('aid:invalid.idMistyped', 'ar')).toContain('يبدو أن الرقم');
    expect(t('aid:invalid.idMistyped', 'en')).toContain('looks mistyped');
  });

  it.each([
    '0501234567',
    '501234567',
    '966501234567',
    '+966 50 123 4567',
    '00966501234567',
    '٠٥٠١٢٣٤٥٦٧',
    '(050) 123-4567',
  ])('should read the mobile %s as +966501234567', (typed) => {
    const h = answeredUntil('phone');
    const out = h.writeRaw(typed);
    expect(replyKeys(out)).toEqual(['aid:ask.city']);
    expect(effectOf(out, 'draft.save')?.answers.phone).toBe('+966501234567');
  });

  it.each(['0521234567', '12345', '0501234', '+44 7911 123456', '0112345678'])(
    'should not take %s as a Saudi mobile',
    (typed) => {
      const h = answeredUntil('phone');
      expect(h.write(typed)).toEqual(['aid:invalid.phone', 'aid:ask.phone']);
    },
  );

  it('should offer the WhatsApp number as a one-tap answer, and take a shared contact', () => {
    const h = answeredUntil('phone', { phone: '+966 55 000 1111' });
    expect(h.offered()).toEqual(['platformPhone']);
    expect(h.text(h.sendRaw({ type: 'global', word: 'back' }))).not.toContain('٠٥٥٠٠٠١١١١');
    expect(h.text(h.writeRaw('1000000008'))).toContain('٠٥٥٠٠٠١١١١');
    const out = h.writeRaw('1');
    expect(effectOf(out, 'draft.save')?.answers.phone).toBe('+966550001111');

    const shared = answeredUntil('phone');
    const viaContact = shared.sendRaw({ type: 'contact', phone: '966501112222' });
    expect(replyKeys(viaContact)).toEqual(['aid:ask.city']);
    expect(effectOf(viaContact, 'draft.save')?.answers.phone).toBe('+966501112222');
  });

  it('should offer the configured cities by their names and «other», and take a place typed in words', () => {
    const h = answeredUntil('city');
    expect(h.offered()).toEqual([...cities.map((c) => `city:${c.id}`), 'otherCity']);
    expect(h.write('أخرى')).toEqual(['aid:ask.cityOther']);
    const out = h.writeRaw('حي الصفراء');
    expect(effectOf(out, 'draft.save')?.answers.city).toBe('other:حي الصفراء');

    const typed = answeredUntil('city');
    expect(effectOf(typed.writeRaw('الخبراء الشمالية'), 'draft.save')?.answers.city).toBe('other:الخبراء الشمالية');
  });

  it.each([
    ['0', false],
    ['31', false],
    ['خمسة', false],
    ['٣ او ٤', false],
    ['٣٠', true],
    ['1', true],
  ])('should take the household size %s: %s', (typed, ok) => {
    const h = answeredUntil('householdSize');
    expect(h.write(typed)).toEqual(ok ? ['aid:ask.income'] : ['aid:invalid.householdSize', 'aid:ask.householdSize']);
  });

  it.each([
    ['٢٥٠٠', '2500'],
    ['1,500 ريال', '1500'],
    ['0', '0'],
    ['لا يوجد دخل', 'band:none'],
    ['2', 'band:under3000'],
  ])('should read the income %s as %s', (typed, income) => {
    const h = answeredUntil('income');
    const out = h.writeRaw(typed);
    expect(replyKeys(out)).toEqual(['aid:ask.aidType']);
    expect(effectOf(out, 'draft.save')?.answers.income).toBe(income);
  });

  it('should offer the aid catalogue by its names and ask again on anything else', () => {
    const h = answeredUntil('aidType');
    expect(h.offered()).toEqual(aidTypes.map((a) => `aidType:${a.id}`));
    expect(h.type('شي ثاني')).toEqual(['aid:chooseOption', 'aid:ask.aidType']);
    expect(h.write('سلة غذائية')).toEqual(['aid:ask.description']);
  });

  it('should ask for each required document in turn, and thank for a file sent too early', () => {
    const h = answeredUntil('name');
    expect(h.send({ type: 'media', kind: 'photo', mediaId: 3 })).toEqual(['aid:fileLater', 'aid:ask.name']);
    const docs = answeredUntil('documents');
    expect(docs.send({ type: 'media', kind: 'voice', mediaId: 4 })).toEqual(['aid:photoOrPdf', 'aid:ask.document']);
    expect(docs.send({ type: 'media', kind: 'photo' })).toEqual(['aid:fileNotReceived', 'aid:ask.document']);
    const received = docs.sendRaw({ type: 'media', kind: 'document', mediaId: 5 });
    expect(replyKeys(received)).toEqual(['aid:documentReceived', 'aid:ask.document']);
    const required = documents.filter((d) => d.required);
    expect(docs.text(received)).toContain(required[0]?.names.ar);
    expect(docs.text(received)).toContain(required[1]?.names.ar);
  });

  it('should tell a person on a channel without files where to send their documents', () => {
    const h = answeredUntil('description', { files: false });
    const out = h.writeRaw('ابوي يحتاج كرسي متحرك');
    expect(replyKeys(out)).toEqual(['aid:documentsElsewhere', 'aid:summary.self']);
    expect(effectOf(out, 'draft.save')?.answers.documents).toEqual(
      documents.filter((d) => d.required).map((d) => ({ documentTypeId: d.id, later: true })),
    );
  });

  it('should take words of illness in the description as the description, with the emergency advice, not a handoff', () => {
    const h = answeredUntil('description');
    const out = h.writeRaw('ابوي بالليل ما يقدر يتنفس ويحتاج جهاز اكسجين');
    expect(replyKeys(out)).toEqual(['handoff:emergencyAdvice', 'aid:ask.document']);
    expect(effectOf(out, 'handoff.request')).toBeUndefined();
    expect(effectOf(out, 'draft.save')?.answers.description).toBe('ابوي بالليل ما يقدر يتنفس ويحتاج جهاز اكسجين');
    // Anywhere else in the application the same words call for help at once.
    const other = answeredUntil('householdSize');
    expect(effectOf(other.writeRaw('ابوي ما يقدر يتنفس'), 'handoff.request')).toMatchObject({ priority: 2 });
    // A lasting condition told as such is no emergency at all.
    const chronic = answeredUntil('description');
    expect(replyKeys(chronic.writeRaw('ابوي عنده ضيق تنفس مزمن ويحتاج جهاز اكسجين'))).toEqual(['aid:ask.document']);
  });

  it('should send the request only with the declaration, which sending it makes', () => {
    const h = answeredUntil('summary');
    expect(h.write('لا')).toEqual(['aid:chooseOption']);
    expect(effectOf(h.writeRaw('1'), 'case.submit')?.answers.declaration).toBe(true);
  });

  it('should offer to send every remaining document later at once, keeping the ones sent', () => {
    const h = answeredUntil('documents');
    expect(h.offered()).toEqual(['later', 'allLater']);
    h.send({ type: 'media', kind: 'photo', mediaId: 7 });
    const out = h.writeRaw('2');
    expect(replyKeys(out)).toEqual(['aid:summary.self']);
    expect(effectOf(out, 'draft.save')?.answers.documents).toEqual([
      { documentTypeId: '11', mediaId: 7 },
      { documentTypeId: '12', later: true },
      { documentTypeId: '13', later: true },
    ]);
  });
});

describe('aidRequestMachine: summary, back, cancel, drafts', () => {
  it('should change any answer by its number from the summary, then come back to it', () => {
    const h = answeredUntil('summary');
    expect(h.write('٢')).toEqual(['aid:ask.change']);
    expect(h.write('٣')).toEqual(['aid:ask.phone']);
    const out = h.writeRaw('0559998888');
    expect(replyKeys(out)).toEqual(['aid:summary.self']);
    expect(h.text(out)).toContain('٠٥٥٩٩٩٨٨٨٨');

    // The city: «other» takes a second question, then the summary again.
    h.write('2');
    expect(h.write('4')).toEqual(['aid:ask.city']);
    expect(h.write('أخرى')).toEqual(['aid:ask.cityOther']);
    expect(h.text(h.writeRaw('حي الريان'))).toContain('حي الريان');

    // The documents are asked again one by one.
    h.write('2');
    expect(h.write('9')).toEqual(['aid:ask.document']);
    h.send({ type: 'media', kind: 'photo', mediaId: 7 });
    h.choose('later');
    expect(h.text(h.sendRaw({ type: 'media', kind: 'photo', mediaId: 8 }))).toContain(
      t('aid:summary.self', 'ar', { sent: '٢', total: '٣' }).split('\n').at(-2) as string,
    );

    const submit = h.writeRaw('1');
    expect(effectOf(submit, 'case.submit')?.answers).toMatchObject({
      phone: '+966559998888',
      city: 'other:حي الريان',
      documents: [
        { documentTypeId: '11', mediaId: 7 },
        { documentTypeId: '12', later: true },
        { documentTypeId: '13', mediaId: 8 },
      ],
    });
  });

  it('should show the income band in the summary in its own words', () => {
    const h = answeredUntil('income');
    h.write('2');
    h.choose('aidType:2');
    h.write('ادوية الضغط والسكر');
    h.choose('later');
    h.choose('later');
    const out = h.sendRaw({ type: 'choice', id: 'later' });
    expect(h.text(out)).toContain(aidTypes[1]?.names.ar);
    for (const locale of ['ar', 'en'] as const)
      expect(h.text(out, locale)).toContain(aidLocales[locale].band.under3000);
  });

  it('should go back one question with «رجوع» at every step, and leave from the first', () => {
    const h = answeredUntil('householdSize');
    expect(h.say('back')).toEqual(['aid:ask.city']);
    expect(h.say('back')).toEqual(['aid:ask.phone']);
    expect(h.say('back')).toEqual(['aid:ask.nationalId']);
    expect(h.say('back')).toEqual(['aid:ask.name']);
    expect(h.say('back')).toEqual(['aid:ask.healthConsent']);
    expect(h.say('back')).toEqual(['root:menu.prompt']);

    const docs = answeredUntil('summary');
    expect(docs.write('رجوع')).toEqual(['aid:ask.document']);
    expect(docs.text(docs.sendRaw({ type: 'global', word: 'back' }))).toContain('٢');
  });

  it('should go back to the summary from a question opened from it', () => {
    const h = answeredUntil('summary');
    h.write('2');
    expect(h.say('back')).toEqual(['aid:summary.self']);
    h.write('2');
    h.write('1');
    expect(h.say('back')).toEqual(['aid:summary.self']);
  });

  it('should ask before cancelling, and keep the application on anything but yes', () => {
    const h = answeredUntil('income');
    expect(h.write('الغاء')).toEqual(['aid:cancel.confirm']);
    expect(h.write('2')).toEqual(['aid:ask.income']);
    expect(h.say('cancel')).toEqual(['aid:cancel.confirm']);
    expect(h.write('لا')).toEqual(['aid:ask.income']);
    h.say('cancel');
    expect(h.say('back')).toEqual(['aid:ask.income']);
    h.say('cancel');
    const out = h.writeRaw('1');
    expect(replyKeys(out)).toEqual(['aid:cancel.done', 'root:menu.prompt']);
    expect(effectNames(out)).toEqual(['draft.clear']);

    // Saying «خلاص» (cancel) again to the question is a yes.
    const again = answeredUntil('name');
    again.write('خلاص');
    expect(replyKeys(again.writeRaw('خلاص'))).toEqual(['aid:cancel.done', 'root:menu.prompt']);
  });

  it('should keep the draft when the person goes to the menu, and offer to continue it', () => {
    const h = answeredUntil('city');
    const out = h.writeRaw('القائمة');
    expect(replyKeys(out)).toEqual(['aid:paused', 'root:menu.prompt']);
    expect(effectNames(out)).not.toContain('draft.clear');
  });

  it('should offer to continue an unfinished application, with every answer in place', () => {
    // A new conversation (after days of silence, or an update of the flows): the draft is all there is.
    const draft: ApplicationAnswers = {
      healthConsent: true,
      name: 'سارة علي',
      nationalId: '1000000008',
      phone: '+966501234567',
    };
    const { h, start } = applying({ draft });
    expect(replyKeys(start)).toEqual(['aid:ask.resume']);
    expect(h.offered()).toEqual(['continue', 'startOver']);
    expect(h.write('1')).toEqual(['aid:resumed', 'aid:ask.city']);
    const out = h.writeRaw('عنيزة');
    expect(effectOf(out, 'draft.save')?.answers).toEqual({ ...draft, city: 'unaizah' });

    const over = applying({ draft }).h;
    const fresh = over.writeRaw('تقديم طلب جديد');
    expect(replyKeys(fresh)).toEqual(['aid:intro', 'aid:ask.healthConsent']);
    expect(effectNames(fresh)).toEqual(['draft.clear']);
    expect(over.choose('agree')).toEqual(['aid:ask.name']);
  });

  it('should give the existing request and its status instead of a second one', () => {
    const h = answeredUntil('summary');
    h.write('1');
    const summary = caseSummary({ stage: 'management_review' });
    const out = h.sendRaw({ type: 'case.duplicate', summary });
    expect(replyKeys(out)).toEqual(['aid:duplicate', 'root:menu.prompt']);
    const text = h.text(out);
    expect(text).toContain(summary.reference);
    expect(text).toContain(arFollowUp.stageName.management_review);
  });

  it('should hand over to staff at any step and ask the same question again when the person comes back', () => {
    const h = answeredUntil('nationalId');
    expect(h.sendRaw({ type: 'global', word: 'staff' })).toEqual([
      { type: 'effect', name: 'handoff.request', priority: 0, reason: 'asked' },
    ]);
    h.send({ type: 'handoff.queued', handoffId: 3, position: 1, open: true, opensAt: 0, already: false });
    h.write('خلاص');
    expect(h.write('1')).toEqual(['handoff:left', 'aid:ask.nationalId']);
    expect(h.write('1000000008')).toEqual(['aid:ask.phone']);
  });
});
