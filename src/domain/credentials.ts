/** A staff username: 3–32 of a-z, 0-9, dot, dash or underscore (typed lower-case at login). */
export const usernamePattern = /^[a-z0-9._-]{3,32}$/;

/** The shortest password a staff member may choose. */
export const minPasswordLength = 12;

/** Passwords (and stems) that are tried first by anyone guessing; compared in lower case. */
const common = new Set([
  'password',
  'qwerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'iloveyou',
  'letmein',
  'welcome',
  'admin',
  'administrator',
  'changeme',
  'secret',
  'football',
  'monkey',
  'dragon',
  'sunshine',
  'princess',
  'baseball',
  'master',
  'trustno1',
  'abc123',
  'ataa',
  'atta',
  'saudi',
  'ksa',
  'riyadh',
  'qassim',
  'buraydah',
  'allah',
  'bismillah',
  'mohammed',
  'muhammad',
]);

const sequences = ['0123456789012345678901', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm'];

/** Why a password cannot be used, or undefined when it can. Never trimmed: spaces count. */
export type PasswordProblem = 'short' | 'repeated' | 'common';

/**
 * Checks a password a person chose: long enough, not a part repeated («aaaaaaaaaaaa»,
 * «abcabcabcabc», «passwordpassword»), not a run of the keyboard or the digits, not a well-known
 * password with a few digits or symbols around it («Password2024!»), and holding neither the
 * username nor a word of the display name («officer2officer2», «huda2026huda»).
 */
export function passwordProblem(password: string, username = '', displayName = ''): PasswordProblem | undefined {
  if ([...password].length < minPasswordLength) return 'short';
  const lower = password.toLowerCase();
  for (let size = 1; size <= lower.length / 2; size++) {
    if (
      lower
        .slice(0, size)
        .repeat(Math.ceil(lower.length / size))
        .slice(0, lower.length) === lower
    )
      return 'repeated';
  }
  // «P@ssw0rd2024!» is «password»: digits and symbols around it dropped, look-alikes read back.
  const core = lower
    .replace(/^[\d\W_]+|[\d\W_]+$/g, '')
    .replace(/[@4]/g, 'a')
    .replace(/0/g, 'o')
    .replace(/[1!]/g, 'i')
    .replace(/3/g, 'e')
    .replace(/[5$]/g, 's')
    .replace(/7/g, 't')
    .replace(/[\d\s\W_]+/g, '');
  const digits = lower.replace(/\D/g, '');
  if (
    common.has(core) ||
    holdsName(lower, username, displayName) ||
    sequences.some((run) => run.includes(lower) || [...run].reverse().join('').includes(lower)) ||
    (digits.length === lower.length && new Set(digits).size <= 3)
  ) {
    return 'common';
  }
  return undefined;
}

/** Whether a password holds the username, or a word of three letters or more of the display name. */
function holdsName(lower: string, username: string, displayName: string): boolean {
  const names = [username, ...displayName.split(/\s+/)]
    .map((name) => name.toLowerCase().replace(/[\d\W_]+/g, ''))
    .filter((name) => [...name].length >= 3);
  const letters = lower.replace(/[\d\W_]+/g, '');
  return names.some((name) => letters.includes(name));
}
