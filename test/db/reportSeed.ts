import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { createStaffUser } from '../../src/db/staff.ts';

/**
 * A month of the association's work, small enough to count by hand (test/db/reports.test.ts
 * does). "Now" is Wednesday 25 November 2026, 12:00 in Riyadh; the last four weeks start on
 * Sundays 1, 8, 15 and 22 November. Working hours are the default Sunday–Thursday 08:00–15:00.
 */
export const reportNow = new Date('2026-11-25T09:00:00Z');

/** A moment in Riyadh time (UTC+3), e.g. `riyadhTime('2026-11-22 09:00')`, as epoch ms. */
export const riyadhTime = (local: string) => new Date(`${local.replace(' ', 'T')}:00+03:00`).getTime();

/** The comment a beneficiary wrote, and one a spreadsheet would run as a formula. */
export const comments = {
  kind: 'شكرًا على الصبر والشرح الواضح',
  formula: '=HYPERLINK("http://x","اضغط")',
};

/** The staff the seed's ratings are about, with the names nobody must see next to a rating. */
export const seedStaff = {
  officer: { username: 'huda', displayName: 'هدى الموظفة' },
  researcher: { username: 'rana', displayName: 'رنا الباحثة' },
  manager: { username: 'majed', displayName: 'ماجد المدير' },
};

/** The beneficiaries' names and phones, which no report may show. */
export const seedPeople = [
  { chat: '7001', name: 'فاطمة القحطاني', phone: '+966501112233' },
  { chat: '7002', name: 'سعيد العتيبي', phone: '+966502223344' },
];

/**
 * How far to move the seed so that it ends in the week of `now` (whole weeks: weekdays and
 * working hours stay as they are), for a console that runs on the real clock.
 */
export function weeksUntil(now: Date): number {
  return Math.floor((now.getTime() - reportNow.getTime()) / (7 * 86_400_000));
}

/**
 * Seeds the ratings, handoffs, aid requests and complaints the report tests count, `shiftWeeks`
 * later than written. Staff accounts are created unless `staff` gives their ids.
 */
