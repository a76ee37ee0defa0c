import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { audit } from '../db/audit.ts';
import { openDatabase } from '../db/client.ts';
import { createStaffUser, findStaffByUsername, type Role, roles } from '../db/staff.ts';
import { generatePassword, hashPassword } from './auth.ts';

const usage =
  'Usage: npm run staff -- add <username> --role <officer|researcher|manager|admin> [--name "Display name"]';

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
  if (command !== 'add' || !/^[a-z0-9._-]{3,32}$/.test(username) || !role || !roles.includes(role)) {
    process.stderr.write(`${usage}\nA username is 3–32 of a-z, 0-9, dot, dash or underscore.\n`);
    return 2;
  }
  let piped = '';
  if (!process.stdin.isTTY) for await (const chunk of process.stdin) piped += String(chunk);
  const password = piped.split('\n')[0]?.trim() || generatePassword();
  if (password.length < 10) {
    process.stderr.write('The password must have at least 10 characters.\n');
    return 2;
  }
  const config = loadConfig();
  const database = openDatabase(join(config.dataDir, 'assistant.db'));
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
    if (!piped.trim()) process.stdout.write(`Password (shown once, write it down): ${password}\n`);
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
