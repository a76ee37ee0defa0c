import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConversation } from '../../src/db/conversations.ts';
import { openHandoff } from '../../src/db/handoffs.ts';
import { deleteSessionsOf } from '../../src/db/staff.ts';
import { Browser as HttpClient } from './consoleHarness.ts';
import {
  ar,
  consoleWithTelegram,
  launchChromium,
  logIn,
  staffPassword,
  TelegramPerson,
  tinyOggOpus,
  tinyPdf,
  tinyPng,
} from './e2eHarness.ts';

/**
 * Where the screenshots are written: the README's own with `UPDATE_SCREENSHOTS=1`
 * (`npm run screenshots`), otherwise a scratch folder, so an ordinary run changes no tracked file.
 */
const screenshots = process.env.UPDATE_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : `${mkdtempSync(join(tmpdir(), 'ataa-screens-'))}/`;
/** The console's own words, from its Arabic locale. */
const t = (key: string, params?: Record<string, unknown>) => ar(`console:${key}`, params) as string;

// ---- what the functions that run in the page see (the project's TypeScript lib has no DOM) ----
interface PageBox {
  top: number;
  bottom: number;
  left: number;
}
interface PageNode {
  textContent: string | null;
}
interface PageElement extends PageNode {
  getBoundingClientRect(): PageBox;
}
interface PageImage extends PageElement {
  complete: boolean;
  naturalWidth: number;
}
interface PageAudio extends PageElement {
  readyState: number;
  duration: number;
  currentTime: number;
  error: { message: string } | null;
  play(): Promise<void>;
  addEventListener(type: 'ended', listener: (value: unknown) => void, options: { once: true }): void;
}
type PageNotification = new (title: string, options?: object) => object;
declare const window: {
  innerHeight: number;
  Notification: PageNotification;
  seenAlerts: { notifications: string[]; tones: number };
  sameDocument?: boolean;
};
declare const document: {
  title: string;
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector<T extends PageNode = PageElement>(selector: string): T | null;
  querySelectorAll(selector: string): { length: number };
  createTreeWalker(root: PageNode, show: number): { nextNode(): PageNode | null };
  createRange(): {
    setStart(node: PageNode, offset: number): void;
    setEnd(node: PageNode, offset: number): void;
    getBoundingClientRect(): PageBox;
  };
};
declare const NodeFilter: { SHOW_TEXT: number };
declare const OscillatorNode: { prototype: { start(...args: number[]): void } };
declare const getComputedStyle: (element: PageElement) => {
  backgroundColor: string;
  color: string;
  borderColor: string;
};

let env: Awaited<ReturnType<typeof consoleWithTelegram>>;
let browser: Browser;
let noura: TelegramPerson;
let faisal: TelegramPerson;
/** Huda, a beneficiary relations officer, at her desk: one tab through the whole working session. */
let huda: Page;

beforeAll(async () => {
  [env, browser] = await Promise.all([consoleWithTelegram(), launchChromium()]);
  noura = new TelegramPerson(env.api, 7001, 'نورة العتيبي');
  faisal = new TelegramPerson(env.api, 7002, 'فيصل');
  mkdirSync(screenshots, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

/**
 * Records, in the page, the notifications it shows and the tones it plays (the real ones still
 * happen): what the staff member would see and hear.
 */
function recordAlerts() {
  const seen = { notifications: [] as string[], tones: 0 };
  window.seenAlerts = seen;
  const Real = window.Notification;
  window.Notification = new Proxy(Real, {
    construct(target, args: [string, object?]) {
      seen.notifications.push(args[0]);
      return Reflect.construct(target, args);
    },
    get: (target, key) => Reflect.get(target, key),
  });
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: number[]) {
    seen.tones++;
    return start.apply(this, args);
  };
}

const alertsOf = (page: Page) => page.evaluate(() => window.seenAlerts);

/** A new browser window for a staff member, notifications allowed, on `path` once logged in. */
async function staffWindow(
  username: string,
  path: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'ar-SA', viewport });
  await context.grantPermissions(['notifications'], { origin: env.base });
  await context.addInitScript(recordAlerts);
  const page = await context.newPage();
  await page.goto(env.base + path);
  expect(new URL(page.url()).pathname).toBe('/login');
  await logIn(page, username);
  return { context, page };
}

/** Marks the page's document: still marked later means nothing reloaded it. */
const markDocument = (page: Page) =>
  page.evaluate(() => {
    window.sameDocument = true;
  });
const sameDocument = (page: Page) => page.evaluate(() => window.sameDocument === true);

