// What the simulated beneficiaries write: Arabic conversations through the flows that exist,
// the way people write them (dialect, no hamza, digits of either kind), one script per person.
import type { Inbound } from '../src/domain/inbound.ts';

/** One person's messages, in order. */
export interface Script {
  name: string;
  lines: string[];
}

/** The conversations, each starting with a greeting and the privacy notice agreed to. */
export const scripts: Script[] = [
  {
    name: 'enquiry',
    lines: ['السلام عليكم', 'أوافق', '1', 'وش الأوراق المطلوبة للتقديم؟', 'كم ياخذ الطلب وقت', 'شكرا', 'مع السلامة'],
  },
  {
    name: 'aid application',
    lines: [
      'السلام عليكم',
      '1',
      'ابي اقدم على كرسي متحرك',
      'أوافق',
      'فاطمة علي القحطاني',
      '1234567897',
      '0501234567',
      '1',
      '5',
      '3000',
      '1',
      'أحتاج كرسي متحرك لوالدتي',
      'لاحقا',
      'لاحقا',
      'لاحقا',
      'نعم',
      'أوافق',
    ],
  },
  { name: 'follow-up', lines: ['مرحبا', 'أوافق', '3', 'A-48-00042-1', '7897', 'القائمة', 'مع السلامة'] },
  {
    name: 'complaint',
    lines: ['السلام عليكم', '1', '4', '1', '1', 'قدمت طلبي من شهر ولم يرد علي أحد', 'بدون صورة', '2', '1', 'شكرا'],
  },
  { name: 'small talk', lines: ['هلا', 'اوكي', 'انت روبوت؟', 'شكرا لكم', 'وين مقركم', 'القائمة', 'مع السلامة'] },
];

/** A simulated person: their chat and their script. */
export interface Person {
  chatId: string;
  script: Script;
}

/** `count` people, the scripts shared out in turn; chat ids from `first` up. */
export function people(count: number, first = 1): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const script = scripts[i % scripts.length] as Script;
    // Each applicant has their own national ID: the same one twice is a duplicate application.
    const id = nationalId(first + i);
    return {
      chatId: String(first + i),
      script: { ...script, lines: script.lines.map((l) => l.replace(sampleId, id)) },
    };
  });
}

const sampleId = '1234567897';

/** A valid Saudi national ID (starts with 1, Luhn check digit) made from `n`. */
export function nationalId(n: number): string {
  const body = `1${String(n % 100_000_000).padStart(8, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[i]);
    const doubled = i % 2 === 0 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

let nextUpdate = 1;

/**
 * A text message as the Telegram channel hands it to the engine (`toInbound`): a fresh update
 * id, the sender's name, and when it was sent (`sentAt`, Telegram's whole seconds). Its channel
 * is `bench` unless told: no drainer serves it, so its replies wait in the outbox and only the
 * delivery stages (which name their own channel) measure sending.
 */
export function textInbound(chatId: string, text: string, sentAt = new Date(), channel = 'bench'): Inbound {
  return {
    channel,
    chatId,
    messageId: `u${nextUpdate++}`,
    senderName: 'مستفيد',
    sentAt: new Date(Math.floor(sentAt.getTime() / 1000) * 1000),
    kind: 'text',
    text,
  };
}
