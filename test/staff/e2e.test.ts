import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { hashPassword } from '../../src/staff/auth.ts';
import { memoryLogger, tempDir } from '../helpers.ts';
import { FakeBotApi } from '../telegram/fakeBotApi.ts';

/** Debian's Chromium, as FACTS.md says: installed by `.ci/run` with apt-get. */
const chromiumPath = '/usr/bin/chromium';
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: flags });
});
afterAll(async () => {
  await browser?.close();
});

describe('handoff end to end: Telegram beneficiary ↔ staff console in headless Chromium', () => {
  it('should queue, claim, relay the reply to Telegram, close, and bring the person back to rate', async () => {
    const api = await new FakeBotApi().start();
    const temp = tempDir();
    const config = loadConfig({
      DATA_DIR: temp.dir,
      STAFF_PORT: '0',
      ...api.env(),
    });
    const app: App = await startApp(config, memoryLogger().logger);
    const page = await browser.newPage({ locale: 'ar-SA' });
    try {
      createStaffUser(app.database.db, {
        username: 'huda',
        displayName: 'هدى',
        role: 'officer',
        passwordHash: await hashPassword('correct horse battery'),
      });
      const address = app.http.server.address() as { port: number };
      const base = `http://127.0.0.1:${address.port}`;
      const user = 4242;

      // Staff logs in and opens the queue before anyone waits.
      await page.goto(`${base}/queue`);
      expect(page.url()).toBe(`${base}/login?next=%2Fqueue`);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      await page.fill('#username', 'huda');
      await page.fill('#password', 'correct horse battery');
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(page.url()).toBe(`${base}/queue`);
      expect(await page.textContent('#rows')).toContain('لا توجد محادثات');

      // A beneficiary on Telegram asks for a person.
      api.userSends(user, '/start');
      await api.waitFor(() => api.texts(user).length === 1);
      api.userPresses(user, 'العربية');
      await api.waitFor(() => api.texts(user).some((t) => t.includes('هل توافق')));
      api.userPresses(user, 'أوافق');
      await api.waitFor(() => api.texts(user).some((t) => t.includes('كيف أقدر أخدمك')));
      api.userSends(user, 'ابي اكلم موظف');
      await api.waitFor(() => api.texts(user).some((t) => t.includes('ترتيبك في قائمة الانتظار: 1')));

      // The queue shows it without a reload.
      const row = page.locator('#rows tr[data-handoff]');
      await row.waitFor({ timeout: 15_000 });
      expect(await row.textContent()).toContain('تيليجرام');
      await row.locator('a').click();
      await page.waitForURL(/\/conversations\/\d+$/);
      expect(await page.textContent('section[aria-label=transcript]')).toContain('ابي اكلم موظف');

      await Promise.all([page.waitForNavigation(), page.click('button:has-text("استلام المحادثة")')]);
      await page.waitForSelector('#reply');
      await api.waitFor(() => api.texts(user).some((t) => t.includes('انضم إليك أحد موظفي')));
      api.userSends(user, 'عندي استفسار عن موعد الصرف');
      await page.fill('#reply', 'أهلًا بك، معك هدى من علاقات المستفيدين. سيُصرف الطلب الأحد القادم.');
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("إرسال")')]);
      await api.waitFor(() => api.texts(user).some((t) => t.includes('معك هدى من علاقات المستفيدين')));
      await page.reload();
      expect(await page.textContent('section[aria-label=transcript]')).toContain('عندي استفسار عن موعد الصرف');

      await Promise.all([page.waitForURL(`${base}/queue`), page.click('button:has-text("إنهاء المحادثة")')]);
      await api.waitFor(() => api.texts(user).some((t) => t.includes('نرجو تقييم الخدمة')));
      expect(api.texts(user).at(-1)).toContain('انتهت المحادثة مع الموظف');
      api.userPresses(user, 'ممتاز');
      await api.waitFor(() => api.texts(user).at(-1)?.includes('كيف أقدر أخدمك') === true);
      expect(api.texts(user).at(-1)).toContain('شكرًا لتقييمك');
    } finally {
      await page.close();
      await app.stop();
      await api.stop();
      temp.remove();
    }
  });
});
