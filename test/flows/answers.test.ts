import { describe, expect, it } from 'vitest';
import {
  latinDigits,
  localDigits,
  readDescription,
  readHouseholdSize,
  readIncome,
  readLastFour,
  readMobile,
  readName,
  readNationalId,
} from '../../flows/aidRequest/answers.ts';

describe('answers', () => {
  it('should read Arabic-Indic and Persian digits, and write Arabic-Indic ones in Arabic', () => {
    expect(latinDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789 0123456789');
    expect(localDigits('05 12', 'ar')).toBe('٠٥ ١٢');
    expect(localDigits('05 12', 'en')).toBe('05 12');
  });

  it.each([
    ['محمد علي', true],
    ['  عبدُ   الله  الحربي ', true],
    ['Mohammed Al-Harbi', true],
    ["Sean O'Neil", true],
    ['محمد', false],
    ['محمد ٣', false],
    ['Ivan Петров', false],
    ['م ع', false],
    [`${'ابراهيم '.repeat(12)}`, false],
  ])('should take %j as a full name: %s', (typed, ok) => {
    expect(readName(typed) !== undefined).toBe(ok);
  });

  it('should tidy the spaces of a name, and leave out «اسمي» before it', () => {
    expect(readName('  عبدُ   الله  الحربي ')).toBe('عبدُ الله الحربي');
    expect(readName('اسمي محمد الحربي')).toBe('محمد الحربي');
    expect(readName('my name is Sara Ali')).toBe('Sara Ali');
  });

  // The test vectors of FACTS.md.
  it.each(['1000000008', '1234567897', '2123456788', '2000000006', '١٠٠٠٠٠٠٠٠٨', '2 000 000 006'])(
    'should accept the valid ID %s',
    (typed) => {
      expect(readNationalId(typed)).toEqual({ id: latinDigits(typed).replace(/\s/g, '') });
    },
  );

  it.each([
    ['1000000000', 'checksum'],
    ['1234567890', 'checksum'],
    ['2000000007', 'checksum'],
    ['5234567893', 'format'],
    ['0000000000', 'format'],
    ['100000000', 'format'],
    ['10000000081', 'format'],
  ])('should refuse the ID %s (%s)', (typed, problem) => {
    expect(readNationalId(typed)).toEqual({ problem });
  });

  it.each([
    ['0501234567', '+966501234567'],
    ['570123456', '+966570123456'],
    ['+966 59 000 0000', '+966590000000'],
    ['۰۵۰۱۲۳۴۵۶۷', '+966501234567'],
    ['0521234567', undefined],
    ['0579912345', undefined],
    ['0112345678', undefined],
    ['050123456789', undefined],
  ])('should read the mobile %s as %s', (typed, e164) => {
    expect(readMobile(typed)).toBe(e164);
  });

  it.each([
    ['٥', 5],
    ['5 أفراد', 5],
    ['30', 30],
    ['0', undefined],
    ['31', undefined],
    ['2 او 3', undefined],
  ])('should read the household size %s as %s', (typed, size) => {
    expect(readHouseholdSize(typed)).toBe(size);
  });

  it.each([
    ['٣٬٥٠٠ ريال', '3500'],
    ['3,500', '3500'],
    ['12 500', '12500'],
    ['1000001', undefined],
    ['من 3000 الى 4000', undefined],
    ['ما عندي', '0'],
    ['ما عندي دخل', '0'],
    ['ولا شي', '0'],
    ['٣ آلاف', '3000'],
    ['3k', '3000'],
    ['٥٠ الف', '50000'],
    ['تقريبا ٤ الاف', '4000'],
    ['الفين ريال', '2000'],
    ['about 2500 riyals', '2500'],
  ])('should read the income %s as %s', (typed, income) => {
    expect(readIncome(typed)).toBe(income);
  });

  it('should take a description of two words or more, and four digits of an ID', () => {
    expect(readDescription('سرير')).toBeUndefined();
    expect(readDescription('سرير طبي')).toBe('سرير طبي');
    expect(readDescription('ب '.repeat(600))).toBeUndefined();
    expect(readLastFour('٠ ٠ ٠ ٨')).toBe('0008');
    expect(readLastFour('12345')).toBeUndefined();
  });
});
