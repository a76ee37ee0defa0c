import { html, type SafeHtml } from '../html.ts';
import type { PageContext } from './layout.ts';

/** The hidden field every form carries: the session's CSRF token. */
export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

/**
 * A button that posts to `url` with the CSRF token. `danger` ones (close, transfer, delete,
 * disable) look different and ask for confirmation first (the console's script reads
 * `data-confirm`).
 */
export function action(
  ctx: PageContext,
  url: string,
  label: string,
  options: { extra?: SafeHtml; danger?: string } = {},
): SafeHtml {
  return html`<form class="inline" method="post" action="${url}"${options.danger ? html` data-confirm="${options.danger}"` : ''}>${csrfField(ctx)}${options.extra ?? ''}<button class="${options.danger ? 'danger' : 'primary'}">${label}</button></form>`;
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

/**
 * A moment in the console's language, Gregorian date and time with the Hijri date beside it
 * (Riyadh time), in a `<time>` element.
 */
export function when(d: Date | null | undefined, lang: 'ar' | 'en'): SafeHtml | string {
  if (!d) return '';
  const gregorian = format(lang === 'ar' ? 'ar-SA-u-ca-gregory-nu-latn' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(d);
  const hijri = format(lang === 'ar' ? 'ar-SA-u-ca-islamic-umalqura-nu-latn' : 'en-u-ca-islamic-umalqura', {
    dateStyle: 'medium',
  }).format(d);
  return html`<time datetime="${d.toISOString()}"><bdi>${gregorian}</bdi> <span class="hijri">(<bdi>${hijri}</bdi>)</span></time>`;
}

/** A page that only says something (a refusal, a notice). */
export function messagePage(text: string): SafeHtml {
  return html`<p class="notice" role="status">${text}</p>`;
}
