const formats = new Map<string, Intl.DateTimeFormat>();

/** A date format, built once per tag, time zone and options (building one costs far more than using it). */
function formatOf(tag: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tag} ${timeZone} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, { timeZone, ...options });
    formats.set(key, format);
  }
  return format;
}

/** The Hijri (Umm al-Qura) year of a moment in `timeZone`, e.g. 1448. */
export function hijriYear(at: Date, timeZone: string): number {
  const parts = formatOf('en-u-ca-islamic-umalqura-nu-latn', timeZone, { year: 'numeric' }).formatToParts(at);
  return Number(parts.find((p) => p.type === 'year')?.value);
}

/**
 * A day written both ways, as the association writes dates: the Hijri (Umm al-Qura) date and the
 * Gregorian one, in Arabic with Arabic-Indic digits or in English, in `timeZone`. ICU's
 * direction marks are removed so the text joins cleanly into a sentence.
 */
export function bothCalendars(at: Date, locale: 'ar' | 'en', timeZone: string): { hijri: string; gregorian: string } {
  const write = (tag: string) =>
    formatOf(tag, timeZone, { day: 'numeric', month: 'long', year: 'numeric' })
      .format(at)
      .replace(/[\u200e\u200f\u061c]/g, '');
  return locale === 'ar'
    ? { hijri: write('ar-SA-u-ca-islamic-umalqura-nu-arab'), gregorian: write('ar-SA-u-ca-gregory-nu-arab') }
    : { hijri: write('en-GB-u-ca-islamic-umalqura'), gregorian: write('en-GB') };
}
