import { toLatinDigits } from './normalize.ts';

/** Why a typed national ID or Iqama number cannot be used. */
export type NationalIdProblem = 'format' | 'checksum';

/**
 * Reads a Saudi national ID (first digit 1) or Iqama number (2) as people type it: Arabic-Indic
 * or Persian digits, spaces and dashes allowed. Ten digits with a valid Luhn check digit; a
 * wrong check digit is told apart (`checksum`: "this number looks mistyped") from a number that
 * is not an ID at all (`format`).
 */
export function parseNationalId(typed: string): { id: string } | { problem: NationalIdProblem } {
  const digits = toLatinDigits(typed).replace(/[\s\-_.]/g, '');
  if (!/^[12]\d{9}$/.test(digits)) return { problem: 'format' };
  return luhnValid(digits) ? { id: digits } : { problem: 'checksum' };
}

/** The Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** The last four digits, which is all staff lists and the follow-up check ever show. */
export function lastFour(id: string): string {
  return id.slice(-4);
}