/** Whether the whole of the element is inside the window (to the pixel). */
const inView = (page: Page, selector: string) =>
  page.$eval(selector, (element) => {
    const box = element.getBoundingClientRect();
    return box.top >= -1 && box.bottom <= window.innerHeight + 1;
  });

/** Left-to-right order on screen of two characters of one text node: true when `first` is left of `second`. */
const leftOf = (page: Page, selector: string, text: string, first: string, second: string) =>
  page.$$eval(
    selector,
    (elements, [text, first, second]) => {
      for (const element of elements) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent?.indexOf(text as string) ?? -1;
          if (at < 0) continue;
          const box = (offset: number) => {
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + 1);
            return range.getBoundingClientRect();
          };
          const a = box(at + (text as string).indexOf(first as string));
          const b = box(at + (text as string).indexOf(second as string));
          return a.left < b.left;
        }
      }
      throw new Error(`No text «${text}» in ${elements.length} elements.`);
    },
    [text, first, second],
  );

const waitingTitle = (count: number) => `(${count}) ${t('nav.queue')}`;

describe('staff console in headless Chromium, with a beneficiary on Telegram', () => {
  it('should show who waits and why, update the tab title without a reload, and alert with a tone and a notification', async () => {
    ({ page: huda } = await staffWindow('huda', '/queue'));
    expect(new URL(huda.url()).pathname).toBe('/queue');
    expect(await huda.getAttribute('html', 'dir')).toBe('rtl');
    expect(await huda.title()).toBe(t('nav.queue'));
    expect(await huda.textContent('#rows')).toContain(t('queue.empty'));
    await markDocument(huda);

    await noura.waitsForStaff('ابي اكلم موظف');
    await huda.waitForFunction((title) => document.title === title, waitingTitle(1), { timeout: 15_000 });
    const row = huda.locator('#rows tr[data-handoff]');
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('نورة العتيبي');
    expect(text).toContain(t('queue.reasons.asked'));
    expect(text).toContain('ابي اكلم موظف');
    expect(text).toContain(t('channel.telegram'));
    expect(text).toContain(t('queue.minutes', { count: 0 }));
    await huda.waitForFunction((words) => window.seenAlerts.notifications.includes(words), t('alerts.newWaiting'));
    expect((await alertsOf(huda)).tones).toBeGreaterThan(0);

    // An emergency goes first, and says so.
    await faisal.waitsForStaff('الحقوني ابوي عنده ضيق تنفس', '911');
    await huda.waitForFunction((title) => document.title === title, waitingTitle(2), { timeout: 15_000 });
    await huda.waitForFunction(() => document.querySelectorAll('#rows tr[data-handoff]').length === 2);
    const first = huda.locator('#rows tr[data-handoff]').first();
    expect(await first.getAttribute('data-priority')).toBe('2');
    expect(await first.textContent()).toContain('فيصل');
    expect(await first.textContent()).toContain(t('queue.reasons.emergency'));
    await huda.waitForFunction((words) => window.seenAlerts.notifications.includes(words), t('alerts.emergency'));
    expect(await sameDocument(huda)).toBe(true);
    await huda.screenshot({ path: `${screenshots}queue-desktop.png` });
  }, 90_000);

  it('should open a conversation at its newest message with the reply box in view, pressed buttons as their labels', async () => {
    await huda.click('#rows a:has-text("نورة العتيبي")');
    await huda.waitForURL(/\/conversations\/\d+$/);
    await huda.click(`button:has-text("${t('conversation.claim')}")`);
    await huda.waitForSelector('#reply');
    await noura.told(ar('handoff:claimed') as string);
    expect(await huda.textContent('h1')).toContain('نورة العتيبي');
    expect(await inView(huda, '#reply-form')).toBe(true);
    expect(await inView(huda, '#transcript article:last-of-type')).toBe(true);

    // What she pressed reads as its label; no code anywhere.
    const pressed = await huda.$$eval('.msg.in .pressed', (all) => all.map((e) => e.textContent?.trim()));
    expect(pressed).toEqual(
      expect.arrayContaining([
        t('conversation.commands.start'),
        ar('root:language.ar') as string,
        ar('root:consent.agree') as string,
      ]),
    );
    const transcript = (await huda.textContent('#transcript')) ?? '';
    expect(transcript).not.toMatch(/\[(agree|ar)\]|\bagree\b/);

    // A line in English inside an Arabic message keeps its own direction (the colon at its end).
    expect(await leftOf(huda, '.msg.bot .text', 'Please choose your language:', 'P', ':')).toBe(true);

    // A right-to-left override in what a person writes reverses nothing: «fdp.exe» shows as sent.
    noura.says('اسم الملف \u202Efdp.exe');
    await huda.locator('.msg.in .text', { hasText: 'fdp.exe' }).waitFor({ timeout: 15_000 });
    expect(await leftOf(huda, '.msg.in .text', 'fdp.exe', 'f', 'x')).toBe(true);
    expect(await huda.textContent('#transcript')).not.toContain('\u202E');

    // The bot's part folds away and comes back.
    const bot = huda.locator('.msg.bot').first();
    await huda.click('#toggle-bot');
    await bot.waitFor({ state: 'hidden' });
    expect(await huda.locator('.msg.in').first().isVisible()).toBe(true);
    await huda.click('#toggle-bot');
    await bot.waitFor({ state: 'visible' });
  }, 60_000);

  it('should show a photo, play a voice note and offer a document that a Telegram user sent', async () => {
    await markDocument(huda);
    noura.sendsFile('photo-1', tinyPng(), 'photo', { caption: 'صورة الهوية' });
    noura.sendsFile('voice-1', tinyOggOpus(1), 'voice');
    noura.sendsFile('report-1', tinyPdf(), 'document', { fileName: 'تقرير طبي.pdf', mime: 'application/pdf' });
    noura.sendsLocation(26.35935, 43.9685);

    // The photo, inline: a real image the browser decoded.
    await huda.waitForFunction(
      () => {
        const image = document.querySelector<PageImage>('#transcript img.thumb');
        return image?.complete === true && image.naturalWidth === 120;
      },
      undefined,
      { timeout: 15_000 },
    );
    expect(await huda.textContent('#transcript')).toContain('صورة الهوية');
    // Full size over the page, and closed again.
    await huda.click('#transcript a.photo');
    await huda.waitForFunction(() => {
      const image = document.querySelector<PageImage>('dialog.viewer[open] img');
      return image?.complete === true && image.naturalWidth === 120;
    });
    await huda.keyboard.press('Escape');
    await huda.waitForSelector('dialog.viewer', { state: 'detached' });

    // The voice note: its length read from the file, then played to the end.
    await huda.waitForSelector('#transcript audio', { timeout: 15_000 });
    await huda.waitForFunction(() => {
      const audio = document.querySelector<PageAudio>('audio');
      return audio !== null && audio.readyState >= 1; // HAVE_METADATA
    });
    const played = await huda.$eval('#transcript audio', async (audio: PageAudio) => {
      const ended = new Promise((resolve) => audio.addEventListener('ended', resolve, { once: true }));
      await audio.play();
      await ended;
      return { duration: audio.duration, at: audio.currentTime, error: audio.error?.message ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.duration).toBeGreaterThan(0.9);
    expect(played.at).toBeGreaterThan(0.9);

    // The document: its name and size, downloaded (never shown in the page).
    const file = huda.locator('#transcript a.file');
    await file.waitFor({ timeout: 15_000 });
    expect(await file.textContent()).toContain('تقرير طبي.pdf');
    expect(await file.textContent()).toContain(t('conversation.sizeKb', { count: 1 }));
    const headersOf = async (selector: string, attribute: string) =>
      (await huda.request.get(env.base + ((await huda.getAttribute(selector, attribute)) ?? ''))).headers();
    const pdf = await headersOf('#transcript a.file', 'href');
    expect(pdf['content-type']).toBe('application/pdf');
    expect(pdf['content-disposition']).toBe(
      `attachment; filename="_____ ___.pdf"; filename*=UTF-8''${encodeURIComponent('تقرير طبي.pdf')}`,
    );
    const photo = await headersOf('#transcript img.thumb', 'src');
    expect(photo['content-type']).toBe('image/png');
    expect(photo['content-disposition']).toMatch(/^inline;/);
    const voice = await headersOf('#transcript audio', 'src');
    expect(voice['content-type']).toBe('audio/ogg');
    expect(voice['content-disposition']).toMatch(/^inline;/);

    // A shared place: latitude then longitude, left to right, as a map reads them.
    const place = huda.locator('#transcript .place bdi');
    await place.waitFor({ timeout: 15_000 });
    expect(await place.textContent()).toBe('26.35935, 43.96850');
    expect(await leftOf(huda, '#transcript .place bdi', '26.35935, 43.96850', '2', '4')).toBe(true);
    expect(await huda.getAttribute('#transcript .place a', 'href')).toBe('geo:26.35935,43.96850');
    expect(await sameDocument(huda)).toBe(true);

    // Only for roles that take conversations: an administrator gets no file.
    const admin = new HttpClient(env.base);
    expect((await admin.login('admin', staffPassword)).status).toBe(303);
    const src = (await huda.getAttribute('#transcript img.thumb', 'src')) ?? '';
    expect((await admin.get(src)).status).toBe(403);
  }, 60_000);

  it('should send a reply with Ctrl+Enter without a reload, and the person receive it', async () => {
    await markDocument(huda);
    const words = 'أهلًا بك يا نورة، وصلني التقرير الطبي وسأرفعه لقسم البحث اليوم.';
    await huda.fill('#reply', words);
    await huda.press('#reply', 'Control+Enter');
    await noura.told(words);
    await huda.locator('.msg.staff', { hasText: words }).waitFor();
    expect(await huda.inputValue('#reply')).toBe('');
    expect(await inView(huda, '#reply-form')).toBe(true);
    expect(await sameDocument(huda)).toBe(true);
    await huda.screenshot({ path: `${screenshots}conversation-desktop.png` });
  }, 30_000);

  it('should keep the typed text when a send fails, and say why', async () => {
    const words = 'سنتواصل معك غدًا لتحديد موعد الزيارة الميدانية.';
    await huda.route('**/conversations/*/reply', (route) => route.abort('connectionfailed'));
    await huda.fill('#reply', words);
    await huda.press('#reply', 'Control+Enter');
    await huda.locator('#reply-error').waitFor({ state: 'visible' });
    expect(await huda.textContent('#reply-error')).toBe(t('errors.sendFailed'));
    expect(await huda.inputValue('#reply')).toBe(words);
    await huda.unroute('**/conversations/*/reply');

    // Even a reload keeps it; then it goes.
    await huda.reload();
    expect(await huda.inputValue('#reply')).toBe(words);
    await huda.click(`#reply-form button:has-text("${t('conversation.send')}")`);
    await noura.told(words);
    await huda.waitForFunction(() => document.querySelector<PageNode & { value: string }>('#reply')?.value === '');
  }, 30_000);

  it('should send the browser to the login when the session ends, and back to the same page after', async () => {
    const path = new URL(huda.url()).pathname;
    await huda.fill('#reply', 'مسودة لم تُرسل بعد');
    deleteSessionsOf(env.app.database.db, env.accounts.huda as number);
    await huda.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 });
    expect(new URL(huda.url()).searchParams.get('next')).toBe(path);
    await logIn(huda, 'huda');
    expect(new URL(huda.url()).pathname).toBe(path);
    expect(await huda.inputValue('#reply')).toBe('مسودة لم تُرسل بعد');
    await huda.fill('#reply', '');
  }, 30_000);

  it('should ask before closing a conversation, and close it only once confirmed', async () => {
    const close = huda.locator(`#controls button:has-text("${t('conversation.close')}")`);
    const looks = (selector: string) =>
      huda.$eval(selector, (b) => {
        const style = getComputedStyle(b);
        return `${style.backgroundColor} ${style.color} ${style.borderColor}`;
      });
    expect(await close.getAttribute('class')).toBe('danger');
    expect(await looks('#controls button.danger')).not.toBe(await looks('#reply-form button.primary'));

    const conversationId = findConversation(env.app.database.db, 'telegram', String(noura.id))?.id ?? 0;
    const posted: string[] = [];
    huda.on('request', (request) => {
      if (request.method() === 'POST') posted.push(new URL(request.url()).pathname);
    });
    let asked = '';
    huda.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await close.click();
    expect(asked).toBe(t('conversation.confirm.close'));
    expect(posted).not.toContain(`/conversations/${conversationId}/close`);
    expect(openHandoff(env.app.database.db, conversationId)?.status).toBe('claimed');

    huda.once('dialog', (dialog) => void dialog.accept());
    await Promise.all([huda.waitForURL(`${env.base}/queue`), close.click()]);
    await noura.told((ar('rating:ask') as string).split('؛')[0] as string, 'the rating question');
    expect(openHandoff(env.app.database.db, conversationId)).toBeUndefined();
  }, 30_000);

  it('should let every staff member change their own password, naming the real problem', async () => {
    await huda.click('#nav a[href="/password"]');
    await huda.waitForURL(`${env.base}/password`);
    await huda.fill('#current', 'not my password at all');
    await huda.fill('#new-password', 'a long new passphrase here');
    await huda.fill('#confirm', 'a long new passphrase here');
    await huda.click('main button[type=submit]');
    expect(await huda.textContent('main .error')).toBe(t('password.wrongCurrent'));
    await huda.fill('#current', staffPassword);
    await huda.fill('#new-password', 'a long new passphrase here');
    await huda.fill('#confirm', 'another long passphrase');
    await huda.click('main button[type=submit]');
    expect(await huda.textContent('main .error')).toBe(t('password.mismatch'));
  }, 30_000);
});

