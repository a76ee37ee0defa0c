import { describe, expect, it } from 'vitest';
import { openHandoff } from '../../src/db/handoffs.ts';
import { findStaffByUsername } from '../../src/db/staff.ts';
import { listCanned, notesOf } from '../../src/db/staffWork.ts';
import { createI18n } from '../../src/i18n.ts';
import { Browser, beneficiaryAsksForStaff, consoleSetups } from './consoleHarness.ts';

const t = createI18n().getFixedT('ar', 'console');
const setup = consoleSetups();

/** The password an accounts page shows once. */
const shownPassword = (page: string) => page.match(/<code[^>]*>([^<]+)<\/code>/)?.[1] ?? '';

describe('a day in the console', () => {
  it('should keep canned replies for everyone, and delete one after asking', async () => {
    const s = await setup();
    const huda = await s.loggedIn('huda');
    const csrf = await huda.csrf();
    expect(
      (await huda.post('/canned', { _csrf: csrf, title: 'موعد الصرف', body: 'يُصرف الطلب يوم الأحد.' })).status,
    ).toBe(303);
    const empty = await huda.post('/canned', { _csrf: csrf, title: 'بلا نص', body: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain(t('errors.cannedEmpty'));
    const [saved] = listCanned(s.app.database.db);
    expect(saved).toMatchObject({ title: 'موعد الصرف' });

    const omar = await s.loggedIn('omar');
    const page = await (await omar.get('/canned')).text();
    expect(page).toContain('يُصرف الطلب يوم الأحد.');
    expect(page).toMatch(/data-confirm="[^"]+"/);
    expect((await omar.post(`/canned/${saved?.id}/delete`, { _csrf: Browser.csrfOf(page) })).status).toBe(303);
    expect(listCanned(s.app.database.db)).toEqual([]);
    expect((await omar.post(`/canned/${saved?.id}/delete`, { _csrf: Browser.csrfOf(page) })).status).toBe(404);
  });

  it('should keep internal notes on a conversation, with their author, never sent to the person', async () => {
    const s = await setup();
    const id = await beneficiaryAsksForStaff(s.app, 'noted');
    const huda = await s.loggedIn('huda');
    const csrf = await huda.csrf();
    expect(
      (await huda.post(`/conversations/${id}/notes`, { _csrf: csrf, body: 'اتصلت بها؛ ستحضر الأحد.' })).status,
    ).toBe(303);
    expect((await huda.post(`/conversations/${id}/notes`, { _csrf: csrf, body: ' ' })).status).toBe(400);
    expect(notesOf(s.app.database.db, id)).toMatchObject([
      { author: 'huda', note: { body: 'اتصلت بها؛ ستحضر الأحد.' } },
    ]);
    expect(await (await huda.get(`/conversations/${id}`)).text()).toContain('اتصلت بها؛ ستحضر الأحد.');
  });

  it("should answer the page's script with JSON: a reply sent, or why not, never a redirect", async () => {
    const s = await setup();
    const id = await beneficiaryAsksForStaff(s.app, 'fetching');
    const huda = await s.loggedIn('huda');
    const omar = await s.loggedIn('omar');
    const send = async (browser: Browser, text: string) => {
      const csrf = await browser.csrf();
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      return fetch(`${s.base}/conversations/${id}/reply`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-requested-with': 'fetch', cookie },
        body: new URLSearchParams({ _csrf: csrf, text }),
      });
    };
    const early = await send(huda, 'hello');
    expect(early.status).toBe(409);
    expect(await early.json()).toEqual({ error: t('errors.conflict') });
    await huda.post(`/conversations/${id}/claim`, { _csrf: await huda.csrf() });
    const other = await send(omar, 'I will take it');
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ error: t('errors.notYours') });
    const sent = await send(huda, 'أهلًا بك');
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ ok: true });
  });
});

