import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { TicketDraft } from '../../flows/events.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { recordMedia } from '../../src/db/media.ts';
import { outbox } from '../../src/db/schema.ts';
import { findTicket, listTicketCategories } from '../../src/db/tickets.ts';
import { effectSettingsOf } from '../../src/desks/effects.ts';
import { fileTicket } from '../../src/desks/tickets.ts';
import { createI18n } from '../../src/i18n.ts';
import { config } from '../helpers.ts';
import { beneficiaryAsksForStaff, type ConsoleSetup, consoleSetups } from './consoleHarness.ts';

const t = createI18n().getFixedT('ar');
const setup = consoleSetups();
let counter = 0;

/** A beneficiary on the terminal channel who consented and sent a ticket; returns its id and reference. */
async function filed(s: ConsoleSetup, chatId: string, draft: Partial<TicketDraft> & { photo?: boolean } = {}) {
  for (const text of ['السلام عليكم', '1']) {
    await s.app.engine.handle({ channel: 'console', chatId, messageId: `${chatId}-${++counter}`, kind: 'text', text });
  }
  const db = s.app.database.db;
  const conversation = findConversation(db, 'console', chatId)!;
  const categories = listTicketCategories(db);
  const { photo, ...rest } = draft;
  const mediaId = photo
    ? recordMedia(db, {
        conversationId: conversation.id,
        kind: 'photo',
        mime: 'image/png',
        size: 8,
        sha256: 'x',
        path: `${chatId}.png`,
      })
    : undefined;
  if (mediaId) writeFileSync(join(s.dataDir, `${chatId}.png`), Buffer.from('89504e470d0a1a0a', 'hex'));
  const ticket = db.transaction((tx) =>
    fileTicket(
      tx,
      conversation,
      {
        kind: 'complaint',
        categoryId: String(categories.find((c) => c.code === 'delay')?.id),
        text: 'قدمت طلبي من شهر ولم يرد علي أحد',
        ...(mediaId ? { mediaId } : {}),
        ...rest,
      },
      new Date(),
      effectSettingsOf(config).tickets,
    ),
  );
  return { ...ticket, mediaId };
}

/** A response's status, its body read to the end (a file left unread keeps its connection open). */
async function status(response: Promise<Response>): Promise<number> {
  const done = await response;
  await done.arrayBuffer();
  return done.status;
}

const staffConduct = (s: ConsoleSetup) =>
  String(listTicketCategories(s.app.database.db).find((c) => c.code === 'staffConduct')?.id);

