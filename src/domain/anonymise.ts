/**
 * A message as managers may see it without knowing who wrote it: every number (an ID, a phone, a
 * reference, in any digits) becomes «#», e-mail and web addresses are replaced, control and
 * direction characters removed, and it is cut to 200 characters. Names written in the text
 * cannot be told apart from other words and stay: the page that shows these is for managers only.
 */
export function anonymise(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\S+@\S+/g, '[email]')
    .replace(/(?:https?:\/\/|www\.)\S+/gi, '[link]')
    .replace(
      /[+\d\u0660-\u0669\u06F0-\u06F9][\d\u0660-\u0669\u06F0-\u06F9\s\-_.]*[\d\u0660-\u0669\u06F0-\u06F9]|[\d\u0660-\u0669\u06F0-\u06F9]/g,
      '#',
    )
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}
