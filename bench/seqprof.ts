// `npm run bench:profile [-- --people 2000 --burst-rounds 4]`: a CPU profile of the burst only
// (the assistant started and warmed up first), written to a .cpuprofile for Chrome's DevTools,
// and summarised: self time by library and the hottest functions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAssistant } from './assistant.ts';
import { people, textInbound } from './conversations.ts';
import { oneAtATime } from './engineBench.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '2000' },
    'burst-rounds': { type: 'string', default: '4' },
    output: { type: 'string', default: join(tmpdir(), 'seq.cpuprofile') },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'ataa-profile-'));
const assistant = startAssistant(dir);
const t = assistant.transactions;
await Promise.all(
  people(50, 1).map(async (p) => {
    for (const line of p.script.lines) await assistant.engine.handle(textInbound(p.chatId, line));
  }),
);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const run = await oneAtATime(assistant, t, Number(values.people));
const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[] } };
session.disconnect();
await assistant.close();
rmSync(dir, { recursive: true, force: true });
writeFileSync(values.output, JSON.stringify(profile));

/** Where a function lives: a library, the project's own folders, or the runtime. */
function placeOf(url: string, name: string): string {
  const lib = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (lib) return lib;
  const own = /\/(src\/[^/]+|flows|bench|locales)\//.exec(url)?.[1];
  if (own) return own;
  if (name === '(garbage collector)') return '(gc)';
  if (name === '(idle)' || name === '(program)') return name;
  if (url) return 'node internals';
  // better-sqlite3's native side: compiling a statement, or running one (a commit's fsync included).
  if (name === 'Statement' || name === 'prepare') return 'SQLite: compiling statements';
  if (['run', 'get', 'all', 'iterate', 'exec'].includes(name))
    return 'SQLite: running statements (commit fsync included)';
  return `(native: ${name || 'anonymous'})`;
}

const total = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
const byPlace = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const place = placeOf(url, functionName);
  byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
  const key = `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/main\//, '')}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
}
const share = (hits: number) => `${((hits / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`burst: ${run.messages} messages, ${run.perSecond.toFixed(0)} msg/s; profile in ${values.output}`);
const { count, p50, max } = run.transactions;
console.log(
  `transactions: ${count} (${(run.messages / count).toFixed(1)} messages each), p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
);
console.log('\nself time by place:');
for (const [place, hits] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`${share(hits)}  ${place}`);
console.log('\nhottest functions (self time):');
for (const [fn, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${share(hits)}  ${fn}`);
