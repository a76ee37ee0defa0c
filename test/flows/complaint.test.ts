import { describe, expect, it } from 'vitest';
import type { CatalogueItem, FlowOutput, TicketSummary } from '../../flows/events.ts';
import { formatReference } from '../../src/domain/reference.ts';
import { effectNames, effectOf, replyKeys } from './aidFixtures.ts';
import { atMenu, type Harness, harness } from './flowHarness.ts';

/** The default categories (migrations/0012_ticket_categories_defaults.sql), as the engine sends them. */
const categories: CatalogueItem[] = [
  { id: '1', names: { ar: 'الخدمة', en: 'The service' } },
  { id: '2', names: { ar: 'التأخير', en: 'A delay' } },
  { id: '3', names: { ar: 'تعامل أحد الموظفين', en: "A staff member's conduct" } },
  { id: '4', names: { ar: 'جودة المساعدة', en: 'The quality of the aid' } },
  { id: '5', names: { ar: 'الموقع أو قنوات التواصل', en: 'The website or the channels' } },
  { id: '6', names: { ar: 'أخرى', en: 'Other' } },
];

const reference = formatReference({ kind: 'C', year: 48, sequence: 7 });
/** Wednesday 2 December 2026, 15:00 in Riyadh: five working days after 25 November. */
const dueAt = Date.UTC(2026, 11, 2, 12);

function ticket(extra: Partial<TicketSummary> = {}): TicketSummary {
  return {
    ticketId: 7,
    reference,
    kind: 'complaint',
    stage: 'open',
    createdAt: Date.UTC(2026, 10, 25, 7),
    changedAt: Date.UTC(2026, 10, 25, 7),
    dueAt,
    own: true,
    category: categories[1]?.names ?? { ar: '', en: '' },
    ...extra,
  };
}

/** Answers what the complaint flow asks the engine for when it starts: files?, the categories, the chat's own tickets. */
function answerStart(
  h: Harness,
  start: FlowOutput[],
  { files, mine = [] }: { files?: boolean; mine?: TicketSummary[] } = {},
): FlowOutput[] {
  expect(effectNames(start)).toEqual(['profile.phone']);
  const loaded = h.sendRaw({ type: 'profile.phone', phone: undefined, ...(files === undefined ? {} : { files }) });
  expect(effectNames(loaded)).toEqual(['ticketCategories.load']);
  expect(effectNames(h.sendRaw({ type: 'ticketCategories', categories }))).toEqual(['tickets.mine']);
  return h.sendRaw({ type: 'tickets.list', tickets: mine });
}

/** A person at the menu who chose «شكوى أو اقتراح». */
function complaining(options: { files?: boolean; mine?: TicketSummary[]; h?: Harness } = {}) {
  const h = options.h ?? atMenu();
  return { h, out: answerStart(h, h.sendRaw({ type: 'choice', id: 'complaint' }), options) };
}

/** A root flow past the greeting and the language, that declined the privacy notice. */
function declinedAtMenu() {
  const h = harness();
  h.type('السلام عليكم');
  h.choose('ar');
  h.choose('decline');
  return h;
}

