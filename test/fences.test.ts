import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** An import each folder must not make, written as a probe file inside that folder. */
const crossings: [file: string, source: string][] = [
  ['src/channels/console/fenceProbe.ts', "import type { Db } from '../../db/client.ts';\nexport type X = Db;\n"],
  [
    'src/channels/telegram/fenceProbe.ts',
    "import type { Reply } from '../../../flows/events.ts';\nexport type X = Reply;\n",
  ],
  ['src/channels/whatsapp/fenceProbe.ts', "import { outbox } from '../../db/schema.ts';\nexport const x = outbox;\n"],
  ['src/staff/fenceProbe.ts', "import type { FlowEvent } from '../../flows/events.ts';\nexport type X = FlowEvent;\n"],
  ['flows/fenceProbe.ts', "import { normalize } from '../src/domain/normalize.ts';\nexport const x = normalize;\n"],
  ['src/domain/fenceProbe.ts', "import type { Config } from '../config.ts';\nexport type X = Config;\n"],
  // The encrypting build of the SQLite driver is fenced like the driver itself.
  ['src/engine/fenceProbe.ts', "import Database from 'better-sqlite3-multiple-ciphers';\nexport const x = Database;\n"],
];

describe('the folders fenced by the linter', () => {
  it('should make `npm run lint` fail on each crossing, and pass the project as it is', () => {
    const lint = (files: string[]) =>
      spawnSync('npx', ['biome', 'lint', '--max-diagnostics=100', ...files], { cwd: root, encoding: 'utf8' });
    try {
      for (const [file, source] of crossings) writeFileSync(join(root, file), source);
      const result = lint(crossings.map(([file]) => file));
      expect(result.status).not.toBe(0);
      for (const [file] of crossings)
        expect(result.stdout + result.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+ lint/style/noRestrictedImports`));
    } finally {
      for (const [file] of crossings) rmSync(join(root, file), { force: true });
    }
    expect(lint(['src', 'flows']).status).toBe(0);
  });
});
