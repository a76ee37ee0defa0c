import { describe, expect, it } from 'vitest';
import { fromArabizi, isArabizi } from '../../src/understanding/arabizi.ts';
import { interpret } from '../../src/understanding/interpret.ts';

const read = (text: string) => {
  const reading = interpret({ channel: 'test', chatId: '1', messageId: '1', kind: 'text', text }, [], 4000);
  return 'event' in reading ? reading.event : undefined;
};

describe('Arabizi', () => {
  it('should tell Arabizi from English', () => {
    expect(isArabizi('ana abgha asajel 3ndkom')).toBe(true);
    expect(isArabizi('wain maqarkom')).toBe(true);
    expect(isArabizi('I need a wheelchair for my mother')).toBe(false);
    expect(isArabizi('hello')).toBe(false);
    expect(isArabizi('Covid19 test results from 2nd visit')).toBe(false);
  });

  it('should write it in the Arabic letters the assistant knows', () => {
    expect(fromArabizi('abi a7thef bayanati')).toBe('ابي احذف بياناتي');
    expect(fromArabizi('yrdon 3la 6alabi')).toBe('يردون علي طلبي');
    // Numbers stay numbers.
    expect(fromArabizi('jawali 0501234567')).toContain('0501234567');
  });

  it('should route Arabizi like the Arabic it stands for, and answer in Arabic', () => {
    expect(read('ana abgha asajel 3ndkom')).toMatchObject({ type: 'text', service: 'aid', lang: 'ar' });
    expect(read('mata yrdon 3la 6alabi')).toMatchObject({ type: 'text', service: 'followUp', lang: 'ar' });
    expect(read('abi akalem mowa6af')).toMatchObject({ type: 'global', word: 'staff', lang: 'ar' });
    expect(read('abooy 6a7 w ma yrd 3lai')).toMatchObject({ type: 'global', word: 'emergency', lang: 'ar' });
  });
});