describe('complaintMachine: sending a complaint, a suggestion or thanks', () => {
  it('should take a complaint from the menu: what, about what, the words, a photo, urgency, a summary', () => {
    const { h, out } = complaining();
    expect(replyKeys(out)).toEqual(['complaint:ask.kind']);
    expect(h.offered()).toEqual(['complaint', 'suggestion', 'thanks', 'menu']);
    expect(h.write('شكوى')).toEqual(['complaint:ask.category']);
    // The categories staff configured, named in the person's language.
    expect(h.offered()).toEqual(categories.map((c) => c.id));
    expect(h.write('التأخير')).toEqual(['complaint:ask.text.complaint']);
    expect(h.write('لا')).toEqual(['complaint:invalid.text']);
    expect(h.write('قدمت طلبي من شهر ومحد رد علي')).toEqual(['complaint:ask.photo']);
    expect(h.send({ type: 'media', kind: 'voice', mediaId: 3 })).toEqual(['complaint:photoOnly']);
    expect(h.send({ type: 'media', kind: 'photo' })).toEqual(['complaint:photoNotReceived']);
    expect(h.send({ type: 'media', kind: 'photo', mediaId: 41 })).toEqual([
      'complaint:photoReceived',
      'complaint:ask.urgent',
    ]);
    // A complaint is never anonymous: it needs a way to answer back.
    expect(h.offered()).toEqual(['urgent', 'notUrgent']);
    const summary = h.sendRaw({ type: 'choice', id: 'notUrgent' });
    expect(replyKeys(summary)).toEqual(['complaint:summary.complaint', 'complaint:summary.photo', 'complaint:confirm']);
    expect(h.text(summary)).toContain('قدمت طلبي من شهر ومحد رد علي');
    expect(h.text(summary)).toContain('التأخير');
    expect(h.offered()).toEqual(['send', 'rewrite', 'cancel']);

    const send = h.sendRaw({ type: 'choice', id: 'send' });
    expect(effectOf(send, 'ticket.file')).toEqual({
      type: 'effect',
      name: 'ticket.file',
      ticket: { kind: 'complaint', categoryId: '2', text: 'قدمت طلبي من شهر ومحد رد علي', mediaId: 41 },
    });
    const filed = h.sendRaw({ type: 'ticket.filed', ticketId: 7, reference, dueAt, urgent: false });
    expect(replyKeys(filed)).toEqual(['complaint:filed.complaint', 'root:menu.prompt']);
    const text = h.text(filed);
    expect(text).toContain(reference);
    // The answer date, Hijri first with the Gregorian beside it.
    expect(text).toContain('٢٢ جمادى الآخرة ١٤٤٨ هـ الموافق ٢ ديسمبر ٢٠٢٦م');
    expect(h.state()).toBe('menu');
  });

  it('should let a suggestion or thanks go without the name, and never a complaint', () => {
    for (const kind of ['suggestion', 'thanks'] as const) {
      const { h } = complaining();
      h.choose(kind);
      h.choose('5');
      expect(h.write('لو تضيفون خدمة المواعيد في الموقع')).toEqual(['complaint:ask.photo']);
      expect(h.write('بدون صورة')).toEqual(['complaint:ask.anonymous']);
      expect(h.offered()).toEqual(['named', 'anonymous']);
      expect(replyKeys(h.sendRaw({ type: 'choice', id: 'anonymous' }))).toEqual([
        `complaint:summary.${kind}`,
        'complaint:summary.anonymous',
        'complaint:confirm',
      ]);
      expect(effectOf(h.sendRaw({ type: 'choice', id: 'send' }), 'ticket.file')?.ticket).toEqual({
        kind,
        categoryId: '5',
        text: 'لو تضيفون خدمة المواعيد في الموقع',
        anonymous: true,
      });
      expect(h.send({ type: 'ticket.filed', ticketId: 8, reference, dueAt, urgent: false })).toEqual([
        'complaint:filed.anonymous',
        'root:menu.prompt',
      ]);
    }
    const { h } = complaining();
    h.choose('complaint');
    h.choose('1');
    h.write('الموظف ما رد على اتصالي');
    expect(h.write('بدون صورة')).toEqual(['complaint:ask.urgent']);
    h.choose('notUrgent');
    expect(effectOf(h.sendRaw({ type: 'choice', id: 'send' }), 'ticket.file')?.ticket.anonymous).toBeUndefined();
  });

  it('should put an urgent complaint through to staff with priority, then say its reference again', () => {
    const { h } = complaining();
    h.choose('complaint');
    h.choose('4');
    h.write('الكرسي المتحرك انكسر وامي ما تقدر تتحرك');
    h.choose('noPhoto');
    h.write('نعم، عاجلة');
    const send = h.sendRaw({ type: 'choice', id: 'send' });
    expect(effectOf(send, 'ticket.file')?.ticket).toMatchObject({ kind: 'complaint', urgent: true });
    const queued = { handoffId: 5, position: 1, open: true, opensAt: 0, already: false };
    const filed = h.sendRaw({ type: 'ticket.filed', ticketId: 9, reference, dueAt, urgent: true, queued });
    expect(replyKeys(filed)).toEqual(['complaint:filed.complaint', 'complaint:urgentQueued', 'handoff:queued']);
    expect(h.state()).toEqual({ handoff: 'waiting' });
    // What the person writes now reaches staff.
    expect(h.write('متى يردون')).toEqual(['handoff:received']);
    // The person leaves the queue: back with the bot, they are told the reference again, with the way to the menu.
    expect(h.say('cancel')).toEqual(['handoff:confirmCancel']);
    const left = h.sendRaw({ type: 'choice', id: 'yes' });
    expect(effectNames(left)).toEqual(['handoff.cancel']);
    expect(replyKeys(left)).toEqual(['handoff:left', 'complaint:filed.complaint']);
    expect(h.offered()).toEqual(['menu']);
    expect(h.choose('menu')).toEqual(['root:menu.prompt']);
  });

  it('should flag an urgent complaint about a staff member for management, without the staff queue', () => {
    const { h } = complaining();
    h.choose('complaint');
    h.choose('3');
    h.write('الموظف تكلم معي بأسلوب غير لائق');
    h.choose('noPhoto');
    h.choose('urgent');
    h.choose('send');
    expect(h.send({ type: 'ticket.filed', ticketId: 10, reference, dueAt, urgent: true })).toEqual([
      'complaint:filed.complaint',
      'complaint:urgentNoted',
      'root:menu.prompt',
    ]);
    expect(h.state()).toBe('menu');
  });

  it('should ask a person who declined the privacy notice for consent before keeping a complaint under their name', () => {
    const h = declinedAtMenu();
    complaining({ h });
    h.choose('complaint');
    h.choose('1');
    h.write('الانتظار طويل في المقر');
    h.choose('noPhoto');
    expect(h.write('ليست عاجلة')).toEqual(['complaint:privacyFirst', 'root:consent.notice']);
    const agreed = h.sendRaw({ type: 'choice', id: 'agree' });
    expect(agreed).toContainEqual({ type: 'effect', name: 'consent.record', decision: 'given', noticeVersion: 1 });
    expect(replyKeys(agreed)).toEqual(['root:consent.given', 'complaint:summary.complaint', 'complaint:confirm']);
    h.choose('send');
    h.send({ type: 'ticket.filed', ticketId: 11, reference, dueAt, urgent: false });
    // The consent holds after: an application is not asked for it again.
    expect(effectNames(h.sendRaw({ type: 'choice', id: 'aid' }))).toContain('catalogue.load');

    const other = declinedAtMenu();
    complaining({ h: other });
    other.choose('complaint');
    other.choose('1');
    other.write('الانتظار طويل في المقر');
    other.choose('noPhoto');
    other.choose('notUrgent');
    const declined = other.sendRaw({ type: 'choice', id: 'decline' });
    expect(replyKeys(declined)).toEqual(['complaint:privacyDeclined', 'root:menu.prompt']);
    expect(effectNames(declined)).toEqual(['consent.record']);

    // An anonymous suggestion keeps nothing under a name: no consent is asked.
    const anonymous = declinedAtMenu();
    complaining({ h: anonymous });
    anonymous.choose('suggestion');
    anonymous.choose('6');
    anonymous.write('فكرة جميلة لخدمة المرضى');
    anonymous.choose('noPhoto');
    expect(anonymous.write('دون ذكر اسمي')).toEqual([
      'complaint:summary.suggestion',
      'complaint:summary.anonymous',
      'complaint:confirm',
    ]);
  });

  it('should not ask for a photo where files cannot be sent, and keep a photo sent before the words', () => {
    const { h } = complaining({ files: false });
    h.choose('complaint');
    h.choose('1');
    expect(h.write('الجهاز وصل ناقص')).toEqual(['complaint:ask.urgent']);

    const other = complaining().h;
    other.choose('complaint');
    other.choose('4');
    expect(other.send({ type: 'media', kind: 'photo', mediaId: 50 })).toEqual(['complaint:photoFirst']);
    expect(other.write('الجهاز وصل ناقص')).toEqual(['complaint:ask.urgent']);
    other.choose('notUrgent');
    expect(effectOf(other.sendRaw({ type: 'choice', id: 'send' }), 'ticket.file')?.ticket.mediaId).toBe(50);
  });

  it('should go back a step with «رجوع», rewrite the words, and send nothing when cancelled', () => {
    const { h } = complaining();
    h.choose('thanks');
    h.choose('6');
    h.write('شكرا للموظفة على حسن التعامل');
    expect(h.say('back')).toEqual(['complaint:ask.text.thanks']);
    h.write('شكرا جزيلا للموظفة على حسن التعامل');
    h.choose('noPhoto');
    h.choose('named');
    expect(h.write('أعيد كتابة النص')).toEqual(['complaint:ask.text.thanks']);
    h.write('شكرا من القلب');
    h.choose('noPhoto');
    h.choose('named');
    const cancelled = h.sendRaw({ type: 'choice', id: 'cancel' });
    expect(replyKeys(cancelled)).toEqual(['complaint:cancelled', 'root:menu.prompt']);
    expect(effectNames(cancelled)).toEqual([]);
  });
});

