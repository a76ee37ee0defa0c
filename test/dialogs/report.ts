/**
 * `npm run dialogs:eval`: plays every script of `scripts.ts` and prints the pass rate per flow,
 * with what failed; then the sets written blind (`blind*.json`), reported apart and never tuned
 * on: their figures only, so that nobody reads their misses by accident.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BlindScript, play, playBlind } from './evaluate.ts';
import { scripts } from './scripts.ts';

async function report(
  title: string,
  items: { flow: string; name: string }[],
  run: (i: number) => Promise<string[]>,
  showMisses = true,
) {
  process.stdout.write(`\n${title}\n`);
  const byFlow = new Map<string, { passed: number; total: number }>();
  for (const [i, item] of items.entries()) {
    const problems = await run(i);
    const tally = byFlow.get(item.flow) ?? { passed: 0, total: 0 };
    tally.total += 1;
    if (problems.length === 0) tally.passed += 1;
    else if (showMisses) process.stdout.write(`✗ ${item.flow}: ${item.name}\n  ${problems.join('\n  ')}\n`);
    byFlow.set(item.flow, tally);
  }
  let passed = 0;
  for (const [flow, { passed: p, total }] of byFlow) {
    passed += p;
    process.stdout.write(`${flow.padEnd(14)} ${p}/${total} (${((100 * p) / total).toFixed(0)}%)\n`);
  }
  process.stdout.write(
    `${'all'.padEnd(14)} ${passed}/${items.length} (${((100 * passed) / items.length).toFixed(0)}%)\n`,
  );
}

await report('scripts.ts (the development set)', scripts, (i) => play(scripts[i] as (typeof scripts)[number]));
const here = import.meta.dirname;
for (const file of readdirSync(here).filter((f) => /^blind.*\.json$/.test(f))) {
  const blind = JSON.parse(readFileSync(join(here, file), 'utf8')) as BlindScript[];
  await report(`${file} (written blind: never tuned on)`, blind, (i) => playBlind(blind[i] as BlindScript), false);
}
