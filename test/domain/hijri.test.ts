import { describe, expect, it } from 'vitest';
import { bothCalendars, hijriYear } from '../../src/domain/hijri.ts';
import { testRenderer } from '../helpers.ts';

describe('dates both ways', () => {
  const day = new Date('2026-11-25T09:00:00Z');
  it('should write the Hijri (Umm al-Qura) date first with the Gregorian one beside it', () => {
    expect(hijriYear(day, 'Asia/Riyadh')).toBe(1448);
    expect(bothCalendars(day, 'ar', 'Asia/Riyadh')).toEqual({
      hijri: '١٥ جمادى الآخرة ١٤٤٨ هـ',
      gregorian: '٢٥ نوفمبر ٢٠٢٦',
    });
    expect(bothCalendars(day, 'en', 'Asia/Riyadh')).toEqual({
      hijri: '15 Jumada II 1448 AH',
      gregorian: '25 November 2026',
    });
  });

  it('should render a `…Date` parameter in a message that way, and a configured option label as given', () => {
    const renderer = testRenderer();
    expect(renderer.text('common:bothCalendars', 'ar', { hijri: 'x', gregorian: 'y' })).toBe('x الموافق yم');
    const { message } = renderer.render(
      [
        {
          type: 'reply',
          key: 'test:echo',
          params: { text: 'ok' },
          options: [{ id: '3', key: 'x', labels: { ar: 'كرسي', en: 'Chair' } }],
        },
      ],
      'en',
    );
    expect(message.options).toEqual([{ id: '3', label: 'Chair' }]);
  });
});
