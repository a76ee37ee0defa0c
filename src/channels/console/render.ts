import type { OutboundMessage } from '../../domain/messages.ts';
import { toArabicDigits } from '../../domain/normalize.ts';

/** Renders a reply for the terminal: the text, then the options as a numbered list. */
export function render(message: OutboundMessage): string {
  const lines = [message.text];
  message.options?.forEach((option, i) => {
    const n = String(i + 1);
    lines.push(`  ${message.locale === 'ar' ? toArabicDigits(n) : n}. ${option.label}`);
  });
  return lines.join('\n');
}
