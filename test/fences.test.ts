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
  // The engine is given its desks; it imports none (the circle engine → effects → desks → engine).
  ['src/engine/fenceProbe2.ts', "import { CaseDesk } from '../desks/cases.ts';\nexport const x = CaseDesk;\n"],
  // Desks are called by the console and the channels, never the other way round.
  [
    'src/desks/fenceProbe.ts',
    "import { messagePage } from '../staff/views/common.ts';\nexport const x = messagePage;\n",
  ],
  [
    'src/desks/fenceProbe2.ts',
    "import { toInbound } from '../channels/telegram/toInbound.ts';\nexport const x = toInbound;\n",
  ],
  // Understanding reads text into events; it knows no desk and no storage.
  [
    'src/understanding/fenceProbe.ts',
    "import { lookupGuard } from '../desks/references.ts';\nexport const x = lookupGuard;\n",
  ],
  ['src/understanding/fenceProbe2.ts', "import type { Db } from '../db/client.ts';\nexport type X = Db;\n"],
  // Storage is below everything: nothing above it, not even the environment's reader.
  ['src/db/fenceProbe.ts', "import { MediaStore } from '../engine/mediaStore.ts';\nexport const x = MediaStore;\n"],
  ['src/db/fenceProbe2.ts', "import { loadConfig } from '../config.ts';\nexport const x = loadConfig;\n"],
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
