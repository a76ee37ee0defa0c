import { describe, expect, it } from 'vitest';
import { auditLog, missedMessages } from '../../src/db/schema.ts';
import { ar, browserTests, consoleWithTelegram } from './e2eHarness.ts';

const t = (key: string) => ar(`console:${key}`) as string;

const { cleanups, loggedInPage } = browserTests();

/** The assistant on a fake Bot API, the console, and a logged-in page per staff member. */
async function setup() {
  const world = await consoleWithTelegram();
  cleanups.push(() => world.close());
  const pageFor = (username: string) => loggedInPage(world.base, username);
  return { ...world, pageFor };
}

const user = 555000444;
/** Words no phrase of the assistant's has (as a new dialect word would be), with a number in them. */
const missed = 'زقمبيل فرنقع ٤٥٦٧';

describe('Missed questions in the console (headless Chromium)', () => {
  it('should show a manager what was not understood, without its numbers, and learn it when taught', async () => {
    const { api, app, pageFor } = await setup();
    api.userSends(user, 'السلام عليكم');
    await api.waitFor(() => api.texts(user).length === 1, 10_000, 'the privacy notice');
    api.userSends(user, 'أوافق');
    await api.waitFor(() => api.texts(user).length === 2, 10_000, 'the menu');
    api.userSends(user, missed);
    await api.waitFor(() => api.texts(user).length === 3, 10_000, 'the clarifying question');
    expect(api.texts(user).at(-1)).toContain('لم يتضح لي طلبك');

    // An officer has no such page.
    const officer = await pageFor('huda');
    expect(await officer.locator(`nav a:has-text("${t('nav.understanding')}")`).count()).toBe(0);

    const page = await pageFor('majed');
    await page.click(`nav a:has-text("${t('nav.understanding')}")`);
    const row = page.locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('زقمبيل فرنقع #');
    expect(await page.content()).not.toContain('٤٥٦٧');
    await row.locator('select').selectOption('followUp');
    await row.locator('button').click();
    await page.waitForURL(/\/understanding$/);
    expect(await page.locator('h2').textContent()).toBe(t('understanding.taught'));
    expect(app.database.db.select().from(missedMessages).all()[0]?.intent).toBe('followUp');
    expect(
      app.database.db
        .select()
        .from(auditLog)
        .all()
        .map((a) => a.action),
    ).toContain('teach');

    // The same words now lead to the follow-up.
    api.userSends(user, 'القائمة');
    await api.waitFor(() => api.texts(user).length === 4, 10_000, 'the menu again');
    api.userSends(user, 'زقمبيل فرنقع');
    await api.waitFor(() => api.texts(user).length === 5, 10_000, 'the follow-up');
    expect(api.texts(user).at(-1)).not.toContain('لم يتضح لي طلبك');
  });
});
