/**
 * Folds text into the form used for matching, never for storing or showing: NFKC; Arabic-Indic
 * and Persian digits to 0-9; Arabic diacritics, tatweel, zero-width and bidi controls removed;
 * alef variants to ا, ى and ئ to ي, ؤ to و, ة to ه («حفائظ» is «حفايظ»); lower case; spaces
 * collapsed. Idempotent and total.
 */
export function normalize(text: string): string {
  const plain = text.replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2069\u061C\uFEFF\u00AD]/g, '');
  return toLatinDigits(plain.normalize('NFKC'))
    .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/[\u0649\u0626]/g, '\u064A')
    .replace(/\u0624/g, '\u0648')
    .replace(/\u0629/g, '\u0647')
    .toLowerCase()
    .normalize('NFKC')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Maps Arabic-Indic and Persian digits to Latin ones and leaves everything else as it is. */
export function toLatinDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** Writes the Latin digits of `text` as Arabic-Indic ones (٠-٩), for numbers shown in Arabic. */
export function toArabicDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}
