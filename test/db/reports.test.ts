import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../src/db/client.ts';
import { readReport, reportWindow } from '../../src/db/reports.ts';
import { median, percentile } from '../../src/domain/stats.ts';
import { config, tempDir } from '../helpers.ts';
import { comments, reportNow, seedReportData } from './reportSeed.ts';

const opened: { database: OpenDatabase; remove: () => void }[] = [];
afterEach(() => {
  for (const { database, remove } of opened.splice(0)) {
    database.close();
    remove();
  }
});

/** The seeded month, reported over its last four weeks. */
function seeded() {
  const temp = tempDir();
  const database = openDatabase(join(temp.dir, 'reports.db'));
  opened.push({ database, remove: temp.remove });
  seedReportData(database.db);
  return readReport(database.db, reportWindow(reportNow, 4, config.org.timeZone), config.org);
}

describe('median and percentile', () => {
  it('should take the mean of the two middle values, and the nearest rank for the 90th percentile', () => {
    expect(median([30, 3, 15, 10])).toBe(12.5);
    expect(median([3, 10, 15])).toBe(10);
    expect(percentile([30, 3, 15, 10], 90)).toBe(30);
    // Of ten values the 90th percentile is the ninth smallest.
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(median([])).toBeNull();
    expect(percentile([], 90)).toBeNull();
  });
});

describe('the managers’ report, counted by hand from the seeded month', () => {
  it('should cover the last four whole weeks, from Sunday, up to now', () => {
    const { window } = seeded();
    expect(window.weeks).toEqual(['2026-11-01', '2026-11-08', '2026-11-15', '2026-11-22']);
    expect(window.from).toEqual(new Date('2026-10-31T21:00:00Z'));
    expect(window.days).toHaveLength(25);
  });

  it('should count satisfaction as the share of 4 and 5 among the ratings given', () => {
    const { satisfaction } = seeded();
    // Given in the window: 5, 2, 4 (week of 22 Nov), 5 (FAQ, 15 Nov), 1 (FAQ), 3 (8 Nov); the
    // rating of 30 October is outside; a skip and an unanswered question are not ratings.
    expect(satisfaction.overall).toEqual({ rated: 6, satisfied: 3 });
    expect(satisfaction.byWeek).toEqual([
      { week: '2026-11-01', rated: 0, satisfied: 0 },
      { week: '2026-11-08', rated: 2, satisfied: 0 },
      { week: '2026-11-15', rated: 1, satisfied: 1 },
      { week: '2026-11-22', rated: 3, satisfied: 2 },
    ]);
    expect(satisfaction.byChannel).toEqual([
      { channel: 'telegram', rated: 3, satisfied: 2 },
      { channel: 'whatsapp', rated: 3, satisfied: 1 },
    ]);
    expect(satisfaction.byService).toEqual([
      { subject: 'handoff', rated: 2, satisfied: 1 },
      { subject: 'ticket', rated: 0, satisfied: 0 },
      { subject: 'case', rated: 2, satisfied: 1 },
      { subject: 'faq', rated: 2, satisfied: 1 },
    ]);
    // By the team of the staff member whose work it was (FAQ answers: nobody's).
    expect(satisfaction.byTeam).toEqual([
      { team: 'officer', rated: 3, satisfied: 2 },
      { team: 'researcher', rated: 1, satisfied: 0 },
      { team: 'manager', rated: 0, satisfied: 0 },
      { team: 'none', rated: 2, satisfied: 1 },
    ]);
  });

  it('should count the response to rating requests, FAQ answers aside (nobody asked for those)', () => {
    const { response } = seeded();
    expect(response).toEqual([
      { subject: 'handoff', asked: 3, answered: 2, skipped: 0 },
      { subject: 'ticket', asked: 1, answered: 0, skipped: 1 },
      { subject: 'case', asked: 2, answered: 2, skipped: 0 },
    ]);
  });

  it('should list the comments newest first, with the week, the service and the channel only', () => {
    const report = seeded();
    expect(report.comments).toEqual([
      { week: '2026-11-22', subject: 'handoff', channel: 'telegram', score: 5, comment: comments.kind },
      { week: '2026-11-22', subject: 'handoff', channel: 'whatsapp', score: 2, comment: comments.formula },
    ]);
  });

  it('should time the first staff reply after the claim in working minutes, and count who waits now', () => {
    const { handoffs } = seeded();
    // Replies after 10, 30, 15 (10 before closing, 5 after opening) and 3 working minutes:
    // sorted 3, 10, 15, 30 → median (10 + 15) / 2, 90th percentile the 4th of 4.
    expect(handoffs).toMatchObject({
      answered: 4,
      medianMinutes: 12.5,
      p90Minutes: 30,
      waitingNow: 1,
      withStaffNow: 1,
    });
    const handled = handoffs.byDay.filter((d) => d.handled > 0);
    expect(handled).toEqual([
      { day: '2026-11-16', handled: 1 },
      { day: '2026-11-17', handled: 1 },
      { day: '2026-11-22', handled: 1 },
      { day: '2026-11-23', handled: 1 },
    ]);
    expect(handoffs.byDay[0]).toEqual({ day: '2026-11-01', handled: 0 });
  });

  it('should count requests by stage, decisions by their answer date, and the overdue ones', () => {
    const { cases } = seeded();
    expect(Object.fromEntries(cases.byStage.map((s) => [s.stage, s.count]))).toEqual({
      submitted: 1,
      under_research: 1,
      incomplete: 0,
      field_visit: 0,
      management_review: 1,
      approved: 2,
      rejected: 1,
      registered: 0,
      served: 1,
      closed: 0,
    });
    // Decided in the window: approved 10 Nov (due 16), rejected 20 Nov (due 17), approved 2 Nov
    // (due 3); the approval of 10 September is outside. Overdue: under research since 5 Nov
    // (due 19) and with management since 1 October (due 15).
    expect(cases).toMatchObject({ decided: 3, decidedInTime: 2, overdueNow: 2 });
  });

  it('should count complaints by category, resolved on time, and open now (a suggestion is not one)', () => {
    const { complaints } = seeded();
    expect(complaints.byCategory.map((c) => [c.code, c.received, c.resolved, c.resolvedInTime])).toEqual([
      ['service', 1, 1, 0],
      ['delay', 2, 1, 1],
      ['staffConduct', 1, 0, 0],
      ['aidQuality', 0, 0, 0],
      ['channels', 0, 0, 0],
      ['other', 0, 1, 0],
    ]);
    expect(complaints.byCategory[1]?.names).toEqual({ ar: 'التأخير', en: 'A delay' });
    expect(complaints).toMatchObject({ received: 4, resolved: 3, resolvedInTime: 1, openNow: 2 });
  });
});