describe('complaints and suggestions in the console', () => {
  it('should list tickets with counts, flag the overdue ones, and find one by its number however typed', async () => {
    const s = await setup();
    const late = await filed(s, 'sara');
    const fresh = await filed(s, 'nora', { kind: 'suggestion', text: 'مواقف أكثر عند المقر' });
    s.app.database.db.run(sql`update tickets set due_at = ${Date.now() - 60_000} where id = ${late.ticketId}`);
    const officer = await s.loggedIn('huda');
    const list = await (await officer.get('/tickets')).text();
    expect(list).toContain(late.reference);
    expect(list).toContain(fresh.reference);
    expect(list).toContain(`${t('tickets:console.stage.open')} (2)`);
    expect(list).toContain(t('tickets:console.overdueCount', { count: 1 }));
    expect(list).toContain('<tr class="overdue"><td');
    const overdue = await (await officer.get('/tickets?due=overdue')).text();
    expect(overdue).toContain(late.reference);
    expect(overdue).not.toContain(fresh.reference);
    const typed = late.reference.toLowerCase().replace(/-/g, '');
    const found = await (await officer.get(`/tickets?q=${encodeURIComponent(typed)}`)).text();
    expect(found).toContain(late.reference);
    expect(found).not.toContain(fresh.reference);
    expect(await (await officer.get('/tickets?kind=suggestion')).text()).not.toContain(late.reference);
    // In the menu of every officer and manager, not of a researcher.
    expect(list).toContain('href="/tickets"');
    const researcher = await s.loggedIn('rana');
    expect((await researcher.get('/tickets')).status).toBe(403);
  });

  it('should take up and resolve a complaint through the ticket module, telling the person the note', async () => {
    const s = await setup();
    const { ticketId, reference } = await filed(s, 'sara');
    const officer = await s.loggedIn('huda');
    const csrf = await officer.csrf();
    const page = await (await officer.get(`/tickets/${ticketId}`)).text();
    expect(page).toContain('قدمت طلبي من شهر ولم يرد علي أحد');
    expect(page).toContain(t('tickets:console.take'));
    // Not resolved before it is taken up.
    expect((await officer.post(`/tickets/${ticketId}/resolve`, { _csrf: csrf, note: 'تم' })).status).toBe(409);
    expect((await officer.post(`/tickets/${ticketId}/assign`, { _csrf: csrf })).status).toBe(303);
    expect(findTicket(s.app.database.db, ticketId)).toMatchObject({
      stage: 'in_progress',
      assignedTo: s.accounts.huda,
    });
    const empty = await officer.post(`/tickets/${ticketId}/resolve`, { _csrf: csrf, note: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain(t('tickets:console.errors.invalid'));
    const note = 'تواصلنا مع قسم البحث، وسيتصل بك الباحث غدًا';
    expect((await officer.post(`/tickets/${ticketId}/resolve`, { _csrf: csrf, note })).status).toBe(303);
    await s.app.flush();
    // Told in the person's chat (a rating question may follow it).
    const told = s.app.database.db
      .select()
      .from(outbox)
      .all()
      .map((row) => row.payload.text);
    expect(told.some((text) => text.includes(reference) && text.includes(note))).toBe(true);
    const after = await (await officer.get(`/tickets/${ticketId}`)).text();
    expect(after).toContain(note);
    expect(after).toContain(t('tickets:console.stage.resolved'));
    // Closed by an officer; reopened only by a manager.
    expect((await officer.post(`/tickets/${ticketId}/close`, { _csrf: csrf })).status).toBe(303);
    expect((await officer.post(`/tickets/${ticketId}/reopen`, { _csrf: csrf })).status).toBe(403);
    const manager = await s.loggedIn('majed');
    expect(
      (await manager.post(`/tickets/${ticketId}/reopen`, { _csrf: await manager.csrf(), note: 'اتصل ثانية' })).status,
    ).toBe(303);
    expect(findTicket(s.app.database.db, ticketId)?.stage).toBe('in_progress');
  });

  it('should show a complaint about a staff member, and its photo, to managers only', async () => {
    const s = await setup();
    const about = await filed(s, 'sara', { categoryId: staffConduct(s), photo: true });
    const plain = await filed(s, 'nora', { photo: true });
    const officer = await s.loggedIn('huda');
    const manager = await s.loggedIn('majed');

    const officerList = await (await officer.get('/tickets')).text();
    expect(officerList).not.toContain(about.reference);
    expect(officerList).toContain(plain.reference);
    expect(officerList).toContain(`${t('tickets:console.stage.open')} (1)`);
    expect((await officer.get(`/tickets/${about.ticketId}`)).status).toBe(404);
    expect((await officer.post(`/tickets/${about.ticketId}/assign`, { _csrf: await officer.csrf() })).status).toBe(404);
    expect(await status(officer.get(`/media/${about.mediaId}`))).toBe(404);
    // The photo of a complaint the officer may see is shown inline on its page.
    expect(await status(officer.get(`/media/${plain.mediaId}`))).toBe(200);
    expect(await (await officer.get(`/tickets/${plain.ticketId}`)).text()).toContain(`src="/media/${plain.mediaId}"`);

    const managerList = await (await manager.get('/tickets')).text();
    expect(managerList).toContain(about.reference);
    expect(managerList).toContain(`${t('tickets:console.stage.open')} (2)`);
    const page = await (await manager.get(`/tickets/${about.ticketId}`)).text();
    expect(page).toContain(t('tickets:console.aboutStaff'));
    expect(page).toContain(`src="/media/${about.mediaId}"`);
    expect(await status(manager.get(`/media/${about.mediaId}`))).toBe(200);
  });

  it('should keep what was written in a complaint about a staff member out of the chat an officer opens', async () => {
    const s = await setup();
    const words = 'الموظف تعامل معي بأسلوب غير لائق';
    // The person writes it in the chat, files it, and later asks for a person: officers see that chat.
    await s.app.engine.handle({ channel: 'console', chatId: 'sara', messageId: 'w1', kind: 'text', text: words });
    await filed(s, 'sara', { categoryId: staffConduct(s), text: words });
    const conversation = await beneficiaryAsksForStaff(s.app, 'sara');
    const officer = await s.loggedIn('huda');
    const officerPage = await (await officer.get(`/conversations/${conversation}`)).text();
    expect(officerPage).not.toContain(words);
    expect(officerPage).toContain(t('tickets:console.aboutStaffHidden'));
    const manager = await s.loggedIn('majed');
    expect(await (await manager.get(`/conversations/${conversation}`)).text()).toContain(words);
  });

  it('should let managers edit the categories in both languages, and no one else', async () => {
    const s = await setup();
    const manager = await s.loggedIn('majed');
    const csrf = await manager.csrf();
    const added = await manager.post('/tickets/categories', {
      _csrf: csrf,
      code: 'cleanliness',
      nameAr: 'نظافة المقر',
      nameEn: 'Cleanliness of the office',
      active: '1',
    });
    expect(added.status).toBe(303);
    expect(listTicketCategories(s.app.database.db).map((c) => c.nameAr)).toContain('نظافة المقر');
    const taken = await manager.post('/tickets/categories', {
      _csrf: csrf,
      code: 'cleanliness',
      nameAr: 'x',
      nameEn: 'y',
    });
    expect(taken.status).toBe(409);
    const officer = await s.loggedIn('huda');
    expect((await officer.get('/tickets/categories')).status).toBe(403);
    expect(await (await officer.get('/tickets')).text()).not.toContain('/tickets/categories');
  });
});
