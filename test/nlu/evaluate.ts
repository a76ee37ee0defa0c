import { isThanksNote } from '../../flows/dialog/dialogMachine.ts';
import arIntents from '../../locales/ar/intents.json' with { type: 'json' };
import arRoot from '../../locales/ar/root.json' with { type: 'json' };
import enIntents from '../../locales/en/intents.json' with { type: 'json' };
import enRoot from '../../locales/en/root.json' with { type: 'json' };
import type { ShownOption } from '../../src/domain/messages.ts';
import { normalize } from '../../src/domain/normalize.ts';
import { interpret } from '../../src/understanding/interpret.ts';
import blind from './blind.json' with { type: 'json' };
import blind2 from './blind2.json' with { type: 'json' };
import corpus from './corpus.json' with { type: 'json' };
import dev2 from './dev2.json' with { type: 'json' };
import heldout from './heldout.json' with { type: 'json' };

/** One labelled message of the evaluation corpus. */
export interface Example {
  text: string;
  intent: string;
  lang: 'ar' | 'en';
}

export const examples: Example[] = corpus as Example[];

/** The main menu as a person sees it: most free text arrives there. */
const menuItems = ['enquiries', 'aid', 'followUp', 'complaint', 'staff', 'language'] as const;
const menu: ShownOption[] = menuItems.map((id) => ({ id, labels: [arRoot.menu[id], enRoot.menu[id]] }));

/**
 * What the assistant makes of a message at the main menu, as a corpus label: `emergency`, a global
 * word, a service, an enquiry, small talk, or `none` when it would ask what was meant (`likely`:
 * the services and enquiries that question offers).
 */
export function readingOf(text: string): { label: string; likely: readonly string[] } {
  const reading = interpret({ channel: 'eval', chatId: '1', messageId: '1', kind: 'text', text }, menu, 4000);
  const none = { label: 'none', likely: [] };
  if (!('event' in reading)) return none;
  const { event } = reading;
  if (event.type === 'global') return { label: event.word, likely: [] };
  if (event.type === 'choice') return event.id === 'enquiries' ? none : { label: event.id, likely: [] };
  if (event.type !== 'text') return none;
  // A reference anywhere in a message leads to its status; long thanks are offered as a note for the team.
  if (event.reference) return { label: 'followUp', likely: [] };
  if (isThanksNote(event)) return { label: 'praise', likely: [] };
  return { label: event.service ?? event.topic ?? event.smallTalk ?? 'none', likely: event.likely ?? [] };
}

export const labelOf = (text: string) => readingOf(text).label;

/** A first message of the held-out set, written apart from the phrases and the corpus. */
export interface HeldOut extends Example {
  script: 'arabic' | 'english' | 'arabizi';
}

export const heldOut = heldout as HeldOut[];

/** First messages written the same way as the held-out set, for development: their misses may be read. */
export const firstMessages = dev2 as HeldOut[];

/**
 * How first messages are routed: to the right service or answer, or to a clarifying question
 * offering it among two or three; emergencies found, and false ones among the rest. For the
 * held-out set only the figures are printed: its misses are not read, so that nothing is tuned on it.
 */
export function evaluateHeldOut(set: HeldOut[] = heldOut) {
  const results = set.map((e) => {
    const { label, likely } = readingOf(e.text);
    return { ...e, right: label === e.intent || (label === 'none' && likely.includes(e.intent)), label };
  });
  const share = (list: typeof results, pred: (r: (typeof results)[number]) => boolean) =>
    list.length === 0 ? 1 : list.filter(pred).length / list.length;
  const emergencies = results.filter((r) => r.intent === 'emergency');
  const calm = results.filter((r) => r.intent !== 'emergency');
  return {
    routed: share(results, (r) => r.right),
    perScript: Object.fromEntries(
      (['arabic', 'english', 'arabizi'] as const).map((script) => [
        script,
        share(
          results.filter((r) => r.script === script),
          (r) => r.right,
        ),
      ]),
    ),
    emergencyRecall: share(emergencies, (r) => r.label === 'emergency'),
    falseEmergencies: share(calm, (r) => r.label === 'emergency'),
    mistakes: results
      .filter((r) => !r.right)
      .map(({ text, intent, label }) => ({ text, expected: intent, got: label })),
  };
}

/** A phrase as the overlap check compares it: normalised, punctuation and symbols dropped. */
export const comparable = (text: string) =>
  normalize(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Messages of `set` (the corpus by default) that are also training phrases (there must be none). */
export function overlap(set: readonly Example[] = examples): string[] {
  const training = new Set(
    [arIntents, enIntents].flatMap((file) => Object.values(file).flat().map(comparable)).filter(Boolean),
  );
  return set.filter((e) => training.has(comparable(e.text))).map((e) => e.text);
}

export interface Report {
  accuracy: number;
  emergencyRecall: number;
  /** False emergencies as a share of the messages that are not emergencies. */
  falseEmergencies: number;
  perIntent: { intent: string; precision: number; recall: number; support: number }[];
  /** expected → got → count, for the mistakes. */
  confusion: Record<string, Record<string, number>>;
  mistakes: { text: string; expected: string; got: string }[];
}

/** Reads the whole corpus and scores it. */
export function evaluate(): Report {
  const results = examples.map((e) => ({ ...e, got: labelOf(e.text) }));
  const labels = [...new Set(results.flatMap((r) => [r.intent, r.got]))].sort();
  const count = (pred: (r: (typeof results)[number]) => boolean) => results.filter(pred).length;
  const confusion: Report['confusion'] = {};
  for (const r of results) {
    if (r.got === r.intent) continue;
    const row = confusion[r.intent] ?? {};
    row[r.got] = (row[r.got] ?? 0) + 1;
    confusion[r.intent] = row;
  }
  const emergencies = count((r) => r.intent === 'emergency');
  return {
    accuracy: count((r) => r.got === r.intent) / results.length,
    emergencyRecall: count((r) => r.intent === 'emergency' && r.got === 'emergency') / emergencies,
    falseEmergencies: count((r) => r.intent !== 'emergency' && r.got === 'emergency') / (results.length - emergencies),
    perIntent: labels.map((intent) => {
      const predicted = count((r) => r.got === intent);
      const support = count((r) => r.intent === intent);
      const right = count((r) => r.got === intent && r.intent === intent);
      return { intent, precision: predicted ? right / predicted : 1, recall: support ? right / support : 1, support };
    }),
    confusion,
    mistakes: results
      .filter((r) => r.got !== r.intent)
      .map(({ text, intent, got }) => ({ text, expected: intent, got })),
  };
}

/**
 * The two sets of emergencies and look-alikes written by people who never saw the detector's
 * word lists (`blind.json` was then used to widen them; `blind2.json` was not).
 */
export const emergencySets = { blind, blind2 } as Record<string, { text: string; emergency: boolean }[]>;

/** How many of a set's emergencies are found, and how many look-alikes raise a false alarm. */
export function emergencyCheck(set: { text: string; emergency: boolean }[]): { recall: number; falseAlarms: number } {
  const found = set.map((e) => ({ ...e, found: labelOf(e.text) === 'emergency' }));
  const real = found.filter((e) => e.emergency);
  const calm = found.filter((e) => !e.emergency);
  return {
    recall: real.filter((e) => e.found).length / real.length,
    falseAlarms: calm.filter((e) => e.found).length / calm.length,
  };
}