describe("complaintMachine: in the person's own words", () => {
  it.each([['عندي شكوى'], ['ابي ارفع شكوى'], ['I want to complain']])(
    'should go straight to a complaint when the person names one: «%s»',
    (text) => {
      const h = atMenu();
      expect(h.read(text)).toMatchObject({ type: 'text', service: 'complaint' });
      const out = answerStart(h, h.writeRaw(text));
      expect(replyKeys(out)).toEqual(['complaint:ask.category']);
    },
  );

  it.each([['محد يرد علي'], ['ما احد يرد على الجوال'], ['nobody answers me']])(
    'should offer to complain or talk to staff when a grievance names no complaint: «%s»',
    (grievance) => {
      const h = atMenu();
      expect(h.read(grievance)).toMatchObject({ type: 'text', service: 'complaint' });
      const out = answerStart(h, h.writeRaw(grievance));
      expect(replyKeys(out)).toEqual(['complaint:ask.kindFromWords']);
      expect(h.offered()).toEqual(['complaint', 'suggestion', 'thanks', 'staff', 'menu']);
      expect(h.sendRaw({ type: 'choice', id: 'staff' })).toContainEqual({
        type: 'effect',
        name: 'handoff.request',
        priority: 0,
        reason: 'asked',
      });
    },
  );

  it('should offer to complain after the answer about rights, which promises it in this chat', () => {
    const h = atMenu();
    h.choose('enquiries');
    h.choose('rights');
    expect(h.offered()).toContain('complaint');
    const out = h.writeRaw(String(h.offered().indexOf('complaint') + 1));
    expect(replyKeys(answerStart(h, out))).toEqual(['complaint:ask.kind']);
    expect(h.state()).toBe('complaint');
  });
});

