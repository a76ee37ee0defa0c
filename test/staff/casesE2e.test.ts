import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { findCaseByReference, listAidTypes, listDocumentTypes } from '../../src/db/cases.ts';
import { createStaffUser } from '../../src/db/staff.ts';
import { hashPassword } from '../../src/staff/auth.ts';
import type { SentMessage } from '../telegram/fakeBotApi.ts';
import {
  ar,
  consoleWithTelegram,
  launchChromium,
  logIn,
  staffPassword,
  TelegramPerson,
  tinyPng,
} from './e2eHarness.ts';

/**
 * Issue 9, end to end: a beneficiary applies for aid entirely in a Telegram chat; a researcher
 * in headless Chromium starts the review and asks for a missing medical report; the beneficiary
 * is told, follows the request up and sends a photo of it; the researcher reloads the case and
 * sees it back under research with the photo inline. Every word pressed or expected comes from
 * the locales or the catalogue.
 */

/** The console's and the bot's own words, from the Arabic locales. */
const t = (key: string, params?: Record<string, unknown>) => ar(key, params) as string;
/** The fixed words of a message before its first placeholder (what every instance of it says). */
const opening = (key: string) => t(key).split('{{')[0]?.trim() ?? '';

// ---- what the functions that run in the page see (the project's TypeScript lib has no DOM) ----
interface PageImage {
  complete: boolean;
  naturalWidth: number;
}
declare const document: { querySelector<T>(selector: string): T | null };

let env: Awaited<ReturnType<typeof consoleWithTelegram>>;
let browser: Browser;
let sara: TelegramPerson;
/** The width of the photo Sara sends: the browser must decode it to exactly this. */
const photoWidth = 120;
/** Rana, a researcher of the research department, in one browser tab. */
let rana: Page;

beforeAll(async () => {
  [env, browser] = await Promise.all([consoleWithTelegram(), launchChromium()]);
  createStaffUser(env.app.database.db, {
    username: 'rana',
    displayName: 'رنا الباحثة',
    role: 'researcher',
    passwordHash: await hashPassword(staffPassword),
  });
  sara = new TelegramPerson(env.api, 7101, 'سارة الحربي');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await env?.close();
});

/** Where the test has read Sara's chat up to: each question is awaited from the last one found on. */
let read = 0;

/**
 * Resolves with the first message to Sara, from the last one found on, that contains `text`
 * (the bot's next question; one message may carry two, as the intro and the first question).
 * On a timeout, the error shows what she was sent last.
 */
