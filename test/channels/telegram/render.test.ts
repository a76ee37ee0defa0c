import { describe, expect, it } from 'vitest';
import { render } from '../../../src/channels/telegram/render.ts';
import { optionToken } from '../../../src/domain/optionToken.ts';
import { splitText } from '../../../src/domain/splitText.ts';

describe('telegram render', () => {
  it('should put options on an inline keyboard, numbered in Arabic-Indic digits in Arabic', () => {
    const [message] = render({
      locale: 'ar',
      text: 'اختر',
      options: [
        { id: 'enquiries', label: 'استفسارات عامة' },
        { id: 'aid', label: 'تقديم طلب مساعدة' },
      ],
    });
    expect(message?.keyboard?.inline_keyboard).toEqual([
      [{ text: '١. استفسارات عامة', callback_data: 'enquiries' }],
      [{ text: '٢. تقديم طلب مساعدة', callback_data: 'aid' }],
    ]);
  });

  it('should keep callback data within 64 bytes for a long option id', () => {
    const longId = 'خيار-'.repeat(20);
    expect(Buffer.byteLength(longId)).toBeGreaterThan(64);
    const [message] = render({ locale: 'en', text: 'Pick', options: [{ id: longId, label: 'Long' }] });
    const button = message?.keyboard?.inline_keyboard[0]?.[0] as { callback_data: string } | undefined;
    const data = button?.callback_data ?? '';
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).toBe(optionToken(longId));
  });

  it('should split a long text on line boundaries into messages of at most 4096 characters', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `سطر ${i} ${'ن'.repeat(40)}`);
    const parts = render({ locale: 'ar', text: lines.join('\n'), options: [{ id: 'menu', label: 'القائمة' }] });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join('\n')).toBe(lines.join('\n'));
    expect(parts.slice(0, -1).every((p) => p.keyboard === undefined)).toBe(true);
    expect(parts.at(-1)?.keyboard).toBeDefined();
  });

  it('should cut a single line longer than the limit', () => {
    const parts = splitText('x'.repeat(9000), 4096);
    expect(parts.map((p) => p.length)).toEqual([4096, 4096, 808]);
  });
});
