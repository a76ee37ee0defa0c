import { describe, expect, it } from 'vitest';
import { helpfulOptions, scoreOptions } from '../../flows/rating/ratingOptions.ts';
import type { ShownOption } from '../../src/domain/messages.ts';
import { interpret } from '../../src/understanding/interpret.ts';
import { readScore } from '../../src/understanding/score.ts';

/** The options as the engine keeps them (the labels do not matter here). */
const shownOf = (ids: string[]): ShownOption[] => ids.map((id) => ({ id, labels: [id] }));
const read = (text: string, shown: ShownOption[]) =>
  interpret({ channel: 'test', chatId: '1', messageId: '1', kind: 'text', text }, shown, 2000);

describe('readScore', () => {
  it.each([
    ['١', 1],
    ['٢', 2],
    ['٣', 3],
    ['٤', 4],
    ['٥', 5],
    ['۴', 4],
    ['3', 3],
    ['٥ من ٥', 5],
    ['4/5', 4],
    ['٤ نجوم', 4],
    ['5 stars', 5],
  ])('should read the digits %s as %i', (text, score) => {
    expect(readScore(text)).toBe(score);
  });

  it.each([
    ['⭐', 1],
    ['⭐⭐⭐⭐', 4],
    ['⭐ ⭐ ⭐', 3],
    ['★★★★★', 5],
    ['👍', 5],
    ['👍🏽', 5],
    ['❤️', 5],
    ['🙂', 4],
    ['😐', 3],
    ['😕', 2],
    ['😞', 1],
    ['👎', 1],
    ['👍👍', 5],
  ])('should read the stars or emoji %s as %i', (text, score) => {
    expect(readScore(text)).toBe(score);
  });

  it.each([
    ['ممتاز', 5],
    ['ممتازة', 5],
    ['ممتاز جداً', 5],
    ['الخدمة ممتازة شكرا', 5],
    ['ما شاء الله', 5],
    ['جيد جدا', 4],
    ['زين', 4],
    ['كويس', 4],
    ['جيد', 3],
    ['عادي', 3],
    ['لا بأس', 3],
    ['مقبول', 2],
    ['مو زين', 2],
    ['سيء', 1],
    ['سيئ جدًا', 1],
    ['ضعيف', 1],
    ['الموظف فاشل', 1],
    ['Excellent', 5],
    ['great, thanks', 5],
    ['Very good!', 4],
    ['good', 3],
    ['not bad', 3],
    ['not good', 2],
    ['bad', 1],
    ['ممتاز 👍', 5],
    ['شكرا 👍', 5],
  ])('should read the words %s as %i', (text, score) => {
    expect(readScore(text)).toBe(score);
  });

  it.each([
    ['٦'],
    ['0'],
    ['10'],
    ['⭐⭐⭐⭐⭐⭐'],
    ['👍😞'],
    ['ممتاز 😞'],
    ['ما كانت ممتازة'],
    ['not excellent'],
    ['ممتاز وسيء'],
    ['شكرا'],
    ['كم يستغرق الطلب'],
    [''],
  ])('should read no score in %s', (text) => {
    expect(readScore(text)).toBeUndefined();
  });
});

describe('a score written where a rating is asked', () => {
  const scores = shownOf(scoreOptions({ subject: 'case', subjectId: 42 }).map((o) => o.id));
  const helpful = shownOf(['another', 'menu', ...helpfulOptions('hours').map((o) => o.id)]);

  it('should choose the offered option with that score', () => {
    expect(read('ممتاز', scores)).toEqual({ event: { type: 'choice', id: 'rate:case:42:5' } });
    expect(read('⭐⭐', scores)).toEqual({ event: { type: 'choice', id: 'rate:case:42:2' } });
    expect(read('٤', scores)).toEqual({ event: { type: 'choice', id: 'rate:case:42:4' } });
  });

  it('should choose the nearer of "helpful" and "not helpful", and neither for a middling score', () => {
    expect(read('جيد جدا', helpful)).toEqual({ event: { type: 'choice', id: helpfulOptions('hours')[0]?.id } });
    expect(read('😕', helpful)).toEqual({ event: { type: 'choice', id: helpfulOptions('hours')[1]?.id } });
    expect(read('عادي', helpful)).toMatchObject({ event: { type: 'text' } });
  });

  it('should read a score only where a rating is asked', () => {
    expect(read('ممتاز', shownOf(['enquiries', 'aid']))).toMatchObject({ event: { type: 'text', text: 'ممتاز' } });
  });

  it('should still hear an emergency first', () => {
    expect(read('سيء جدا، ابوي ما يقدر يتنفس', scores)).toMatchObject({ event: { type: 'global', word: 'emergency' } });
  });
});
