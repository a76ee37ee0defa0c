/** `npm run dialogs:eval`: plays every script of `scripts.ts` and prints the pass rate per flow, with what failed. */
import { play } from './evaluate.ts';
import { scripts } from './scripts.ts';

const byFlow = new Map<string, { passed: number; total: number }>();
for (const script of scripts) {
  const problems = await play(script);
  const tally = byFlow.get(script.flow) ?? { passed: 0, total: 0 };
  tally.total += 1;
  if (problems.length === 0) tally.passed += 1;
  else process.stdout.write(`✗ ${script.flow}: ${script.name}\n  ${problems.join('\n  ')}\n`);
  byFlow.set(script.flow, tally);
}
let passed = 0;
for (const [flow, { passed: p, total }] of byFlow) {
  passed += p;
  process.stdout.write(`${flow.padEnd(12)} ${p}/${total} (${((100 * p) / total).toFixed(0)}%)\n`);
}
process.stdout.write(`all          ${passed}/${scripts.length} (${((100 * passed) / scripts.length).toFixed(0)}%)\n`);
