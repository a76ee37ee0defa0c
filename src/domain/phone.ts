import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { toLatinDigits } from './normalize.ts';

/**
 * Reads a phone number as people and platforms write it (0501234567, ٠٥٠١٢٣٤٥٦٧, +966 50 123 4567,
 * 966501234567) and returns it in E.164 (+966501234567), or undefined if it is not a valid
 * number. Saudi Arabia is assumed when no country code is given; full metadata checks the
 * number ranges, not just the length.
 */
export function toE164(raw: string): string | undefined {
  const digits = toLatinDigits(raw).replace(/[^\d+]/g, '');
  const international = /^9665\d{8}$/.test(digits) ? `+${digits}` : digits.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(international, 'SA');
  return parsed?.isValid() ? parsed.number : undefined;
}
