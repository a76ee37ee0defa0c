import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findConversation } from '../../src/db/conversations.ts';
import { auditLog, staffSessions } from '../../src/db/schema.ts';
import { createI18n } from '../../src/i18n.ts';
import { Browser, beneficiaryAsksForStaff, consoleSetups } from './consoleHarness.ts';

const setup = consoleSetups();

const pages = [
  '/',
  '/queue',
  '/conversations/1',
  '/media/1',
  '/beneficiaries',
  '/beneficiaries/1',
  '/canned',
  '/accounts',
  '/whatsapp',
  '/audit',
  '/cases',
];
const forms = [
  '/logout',
  '/logout-all',
  '/conversations/1/claim',
  '/conversations/1/reply',
  '/conversations/1/close',
  '/conversations/1/notes',
  '/beneficiaries',
  '/canned',
  '/accounts',
  '/accounts/1/disable',
];

describe('staff console security', () => {
  it('should send every page to the login without a session, and refuse every form', async () => {
    const s = await setup();
    const browser = s.browser();
    for (const page of pages) {
      const response = await browser.get(page);
      expect(response.status, page).toBe(303);
      expect(response.headers.get('location'), page).toBe(
        page === '/' ? '/login' : `/login?next=${encodeURIComponent(page)}`,
      );
    }
    // What an open page refreshes by itself is told 401: its script sends the browser to the login.
    for (const live of ['/live', '/queue/rows', '/conversations/1/live']) {
      expect((await browser.get(live)).status, live).toBe(401);
    }
    for (const form of forms) expect((await browser.post(form, { _csrf: 'x' })).status, form).toBe(401);
  });

  it('should refuse a role the page is not for with 403', async () => {
    const s = await setup();
    const officer = await s.loggedIn('huda');
    for (const page of ['/accounts', '/whatsapp', '/audit', '/catalogue'])
      expect((await officer.get(page)).status, page).toBe(403);
    expect((await officer.get('/cases')).status).toBe(200);
    const admin = await s.loggedIn('admin');
    for (const page of ['/queue', '/conversations/1', '/beneficiaries', '/canned', '/cases', '/media/1'])
      expect((await admin.get(page)).status, page).toBe(403);
    const researcher = await s.loggedIn('rana');
    expect((await researcher.get('/queue')).status).toBe(403);
    expect((await researcher.get('/cases')).status).toBe(200);
    const manager = await s.loggedIn('majed');
    for (const page of ['/queue', '/audit', '/beneficiaries', '/cases', '/catalogue'])
      expect((await manager.get(page)).status, page).toBe(200);
  });

  it("should refuse a form without its CSRF token, or with another session's", async () => {
    const s = await setup();
    const id = await beneficiaryAsksForStaff(s.app, 'b1');
    const officer = await s.loggedIn('huda');
    expect((await officer.post(`/conversations/${id}/claim`, {})).status).toBe(403);
    const other = await s.loggedIn('omar');
    expect((await officer.post(`/conversations/${id}/claim`, { _csrf: await other.csrf() })).status).toBe(403);
    expect((await officer.post(`/conversations/${id}/claim`, { _csrf: await officer.csrf() })).status).toBe(303);
  });

  it('should not open a conversation that never reached staff, nor one that does not exist, by changing the id', async () => {
    const s = await setup();
    const queued = await beneficiaryAsksForStaff(s.app, 'b1');
    await s.app.engine.handle({
      channel: 'console',
      chatId: 'b2',
      messageId: 'b2-1',
      kind: 'text',
      text: 'السلام عليكم',
    });
    const botOnly = findConversation(s.app.database.db, 'console', 'b2')?.id ?? 0;
    const officer = await s.loggedIn('huda');
    expect((await officer.get(`/conversations/${queued}`)).status).toBe(200);
    expect((await officer.get(`/conversations/${botOnly}`)).status).toBe(404);
    expect((await officer.get('/conversations/99999')).status).toBe(404);
    expect((await officer.get('/conversations/abc')).status).toBe(404);
    expect(
      (await officer.post(`/conversations/${botOnly}/notes`, { _csrf: await officer.csrf(), body: 'x' })).status,
    ).toBe(404);
    expect((await officer.get('/media/1')).status).toBe(404);
  });

  it('should slow down a flood of logins from one address', async () => {
    const s = await setup();
    const browser = s.browser();
    let last = 0;
    for (let i = 0; i < 21; i++) last = (await browser.login(`nobody${i}`, 'x')).status;
    expect(last).toBe(429);
  });

  it('should issue a new session at login, never the one the browser brought (no fixation)', async () => {
    const s = await setup();
    const browser = s.browser();
    browser.cookies.set('ataa_sid', 'planted-by-an-attacker');
    expect((await browser.login('huda', s.password)).status).toBe(303);
    const issued = browser.cookies.get('ataa_sid');
    expect(issued).toBeDefined();
    expect(issued).not.toBe('planted-by-an-attacker');
    const attacker = s.browser();
    attacker.cookies.set('ataa_sid', 'planted-by-an-attacker');
    expect((await attacker.get('/queue')).status).toBe(303);
    expect(
      s.app.database.db
        .select()
        .from(staffSessions)
        .all()
        .some((r) => r.id.includes('planted')),
    ).toBe(false);
  });

  it('should end the session at logout, and every session at logout everywhere', async () => {
    const s = await setup();
    const laptop = await s.loggedIn('huda');
    const phone = await s.loggedIn('huda');
    const stolen = new Browser(s.base);
    stolen.cookies.set('ataa_sid', laptop.cookies.get('ataa_sid') ?? '');
    expect((await laptop.post('/logout', { _csrf: await laptop.csrf() })).status).toBe(303);
    expect((await stolen.get('/queue')).status).toBe(303);
    expect((await phone.get('/queue')).status).toBe(200);
    const tablet = await s.loggedIn('huda');
    expect((await tablet.post('/logout-all', { _csrf: await tablet.csrf() })).status).toBe(303);
    expect((await phone.get('/queue')).status).toBe(303);
  });

  it('should let an admin disable an account, which ends its sessions', async () => {
    const s = await setup();
    const officer = await s.loggedIn('huda');
    const admin = await s.loggedIn('admin');
    const csrf = await admin.csrf();
    expect((await admin.post(`/accounts/${s.accounts.huda}/disable`, { _csrf: csrf })).status).toBe(303);
    expect((await officer.get('/queue')).status).toBe(303);
    expect((await s.browser().login('huda', s.password)).status).toBe(401);
  });

  it('should audit views of personal data and changes, and never let the log be edited', async () => {
    const s = await setup();
    const id = await beneficiaryAsksForStaff(s.app, 'b1');
    const officer = await s.loggedIn('huda');
    await officer.get(`/conversations/${id}`);
    await officer.post(`/conversations/${id}/claim`, { _csrf: await officer.csrf() });
    const rows = s.app.database.db.select().from(auditLog).where(eq(auditLog.staffUserId, s.accounts.huda!)).all();
    expect(rows.map((r) => `${r.action} ${r.objectType} ${r.objectId ?? ''}`.trim())).toEqual(
      expect.arrayContaining([
        `login staff ${s.accounts.huda}`,
        `view conversation ${id}`,
        `handoff.claim conversation ${id}`,
      ]),
    );
    expect(() => s.app.database.db.update(auditLog).set({ action: 'nothing' }).run()).toThrow(/append-only/);
    expect(() => s.app.database.db.delete(auditLog).run()).toThrow(/append-only/);
    const manager = await s.loggedIn('majed');
    const claimed = createI18n().getFixedT('ar', 'console')('audit.actions.handoff_claim', {
      defaultValue: 'handoff.claim',
    });
    expect(await (await manager.get('/audit')).text()).toContain(claimed);
  });
});
