/** When staff are at work: days (0 = Sunday), local opening and closing times, the time zone. */
export interface Hours {
  workingDays: number[];
  workingHours: { from: string; to: string };
  timeZone: string;
}

/** Local weekday (0 = Sunday) and minutes since midnight of `at` in `timeZone`. */
function local(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether staff are at work at `at` (working day, between opening and closing, local time). */
export function isWorkingTime(at: Date, hours: Hours): boolean {
  const { day, minutes } = local(at, hours.timeZone);
  return (
    hours.workingDays.includes(day) &&
    minutes >= toMinutes(hours.workingHours.from) &&
    minutes < toMinutes(hours.workingHours.to)
  );
}

/** The next moment staff are at work: `at` itself during working time, else the next opening. */
export function nextWorkingTime(at: Date, hours: Hours): Date {
  if (isWorkingTime(at, hours)) return at;
  const opening = toMinutes(hours.workingHours.from);
  const { day, minutes } = local(at, hours.timeZone);
  for (let ahead = 0; ahead <= 7; ahead++) {
    const weekday = (day + ahead) % 7;
    if (!hours.workingDays.includes(weekday)) continue;
    if (ahead === 0 && minutes >= opening) continue;
    const delta = (ahead * 24 * 60 + opening - minutes) * 60_000;
    // Drop seconds so the opening lands on the minute.
    return new Date(Math.floor((at.getTime() + delta) / 60_000) * 60_000);
  }
  return at;
}

/** Milliseconds of working time needed after `from` to pass `workingMs` (a waiting deadline). */
export function deadlineAfter(from: Date, workingMs: number, hours: Hours): Date {
  let cursor = nextWorkingTime(from, hours);
  let remaining = workingMs;
  const close = toMinutes(hours.workingHours.to);
  for (let guard = 0; guard < 30 && remaining > 0; guard++) {
    const { minutes } = local(cursor, hours.timeZone);
    const untilClose = (close - minutes) * 60_000;
    if (remaining <= untilClose) return new Date(cursor.getTime() + remaining);
    remaining -= untilClose;
    cursor = nextWorkingTime(new Date(cursor.getTime() + untilClose), hours);
  }
  return cursor;
}

/** The working time between `from` and `to` (e.g. how long a person has waited for staff), in ms. */
export function workingMsBetween(from: Date, to: Date, hours: Hours): number {
  const close = toMinutes(hours.workingHours.to);
  let total = 0;
  let cursor = nextWorkingTime(from, hours);
  for (let guard = 0; guard < 400 && cursor < to; guard++) {
    const untilClose = (close - local(cursor, hours.timeZone).minutes) * 60_000;
    total += Math.min(untilClose, to.getTime() - cursor.getTime());
    cursor = nextWorkingTime(new Date(cursor.getTime() + untilClose), hours);
  }
  return total;
}

/**
 * The moment a wall-clock time (`2026-11-29T10:30`, as a `datetime-local` field gives it) names
 * in `timeZone`; undefined when the text is not such a time.
 */
export function fromLocalTime(local: string, timeZone: string): Date | undefined {
  const match = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/);
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // The zone's offset at that moment: format the UTC guess in the zone and compare.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(asUtc);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  const moment = new Date(asUtc - (shown - asUtc));
  return Number.isNaN(moment.getTime()) ? undefined : moment;
}
