import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toArabicDigits } from '../../src/domain/normalize.ts';
import { formatReference, parseReference } from '../../src/domain/reference.ts';
import { lastFour, parseNationalId } from '../../src/domain/saudiId.ts';

describe('parseNationalId', () => {
  it('should accept valid IDs and Iqamas as people type them', () => {
    for (const valid of ['1000000008', '1234567897', '2123456788', '2000000006']) {
      expect(parseNationalId(valid)).toEqual({ id: valid });
      expect(parseNationalId(toArabicDigits(valid))).toEqual({ id: valid });
    }
    expect(parseNationalId('١٢٣ ٤٥٦-٧٨٩٧')).toEqual({ id: '1234567897' });
    expect(parseNationalId('۱۲۳۴۵۶۷۸۹۷')).toEqual({ id: '1234567897' });
  });

  it('should tell a mistyped number from one that is not an ID', () => {
    for (const mistyped of ['1000000000', '1234567890', '2000000007']) {
      expect(parseNationalId(mistyped)).toEqual({ problem: 'checksum' });
    }
    for (const other of ['5234567893', '0000000000', '123456789', '12345678901', 'abc', '']) {
      expect(parseNationalId(other)).toEqual({ problem: 'format' });
    }
    expect(lastFour('1234567897')).toBe('7897');
  });
});

describe('references', () => {
  it('should write A-48-00042-7 style references that read back, however they are typed', () => {
    const reference = { kind: 'A' as const, year: 48, sequence: 42 };
    const text = formatReference(reference);
    expect(text).toMatch(/^A-48-00042-\d$/);
    for (const typed of [
      text,
      text.toLowerCase(),
      text.replace(/-/g, ''),
      toArabicDigits(text),
      `رقم طلبي ${text.replace(/-/g, ' ')} لو سمحت`,
    ]) {
      expect(parseReference(typed), typed).toEqual({ reference, text });
    }
    expect(parseReference('السلام عليكم')).toBeUndefined();
    expect(parseReference(text, ['C'])).toBeUndefined();
  });

  it('should catch every single wrong digit and every swap of neighbouring digits as a typo', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99_999 }),
        fc.nat(7),
        fc.nat(9),
        (year, sequence, at, digit) => {
          const text = formatReference({ kind: 'C', year, sequence });
          const digits = text.replace(/\D/g, '');
          const wrong = digits.slice(0, at) + String(digit) + digits.slice(at + 1);
          const swapped = digits.slice(0, at) + (digits[at + 1] ?? '') + (digits[at] ?? '') + digits.slice(at + 2);
          for (const typed of [wrong, swapped]) {
            if (typed === digits) continue;
            expect(parseReference(`C${typed}`)).toEqual({
              typo: `C-${typed.slice(0, 2)}-${typed.slice(2, 7)}-${typed[7]}`,
            });
          }
        },
      ),
    );
  });
});
