import { describe, expect, it } from 'vitest';
import { compileVocabulary, matchWhole } from '../../src/understanding/keywords.ts';
import { bare, cliticForms, stems, tokenize } from '../../src/understanding/tokenizer.ts';
import { standardUnderstanding } from '../../src/understanding/understanding.ts';

describe('tokenize', () => {
  it('should read digits, letter variants, emphasis and a glued negation the same way for every reader', () => {
    expect(tokenize('شكراااا، «مايتنفس» ٣ مرات').words).toEqual(['شكرا', 'ما', 'يتنفس', '3', 'مرات']);
    // «ماتت» (she died) is not «ما» + a verb.
    expect(tokenize('ماتت').words).toEqual(['ماتت']);
  });

  it('should tell the language once, by the script most words are in', () => {
    expect(tokenize('وين طلبي A-48-00001-1').lang).toBe('ar');
    expect(tokenize('where is my request').lang).toBe('en');
    expect(tokenize('١٢٣ 👍').lang).toBeUndefined();
  });

  it('should take off what is glued to the front of an Arabic word, never leaving less than the rest asked', () => {
    expect(cliticForms('وبالجمعيه', 2)).toEqual(['جمعيه', 'الجمعيه', 'بالجمعيه']);
    expect(bare('للمريض')).toBe('مريض');
    expect(bare('فالاوراق')).toBe('اوراق');
    expect(bare('والد')).toBe('الد');
    expect(bare('بيت')).toBe('بيت');
  });
});

describe('one tokenizer for keywords, the classifier and the emergency rules', () => {
  it('should match a phrase whatever is glued to its words', () => {
    expect(stems('وبالجمعية للمريض')).toEqual(['جمعيه', 'مريض']);
    expect(matchWhole('وللموظف', compileVocabulary({ staff: ['موظف'] }))).toBe('staff');
  });

  it('should see danger written with a typographic apostrophe as with a plain one', () => {
    const understanding = standardUnderstanding();
    expect(understanding.isEmergency('my dad can’t breathe', 'en')).toBe(true);
    expect(understanding.isEmergency("my dad can't breathe", 'en')).toBe(true);
  });
});
