import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { audit } from '../db/audit.ts';
import { openDatabase } from '../db/client.ts';
import { createStaffUser, findStaffByUsername } from '../db/staff.ts';
import { minPasswordLength, passwordProblem, usernamePattern } from '../domain/credentials.ts';
import { type Role, roles } from '../domain/permissions.ts';
import { generatePassword, hashPassword } from '../staff/auth.ts';
import { commandSettings } from './settings.ts';

const usage =
  'Usage: npm run staff -- add <username> --role <officer|researcher|manager|admin> [--name "Display name"]';

const passwordAdvice = {
  short: `The password must have at least ${minPasswordLength} characters.`,
  repeated: 'The password must not be one character or a short group repeated; choose a longer phrase.',
  common: 'The password is too easy to guess (a well-known password, a keyboard run or the username).',
};

/**
 * `npm run staff -- add <username> --role <role>`: creates a staff account. The password is
 * read from standard input when one is piped in; otherwise one is generated and printed once.
 */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' } },
  });
  const [command, rawUsername] = positionals;
  const username = rawUsername?.trim().toLowerCase() ?? '';
  const role = values.role as Role | undefined;
  if (command !== 'add' || !usernamePattern.test(username) || !role || !roles.includes(role)) {
    process.stderr.write(`${usage}\nA username is 3–32 of a-z, 0-9, dot, dash or underscore.\n`);
    return 2;
  }
  let piped = '';
  if (!process.stdin.isTTY) for await (const chunk of process.stdin) piped += String(chunk);
  // The piped line is taken as typed (only its line ending removed): spaces are part of a password.
  const typed = piped.split('\n')[0]?.replace(/\r$/, '') ?? '';
  const password = typed || generatePassword();
  const problem = passwordProblem(password, username, values.name ?? '');
  if (problem) {
    process.stderr.write(`${passwordAdvice[problem]}\n`);
    return 2;
  }
  const { config, key } = commandSettings();
  const database = openDatabase(join(config.dataDir, 'assistant.db'), key.secret);
  try {
    if (findStaffByUsername(database.db, username)) {
      process.stderr.write(`There is already an account named "${username}".\n`);
      return 1;
    }
    const user = createStaffUser(database.db, {
      username,
      displayName: values.name?.trim() || username,
      role,
      passwordHash: await hashPassword(password),
    });
    audit(database.db, {
      staffUserId: null,
      action: 'create',
      objectType: 'staff',
      objectId: user.id,
      details: { role, by: 'cli' },
    });
    process.stdout.write(`Created ${role} account "${username}".\n`);
    if (!typed) process.stdout.write(`Password (shown once, write it down): ${password}\n`);
    return 0;
  } finally {
    database.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