export function seedReportData(
  db: Db,
  staff?: { officer: number; researcher: number; manager: number },
  shiftWeeks = 0,
) {
  const riyadh = (local: string) => riyadhTime(local) + shiftWeeks * 7 * 86_400_000;
  const ids = staff ?? {
    officer: createStaffUser(db, { ...seedStaff.officer, role: 'officer', passwordHash: 'x' }).id,
    researcher: createStaffUser(db, { ...seedStaff.researcher, role: 'researcher', passwordHash: 'x' }).id,
    manager: createStaffUser(db, { ...seedStaff.manager, role: 'manager', passwordHash: 'x' }).id,
  };
  const conversation = (channel: string, chat: string, name: string, phone: string) =>
    db.get<{ id: number }>(
      sql`insert into conversations (channel, chat_id, flow_version, profile_name, platform_phone)
          values (${channel}, ${chat}, 3, ${name}, ${phone}) returning id`,
    )?.id as number;
  const [fatima, saeed] = seedPeople as [(typeof seedPeople)[0], (typeof seedPeople)[0]];
  const tg = conversation('telegram', fatima.chat, fatima.name, fatima.phone);
  const wa = conversation('whatsapp', saeed.chat, saeed.name, saeed.phone);

  // ---- ratings: [asked, subject, id, conversation, channel, staff, score, answered, comment] ----
  const rating = (
    asked: string,
    subject: string,
    subjectId: number,
    conversationId: number,
    channel: string,
    staffUserId: number | null,
    score: number | null,
    answered: boolean,
    comment: string | null = null,
  ) =>
    db.run(
      sql`insert into ratings (conversation_id, subject, subject_id, staff_user_id, channel, score, comment, asked_at, answered_at, created_at)
          values (${conversationId}, ${subject}, ${subjectId}, ${staffUserId}, ${channel}, ${score}, ${comment},
                  ${riyadh(asked)}, ${answered ? riyadh(asked) + 60_000 : null}, ${riyadh(asked)})`,
    );
  rating('2026-11-24 10:00', 'handoff', 1, tg, 'telegram', ids.officer, 5, true, comments.kind);
  rating('2026-11-23 11:00', 'handoff', 2, wa, 'whatsapp', ids.officer, 2, true, comments.formula);
  rating('2026-11-22 13:00', 'case', 3, wa, 'whatsapp', ids.officer, 4, true);
  rating('2026-11-18 09:00', 'ticket', 1, wa, 'whatsapp', ids.manager, null, true);
  rating('2026-11-17 10:00', 'handoff', 6, tg, 'telegram', ids.officer, null, false);
  rating('2026-11-16 12:00', 'faq', 11, tg, 'telegram', null, 5, true);
  rating('2026-11-10 12:00', 'faq', 12, wa, 'whatsapp', null, 1, true);
  rating('2026-11-09 12:00', 'case', 1, tg, 'telegram', ids.researcher, 3, true);
  rating('2026-10-30 12:00', 'handoff', 7, tg, 'telegram', ids.officer, 1, true, 'قبل الفترة');

  // ---- handoffs, with the staff's messages in the transcript ----
  const handoff = (
    conversationId: number,
    status: string,
    created: string,
    claimed: string | null,
    closed: string | null,
    closedBy: string | null,
  ) =>
    db.get<{ id: number }>(
      sql`insert into handoffs (conversation_id, status, reason, claimed_by, closed_by, created_at, claimed_at, closed_at)
          values (${conversationId}, ${status}, 'asked', ${claimed ? ids.officer : null}, ${closedBy},
                  ${riyadh(created)}, ${claimed ? riyadh(claimed) : null}, ${closed ? riyadh(closed) : null})
          returning id`,
    )?.id as number;
  const staffSays = (conversationId: number, at: string) =>
    db.run(
      sql`insert into transcript (conversation_id, direction, author, kind, text, created_at)
          values (${conversationId}, 'out', 'staff', 'message', 'أهلًا، كيف أخدمك؟', ${riyadh(at)})`,
    );
  // H1: 10 minutes. H2: 30 minutes. H3: asked 14:50, taken next morning: 10 + 5 = 15 working minutes.
  handoff(tg, 'closed', '2026-11-22 09:00', '2026-11-22 09:05', '2026-11-22 09:30', 'staff');
  staffSays(tg, '2026-11-22 09:10');
  staffSays(tg, '2026-11-22 09:20');
  handoff(wa, 'closed', '2026-11-23 10:00', '2026-11-23 10:20', '2026-11-23 11:00', 'staff');
  staffSays(wa, '2026-11-23 10:30');
  // H4: a staff message of an earlier conversation (08:30) does not count; 09:03 does: 3 minutes.
  staffSays(tg, '2026-11-16 08:30');
  handoff(tg, 'closed', '2026-11-16 09:00', '2026-11-16 09:01', '2026-11-16 09:20', 'staff');
  staffSays(tg, '2026-11-16 09:03');
  // H6: taken, never answered, left by the person: handled that day, no reply time.
  handoff(wa, 'closed', '2026-11-17 09:00', '2026-11-17 09:10', '2026-11-17 09:15', 'user');
  // H7: before the window.
  handoff(wa, 'closed', '2026-10-29 09:00', '2026-10-29 09:01', '2026-10-29 09:20', 'staff');
  staffSays(wa, '2026-10-29 09:02');
  // H3 is still with staff, H5 waits: both open now (one open handoff per conversation).
  const third = conversation('console', 'local', 'مراجع', '+966503334455');
  const fourth = conversation('whatsapp', '7004', 'منيرة', '+966504445566');
  handoff(third, 'claimed', '2026-11-24 14:50', '2026-11-25 08:00', null, null);
  staffSays(third, '2026-11-25 08:05');
  handoff(fourth, 'waiting', '2026-11-25 11:00', null, null, null);

  // ---- aid requests and their moves ----
  const aidType = db.get<{ id: number }>(sql`select id from aid_types order by id limit 1`)?.id as number;
  let n = 0;
  const request = (stage: string, submitted: string, due: string, moves: [string, string][]) => {
    n++;
    const id = db.get<{ id: number }>(
      sql`insert into cases (reference, source, applicant_name, national_id, phone, city, household_size, income,
            aid_type_id, description, stage, submitted_at, due_at, changed_at)
          values (${`A-48-0000${n}-0`}, 'visit', ${fatima.name}, '1234567897', ${fatima.phone}, 'buraydah', 4, '3000',
            ${aidType}, 'كرسي متحرك', ${stage}, ${riyadh(submitted)}, ${riyadh(due)}, ${riyadh(submitted)})
          returning id`,
    )?.id as number;
    for (const [to, at] of moves) {
      db.run(sql`insert into case_events (case_id, to_stage, created_at) values (${id}, ${to}, ${riyadh(at)})`);
    }
  };
  request('approved', '2026-11-02 09:00', '2026-11-16 09:00', [['approved', '2026-11-10 09:00']]);
  request('rejected', '2026-11-03 09:00', '2026-11-17 09:00', [['rejected', '2026-11-20 09:00']]);
  request('served', '2026-10-20 09:00', '2026-11-03 09:00', [
    ['approved', '2026-11-02 09:00'],
    ['served', '2026-11-24 09:00'],
  ]);
  request('under_research', '2026-11-05 09:00', '2026-11-19 09:00', []);
  request('submitted', '2026-11-20 09:00', '2026-12-04 09:00', []);
  request('management_review', '2026-10-01 09:00', '2026-10-15 09:00', []);
  request('approved', '2026-09-01 09:00', '2026-09-15 09:00', [['approved', '2026-09-10 09:00']]);

  // ---- complaints (and a suggestion, which is not one) ----
  const category = (code: string) =>
    db.get<{ id: number }>(sql`select id from ticket_categories where code = ${code}`)?.id as number;
  const ticket = (kind: string, code: string, stage: string, created: string, due: string, resolved: string | null) => {
    n++;
    db.run(
      sql`insert into tickets (reference, conversation_id, kind, category_id, text, stage, created_at, due_at, changed_at, resolved_at)
          values (${`C-48-0000${n}-0`}, ${wa}, ${kind}, ${category(code)}, 'تأخر الرد علي', ${stage}, ${riyadh(created)},
                  ${riyadh(due)}, ${riyadh(created)}, ${resolved ? riyadh(resolved) : null})`,
    );
  };
  ticket('complaint', 'delay', 'resolved', '2026-11-10 09:00', '2026-11-17 09:00', '2026-11-15 09:00');
  ticket('complaint', 'delay', 'open', '2026-11-18 09:00', '2026-11-25 15:00', null);
  ticket('complaint', 'service', 'closed', '2026-11-02 09:00', '2026-11-09 09:00', '2026-11-12 09:00');
  ticket('complaint', 'staffConduct', 'in_progress', '2026-11-20 09:00', '2026-11-27 09:00', null);
  ticket('suggestion', 'service', 'open', '2026-11-11 09:00', '2026-11-18 09:00', null);
  ticket('complaint', 'other', 'resolved', '2026-10-20 09:00', '2026-10-27 09:00', '2026-11-03 09:00');
  return ids;
}
