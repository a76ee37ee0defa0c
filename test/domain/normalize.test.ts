import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalize, toArabicDigits } from '../../src/domain/normalize.ts';

describe('normalize', () => {
  it('should read Arabic-Indic and Persian digits as Latin ones', () => {
    expect(normalize('١٢٣٤٥٦٧٨٩٠')).toBe('1234567890');
    expect(normalize('۱۲۳')).toBe('123');
  });

  it('should fold alef variants, alef maqsura and taa marbuta', () => {
    expect(normalize('أإآٱا')).toBe('ااااا');
    expect(normalize('مستشفى')).toBe('مستشفي');
    expect(normalize('الجمعية')).toBe('الجمعيه');
  });

  it('should strip diacritics, tatweel, zero-width and bidi controls', () => {
    expect(normalize('القَائِمَةُ')).toBe('القايمه');
    expect(normalize('القـــائمة')).toBe('القايمه');
    expect(normalize('\u202Bموظف\u202C\u200F\u200B')).toBe('موظف');
    expect(normalize('\u2067help\u2069')).toBe('help');
  });

  it('should read a hamza on its seat as the seat: «حفائظ» is «حفايظ», «مسؤول» is «مسوول»', () => {
    expect(normalize('حفائظ')).toBe(normalize('حفايظ'));
    expect(normalize('مسؤول')).toBe('مسوول');
  });

  it('should lower-case and collapse spaces', () => {
    expect(normalize('  Main   MENU \n')).toBe('main menu');
  });

  it('should apply NFKC (presentation forms and full-width digits)', () => {
    expect(normalize('ﻻ')).toBe('لا');
    expect(normalize('１２')).toBe('12');
  });

  it('should never throw, on any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => typeof normalize(s) === 'string'));
  });

  it('should be idempotent', () => {
    const arabicish = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0x0600, max: 0x06ff }).map((c) => String.fromCharCode(c)),
        fc.constantFrom('\u200F', '\u202B', '\u0640', ' ', '\n', 'A', '1', '\u0301', 'e', 'ﻻ'),
        fc.string({ unit: 'binary', maxLength: 1 }),
      ),
    });
    fc.assert(
      fc.property(arabicish, (s) => normalize(normalize(s)) === normalize(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => normalize(normalize(s)) === normalize(s)),
      {
        numRuns: 2000,
      },
    );
  });

  it('should write numbers in Arabic-Indic digits for Arabic display', () => {
    expect(toArabicDigits('14 يومًا، 2026')).toBe('١٤ يومًا، ٢٠٢٦');
  });
});
