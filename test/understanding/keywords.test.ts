import { describe, expect, it } from 'vitest';
import { compileVocabulary, matchKeywords, matchWhole } from '../../src/understanding/keywords.ts';

describe('matchKeywords', () => {
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
