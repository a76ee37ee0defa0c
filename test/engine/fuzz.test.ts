import { join } from 'node:path';
import { and, eq, gt, ne } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor } from 'xstate';
import type { Reply } from '../../flows/events.ts';
import { rootFlowVersion, rootMachine } from '../../flows/root/rootMachine.ts';
import { openDatabase } from '../../src/db/client.ts';
import { findConversation } from '../../src/db/conversations.ts';
import { handoffs, outbox } from '../../src/db/schema.ts';
import type { Inbound } from '../../src/domain/inbound.ts';
import { Engine } from '../../src/engine/engine.ts';
import { createI18n } from '../../src/i18n.ts';
import { Understanding } from '../../src/understanding/understanding.ts';
import { memoryLogger, tempDir, testEffects, testRenderer } from '../helpers.ts';

/**
 * Random people against every flow: the root machine through the engine on a real SQLite file,
 * with the real understanding. One engine for the whole file (training its models takes a
 * second); each run is a new chat. A failure prints fast-check's seed and the shrunk inputs.
 */
const temp = tempDir();
const database = openDatabase(join(temp.dir, 'fuzz.db'));
const { logger, lines: logLines } = memoryLogger();
const renderer = testRenderer();
const keys: string[] = [];
const render = renderer.render.bind(renderer);
// Every key a flow asks for is written down on its way to the real renderer.
renderer.render = (replies: Reply[], locale) => {
  for (const r of replies) keys.push(r.key, ...(r.options ?? []).map((o) => o.key));
  return render(replies, locale);
};
const engine = new Engine({
  db: database.db,
  flow: { machine: rootMachine, version: rootFlowVersion },
  renderer,
  effects: testEffects,
  logger,
  understanding: new Understanding({ cacheDir: join(temp.dir, 'nlu') }),
  flood: { limit: 1000, windowMs: 60_000 },
});
const i18n = createI18n();
afterAll(() => {
  database.close();
  temp.remove();
});

const bidi = ['\u202e', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u200e', '\u061c'];
const words = [
  'القائمة',
  'إلغاء',
  'موظف',
  'رجوع',
  'مساعدة',
  'menu',
  'cancel',
  'staff',
  'English',
  'عربي',
  'نعم',
  'لا',
  'السلام عليكم',
  'ابغى اقدم طلب مساعدة',
  'عندي شكوى',
  'وين وصل طلبي',
  'AID-2026-0001-7',
  '1000000008',
  '0551234567',
  'بياناتي',
  'احذف بياناتي',
  'أبي أموت',
  'شكرا',
];
const digits = fc.integer({ min: 0, max: 12 }).map((n) => [String(n), '٠١٢٣٤٥٦٧٨٩'.charAt(n % 10)].join(''));
const arabic = fc
  .array(fc.integer({ min: 0x0600, max: 0x06ff }), { maxLength: 40 })
  .map((cs) => String.fromCodePoint(...cs));
const unicode = fc.string({ unit: 'binary', maxLength: 60 }); // any code point, emoji included
const loneSurrogates = fc
  .array(fc.integer({ min: 0xd800, max: 0xdfff }), { minLength: 1, maxLength: 4 })
  .map((cs) => String.fromCharCode(...cs));
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...words) },
  { weight: 3, arbitrary: digits },
  { weight: 2, arbitrary: arabic },
  { weight: 2, arbitrary: unicode },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...bidi), fc.constantFrom(...words)).map(([b, w]) => b + w + b) },
  { weight: 1, arbitrary: fc.constant('ب'.repeat(100_000)) },
);

