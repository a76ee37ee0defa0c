import { toLatinDigits } from './normalize.ts';

/** What a reference is for: `A` an aid request, `C` a complaint or suggestion. */
export type ReferenceKind = 'A' | 'C';

// Damm's quasigroup: one check digit that catches every single-digit error and every swap of
// two neighbouring digits (Luhn misses 09 ↔ 90).
const damm = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

function checkDigit(digits: string): number {
  let interim = 0;
  for (const d of digits) interim = damm[interim]?.[Number(d)] ?? 0;
  return interim;
}

/** A reference's parts. */
export interface Reference {
  kind: ReferenceKind;
  /** The Hijri year's last two digits (48 for 1448). */
  year: number;
  sequence: number;
}

/**
 * Writes a reference people can read out and type: kind, Hijri year, a five-digit sequence and a
 * check digit, e.g. `A-48-00042-7`.
 */
export function formatReference({ kind, year, sequence }: Reference): string {
  const body = `${String(year).padStart(2, '0')}${String(sequence).padStart(5, '0')}`;
  return `${kind}-${body.slice(0, 2)}-${body.slice(2)}-${checkDigit(body)}`;
}

/**
 * Reads a reference as people type it: Arabic-Indic digits, lower case, spaces or dashes missing
 * or added. `typo` when the check digit does not match (a mistyped reference is caught, never
 * matched to someone else's request); undefined when the text holds no reference at all.
 */
export function parseReference(
  typed: string,
  kinds: readonly ReferenceKind[] = ['A', 'C'],
): { reference: Reference; text: string } | { typo: string } | undefined {
  const plain = toLatinDigits(typed).toUpperCase();
  const match = plain.match(/(?:^|[^A-Z0-9])([AC])[\s\-_.]*(\d{2})[\s\-_.]*(\d{5})[\s\-_.]*(\d)(?!\d)/);
  if (!match) return undefined;
  const [, kind, year, sequence, check] = match as unknown as [string, ReferenceKind, string, string, string];
  if (!kinds.includes(kind)) return undefined;
  const text = `${kind}-${year}-${sequence}-${check}`;
  if (checkDigit(`${year}${sequence}`) !== Number(check)) return { typo: text };
  return { reference: { kind, year: Number(year), sequence: Number(sequence) }, text };
}