async function botSays(text: string, what = `«${text.slice(0, 60)}»`): Promise<SentMessage> {
  const mine = () => env.api.sent.filter((m) => m.chat_id === String(sara.id));
  const find = () => mine().findIndex((m, i) => i >= read && m.text.includes(text));
  try {
    await env.api.waitFor(() => find() >= 0, 15_000, what);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nLast sent to her: «${mine().at(-1)?.text ?? ''}»`);
  }
  read = find();
  return mine()[read] as SentMessage;
}

/** The catalogue as the association configured it: the names the bot and the console show. */
function catalogue() {
  const db = env.app.database.db;
  const documents = listDocumentTypes(db).filter((d) => d.required);
  const report = documents.find((d) => d.code === 'medicalReport');
  const [aidType] = listAidTypes(db);
  const [city] = loadConfig({}).cities;
  if (!report || !aidType || !city) throw new Error('The default catalogue has no medical report, aid type or city.');
  return { documents, report, aidType, city: city.names.ar };
}

describe('a missing document asked for in the console and sent in the chat (issue 9)', () => {
  let reference = '';

  it('should take an aid request entirely in a Telegram chat and give its reference', async () => {
    const { documents, aidType, city } = catalogue();
    await sara.reachesTheMenu();
    await sara.presses(t('root:menu.aid'));
    await botSays(opening('aid:intro'));
    await botSays(t('aid:ask.healthConsent'));
    await sara.presses(t('aid:option.agree'));
    await botSays(t('aid:ask.name'));
    sara.says('سارة محمد الحربي');
    await botSays(t('aid:ask.nationalId'));
    sara.says('1234567897');
    await botSays(opening('aid:ask.phone'));
    sara.says('0501234567');
    await botSays(t('aid:ask.city'));
    await sara.presses(city);
    await botSays(t('aid:ask.householdSize'));
    sara.says('٥');
    await botSays(opening('aid:ask.income'));
    sara.says('٢٥٠٠');
    await botSays(t('aid:ask.aidType'));
    await sara.presses(aidType.nameAr);
    await botSays(t('aid:ask.description'));
    sara.says('والدتي مصابة بشلل نصفي وتحتاج سريرًا طبيًا');
    // One question per required document; none is at hand yet.
    for (const document of documents) {
      await botSays(document.nameAr, `the question for «${document.nameAr}»`);
      await sara.presses(t('aid:option.later'));
    }
    await botSays(opening('aid:summary.self'));
    await sara.presses(t('aid:option.submit'));
    const submitted = await botSays(opening('aid:submitted'));
    reference = /A-\d{2}-\d{5}-\d/.exec(submitted.text)?.[0] ?? '';
    expect(reference).not.toBe('');
    expect(findCaseByReference(env.app.database.db, reference)?.stage).toBe('submitted');
  }, 40_000);

  it('should let a researcher start the review in Chromium and ask for the missing medical report', async () => {
    const { report } = catalogue();
    const context = await browser.newContext({ locale: 'ar-SA', viewport: { width: 1280, height: 800 } });
    rana = await context.newPage();
    await rana.goto(`${env.base}/cases`);
    expect(new URL(rana.url()).pathname).toBe('/login');
    await logIn(rana, 'rana');
    expect(new URL(rana.url()).pathname).toBe('/cases');

    await Promise.all([rana.waitForURL(/\/cases\/\d+$/), rana.click(`a:has-text("${reference}")`)]);
    expect(await rana.textContent('h1')).toContain(t('cases:console.stage.submitted'));
    expect(await rana.textContent('dl.answers')).toContain('سارة محمد الحربي');

    const start = t('cases:console.to.under_research');
    await rana.click(`form.move button:has-text("${start}")`);
    await rana.locator('h1', { hasText: t('cases:console.stage.under_research') }).waitFor();

    const ask = rana.locator('form.move', { hasText: t('cases:console.to.incomplete') });
    await ask.locator('label.check', { hasText: report.nameAr }).locator('input[type=checkbox]').check();
    await ask.locator('button').click();
    await rana.locator('h1', { hasText: t('cases:console.stage.incomplete') }).waitFor();
    expect(await rana.textContent('ul.documents')).toContain(t('cases:console.document.missing'));
  }, 30_000);

  it('should tell the applicant what is missing, and attach the photo she sends from «متابعة طلب»', async () => {
    const { report } = catalogue();
    const notice = await botSays(opening('cases:notify.incomplete'), 'the notice of the missing documents');
    expect(notice.text).toContain(reference);
    expect(notice.text).toContain(report.nameAr);

    // The menu sent after her request is still on screen: she presses «متابعة طلب» there.
    await sara.presses(t('root:menu.followUp'));
    await botSays(t('followUp:sendMissing', { reference, document: report.nameAr }));
    sara.sendsFile('report-photo', tinyPng(photoWidth, 80), 'photo');
    await botSays(t('followUp:attachedAll', { reference }));
    expect(findCaseByReference(env.app.database.db, reference)?.stage).toBe('under_research');
  }, 30_000);

  it('should show the researcher, after a reload, the case back under research with the photo inline', async () => {
    const { report } = catalogue();
    await rana.reload();
    expect(await rana.textContent('h1')).toContain(t('cases:console.stage.under_research'));
    // The document that came with a file (the request's own «later» line for it is listed too).
    const item = rana.locator('ul.documents li', { hasText: report.nameAr, has: rana.locator('img.thumb') });
    expect(await item.textContent()).toContain(t('cases:console.document.received'));
    // The thumbnail loads lazily: bring it into view, then wait until the browser decoded it.
    const thumb = item.locator('img.thumb');
    await thumb.scrollIntoViewIfNeeded();
    const src = (await thumb.getAttribute('src')) ?? '';
    expect(src).toMatch(/^\/media\/\d+$/);
    await rana.waitForFunction(
      ([selector, width]) => {
        const image = document.querySelector<PageImage>(selector);
        return image?.complete === true && image.naturalWidth === width;
      },
      [`ul.documents img.thumb[src="${src}"]`, photoWidth] as const,
      { timeout: 10_000 },
    );
    // The history says who moved it back: the applicant (or the system), from waiting to research.
    const back = rana.locator('ol.history li', {
      hasText: `${t('cases:console.stage.incomplete')} ← ${t('cases:console.stage.under_research')}`,
    });
    expect(await back.textContent()).toContain(t('cases:console.byApplicant'));
  }, 30_000);
});
