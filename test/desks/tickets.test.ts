import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { TicketDraft } from '../../flows/events.ts';
import { loadConfig } from '../../src/config.ts';
import { readAudit } from '../../src/db/audit.ts';
import { findConversation, findConversationById } from '../../src/db/conversations.ts';
import { recordMedia } from '../../src/db/media.ts';
import { handoffs, outbox } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { findTicket, listTicketCategories, ticketHistory } from '../../src/db/tickets.ts';
import { lookupCase } from '../../src/desks/cases.ts';
import { effectSettingsOf } from '../../src/desks/effects.ts';
import {
  fileTicket,
  lookupTicket,
  myTickets,
  reopenByPerson,
  TicketDesk,
  type TicketSettings,
} from '../../src/desks/tickets.ts';
import { roles } from '../../src/domain/permissions.ts';
import { parseReference } from '../../src/domain/reference.ts';
import { type TicketCommand, ticketCommands, ticketStages, ticketTransitions } from '../../src/domain/ticketStages.ts';
import { addWorkingDays } from '../../src/domain/workingDays.ts';
import type { StaffTurn } from '../../src/engine/engine.ts';
import { config, setup } from '../helpers.ts';

type Setup = ReturnType<typeof setup>;
const open: Setup[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const settings: TicketSettings = effectSettingsOf(config).tickets;
/** Wednesday 25 November 2026, 10:00 in Riyadh (1448 AH). */
const wednesday = new Date('2026-11-25T07:00:00Z');
/** A local Riyadh time as a moment. */
const riyadh = (local: string) => new Date(`${local}+03:00`);

function ticketsSetup() {
  let now = wednesday.getTime();
  const clock = () => new Date(now);
  const s = setup({ clock });
  open.push(s);
  const desk = new TicketDesk(s.engine, s.db, clock);
  const staff = (username: string, role: (typeof roles)[number]) => {
    const user = createStaffUser(s.db, { username, displayName: username, role, passwordHash: 'x' });
    return { id: user.id, role: user.role };
  };
  /** A chat that greeted (in Arabic, or in English for `language` 2) and consented (or declined). */
  const chat = async (id: string, consent: '1' | '2' = '1', language: '1' | '2' = '1') => {
    await s.say(id, language === '2' ? 'hello' : 'السلام عليكم', consent);
    return findConversation(s.db, 'test', id)!;
  };
  const categories = listTicketCategories(s.db);
  const category = (code: string) => String(categories.find((c) => c.code === code)?.id);
  const file = (chatId: string, draft: Partial<TicketDraft> = {}) =>
    s.db.transaction((tx) =>
      fileTicket(
        tx,
        findConversation(tx, 'test', chatId)!,
        { kind: 'complaint', categoryId: category('delay'), text: 'قدمت طلبي من شهر ولم يرد أحد', ...draft },
        clock(),
        settings,
      ),
    );
  const said = async (chatId: string) => {
    await s.drainer.drain();
    return s.channel.texts(chatId);
  };
  return {
    ...s,
    desk,
    staff,
    chat,
    category,
    file,
    said,
    clock,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('complaint tickets (the ticket module): the person side', () => {
  it('should file with a checked C- reference, an answer date in working days, and its first history line', async () => {
    const s = ticketsSetup();
    await s.chat('a');
    const filed = s.file('a');
    expect(parseReference(filed.reference)).toMatchObject({ reference: { kind: 'C', year: 48, sequence: 1 } });
    // Wednesday + 5 working days on the Sunday–Thursday week: Thu, Sun, Mon, Tue, Wed — closing time.
    expect(new Date(filed.dueAt)).toEqual(riyadh('2026-12-02T15:00'));
    expect(findTicket(s.db, filed.ticketId)).toMatchObject({
      stage: 'open',
      kind: 'complaint',
      urgent: false,
      anonymous: false,
      conversationId: findConversation(s.db, 'test', 'a')?.id,
    });
    expect(ticketHistory(s.db, filed.ticketId).map((h) => [h.event.fromStage, h.event.toStage])).toEqual([
      [null, 'open'],
    ]);
    expect(parseReference(s.file('a').reference)).toMatchObject({ reference: { sequence: 2 } });
  });

  it('should count the answer date on the working week, across the weekend', () => {
    const hours = settings.hours;
    // Thursday: Sun, Mon, Tue, Wed, Thu — the next Thursday.
    expect(addWorkingDays(riyadh('2026-11-26T14:00'), 5, hours)).toEqual(riyadh('2026-12-03T15:00'));
    // Friday and Saturday count for nothing, and neither does the day itself.
    expect(addWorkingDays(riyadh('2026-11-27T09:00'), 5, hours)).toEqual(riyadh('2026-12-03T15:00'));
    expect(addWorkingDays(riyadh('2026-11-28T23:30'), 1, hours)).toEqual(riyadh('2026-11-29T15:00'));
    // Late on Thursday night in Riyadh is still Thursday there (already Thursday evening in UTC).
    expect(addWorkingDays(new Date('2026-11-26T20:30:00Z'), 1, hours)).toEqual(riyadh('2026-11-29T15:00'));
    // Another association's week and number of days.
    const other = loadConfig({ ORG_WORKING_DAYS: 'sat-wed', COMPLAINT_RESPONSE_DAYS: '2' });
    const its = effectSettingsOf(other).tickets;
    expect(its.responseDays).toBe(2);
    expect(addWorkingDays(riyadh('2026-11-26T10:00'), its.responseDays, its.hours)).toEqual(riyadh('2026-11-29T15:00'));
  });

  it('should refuse an anonymous complaint, an unknown category or no words, and keep only a photo of this chat', async () => {
    const s = ticketsSetup();
    await s.chat('a');
    const b = await s.chat('b');
    expect(() => s.file('a', { anonymous: true })).toThrow(/anonymous/);
    expect(() => s.file('a', { categoryId: '999' })).toThrow(/not complete/);
    expect(() => s.file('a', { text: '   ' })).toThrow(/not complete/);

    const theirs = recordMedia(s.db, {
      conversationId: b.id,
      kind: 'photo',
      mime: 'image/png',
      size: 8,
      sha256: 'x',
      path: 'x.png',
    });
    expect(findTicket(s.db, s.file('a', { mediaId: theirs }).ticketId)?.mediaId).toBeNull();
    const mine = recordMedia(s.db, {
      conversationId: findConversation(s.db, 'test', 'a')!.id,
      kind: 'photo',
      mime: 'image/png',
      size: 8,
      sha256: 'y',
      path: 'y.png',
    });
    expect(findTicket(s.db, s.file('a', { mediaId: mine }).ticketId)?.mediaId).toBe(mine);

    // An anonymous suggestion is nobody's: it is not linked to the chat, nor listed as its own.
    const anonymous = s.file('a', { kind: 'suggestion', anonymous: true, text: 'مواقف أكثر عند المقر' });
    expect(findTicket(s.db, anonymous.ticketId)).toMatchObject({ conversationId: null, anonymous: true });
    const own = s.db.transaction((tx) => myTickets(tx, findConversation(tx, 'test', 'a')!));
    expect(own.tickets.map((t) => t.ticketId)).not.toContain(anonymous.ticketId);
    expect(own.tickets).toHaveLength(2);
  });

  it('should put an urgent complaint in the staff queue with priority, said or in the configured words', async () => {
    const s = ticketsSetup();
    await s.chat('early');
    s.db.transaction((tx) =>
      tx
        .insert(handoffs)
        .values({ conversationId: findConversation(tx, 'test', 'early')!.id, priority: 0, reason: 'asked' })
        .run(),
    );
    await s.chat('a');
    const said = s.file('a', { urgent: true });
    expect(said).toMatchObject({ urgent: true, queued: { position: 1, already: false } });
    const queued = s.db
      .select()
      .from(handoffs)
      .where(eq(handoffs.conversationId, findConversation(s.db, 'test', 'a')!.id))
      .get();
    expect(queued).toMatchObject({ status: 'waiting', priority: 1, reason: 'complaint' });

    await s.chat('b');
    expect(s.file('b', { text: 'الموضوع عاجل جدًا، أمي بدون كرسي' })).toMatchObject({ urgent: true, queued: {} });
    await s.chat('c');
    expect(s.file('c', { text: 'Please help, this is URGENT' })).toMatchObject({ urgent: true });
    await s.chat('d');
    const calm = s.file('d', { text: 'تأخر الرد على طلبي' });
    expect(calm.urgent).toBe(false);
    expect(calm.queued).toBeUndefined();
    // A suggestion is never urgent, whatever its words.
    expect(s.file('d', { kind: 'suggestion', text: 'اقتراح عاجل' }).urgent).toBe(false);

    // About a staff member: flagged urgent for managers, never put in every officer's queue.
    await s.chat('e');
    const aboutStaff = s.file('e', { categoryId: s.category('staffConduct'), urgent: true });
    expect(aboutStaff.urgent).toBe(true);
    expect(aboutStaff.queued).toBeUndefined();
    expect(
      s.db
        .select()
        .from(handoffs)
        .where(eq(handoffs.conversationId, findConversation(s.db, 'test', 'e')!.id))
        .all(),
    ).toEqual([]);
  });

  it("should find a chat's own ticket in full, another's stage only, say a typo, and cool down with the aid lookups", async () => {
    const s = ticketsSetup();
    await s.chat('a');
    await s.chat('b');
    const { reference, ticketId } = s.file('a');
    const look = (chatId: string, typed: string) =>
      s.db.transaction((tx) =>
        lookupTicket(tx, findConversation(tx, 'test', chatId)!, { reference: typed }, s.clock()),
      );
    expect(look('a', reference.toLowerCase().replace(/-/g, ' '))).toMatchObject({
      type: 'ticket.found',
      summary: { ticketId, own: true, category: { ar: 'التأخير' } },
    });
    const theirs = look('b', reference);
    expect(theirs).toMatchObject({ type: 'ticket.found', summary: { ticketId, own: false, stage: 'open' } });
    expect(theirs.type === 'ticket.found' && theirs.summary.category).toBe(undefined);

    const wrongCheck = `${reference.slice(0, -1)}${(Number(reference.at(-1)) + 1) % 10}`;
    expect(look('b', wrongCheck)).toEqual({ type: 'ticket.notFound', reason: 'typo' });
    expect(look('b', 'C-48-00999-0')).toMatchObject({ type: 'ticket.notFound' });
    // Failures of the aid requests' lookup count too: one cool-down for every lookup.
    for (const digits of ['1111', '2222', '3333']) {
      s.db.transaction((tx) =>
        lookupCase(tx, findConversation(tx, 'test', 'b')!, { reference: 'A-48-00001-3', lastFour: digits }, s.clock()),
      );
    }
    expect(look('b', reference)).toMatchObject({ type: 'ticket.notFound', reason: 'coolDown' });
    s.advance(61 * 60_000);
    expect(look('b', reference)).toMatchObject({ type: 'ticket.found' });
  });

  it('should reopen a resolved complaint its sender says is not solved, and nothing else', async () => {
    const s = ticketsSetup();
    await s.chat('a');
    await s.chat('b');
    const officer = s.staff('huda', 'officer');
    const { ticketId } = s.file('a');
    const reopen = (chatId: string) =>
      s.db.transaction((tx) =>
        reopenByPerson(tx, findConversation(tx, 'test', chatId)!, { ticketId, note: 'ما زاروني' }, s.clock()),
      );
    expect(reopen('a')).toMatchObject({ reopened: false });
    await s.desk.assign(ticketId, officer);
    await s.desk.resolve(ticketId, officer, 'سيزوركم الباحث يوم الأحد');
    expect(reopen('b')).toMatchObject({ reopened: false });
    expect(reopen('a')).toMatchObject({ reopened: true });
    expect(findTicket(s.db, ticketId)).toMatchObject({
      stage: 'in_progress',
      assignedTo: officer.id,
      resolution: null,
    });
    expect(ticketHistory(s.db, ticketId).at(-1)?.event).toMatchObject({
      fromStage: 'resolved',
      toStage: 'in_progress',
      staffUserId: null,
      note: 'ما زاروني',
    });
  });
});

describe('complaint tickets (the ticket module): the staff side', () => {
  it('should allow exactly the moves of the table, to exactly the roles it names', async () => {
    const s = ticketsSetup();
    await s.chat('a');
    const people = Object.fromEntries(roles.map((role) => [role, s.staff(role, role)]));
    const officer = people.officer!;
    const run = (command: TicketCommand, id: number, who: { id: number; role: (typeof roles)[number] }) =>
      command === 'assign'
        ? s.desk.assign(id, who, who.role === 'researcher' || who.role === 'admin' ? officer.id : who.id)
        : command === 'resolve'
          ? s.desk.resolve(id, who, 'تمت المعالجة')
          : command === 'close'
            ? s.desk.close(id, who)
            : s.desk.reopen(id, who, 'لم تحل');
    for (const from of ticketStages) {
      for (const command of Object.keys(ticketCommands) as TicketCommand[]) {
        for (const role of roles) {
          const { ticketId } = s.file('a');
          s.db.run(sql`update tickets set stage = ${from} where id = ${ticketId}`);
          const { from: applies, to } = ticketCommands[command];
          const allowed = ticketTransitions[from][to]?.includes(role) ?? false;
          const expected =
            role === 'researcher' || role === 'admin'
              ? 'forbidden'
              : !(applies as readonly string[]).includes(from)
                ? 'taken'
                : allowed
                  ? 'done'
                  : 'forbidden';
          expect(await run(command, ticketId, people[role]!), `${role}: ${command} from ${from}`).toBe(expected);
        }
      }
    }
    // A closed ticket is reopened by a manager only.
    expect(ticketTransitions.closed.in_progress).toEqual(['manager']);
  });

  it('should keep a complaint about a staff member to managers: officers can neither see nor take it', async () => {
    const s = ticketsSetup();
    await s.chat('a');
    const officer = s.staff('huda', 'officer');
    const manager = s.staff('majed', 'manager');
    const { ticketId } = s.file('a', { categoryId: s.category('staffConduct') });
    expect(await s.desk.assign(ticketId, officer)).toBe('none');
    // Not handed to an officer either.
    expect(await s.desk.assign(ticketId, manager, officer.id)).toBe('invalid');
    expect(await s.desk.assign(ticketId, manager)).toBe('done');
    expect(await s.desk.resolve(ticketId, officer, 'x')).toBe('none');
    expect(await s.desk.resolve(ticketId, manager, '  ')).toBe('invalid');
    expect(await s.desk.resolve(ticketId, manager, 'تحدثنا مع الموظف واعتذرنا لك')).toBe('done');
    // A suggestion in that category is not about a staff member's conduct: officers see it.
    const { ticketId: suggestion } = s.file('a', { kind: 'suggestion', categoryId: s.category('staffConduct') });
    expect(await s.desk.assign(suggestion, officer)).toBe('done');
  });

  it('should tell the person the resolution in their language, then let the flow hear of it', async () => {
    const s = ticketsSetup();
    await s.chat('en', '1', '2');
    await s.chat('ar');
    const officer = s.staff('huda', 'officer');
    const note = 'A researcher will visit you on Sunday at 10.';
    const en = s.file('en');
    expect(await s.desk.assign(en.ticketId, officer)).toBe('done');
    const before = (await s.said('en')).length;
    expect(await s.desk.resolve(en.ticketId, officer, note)).toBe('done');
    const told = (await s.said('en')).slice(before);
    expect(told[0]?.startsWith(`About your complaint ${en.reference}:\n${note}`)).toBe(true);
    expect(findTicket(s.db, en.ticketId)).toMatchObject({ stage: 'resolved', resolution: note });

    const ar = s.file('ar');
    await s.desk.assign(ar.ticketId, officer);
    const beforeAr = (await s.said('ar')).length;
    await s.desk.resolve(ar.ticketId, officer, 'سيزورك الباحث يوم الأحد');
    const toldAr = (await s.said('ar')).slice(beforeAr);
    expect(toldAr[0]).toContain(`بخصوص شكواك رقم ${ar.reference}`);
    expect(toldAr[0]).toContain('سيزورك الباحث يوم الأحد');

    // What the turn carries: the notice first, then the event the rating flow hears.
    const turns: StaffTurn[] = [];
    const recording = new TicketDesk(
      {
        act: async (conversationId, work) => {
          s.db.transaction((tx) => {
            turns.push(work(tx, findConversationById(tx, conversationId)!));
          });
        },
      },
      s.db,
      s.clock,
    );
    const third = s.file('ar');
    await recording.assign(third.ticketId, officer);
    await recording.resolve(third.ticketId, officer, 'تم');
    expect(turns.at(-1)).toEqual({
      replies: [
        {
          type: 'reply',
          key: 'tickets:notify.resolved.complaint',
          params: { reference: third.reference, resolution: 'تم' },
        },
      ],
      event: { type: 'ticket.resolved', ticketId: third.ticketId, staffUserId: officer.id },
    });
    expect(turns.at(-2)).toEqual({});
  });

  it('should not write to a chat that declined consent, nor for an anonymous suggestion', async () => {
    const s = ticketsSetup();
    await s.chat('a', '2');
    const officer = s.staff('huda', 'officer');
    const { ticketId } = s.file('a');
    await s.desk.assign(ticketId, officer);
    const before = s.db.select().from(outbox).all().length;
    expect(await s.desk.resolve(ticketId, officer, 'تمت المعالجة')).toBe('done');
    expect(s.db.select().from(outbox).all()).toHaveLength(before);

    const anonymous = s.file('a', { kind: 'suggestion', anonymous: true });
    expect(await s.desk.assign(anonymous.ticketId, officer)).toBe('done');
    expect(await s.desk.resolve(anonymous.ticketId, officer, 'سندرسه')).toBe('done');
    expect(await s.desk.close(anonymous.ticketId, officer)).toBe('done');
    expect(s.db.select().from(outbox).all()).toHaveLength(before);
  });

  it('should record every move in the history and the audit log, without the words said', async () => {
    const s = ticketsSetup();
    await s.chat('a');
    const officer = s.staff('huda', 'officer');
    const omar = s.staff('omar', 'officer');
    const manager = s.staff('majed', 'manager');
    const { ticketId } = s.file('a');
    await s.desk.assign(ticketId, officer);
    await s.desk.assign(ticketId, officer, omar.id);
    await s.desk.resolve(ticketId, omar, 'تم التواصل معك هاتفيًا');
    await s.desk.close(ticketId, omar);
    await s.desk.reopen(ticketId, manager, 'اتصل مرة أخرى');
    expect(findTicket(s.db, ticketId)).toMatchObject({ stage: 'in_progress', assignedTo: omar.id });
    expect(
      ticketHistory(s.db, ticketId).map(({ event, by }) => [event.fromStage, event.toStage, by, event.note]),
    ).toEqual([
      [null, 'open', null, null],
      ['open', 'in_progress', 'huda', 'huda'],
      ['in_progress', 'in_progress', 'huda', 'omar'],
      ['in_progress', 'resolved', 'omar', 'تم التواصل معك هاتفيًا'],
      ['resolved', 'closed', 'omar', null],
      ['closed', 'in_progress', 'majed', 'اتصل مرة أخرى'],
    ]);
    const entries = readAudit(s.db)
      .filter((e) => e.entry.objectType === 'ticket')
      .reverse();
    expect(entries.map((e) => [e.entry.action, e.username])).toEqual([
      ['ticket.assign', 'huda'],
      ['ticket.assign', 'huda'],
      ['ticket.resolve', 'omar'],
      ['ticket.close', 'omar'],
      ['ticket.reopen', 'majed'],
    ]);
    expect(JSON.stringify(entries)).not.toContain('تم التواصل');
    // The person hears the reopening too.
    expect((await s.said('a')).at(-1)).toContain('أعدنا فتح شكواك');
  });
});
