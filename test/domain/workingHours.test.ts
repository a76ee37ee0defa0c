import { describe, expect, it } from 'vitest';
import { deadlineAfter, isWorkingTime, nextWorkingTime } from '../../src/domain/workingHours.ts';

const hours = { workingDays: [0, 1, 2, 3, 4], workingHours: { from: '08:00', to: '15:00' }, timeZone: 'Asia/Riyadh' };
// Riyadh is UTC+3: 08:00 local = 05:00Z. 2026-11-25 is a Wednesday.
const riyadh = (iso: string) => new Date(`${iso}+03:00`);

describe('working hours (Sunday–Thursday, Asia/Riyadh)', () => {
  it('should know when staff are at work', () => {
    expect(isWorkingTime(riyadh('2026-11-25T10:00:00'), hours)).toBe(true);
    expect(isWorkingTime(riyadh('2026-11-25T07:59:00'), hours)).toBe(false);
    expect(isWorkingTime(riyadh('2026-11-25T15:00:00'), hours)).toBe(false);
    expect(isWorkingTime(riyadh('2026-11-27T10:00:00'), hours)).toBe(false); // Friday
  });

  it('should find the next opening: the same morning, the next day, or after the weekend', () => {
    expect(nextWorkingTime(riyadh('2026-11-25T06:30:00'), hours)).toEqual(riyadh('2026-11-25T08:00:00'));
    expect(nextWorkingTime(riyadh('2026-11-25T16:00:00'), hours)).toEqual(riyadh('2026-11-26T08:00:00'));
    expect(nextWorkingTime(riyadh('2026-11-26T15:30:00'), hours)).toEqual(riyadh('2026-11-29T08:00:00'));
    expect(nextWorkingTime(riyadh('2026-11-28T12:00:00'), hours)).toEqual(riyadh('2026-11-29T08:00:00'));
  });

  it('should count a waiting deadline in working time only', () => {
    const tenMinutes = 10 * 60_000;
    expect(deadlineAfter(riyadh('2026-11-25T10:00:00'), tenMinutes, hours)).toEqual(riyadh('2026-11-25T10:10:00'));
    expect(deadlineAfter(riyadh('2026-11-25T14:55:00'), tenMinutes, hours)).toEqual(riyadh('2026-11-26T08:05:00'));
    expect(deadlineAfter(riyadh('2026-11-27T20:00:00'), tenMinutes, hours)).toEqual(riyadh('2026-11-29T08:10:00'));
  });
});