describe('complaintMachine: following up', () => {
  it("should show a chat's only complaint at once, with its category, dates and stage", () => {
    const { h, out } = complaining({ mine: [ticket({ stage: 'in_progress' })] });
    expect(h.offered()).toContain('followUp');
    expect(replyKeys(out)).toEqual(['complaint:ask.kind']);
    const status = h.sendRaw({ type: 'choice', id: 'followUp' });
    expect(replyKeys(status)).toEqual([
      'complaint:heading.complaint',
      'complaint:stage.in_progress',
      'complaint:whatNext',
    ]);
    const text = h.text(status);
    expect(text).toContain(reference);
    expect(text).toContain('التأخير');
    expect(text).toContain('الموافق');
    expect(h.offered()).toEqual(['another', 'menu']);
  });

  it('should let a chat with several choose one, and follow another by its number', () => {
    const second = ticket({
      ticketId: 8,
      reference: formatReference({ kind: 'C', year: 48, sequence: 8 }),
      kind: 'suggestion',
    });
    const { h } = complaining({ mine: [ticket(), second] });
    expect(h.write('متابعة شكوى أو اقتراح سابق')).toEqual(['complaint:choose']);
    expect(h.offered()).toEqual(['ticket:7', 'ticket:8', 'other']);
    expect(h.write('٢')).toEqual(['complaint:heading.suggestion', 'complaint:stage.open', 'complaint:whatNext']);
    expect(h.choose('another')).toEqual(['complaint:choose']);
    expect(h.choose('other')).toEqual(['complaint:ask.reference']);
    expect(h.write('رقمي ما اذكره')).toEqual(['complaint:notReference']);
    const lookup = h.writeRaw(formatReference({ kind: 'C', year: 48, sequence: 3 }));
    expect(effectOf(lookup, 'ticket.lookup')?.reference).toBe(formatReference({ kind: 'C', year: 48, sequence: 3 }));
  });

  it('should follow a complaint whose number is written at the menu, however typed', () => {
    const h = atMenu();
    const typed = `وش صار على شكواي ${reference
      .toLowerCase()
      .replace(/-/g, ' ')
      .replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)))}`;
    expect(h.read(typed)).toMatchObject({ type: 'text', reference });
    const lookup = answerStart(h, h.writeRaw(typed));
    expect(effectOf(lookup, 'ticket.lookup')).toEqual({ type: 'effect', name: 'ticket.lookup', reference });
    // Someone else's: its stage and dates only.
    const other = ticket({ own: false, category: undefined, stage: 'resolved', resolution: undefined });
    const shown = h.sendRaw({ type: 'ticket.found', summary: other });
    expect(replyKeys(shown)).toEqual([
      'complaint:heading.other',
      'complaint:stage.resolvedNoNote',
      'complaint:whatNext',
    ]);
    expect(h.offered()).toEqual(['another', 'menu']);
  });

  it('should say a mistyped number looks mistyped, one not found is not found, and stop after too many', () => {
    const wrong = `${reference.slice(0, -1)}${(Number(reference.at(-1)) + 1) % 10}`;
    const h = atMenu();
    answerStart(h, h.writeRaw(wrong));
    const typo = h.sendRaw({ type: 'ticket.notFound', reason: 'typo' });
    expect(replyKeys(typo)).toEqual(['complaint:typo', 'complaint:ask.reference']);
    expect(h.text(typo)).toContain(wrong);
    h.write(reference);
    expect(h.send({ type: 'ticket.notFound', reason: 'unknown' })).toEqual([
      'complaint:notFound',
      'complaint:ask.reference',
    ]);
    h.write(reference);
    expect(h.send({ type: 'ticket.notFound', reason: 'coolDown', until: Date.UTC(2026, 10, 26, 9) })).toEqual([
      'followUp:coolDown',
      'root:menu.prompt',
    ]);
  });

  it('should reopen a resolved complaint the person says is not solved, with what is still wrong', () => {
    const resolved = ticket({ stage: 'resolved', resolution: 'تم التواصل مع قسم البحث وسيزورونكم الأحد' });
    const { h } = complaining({ mine: [resolved] });
    const status = h.sendRaw({ type: 'choice', id: 'followUp' });
    expect(replyKeys(status)).toEqual([
      'complaint:heading.complaint',
      'complaint:stage.resolved',
      'complaint:ask.solved',
    ]);
    expect(h.text(status)).toContain('تم التواصل مع قسم البحث وسيزورونكم الأحد');
    expect(h.write('لا، لم تُحلّ')).toEqual(['complaint:ask.whyNotSolved']);
    const reopen = h.writeRaw('ما زاروني للحين');
    expect(effectOf(reopen, 'ticket.reopen')).toEqual({
      type: 'effect',
      name: 'ticket.reopen',
      ticketId: 7,
      note: 'ما زاروني للحين',
    });
    expect(h.send({ type: 'ticket.reopened', reference, reopened: true })).toEqual([
      'complaint:reopened',
      'root:menu.prompt',
    ]);

    const glad = complaining({ mine: [resolved] }).h;
    glad.choose('followUp');
    expect(glad.choose('solved')).toEqual(['complaint:gladSolved', 'root:menu.prompt']);
  });

  it('should follow a complaint whose number is given to «متابعة طلب»', () => {
    const h = atMenu();
    h.sendRaw({ type: 'choice', id: 'followUp' });
    h.sendRaw({ type: 'profile.phone', phone: undefined });
    h.sendRaw({ type: 'cases.list', cases: [] });
    const out = answerStart(h, h.writeRaw(reference), { mine: [ticket()] });
    expect(replyKeys(out)).toEqual(['complaint:heading.complaint', 'complaint:stage.open', 'complaint:whatNext']);
    expect(h.state()).toBe('complaint');
  });
});
