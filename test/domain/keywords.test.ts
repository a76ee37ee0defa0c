import { describe, expect, it } from 'vitest';
import { compileVocabulary, matchKeywords, matchWhole } from '../../src/domain/keywords.ts';
import { topicVocabulary } from '../../src/engine/vocabulary.ts';

describe('matchKeywords', () => {
  it.each([
    ['كم يستغرق الطلب؟', 'duration'],
    ['وش الأوراق المطلوبة', 'documents'],
    ['وش الاوراق المطلوبه', 'documents'],
    ['متى الدوام عندكم', 'hours'],
    ['ساعات عمل الجمعية', 'hours'],
    ['من يستحق المساعدة؟', 'eligibility'],
    ['كيف أقدم على طلب', 'apply'],
    ['وش رقمكم', 'channels'],
    ['ما هي حقوقي', 'rights'],
    ['what documents do I need?', 'documents'],
    ['How long does it take', 'duration'],
    ['When are you open?', 'hours'],
    ['who is eligible', 'eligibility'],
  ])('should read %s as the %s topic', (text, topic) => {
    expect(matchKeywords(text, topicVocabulary)).toBe(topic);
  });

  it('should find nothing in unrelated text', () => {
    expect(matchKeywords('السلام عليكم', topicVocabulary)).toBeUndefined();
    expect(matchKeywords('', topicVocabulary)).toBeUndefined();
  });

  it('should prefer the topic with the longer matching phrase', () => {
    const v = compileVocabulary({ a: ['طلب'], b: ['تقديم طلب'] });
    expect(matchKeywords('أريد تقديم طلب', v)).toBe('b');
  });

  it('should match a whole message only with matchWhole', () => {
    const v = compileVocabulary({ staff: ['موظف', 'كلم موظف'] });
    expect(matchWhole('مُوَظَّف', v)).toBe('staff');
    expect(matchWhole('كلم الموظف', v)).toBe('staff');
    expect(matchWhole('الموظف تأخر علي', v)).toBeUndefined();
  });
});