describe('staff console at phone width (390 px)', () => {
  /** The page fits the screen: nothing scrolls sideways. Then its picture for the README. */
  async function fits(page: Page, name: string): Promise<void> {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(scrollWidth, `${name} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
    await page.screenshot({ path: `${screenshots}${name}.png` });
  }

  it('should fit every page on a phone without sideways scrolling', async () => {
    const phone = { width: 390, height: 844 };
    const anonymous = await browser.newContext({ locale: 'ar-SA', viewport: phone });
    const login = await anonymous.newPage();
    await login.goto(`${env.base}/queue`);
    await fits(login, 'login-390');
    await anonymous.close();

    const officer = await staffWindow('huda', '/queue', phone);
    const page = officer.page;
    await page.locator('#rows tr[data-handoff]').first().waitFor();
    await fits(page, 'queue-390');
    // The header folds into a menu button.
    expect(await page.isVisible('#nav')).toBe(false);
    await page.click('#menu-button');
    await page.locator('#nav').waitFor({ state: 'visible' });
    await fits(page, 'menu-390');

    // An emergency, claimed and answered from the phone.
    await page.click('#rows a:has-text("فيصل")');
    await page.waitForURL(/\/conversations\/\d+$/);
    await page.click(`button:has-text("${t('conversation.claim')}")`);
    await page.waitForSelector('#reply');
    expect(await page.textContent('.msg.flag-emergency')).toContain(t('conversation.flags.emergency'));
    await page.fill('#reply', 'اتصل الآن بالرقم 997، وأنا معك هنا.');
    await page.press('#reply', 'Control+Enter');
    await faisal.told('اتصل الآن بالرقم 997');
    await page.locator('.msg.staff').waitFor();
    await fits(page, 'conversation-390');

    const conversationId = findConversation(env.app.database.db, 'telegram', String(noura.id))?.id;

    await page.goto(`${env.base}/beneficiaries?link=${conversationId}`);
    await page.fill('#b-name', 'نورة بنت عبدالله بن محمد العتيبي');
    await page.fill('#b-phone', '0501234567');
    await Promise.all([page.waitForURL(/\/beneficiaries\/\d+$/), page.click('form.stack button.primary')]);
    expect(await page.textContent('.facts')).toContain('+966 50 123 4567');
    await fits(page, 'beneficiary-390');
    await page.goto(`${env.base}/beneficiaries?q=${encodeURIComponent('نورة')}`);
    await fits(page, 'beneficiaries-390');

    await page.goto(`${env.base}/canned`);
    await page.fill('#canned-title', 'ترحيب');
    await page.fill('#canned-body', 'السلام عليكم، معك موظف علاقات المستفيدين في جمعية عطاء الصحية. كيف أخدمك؟');
    await Promise.all([page.waitForURL(`${env.base}/canned`), page.click('form.stack button.primary')]);
    await fits(page, 'canned-390');
    await page.goto(`${env.base}/password`);
    await fits(page, 'password-390');
    // In English, left to right, the same.
    await page.goto(`${env.base}/lang/en`);
    await page.goto(`${env.base}/queue?tab=claimed`);
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await page.locator('#rows tr[data-handoff]').first().waitFor();
    await fits(page, 'queue-390-en');
    await officer.context.close();

    const admin = await staffWindow('admin', '/accounts', phone);
    // A name already taken is refused in those words, not as some other problem.
    await admin.page.fill('#new-username', 'huda');
    await admin.page.fill('#new-name', 'هدى الثانية');
    await admin.page.click('form.stack button.primary');
    expect(await admin.page.textContent('main .error')).toBe(t('accounts.errors.taken'));
    await fits(admin.page, 'accounts-390');
    // A forgotten password: reset after asking, the new one shown once.
    let asked = '';
    admin.page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    const omar = admin.page.locator('tbody tr', { hasText: 'omar' });
    await Promise.all([admin.page.waitForURL(/\/reset$/), omar.locator('button.danger').first().click()]);
    expect(asked).toBe(t('accounts.confirmReset', { username: 'omar' }));
    expect(await admin.page.textContent('main .notice')).toContain(t('accounts.password', { username: 'omar' }));
    expect((await admin.page.textContent('code.secret'))?.length).toBeGreaterThanOrEqual(12);
    // (No picture of it: even a test's password does not belong in the docs.)
    expect(await admin.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await admin.context.close();

    const manager = await staffWindow('majed', '/audit', phone);
    await fits(manager.page, 'audit-390');
    await manager.context.close();
  }, 90_000);
});
