import type { InlineKeyboardMarkup } from 'grammy/types';
import type { OutboundMessage } from '../../domain/messages.ts';
import { toArabicDigits } from '../../domain/normalize.ts';
import { optionToken } from '../../domain/optionToken.ts';
import { splitText } from '../../domain/splitText.ts';

/** Telegram's limit on a message's text, in characters. */
export const maxTextLength = 4096;

/** One `sendMessage` call. */
export interface TelegramMessage {
  text: string;
  keyboard?: InlineKeyboardMarkup;
}

/**
 * Renders a reply for Telegram: the text split on line boundaries into messages of at most 4096
 * characters, and the options as an inline keyboard (one numbered button a row, so a typed
 * number matches a button) on the last one. Buttons carry option ids that fit 64 bytes.
 */
export function render(message: OutboundMessage): TelegramMessage[] {
  const parts = splitText(message.text, maxTextLength).map((text) => ({ text }) as TelegramMessage);
  const last = parts.at(-1);
  if (last && message.options && message.options.length > 0) {
    last.keyboard = {
      inline_keyboard: message.options.map((option, i) => {
        const n = message.locale === 'ar' ? toArabicDigits(String(i + 1)) : String(i + 1);
        return [{ text: `${n}. ${option.label}`, callback_data: optionToken(option.id) }];
      }),
    };
  }
  return parts;
}
