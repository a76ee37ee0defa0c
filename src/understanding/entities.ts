import { toLatinDigits } from '../domain/normalize.ts';
import { toE164 } from '../domain/phone.ts';
import { formatReference, parseReference } from '../domain/reference.ts';
import { luhnValid } from '../domain/saudiId.ts';

/** The numbers a sentence holds that the assistant acts on; each absent when there is none. */
export interface Entities {
  reference?: string;
  phone?: string;
  nationalId?: string;
}

/**
 * Finds a request or complaint reference, a Saudi mobile number and a national ID inside a
 * sentence, as people write them («طلبي رقم أ-٤٨-٠٠٠٤٢-١», «جوالي ٠٥٥ ١٢٣ ٤٥٦٧»). A reference
 * with a wrong check digit is kept as written (the flow tells the person it looks mistyped);
 * eight digits alone are a request's reference only when their check digit is right.
 */
export function findEntities(text: string): Entities {
  const found = parseReference(text);
  // Digits grouped with spaces or dashes are read as one number.
  const runs = toLatinDigits(text)
    .replace(/(\d)[\s\-_.]+(?=\d)/g, '$1')
    .match(/\+?\d+/g);
  const numbers = runs ?? [];
  const reference = found ? ('typo' in found ? found.typo : found.text) : bareReference(numbers);
  const phone = numbers.map((n) => (/^(?:\+?966|00966|0)?5\d{8}$/.test(n) ? toE164(n) : undefined)).find(Boolean);
  const nationalId = numbers.find((n) => /^[12]\d{9}$/.test(n) && luhnValid(n));
  return {
    ...(reference ? { reference } : {}),
    ...(phone ? { phone } : {}),
    ...(nationalId ? { nationalId } : {}),
  };
}

/** Eight digits with a right check digit: a request's reference written without its letter. */
function bareReference(numbers: string[]): string | undefined {
  for (const n of numbers) {
    if (!/^\d{8}$/.test(n)) continue;
    const parsed = parseReference(`A${n}`);
    if (parsed && 'reference' in parsed) return formatReference(parsed.reference);
  }
  return undefined;
}