/** What a person does: words, a button (the n-th option on screen), a command, a file, a place… */
type Action =
  | { kind: 'text'; text: string }
  | { kind: 'button'; index: number }
  | { kind: 'command'; command: string }
  | { kind: 'other'; inbound: 'location' | 'contact' | 'photo' | 'sticker' };
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: text.map((t) => ({ kind: 'text' as const, text: t })) },
  { weight: 4, arbitrary: fc.nat(8).map((index) => ({ kind: 'button' as const, index })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('start', 'menu', 'help', 'language', 'staff', 'cancel', 'nonsense')
      .map((command) => ({ kind: 'command' as const, command })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('location', 'contact', 'photo', 'sticker')
      .map((inbound) => ({ kind: 'other' as const, inbound: inbound as 'location' })),
  },
);

let sequence = 0;
function inboundOf(chatId: string, act: Action): Inbound {
  const base = { channel: 'fuzz', chatId, messageId: `m${++sequence}` };
  switch (act.kind) {
    case 'text':
      return { ...base, kind: 'text', text: act.text };
    case 'button': {
      const shown = findConversation(database.db, 'fuzz', chatId)?.options ?? [];
      const option = shown[act.index % Math.max(shown.length, 1)];
      return { ...base, kind: 'choice', choiceId: option?.id ?? 'stale-button' };
    }
    case 'command':
      return { ...base, kind: 'command', command: act.command };
    default:
      switch (act.inbound) {
        case 'location':
          return { ...base, kind: 'location', latitude: 24.7, longitude: 46.7 };
        case 'contact':
          return { ...base, kind: 'contact', phone: '+966551234567' };
        case 'photo':
          return { ...base, kind: 'media', media: 'photo', mime: 'image/jpeg', size: 1000 };
        default:
          return { ...base, kind: 'unsupported', what: 'sticker' };
      }
  }
}

const queuedFor = (conversationId: number, after: number) =>
  database.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.conversationId, conversationId), gt(outbox.id, after)))
    .all();
const lastOutboxId = () => database.db.select({ id: outbox.id }).from(outbox).all().at(-1)?.id ?? 0;

describe('Every flow under random input', () => {
  it('should never throw, answer each input a bounded number of times with known keys, always restore, and bring the menu on «القائمة»', async () => {
    let chat = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 14 }), async (actions) => {
        const chatId = `c${++chat}`;
        for (const act of actions) {
          const before = lastOutboxId();
          keys.length = 0;
          await engine.handle(inboundOf(chatId, act));
          const conversation = findConversation(database.db, 'fuzz', chatId);
          expect(conversation).toBeDefined();
          const id = conversation?.id ?? -1;
          // One message per input, rarely two (a staff notice beside the answer).
          expect(queuedFor(id, before).length).toBeLessThanOrEqual(2);
          for (const key of keys) {
            expect(i18n.exists(key, { lng: 'ar' }), `ar ${key}`).toBe(true);
            expect(i18n.exists(key, { lng: 'en' }), `en ${key}`).toBe(true);
          }
          // The saved state comes back as it was saved (none yet: the edge answered before any flow).
          if (conversation?.snapshot != null) {
            const actor = createActor(rootMachine as AnyStateMachine, { snapshot: JSON.parse(conversation.snapshot) });
            actor.start();
            expect(actor.getSnapshot().status).toBe('active');
            actor.stop();
          }
        }
        const conversation = findConversation(database.db, 'fuzz', chatId);
        const id = conversation?.id ?? -1;
        const inHandoff = database.db
          .select()
          .from(handoffs)
          .where(and(eq(handoffs.conversationId, id), ne(handoffs.status, 'closed')))
          .get();
        const before = lastOutboxId();
        keys.length = 0;
        await engine.handle(inboundOf(chatId, { kind: 'text', text: 'القائمة' }));
        const answered = queuedFor(id, before);
        expect(answered.length).toBeGreaterThanOrEqual(1);
        if (!inHandoff) {
          const shown = (findConversation(database.db, 'fuzz', chatId)?.options ?? []).map((o) => o.id);
          // The menu; or, before the person has chosen a language and decided on the privacy
          // notice, the step that comes before it.
          const menu = shown.includes('aid') && shown.includes('complaint');
          const before = keys.some((k) => /consent|privacy|language\.prompt/.test(k));
          expect(menu || before, `after «القائمة»: ${keys.join(', ')} / ${shown.join(', ')}`).toBe(true);
        }
        // No turn failed (a failed turn is answered with an apology, and its state restarted).
        expect(
          logLines.filter((l) => l.includes('could not be restored') || l.includes('Handling a message failed')),
        ).toEqual([]);
      }),
      { numRuns: 80, verbose: 1 },
    );
    await engine.idle();
  }, 120_000);
});
