// `npm run bench [-- --scale 0.1] [-- --people 500 …]`: the engine benchmark, then understanding's.
// Every size in `defaultSizes` can be set by its name in kebab case (`--idle-conversations 1000`);
// `--scale` multiplies them all. Writes bench/results.json.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultSizes, type Sizes } from './engineBench.ts';
import { runBench } from './index.ts';
import { formatTable } from './table.ts';

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const names = Object.keys(defaultSizes) as (keyof Sizes)[];
const { values } = parseArgs({
  options: {
    scale: { type: 'string' },
    output: { type: 'string' },
    'skip-understanding': { type: 'boolean' },
    ...Object.fromEntries(names.map((name) => [kebab(name), { type: 'string' as const }])),
  },
});
const scale = Number(values.scale ?? 1);
const sizes = { ...defaultSizes };
for (const name of names) {
  const given = (values as Record<string, string | undefined>)[kebab(name)];
  sizes[name] =
    given !== undefined
      ? Number(given)
      : Math.max(name === 'burstRounds' ? 1 : 2, Math.round(defaultSizes[name] * (name === 'burstRounds' ? 1 : scale)));
}
const here = dirname(fileURLToPath(import.meta.url));
const output = values.output ?? join(here, 'results.json');
const results = await runBench({ sizes, output });
// bench/results.json as Biome formats JSON, so that `npm run lint` stays clean after a run.
if (values.output === undefined)
  spawnSync('npx', ['biome', 'format', '--write', output], { stdio: 'ignore', cwd: here });
console.log(formatTable(results));
console.log(`\n${results.seconds.toFixed(0)} s; written to ${output}\n`);
// In a process of its own: this one has trained and cached the models already.
if (!values['skip-understanding']) {
  const understanding = join(here, 'understanding.ts');
  spawnSync(process.execPath, [...process.execArgv, understanding], { stdio: 'inherit' });
}
