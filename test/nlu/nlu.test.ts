import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { intents } from '../../flows/events.ts';
import arIntents from '../../locales/ar/intents.json' with { type: 'json' };
import enIntents from '../../locales/en/intents.json' with { type: 'json' };
import { anonymise } from '../../src/domain/anonymise.ts';
import { IntentClassifier } from '../../src/understanding/classifier.ts';
import { Understanding } from '../../src/understanding/understanding.ts';
import { intentPhrases } from '../../src/understanding/vocabulary.ts';
import {
  emergencyCheck,
  emergencySets,
  evaluate,
  evaluateHeldOut,
  examples,
  firstMessages,
  heldOut,
  overlap,
} from './evaluate.ts';

const report = evaluate();

describe('the evaluation corpus (test/nlu/corpus.json)', () => {
  it('should hold at least 400 messages covering every intent, emergencies, out-of-scope messages and English', () => {
    expect(examples.length).toBeGreaterThanOrEqual(400);
    for (const intent of [...intents, 'emergency', 'none']) {
      expect(examples.filter((e) => e.intent === intent).length, intent).toBeGreaterThanOrEqual(10);
    }
    expect(examples.filter((e) => e.lang === 'en').length).toBeGreaterThanOrEqual(50);
    expect(examples.some((e) => /[٠-٩]/.test(e.text))).toBe(true);
  });

  it('should share no message with the training phrases, after normalisation', () => {
    expect(overlap()).toEqual([]);
  });

  it('should be understood at 95% or better overall', () => {
    expect(report.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('should find every emergency, and raise a false one for at most 2% of the rest', () => {
    expect(report.mistakes.filter((m) => m.expected === 'emergency')).toEqual([]);
    expect(report.emergencyRecall).toBe(1);
    expect(report.falseEmergencies).toBeLessThanOrEqual(0.02);
  });
});

describe('first messages written apart (test/nlu/heldout.json, and dev2.json for development)', () => {
  it('should hold 220 of them each, in Arabic, English and Arabizi, no sentence a training phrase', () => {
    for (const set of [heldOut, firstMessages]) {
      expect(set.length).toBe(220);
      for (const script of ['arabic', 'english', 'arabizi']) {
        expect(set.filter((e) => e.script === script).length, script).toBeGreaterThanOrEqual(40);
      }
      expect(set.filter((e) => e.intent === 'emergency').length).toBe(40);
      // Short set expressions («مشكور», «مع السلامه», "hi there») are training phrases too; nothing longer.
      expect(overlap(set).filter((text) => text.split(' ').length > 5)).toEqual([]);
    }
  });

  // Floors under today's figures, not the goal (95%, every emergency, ≤ 1% false ones): a change
  // that loses ground fails here. Its misses are never read (see the README).
  it('should route the held-out messages at 88% or better, find 95% of their emergencies, and raise false ones for ≤ 2%', () => {
    const held = evaluateHeldOut();
    expect(held.routed).toBeGreaterThanOrEqual(0.88);
    expect(held.emergencyRecall).toBeGreaterThanOrEqual(0.95);
    expect(held.falseEmergencies).toBeLessThanOrEqual(0.02);
  });

  it('should route the development first messages at 89% or better and find every emergency in them', () => {
    const dev = evaluateHeldOut(firstMessages);
    expect(dev.routed).toBeGreaterThanOrEqual(0.89);
    expect(dev.emergencyRecall).toBe(1);
    expect(dev.falseEmergencies).toBeLessThanOrEqual(0.01);
  });
});

describe('the emergency sets written by others (test/nlu/blind*.json)', () => {
  // Not the corpus's 100%: they were not written to the lists, and every new phrase moves them a little.
  it.each(Object.keys(emergencySets))(
    'should find 90% of the emergencies of %s, words the rules do not name too',
    (name) => {
      expect(emergencyCheck(emergencySets[name] ?? []).recall).toBeGreaterThanOrEqual(0.9);
    },
  );
});

describe('the training phrases (locales/<lang>/intents.json)', () => {
  it.each([
    ['ar', arIntents],
    ['en', enIntents],
  ] as const)('should give every intent at least 25 phrases in %s, and out-of-scope ones', (_lang, file) => {
    for (const intent of intents) expect(file[intent].length, intent).toBeGreaterThanOrEqual(25);
    expect(file.None.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(file)).toEqual([...intents, 'None']);
  });
});

describe('IntentClassifier', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should keep its model under the cache folder by a hash of the data, owner-only, the latest only', () => {
    const data = { ar: { a: ['ابي كرسي متحرك'], b: ['متى الدوام'] }, en: { a: ['wheelchair'], b: ['opening hours'] } };
    const trained = IntentClassifier.for(data, { dir, name: 'test' });
    const [file] = readdirSync(dir);
    expect(file).toBe(`test-${trained.hash}.json`);
    expect(statSync(join(dir, file ?? '')).mode & 0o777).toBe(0o600);
    expect(trained.classify('ابي كرسي', 'ar')[0]?.intent).toBe('a');
    // Other phrases: another hash, and only the new file is kept.
    const other = IntentClassifier.for({ ...data, en: { a: ['a wheelchair'], b: ['hours'] } }, { dir, name: 'test' });
    expect(other.hash).not.toBe(trained.hash);
    expect(readdirSync(dir)).toEqual([`test-${other.hash}.json`]);
  });

  it('should give no meaning to words it never learned rather than a wild guess', () => {
    const classifier = IntentClassifier.for(intentPhrases);
    expect(classifier.classify('الخبراء الشمالية', 'ar')).toEqual([]);
    expect(classifier.classify('وين وصل طلبي', 'ar')[0]?.intent).toBe('followUp');
  });
});

describe('Understanding', () => {
  it('should learn a phrase a manager taught, at once', () => {
    const phrase = 'ودي اعرف وش سويتوا بمعاملتي يا جماعه';
    const understanding = new Understanding();
    understanding.learn([{ lang: 'ar', intent: 'followUp', text: phrase }]);
    expect(understanding.classify(phrase, 'ar')[0]).toMatchObject({ intent: 'followUp' });
  });
});

describe('anonymise', () => {
  it('should mask every number, e-mail and link of a missed message, in any digits', () => {
    expect(anonymise('هويتي ١٠٢٣٤٥٦٧٨٩ وجوالي 055 123 4567 وايميلي a@b.sa https://x.y/z')).toBe(
      'هويتي # وجوالي # وايميلي [email] [link]',
    );
    expect(anonymise('\u202Eا'.repeat(300)).length).toBeLessThanOrEqual(200);
  });
});
