import { describe, expect, it } from 'vitest';
import { toE164 } from '../../src/domain/phone.ts';

describe('toE164', () => {
  it.each([
    ['0501234567', '+966501234567'],
    ['٠٥٠١٢٣٤٥٦٧', '+966501234567'],
    ['+966 50 123 4567', '+966501234567'],
    ['966501234567', '+966501234567'],
    ['00966501234567', '+966501234567'],
    ['+44 7911 123456', '+447911123456'],
  ])('should read %s as %s', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each(['0521234567', '12345', 'not a number', ''])('should refuse %s', (raw) => {
    expect(toE164(raw)).toBeUndefined();
  });
});
