import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listAidTypes } from '../../src/db/cases.ts';
import { recordConsent } from '../../src/db/consents.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { listDataRequests } from '../../src/db/dataRequests.ts';
import { auditLog, cases } from '../../src/db/schema.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { createEffects, effectSettingsOf } from '../../src/desks/effects.ts';
import { hashPassword } from '../../src/staff/auth.ts';
import { config } from '../helpers.ts';
import { ar, browserTests, consoleWithTelegram, staffPassword } from './e2eHarness.ts';

const t = (key: string, params: Record<string, unknown> = {}) => ar(key, params) as string;

const { cleanups, loggedInPage } = browserTests();

/** The assistant on a fake Bot API, the console, a researcher too, and a logged-in page per staff member. */
async function setup() {
  const world = await consoleWithTelegram();
  cleanups.push(() => world.close());
  createStaffUser(world.app.database.db, {
    username: 'reem',
    displayName: 'ريم',
    role: 'researcher',
    passwordHash: await hashPassword(staffPassword),
  });
  const pageFor = (username: string) => loggedInPage(world.base, username);
  return { ...world, pageFor };
}

const user = 555000777;
/** The need, as the applicant wrote it: a health detail. */
const need = 'والدتي مريضة سكري ولا تستطيع المشي وتحتاج كرسيًا متحركًا';

describe('Health details and data requests in the console (headless Chromium)', () => {
  it('should hide an application’s need from an officer and show it to a researcher (audited), and let a manager finish an erasure', async () => {
    const { api, app, base, pageFor } = await setup();
    const db = app.database.db;
    let count = 0;
    const send = async (text: string, what: string) => {
      count = api.texts(user).length;
      api.userSends(user, text);
      await api.waitFor(() => api.texts(user).length > count, 10_000, what);
    };
    await send('السلام عليكم', 'the privacy notice');
    await send('أوافق', 'the menu');
    await send(need, 'an answer to the need');
    // Submitted as the application's last step would (the effect marks the need in the chat).
    const conversation = findConversation(db, 'telegram', String(user))!;
    const effects = createEffects(effectSettingsOf(config));
    recordConsent(db, conversation.id, 'given', 1, 'health');
    const submitted = db.transaction((tx) =>
      effects['case.submit'](
        {
          name: 'case.submit',
          answers: {
            name: 'فاطمة علي القحطاني',
            nationalId: '1234567897',
            phone: '+966501234567',
            city: 'buraydah',
            householdSize: 5,
            income: '3000',
            aidTypeId: String(listAidTypes(tx)[0]?.id),
            description: need,
            documents: [],
            healthConsent: true,
            declaration: true,
          },
        },
        { tx, conversation, now: new Date(), setLocale: () => {} },
      ),
    ) as { caseId: number };
    await send('موظف', 'the queue');

    // An officer: the case and the conversation without the need.
    const officer = await pageFor('huda');
    await officer.goto(`${base}/cases/${submitted.caseId}`);
    expect(await officer.content()).not.toContain('سكري');
    expect(await officer.locator('main').textContent()).toContain(t('privacy:console.healthHidden'));
    await officer.goto(`${base}/conversations/${conversation.id}`);
    expect(await officer.locator('main').textContent()).toContain(t('privacy:console.healthHidden'));
    expect(await officer.content()).not.toContain('سكري');
    // Nor the data requests.
    expect(await officer.locator(`nav a:has-text("${t('console:nav.privacy')}")`).count()).toBe(0);
    expect((await officer.goto(`${base}/privacy`))?.status()).toBe(403);

    // A researcher: the need and the health consent, and the audit says health details were shown.
    const researcher = await pageFor('reem');
    await researcher.goto(`${base}/cases/${submitted.caseId}`);
    expect(await researcher.locator('main').textContent()).toContain(need);
    expect(await researcher.locator('main').textContent()).toContain(t('privacy:console.healthConsent'));
    const views = db.select().from(auditLog).where(eq(auditLog.objectType, 'case')).all();
    expect(views.map((v) => [v.action, v.details])).toEqual([
      ['view', { health: false }],
      ['view', { health: true }],
    ]);

    // The person leaves the queue and asks to erase their data, proving it with the ID's digits.
    await send('القائمة', 'leaving the queue?');
    await send('نعم', 'the menu');
    await send('احذف بياناتي', 'what erasure does');
    await send('نعم', 'the ID question');
    await send('٧٨٩٧', 'the erasure');
    expect(api.texts(user).at(-1)).toContain('D-00001');
    expect(db.select().from(cases).where(eq(cases.id, submitted.caseId)).get()?.description).toBe('—');

    // A manager finds it with its date, and completes it; the person is told.
    const manager = await pageFor('majed');
    await manager.click(`nav a:has-text("${t('console:nav.privacy')}")`);
    const row = manager.locator('tbody tr').first();
    await expect.poll(() => row.textContent()).toContain('D-00001');
    expect(await row.textContent()).toContain(t('privacy:console.kind.erasure'));
    await row.locator('a').click();
    await manager.fill('textarea[name=note]', 'لا يوجد ملف ورقي');
    manager.once('dialog', (dialog) => void dialog.accept());
    await manager.click(`button:has-text("${t('privacy:console.complete')}")`);
    await manager.waitForURL(/\/privacy\/\d+$/);
    await expect.poll(() => manager.locator('h1').textContent()).toContain(t('privacy:console.status.done'));
    expect(listDataRequests(db, { status: 'done' }).map((r) => r.kind)).toEqual(['erasure']);
    await api.waitFor(() => api.texts(user).at(-1)?.includes('اكتمل طلب حذف بياناتك') === true, 10_000, 'the notice');
    const actions = db
      .select()
      .from(auditLog)
      .all()
      .map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['privacy.erase', 'privacy.complete']));
  }, 90_000);
});
