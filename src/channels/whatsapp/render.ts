import type { OutboundMessage } from '../../domain/messages.ts';
import { toArabicDigits } from '../../domain/normalize.ts';
import { splitText } from '../../domain/splitText.ts';

/** Longest single WhatsApp message we send; longer replies become several readable messages. */
export const maxTextLength = 3500;

/**
 * Renders a reply for WhatsApp, which has no reliable buttons through whatsapp-web.js: the
 * options become a numbered list (Arabic-Indic numerals in Arabic) under the text, and the
 * engine reads the number, the label or a close spelling back as the choice.
 */
export function render(message: OutboundMessage): string[] {
  const lines = [message.text];
  if (message.options && message.options.length > 0) {
    lines.push('');
    message.options.forEach((option, i) => {
      const n = message.locale === 'ar' ? toArabicDigits(String(i + 1)) : String(i + 1);
      lines.push(`*${n}.* ${option.label}`);
    });
  }
  return splitText(lines.join('\n'), maxTextLength);
}
