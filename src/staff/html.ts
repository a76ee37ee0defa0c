/** HTML that is already safe to insert (built by {@link html}, or markup we wrote). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] as string);
}

type Value = SafeHtml | string | number | boolean | null | undefined | Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(String(value));
}

/**
 * A template tag that escapes every interpolated value unless it is {@link SafeHtml}: what
 * beneficiaries wrote is shown as text, never run as markup.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * The characters that open or close a direction override, embedding or isolate (U+202A–U+202E,
 * U+2066–U+2069). In what people send they only ever hide or reverse text (a file named
 * «report‮fdp.exe» shows as «reportexe.pdf»): shown without them, text reads in its true order.
 */
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** Text from outside (a message, a name, a file name) without direction controls. */
export function plain(text: string | null | undefined): string {
  return (text ?? '').replace(bidiControls, '');
}
