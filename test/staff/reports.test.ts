import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n.ts';
import { reportTableIds } from '../../src/staff/views/reports.ts';
import { comments, seedPeople, seedReportData, weeksUntil } from '../db/reportSeed.ts';
import { beneficiaryAsksForStaff, type ConsoleSetup, consoleSetups } from './consoleHarness.ts';

const i18n = createI18n();
const t = i18n.getFixedT('ar', 'console');
const setup = consoleSetups();

/** A console with the seeded month moved to end this week. */
async function withReports(): Promise<ConsoleSetup> {
  const s = await setup();
  const { huda, rana, majed } = s.accounts as Record<string, number>;
  seedReportData(s.app.database.db, { officer: huda!, researcher: rana!, manager: majed! }, weeksUntil(new Date()));
  return s;
}

/** Says something in the terminal chat `chatId`, as the person. */
const says = (s: ConsoleSetup, chatId: string, text: string) =>
  s.app.engine.handle({ channel: 'console', chatId, messageId: randomUUID(), kind: 'text', text });

describe('reports: who may see them', () => {
  it('should show the reports to managers only, with a link in their menu', async () => {
    const s = await withReports();
    for (const username of ['huda', 'rana', 'admin']) {
      const browser = await s.loggedIn(username);
      expect((await browser.get('/reports')).status, username).toBe(403);
      expect((await browser.get('/reports/csv/rating-comments')).status, username).toBe(403);
      expect(await (await browser.get('/password')).text()).not.toContain('href="/reports"');
    }
    const majed = await s.loggedIn('majed');
    const page = await majed.get('/reports');
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(`<a href="/reports">${t('nav.reports')}</a>`);
    expect(body).toContain(t('reports:heading'));
    expect((body.match(/<svg class="chart"/g) ?? []).length).toBe(7);
    for (const id of reportTableIds) expect(body).toContain(`href="/reports/csv/${id}?weeks=12"`);
    expect(body).not.toMatch(/\sstyle=/);
  });
});

describe('reports: anonymity of ratings', () => {
  it('should give managers the comments, but never who wrote them or whose work they were about', async () => {
    const s = await withReports();
    const majed = await s.loggedIn('majed');
    const page = await (await majed.get('/reports?weeks=12')).text();
    expect(page).toContain(comments.kind);
    const csv = Buffer.from(await (await majed.get('/reports/csv/rating-comments?weeks=12')).arrayBuffer()).toString(
      'utf8',
    );
    expect(csv).toContain(comments.kind);
    for (const shown of [page, csv]) {
      for (const person of seedPeople) {
        expect(shown).not.toContain(person.name);
        expect(shown).not.toContain(person.phone);
        expect(shown).not.toContain(person.chat);
      }
      // Staff appear as teams, never by name.
      expect(shown).not.toContain('>huda<');
      expect(shown).not.toContain('rana');
    }
  });

  it('should never show the staff member who was rated the answer, or the comment, in the conversation', async () => {
    const s = await setup();
    const id = await beneficiaryAsksForStaff(s.app, 'rater');
    const huda = await s.loggedIn('huda');
    const csrf = await huda.csrf();
    await huda.post(`/conversations/${id}/claim`, { _csrf: csrf });
    await huda.post(`/conversations/${id}/reply`, { _csrf: csrf, text: 'أهلًا، كيف أخدمك؟' });
    await huda.post(`/conversations/${id}/close`, { _csrf: csrf });
    await says(s, 'rater', 'سيء');
    await says(s, 'rater', 'الموظفة تأخرت في الرد علي');
    await s.app.engine.idle();

    const conversation = await (await huda.get(`/conversations/${id}`)).text();
    expect(conversation).not.toContain('الموظفة تأخرت في الرد علي');
    expect(conversation).not.toContain('>سيء<');
    expect(conversation.split(i18n.t('rating:console.hidden', { lng: 'ar' })).length - 1).toBe(2);
    const closed = await (await huda.get('/queue?tab=closed')).text();
    expect(closed).not.toContain('الموظفة تأخرت');
    expect(closed).not.toContain('>سيء<');

    // The manager reads it, in aggregate and without a name.
    const majed = await s.loggedIn('majed');
    const report = await (await majed.get('/reports')).text();
    expect(report).toContain('الموظفة تأخرت في الرد علي');
    expect(report).not.toContain('rater');
  });
});

describe('reports: CSV downloads', () => {
  it('should send each table as UTF-8 with a BOM, Arabic intact, with its type and file name', async () => {
    const s = await withReports();
    const majed = await s.loggedIn('majed');
    const response = await majed.get('/reports/csv/satisfaction-channels?weeks=12');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="satisfaction-channels-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = [
      t('reports:col.channel'),
      t('reports:col.rated'),
      t('reports:col.satisfied'),
      t('reports:col.share'),
    ].join(',');
    expect(bytes.subarray(3, 3 + Buffer.byteLength(header)).equals(Buffer.from(header, 'utf8'))).toBe(true);
    const lines = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3)).split('\r\n');
    expect(lines[0]).toBe(header);
    expect(lines.at(-1)).toBe('');
    // Numbers in Latin digits for the spreadsheet; shares in percent.
    expect(lines).toContain(`${t('channel.whatsapp')},3,1,33.3`);
  });

  it('should keep a comment a spreadsheet would run as a formula as text, and refuse unknown tables', async () => {
    const s = await withReports();
    const majed = await s.loggedIn('majed');
    const csv = await (await majed.get('/reports/csv/rating-comments?weeks=12')).text();
    expect(csv).toContain(`"'${comments.formula.replaceAll('"', '""')}"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    expect((await majed.get('/reports/csv/passwords')).status).toBe(404);
  });

  it('should write every view and download in the audit log', async () => {
    const s = await withReports();
    const majed = await s.loggedIn('majed');
    await majed.get('/reports?weeks=4');
    await majed.get('/reports/csv/handoff-times?weeks=4');
    const audit = await (await majed.get('/audit')).text();
    expect(audit).toContain(t('audit.actions.export'));
    expect(audit).toContain(t('audit.objects.report'));
  });
});
