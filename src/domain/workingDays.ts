import { fromLocalTime, type Hours } from './workingHours.ts';

/** The local calendar day (year, month, day) of `at` in `timeZone`. */
function localDay(at: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The end of the working day (closing time, local) `days` working days after the day of `from`,
 * counted on the organisation's working week: a complaint filed on a Wednesday with 5 working
 * days on the Sunday–Thursday week is answered by the next Wednesday's closing; one filed on a
 * Friday, by the Thursday after. The day of `from` itself never counts.
 */
export function addWorkingDays(from: Date, days: number, hours: Hours): Date {
  const { year, month, day } = localDay(from, hours.timeZone);
  let counted = 0;
  let ahead = 0;
  // A working week has at least one working day: 7 days per working day is always enough.
  while (counted < days && ahead < days * 7 + 7) {
    ahead++;
    if (hours.workingDays.includes(new Date(Date.UTC(year, month - 1, day + ahead)).getUTCDay())) counted++;
  }
  const target = new Date(Date.UTC(year, month - 1, day + ahead));
  const local = `${target.getUTCFullYear()}-${pad(target.getUTCMonth() + 1)}-${pad(target.getUTCDate())}T${hours.workingHours.to}`;
  return fromLocalTime(local, hours.timeZone) ?? target;
}