describe('accounts', () => {
  it('should create an account with a password shown once, and name the real problem when it cannot', async () => {
    const s = await setup();
    const admin = await s.loggedIn('admin');
    const csrf = await admin.csrf();
    const created = await admin.post('/accounts', {
      _csrf: csrf,
      username: 'Sara',
      displayName: 'سارة',
      role: 'officer',
    });
    expect(created.status).toBe(200);
    const password = shownPassword(await created.text());
    expect(password).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/);
    expect(findStaffByUsername(s.app.database.db, 'sara')).toMatchObject({ role: 'officer', displayName: 'سارة' });
    expect((await s.browser().login('sara', password)).status).toBe(303);

    const refusals: [Record<string, string>, number, string][] = [
      [{ username: 'sara', role: 'officer' }, 409, 'accounts.errors.taken'],
      [{ username: 'x', role: 'officer' }, 400, 'accounts.errors.username'],
      [{ username: 'سارة', role: 'officer' }, 400, 'accounts.errors.username'],
      [{ username: 'nadia', role: 'owner' }, 400, 'accounts.errors.role'],
    ];
    for (const [form, status, key] of refusals) {
      const response = await admin.post('/accounts', { _csrf: csrf, displayName: 'x', ...form });
      expect(response.status, key).toBe(status);
      expect(await response.text(), key).toContain(t(key));
    }
  });

  it('should let everyone change their own password, with the rule enforced and the old sessions ended', async () => {
    const s = await setup();
    const laptop = await s.loggedIn('huda');
    const phone = await s.loggedIn('huda');
    const change = (fields: Record<string, string>) =>
      laptop.csrf().then((csrf) => laptop.post('/password', { _csrf: csrf, ...fields }));
    const wrong = await change({
      current: 'not it',
      password: 'a long new passphrase',
      confirm: 'a long new passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(t('password.wrongCurrent'));
    for (const [chosen, key] of [
      ['short one', 'password.short'],
      ['abcabcabcabcabc', 'password.repeated'],
      ['Password2024!', 'password.common'],
    ]) {
      const refused = await change({ current: s.password, password: chosen as string, confirm: chosen as string });
      expect(await refused.text(), chosen).toContain(t(key as string));
    }
    const mismatch = await change({
      current: s.password,
      password: 'a long new passphrase',
      confirm: 'a long new passphrase!',
    });
    expect(await mismatch.text()).toContain(t('password.mismatch'));

    // Never trimmed: the spaces are part of the password.
    expect(
      (await change({ current: s.password, password: ' a long new passphrase ', confirm: ' a long new passphrase ' }))
        .status,
    ).toBe(303);
    expect((await laptop.get('/queue')).status).toBe(200);
    expect((await phone.get('/queue')).status).toBe(303);
    expect((await s.browser().login('huda', 'a long new passphrase')).status).toBe(401);
    expect((await s.browser().login('huda', ' a long new passphrase ')).status).toBe(303);
  });

  it('should let an admin reset a password: shown once, to be changed at the next login before anything else', async () => {
    const s = await setup();
    const admin = await s.loggedIn('admin');
    const before = await s.loggedIn('huda');
    const reset = await admin.post(`/accounts/${s.accounts.huda}/reset`, { _csrf: await admin.csrf() });
    const temporary = shownPassword(await reset.text());
    expect(temporary).not.toBe('');
    expect((await before.get('/queue')).status).toBe(303);

    const huda = s.browser();
    const login = await huda.login('huda', temporary);
    expect(login.headers.get('location')).toBe('/password');
    expect((await huda.get('/queue')).headers.get('location')).toBe('/password');
    const page = await (await huda.get('/password')).text();
    expect(page).toContain(t('password.mustChange'));
    const csrf = Browser.csrfOf(page);
    expect((await huda.post('/canned', { _csrf: csrf, title: 'x', body: 'y' })).headers.get('location')).toBe(
      '/password',
    );
    await huda.post('/password', {
      _csrf: csrf,
      current: temporary,
      password: 'my own long phrase',
      confirm: 'my own long phrase',
    });
    expect((await huda.get('/queue')).status).toBe(200);
  });

  it("should put a disabled officer's conversations back in the queue", async () => {
    const s = await setup();
    const id = await beneficiaryAsksForStaff(s.app, 'held');
    const huda = await s.loggedIn('huda');
    await huda.post(`/conversations/${id}/claim`, { _csrf: await huda.csrf() });
    expect(openHandoff(s.app.database.db, id)?.status).toBe('claimed');
    const admin = await s.loggedIn('admin');
    expect((await admin.post(`/accounts/${s.accounts.huda}/disable`, { _csrf: await admin.csrf() })).status).toBe(303);
    expect(openHandoff(s.app.database.db, id)).toMatchObject({ status: 'waiting', claimedBy: null });
  });
});
