import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { html, plain, type SafeHtml } from '../html.ts';
import type { PageContext } from './layout.ts';

/** The hidden field every form carries: the session's CSRF token. */
export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

/**
 * A button that posts to `url` with the CSRF token. `danger` ones (close, transfer, delete,
 * disable) look different and ask for confirmation first (the console's script reads
 * `data-confirm`); `secondary` ones are ordinary but not the page's main action.
 */
export function action(
  ctx: PageContext,
  url: string,
  label: string,
  options: { extra?: SafeHtml; danger?: string; secondary?: boolean } = {},
): SafeHtml {
  const look = options.danger ? 'danger' : options.secondary ? 'secondary' : 'primary';
  return html`<form class="inline" method="post" action="${url}"${options.danger ? html` data-confirm="${options.danger}"` : ''}>${csrfField(ctx)}${options.extra ?? ''}<button class="${look}">${label}</button></form>`;
}

/**
 * Someone else's words, isolated from the page around them: their own direction (each line's,
 * for a message of several lines), no direction controls, so that nothing they write can turn
 * the page around.
 */
export function userText(text: string | null | undefined, as: 'inline' | 'block' = 'inline'): SafeHtml {
  return as === 'block'
    ? html`<div class="text" dir="auto">${plain(text)}</div>`
    : html`<bdi dir="auto">${plain(text)}</bdi>`;
}

/** A phone number as people read it (+966 50 123 4567), always left to right. */
export function phone(e164: string | null | undefined): SafeHtml | string {
  if (!e164) return '';
  const shown = parsePhoneNumberFromString(plain(e164))?.formatInternational() ?? plain(e164);
  return html`<bdi dir="ltr" class="phone">${shown}</bdi>`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
const format = (locale: string, options: Intl.DateTimeFormatOptions) => {
  const key = locale + JSON.stringify(options);
  const known = formats.get(key);
  if (known) return known;
  const made = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Riyadh', ...options });
  formats.set(key, made);
  return made;
};

/** The locales of each calendar, with the numbering system named (plain `ar` gives Latin digits). */
const calendars = {
  ar: { gregorian: 'ar-SA-u-ca-gregory-nu-arab', hijri: 'ar-SA-u-ca-islamic-umalqura-nu-arab' },
  en: { gregorian: 'en-GB-u-ca-gregory-nu-latn', hijri: 'en-GB-u-ca-islamic-umalqura-nu-latn' },
} as const;

const day = { day: 'numeric', month: 'long', year: 'numeric' } as const;

/** The time of day, Riyadh time («١١:١٢ م», «11:12»). */
function clock(d: Date, lang: 'ar' | 'en'): string {
  return format(calendars[lang].gregorian, { hour: 'numeric', minute: '2-digit' }).format(d);
}

/** The Gregorian date with the Hijri date beside it, as text. */
function dates(d: Date, lang: 'ar' | 'en', weekday = false): { gregorian: string; hijri: string } {
  return {
    gregorian: format(calendars[lang].gregorian, weekday ? { ...day, weekday: 'long' } : day).format(d),
    hijri: format(calendars[lang].hijri, day).format(d),
  };
}

/**
 * A moment in the console's language: the Gregorian date and time with the Hijri date beside it
 * (Riyadh time), in a `<time>` element.
 */
export function when(d: Date | null | undefined, lang: 'ar' | 'en'): SafeHtml | string {
  if (!d) return '';
  const { gregorian, hijri } = dates(d, lang);
  return html`<time datetime="${d.toISOString()}"><bdi>${gregorian}</bdi> <bdi>${clock(d, lang)}</bdi> <span class="hijri">(<bdi>${hijri}</bdi>)</span></time>`;
}

/** A moment as its time of day only, the whole date in its tooltip (messages under a day's heading). */
export function timeOf(d: Date, lang: 'ar' | 'en'): SafeHtml {
  const { gregorian, hijri } = dates(d, lang);
  return html`<time datetime="${d.toISOString()}" title="${gregorian} (${hijri})"><bdi>${clock(d, lang)}</bdi></time>`;
}

/** A day's heading: weekday and Gregorian date, the Hijri date beside it. */
export function dayOf(d: Date, lang: 'ar' | 'en'): SafeHtml {
  const { gregorian, hijri } = dates(d, lang, true);
  return html`<bdi>${gregorian}</bdi> <span class="hijri">(<bdi>${hijri}</bdi>)</span>`;
}

/** The calendar day of a moment in Riyadh, to tell when the day changes between two messages. */
export function dayKey(d: Date): string {
  return format('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** A page that only says something (a refusal, a notice). */
export function messagePage(text: string): SafeHtml {
  return html`<p class="notice" role="status">${text}</p>`;
}
