/**
 * Splits text into pieces of at most `max` characters, at line ends where possible, so that a
 * long answer arrives as a few readable messages rather than being cut mid-sentence.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current !== '') parts.push(current);
    current = line;
    while (current.length > max) {
      parts.push(current.slice(0, max));
      current = current.slice(max);
    }
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return parts;
}
