import { describe, expect, it } from 'vitest';
import { passwordProblem, usernamePattern } from '../../src/domain/credentials.ts';

describe('passwordProblem', () => {
  it('should accept a long phrase, spaces and Arabic included', () => {
    for (const password of [
      'correct horse battery',
      'قهوة الصباح مع الهيل',
      'Zq7#pLm2!vR9',
      ' a long new passphrase ',
    ]) {
      expect(passwordProblem(password), password).toBeUndefined();
    }
  });

  it('should refuse what is short, repeated, common, a keyboard run or the username', () => {
    const cases: [string, string][] = [
      ['short pass', 'short'],
      ['aaaaaaaaaaaa', 'repeated'],
      ['abcabcabcabc', 'repeated'],
      ['١٢١٢١٢١٢١٢١٢', 'repeated'],
      ['Password2024!', 'common'],
      ['P@ssw0rd12345', 'common'],
      ['qwertyuiop12', 'common'],
      ['123456789012', 'common'],
      ['111222111222', 'repeated'],
      ['abcdefghijklm', 'common'],
      ['ataa12345678', 'common'],
    ];
    for (const [password, problem] of cases) expect(passwordProblem(password), password).toBe(problem);
    expect(passwordProblem('huda.officer1', 'huda.officer')).toBe('common');
    // A part said twice, and a name inside, are guessed as fast.
    expect(passwordProblem('officer2officer2')).toBe('repeated');
    expect(passwordProblem('passwordpassword')).toBe('repeated');
    expect(passwordProblem('my-officer2-secret', 'officer2')).toBe('common');
    expect(passwordProblem('ReemTheResearcher9', 'r.saad', 'ريم Reem')).toBe('common');
  });

  it('should count characters, not bytes, and never trim', () => {
    expect(passwordProblem('كلمة سر طيبة')).toBeUndefined();
    expect(passwordProblem('            ')).toBe('repeated');
    expect(passwordProblem('  correct horse  ')).toBeUndefined();
  });
});

describe('usernamePattern', () => {
  it('should take 3–32 lower-case Latin letters, digits, dot, dash or underscore', () => {
    expect(usernamePattern.test('huda.a-1_b')).toBe(true);
    for (const name of ['hu', 'Huda', 'هدى', 'huda ali', 'x'.repeat(33)])
      expect(usernamePattern.test(name), name).toBe(false);
  });
});
