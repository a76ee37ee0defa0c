import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { recordMedia } from '../../src/db/media.ts';
import { staffSessions } from '../../src/db/schema.ts';
import { createStaffUser, setStaffDisabled } from '../../src/db/staff.ts';
import { createI18n } from '../../src/i18n.ts';
import { resumeSession, startSession } from '../../src/staff/auth.ts';
import { setup as setupEngine } from '../helpers.ts';
import { Browser, beneficiaryAsksForStaff, type ConsoleSetup, consoleSetups } from './consoleHarness.ts';

const t = createI18n().getFixedT('ar', 'console');
const setup = consoleSetups({ STAFF_TRUST_PROXY: 'true' });
const opened: ReturnType<typeof setupEngine>[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
const from = (address: string) => ({ 'x-forwarded-for': address });

/** What a login page says, without the parts that differ on every load (tokens). */
async function said(response: Response) {
  return (await response.text()).replace(/value="[\w-]{40,}"/g, '');
}

describe('logging in', () => {
  it('should answer an unknown, a disabled and a locked account exactly like a wrong password', async () => {
    const s = await setup();
    const browser = s.browser(from('198.51.100.1'));
    setStaffDisabled(s.app.database.db, s.accounts.omar as number, true);
    const wrong = await browser.login('huda', 'not the password');
    const unknown = await browser.login('nobody', s.password);
    const disabled = await browser.login('omar', s.password);
    for (let i = 0; i < 5; i++) await browser.login('rana', 'not the password');
    const locked = await browser.login('rana', s.password);
    const answers = [wrong, unknown, disabled, locked];
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    const pages = await Promise.all(answers.map(said));
    expect(pages[0]).toContain(t('login.invalid'));
    expect(new Set(pages).size).toBe(1);
    expect(browser.cookies.has('ataa_sid')).toBe(false);
  });

  it('should lock an account only for the address guessing at it, never for its owner elsewhere', async () => {
    const s = await setup();
    const stranger = s.browser(from('198.51.100.66'));
    for (let i = 0; i < 12; i++) await stranger.login('admin', `guess ${i}`);
    expect((await stranger.login('admin', s.password)).status).toBe(401);
    expect((await s.browser(from('198.51.100.10')).login('admin', s.password)).status).toBe(303);
  });

  it('should never count successful logins toward a limit', async () => {
    const s = await setup();
    const browser = s.browser(from('198.51.100.2'));
    for (let i = 0; i < 30; i++) expect((await browser.login('huda', s.password)).status).toBe(303);
    expect((await browser.login('huda', 'one typo')).status).toBe(401);
    expect((await browser.login('huda', s.password)).status).toBe(303);
  });

  it('should use the client address a trusted proxy gives, and only when told to trust it', async () => {
    const trusting = await setup();
    for (let i = 0; i < 21; i++) await trusting.browser(from('198.51.100.3')).login(`nobody${i}`, 'x');
    expect((await trusting.browser(from('198.51.100.3')).login('huda', trusting.password)).status).toBe(429);
    expect((await trusting.browser(from('198.51.100.4')).login('huda', trusting.password)).status).toBe(303);

    // Without STAFF_TRUST_PROXY anyone could claim any address: the header is ignored.
    const direct = await setup({ STAFF_TRUST_PROXY: 'false' });
    for (let i = 0; i < 21; i++) await direct.browser(from(`198.51.100.${i}`)).login(`nobody${i}`, 'x');
    expect((await direct.browser(from('198.51.100.99')).login('huda', direct.password)).status).toBe(429);
  });

  it("should keep serving files and a colleague's login while 1,000 attempts arrive at once", async () => {
    const s = await setup();
    const colleague = s.browser(from('198.51.100.20'));
    expect((await colleague.login('huda', s.password)).status).toBe(303);
    const conversation = await beneficiaryAsksForStaff(s.app, 'photo-sender');
    writeFileSync(join(s.dataDir, 'photo.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    const mediaId = recordMedia(s.app.database.db, {
      conversationId: conversation,
      kind: 'photo',
      mime: 'image/png',
      size: 8,
      sha256: 'x',
      path: 'photo.png',
    });

    const loginPage = await (await s.browser().get('/login')).text();
    const csrf = Browser.csrfOf(loginPage);
    let hashed = 0;
    const statuses: number[] = [];
    const flood = Array.from({ length: 1000 }, (_, i) =>
      fetch(`${s.base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: `ataa_login=${csrf}`,
          'x-forwarded-for': `203.0.113.${i % 250}, 192.0.2.${Math.floor(i / 250)}`,
        },
        body: new URLSearchParams({ _csrf: csrf, username: 'admin', password: `guess ${i}` }),
      }).then((response) => {
        statuses.push(response.status);
        if (response.status === 401) hashed++;
      }),
    );
    const officer = await s.loggedIn('omar');
    const [media, login] = await Promise.all([
      officer.get(`/media/${mediaId}`).then((response) => ({ status: response.status, hashedBefore: hashed })),
      colleague.login('huda', s.password).then((response) => ({ status: response.status, hashedBefore: hashed })),
    ]);
    await Promise.all(flood);

    expect(media.status).toBe(200);
    expect(login.status).toBe(303);
    // Both were answered before most of the flood's password checks had run.
    expect(media.hashedBefore).toBeLessThan(20);
    expect(login.hashedBefore).toBeLessThan(20);
    expect(hashed).toBeGreaterThan(50);
    // What could not be checked was told to wait, at once; nothing failed.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(500);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  }, 60_000);
});

describe('bad requests and headers', () => {
  it('should answer malformed forms and JSON with a 400 page, never an internal message', async () => {
    const s = await setup();
    const post = (path: string, type: string, body: string, cookie = '') =>
      fetch(`${s.base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': type, cookie },
        body,
      });
    for (const response of [
      await post('/login', 'application/json', '{"username": '),
      await post('/login', 'application/json', '["huda"]'),
      await post('/login', 'application/json', '{"username": {"$ne": 1}}'),
    ]) {
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain(t('errors.badRequest'));
      expect(page).not.toMatch(/at \w+ \(|Unexpected|JSON|SyntaxError|FST_/);
    }
    const officer = await s.loggedIn('huda');
    const csrf = await officer.csrf();
    const cookie = [...officer.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const repeated = await post(
      '/canned',
      'application/x-www-form-urlencoded',
      `_csrf=${csrf}&_csrf=x&title=a&title=b&body=c`,
      cookie,
    );
    expect(repeated.status).toBe(303);
  });

  it('should log every server error and show a page that gives nothing away', async () => {
    const s = await setup();
    const manager = await s.loggedIn('majed');
    s.app.database.db.run(sql`drop table contacts`);
    const id = s.app.database.db.run(sql`insert into beneficiaries (name) values ('x')`).lastInsertRowid;
    const response = await manager.get(`/beneficiaries/${id}`);
    expect(response.status).toBe(500);
    const page = await response.text();
    expect(page).toContain(t('errors.server'));
    expect(page).not.toContain('contacts');
    expect(s.logs().some((line) => line.includes('"level":50') && line.includes('A page failed'))).toBe(true);
  });

  it('should send a strict Content-Security-Policy, nosniff and a Referrer-Policy on every page', async () => {
    const s = await setup();
    const officer = await s.loggedIn('huda');
    for (const response of [
      await s.browser().get('/login'),
      await officer.get('/queue'),
      await officer.get('/nowhere'),
      await officer.get('/assets/console.js'),
      await officer.get('/accounts'),
    ]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
        const page = await response.text();
        expect(page).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|style="/);
      }
    }
  });
});

describe('sessions', () => {
  const expiresAt = (s: ConsoleSetup) =>
    s.app.database.db
      .select()
      .from(staffSessions)
      .all()
      .map((row) => row.expiresAt.getTime());

  it("should be extended by the staff member's own requests, not by the page's live refresh", async () => {
    const s = await setup();
    const officer = await s.loggedIn('huda');
    const [start] = expiresAt(s);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await officer.get('/live')).status).toBe(200);
    expect((await officer.get('/queue/rows')).status).toBe(200);
    expect(expiresAt(s)).toEqual([start]);
    await officer.get('/queue');
    expect(expiresAt(s)[0]).toBeGreaterThan(start as number);
  });

  it('should send a page to the login and back, and tell the live refresh to go there', async () => {
    const s = await setup();
    const officer = await s.loggedIn('huda');
    s.app.database.db
      .update(staffSessions)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .run();
    const page = await officer.get('/queue?tab=claimed');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fqueue%3Ftab%3Dclaimed');
    expect((await officer.get('/live')).status).toBe(401);
    const form = await (await officer.get('/login?next=%2Fqueue%3Ftab%3Dclaimed')).text();
    const back = await officer.post('/login', {
      _csrf: Browser.csrfOf(form),
      username: 'huda',
      password: s.password,
      next: '/queue?tab=claimed',
    });
    expect(back.headers.get('location')).toBe('/queue?tab=claimed');
    // Only a path of this site: never another site.
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const again = await s.browser().login('huda', s.password);
      expect(again.status).toBe(303);
      const page2 = await (await officer.get('/login')).text();
      const away = await officer.post('/login', {
        _csrf: Browser.csrfOf(page2),
        username: 'huda',
        password: s.password,
        next,
      });
      expect(away.headers.get('location')).toBe('/');
    }
  });

  it('should end after the idle time, and at the end of the working day whatever happens', () => {
    const s = setupEngine();
    opened.push(s);
    const user = createStaffUser(s.db, { username: 'huda', displayName: 'هدى', role: 'officer', passwordHash: 'x' });
    const policy = { idleMs: 2 * 3_600_000, maxMs: 12 * 3_600_000 };
    const t0 = new Date('2026-11-25T05:00:00Z');
    const at = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);

    const quiet = startSession(s.db, user.id, t0, policy).cookieToken;
    expect(resumeSession(s.db, quiet, at(1.9), policy, false)).toBeDefined();
    expect(resumeSession(s.db, quiet, at(2.1), policy, false)).toBeUndefined();

    const busy = startSession(s.db, user.id, t0, policy).cookieToken;
    for (let hour = 1; hour <= 11; hour++) expect(resumeSession(s.db, busy, at(hour), policy, true)).toBeDefined();
    expect(resumeSession(s.db, busy, at(11.99), policy, true)?.session.expiresAt).toEqual(at(12));
    expect(resumeSession(s.db, busy, at(12.01), policy, true)).toBeUndefined();
  });
});
