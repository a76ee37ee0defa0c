import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTicketCategories } from '../../src/db/tickets.ts';
import { seedReportData, weeksUntil } from '../db/reportSeed.ts';
import { type ConsoleSetup, consoleSetup } from './consoleHarness.ts';
import { ar, launchChromium, logIn } from './e2eHarness.ts';

/**
 * Issue 10's reports in Chromium: a manager opens the dashboard from the menu, sees its charts
 * drawn in the page (right to left, with no style attribute the CSP would block), and downloads
 * a table as CSV that a spreadsheet opens with its Arabic intact.
 */

/** The console's words, from its Arabic locale. */
const t = (key: string, params?: Record<string, unknown>) => ar(`console:${key}`, params) as string;

// ---- what the functions that run in the page see (the project's TypeScript lib has no DOM) ----
interface Box {
  left: number;
  right: number;
  width: number;
}
interface PageElement {
  getBoundingClientRect(): Box;
  getAttribute(name: string): string | null;
}
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): PageElement[] & { length: number };
};

let s: ConsoleSetup;
let browser: Browser;
let context: BrowserContext;
let majed: Page;
/** What the browser reported about the Content-Security-Policy while the test ran. */
const violations: string[] = [];

beforeAll(async () => {
  [s, browser] = await Promise.all([consoleSetup(), launchChromium()]);
  const { huda, rana, majed: manager } = s.accounts as Record<string, number>;
  seedReportData(s.app.database.db, { officer: huda!, researcher: rana!, manager: manager! }, weeksUntil(new Date()));
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  majed = await context.newPage();
  majed.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await majed.goto(`${s.base}/login`);
  await logIn(majed, 'majed');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('the reports in a browser', () => {
  it('should open from the menu with its charts drawn in the page, right to left', async () => {
    await Promise.all([majed.waitForURL(`${s.base}/reports`), majed.click(`#nav a:text("${t('nav.reports')}")`)]);
    expect(await majed.getAttribute('html', 'dir')).toBe('rtl');
    expect(await majed.textContent('h1')).toBe(ar('reports:heading'));
    expect(await majed.locator('svg.chart[role=img]').count()).toBe(7);
    expect(await majed.locator('#chart-satisfaction-channels rect.value').count()).toBe(2);
    // Each chart is named for screen readers, and says what each bar is when pointed at.
    expect(await majed.textContent('#chart-satisfaction-channels title')).toBe(
      ar('reports:tables.satisfaction-channels'),
    );
    const tip = await majed.textContent('#chart-satisfaction-channels rect.value title');
    expect(tip).toContain(t('channel.telegram'));

    // Right to left: a bar's label is on its right, inside the drawing, and its value on its left.
    const layout = await majed.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)?.getBoundingClientRect();
      const weeks = [...document.querySelectorAll('#chart-satisfaction-weekly rect.value')].map(
        (r) => r.getBoundingClientRect().left,
      );
      const axis = [...document.querySelectorAll('#chart-satisfaction-weekly text.axis')].map((r) =>
        r.getBoundingClientRect(),
      );
      return {
        chart: box('#chart-satisfaction-channels'),
        label: box('#chart-satisfaction-channels g.bar text'),
        bar: box('#chart-satisfaction-channels rect.value'),
        shown: box('#chart-satisfaction-channels g.bar text:last-child'),
        weekly: box('#chart-satisfaction-weekly'),
        weeks,
        axis,
      };
    });
    const [chart, label, bar, shown] = [layout.chart, layout.label, layout.bar, layout.shown] as [Box, Box, Box, Box];
    expect(bar.width).toBeGreaterThan(10);
    expect(label.left).toBeGreaterThanOrEqual(bar.right);
    expect(label.right).toBeLessThanOrEqual(chart.right);
    expect(shown.right).toBeLessThanOrEqual(bar.left);
    expect(shown.left).toBeGreaterThanOrEqual(chart.left);
    // The axis's values stand inside the drawing, on its right.
    expect(layout.axis).toHaveLength(3);
    for (const value of layout.axis) {
      expect(value.left).toBeGreaterThanOrEqual(layout.weeks[0] ?? 0);
      expect(value.right).toBeLessThanOrEqual((layout.weekly as Box).right);
    }
    // Time runs from the right: the oldest week's column is the rightmost.
    expect(layout.weeks.length).toBe(12);
    expect(layout.weeks[0]).toBeGreaterThan(layout.weeks.at(-1) ?? Number.POSITIVE_INFINITY);
    expect(violations).toEqual([]);
  }, 30_000);

  it('should download a table as CSV that keeps its Arabic, with a byte-order mark for Excel', async () => {
    const [download] = await Promise.all([majed.waitForEvent('download'), majed.click('#complaints-categories a.csv')]);
    expect(download.suggestedFilename()).toMatch(/^complaints-categories-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path()) as string);
    // The seeded complaints of the last twelve weeks, per category in the console's order.
    const counts: Record<string, string> = {
      service: '1,1,0,0',
      delay: '2,1,1,100',
      staffConduct: '1,0,0,',
      aidQuality: '0,0,0,',
      channels: '0,0,0,',
      other: '1,1,0,0',
    };
    const header = ['category', 'received', 'resolved', 'inTime', 'inTimeShare']
      .map((c) => ar(`reports:col.${c}`))
      .join(',');
    const rows = listTicketCategories(s.app.database.db, true).map((c) => `${c.nameAr},${counts[c.code]}`);
    const expected = Buffer.from(`\uFEFF${[header, ...rows].join('\r\n')}\r\n`, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.equals(expected)).toBe(true);
    // «التصنيف» as UTF-8, straight after the mark: Arabic intact, not transcoded.
    expect([...bytes.subarray(3, 7)]).toEqual([0xd8, 0xa7, 0xd9, 0x84]);
  }, 30_000);

  it('should fit a phone without sideways scrolling', async () => {
    await majed.setViewportSize({ width: 390, height: 800 });
    await majed.reload();
    const fits = await majed.evaluate(
      () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
    );
    expect(fits).toBe(true);
    expect(violations).toEqual([]);
  }, 30_000);
});
