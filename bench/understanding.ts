// `npm run bench`: what understanding costs — training at start, loading the cached models, and
// the time it adds to each message (the corpus and dev2's first messages read at the main menu, many times over).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShownOption } from '../src/domain/messages.ts';
import { interpret } from '../src/understanding/interpret.ts';
import { Understanding } from '../src/understanding/understanding.ts';
import corpus from '../test/nlu/corpus.json' with { type: 'json' };
import firstMessages from '../test/nlu/dev2.json' with { type: 'json' };

const dir = mkdtempSync(join(tmpdir(), 'nlu-bench-'));
const timed = <T>(work: () => T): [T, number] => {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
};

// Each `new Understanding` in a fresh process would train; here the second one finds the cache.
const [, trainMs] = timed(() => new Understanding({ cacheDir: dir }));
const understanding = new Understanding({ cacheDir: dir });
const menu: ShownOption[] = ['enquiries', 'aid', 'followUp', 'complaint', 'staff', 'language'].map((id) => ({
  id,
  labels: [id],
}));
// The corpus, and first messages as people write them (long ones, Arabizi).
const texts = [...corpus, ...firstMessages].map((e) => e.text);
const times: number[] = [];
// Two rounds to warm up (the first reads compile the code), then twenty measured.
for (let round = -2; round < 20; round++) {
  for (const [i, text] of texts.entries()) {
    const input = { channel: 'bench', chatId: '1', messageId: String(i), kind: 'text' as const, text };
    const [, took] = timed(() => interpret(input, menu, 4000, understanding));
    if (round >= 0) times.push(took);
  }
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
const ms = (x: number) => `${x.toFixed(3)} ms`;
console.log(`${cpus()[0]?.model} × ${cpus().length}, Node ${process.version}`);
console.log(`training both models, no cache: ${ms(trainMs)}`);
console.log(
  `reading a message (${times.length} reads): p50 ${ms(at(0.5))} · p95 ${ms(at(0.95))} · p99 ${ms(at(0.99))} · max ${ms(at(1))}`,
);
console.log(
  `target: p99 ≤ 0.5 ms — ${at(0.99) <= 0.5 ? 'met' : 'NOT met'}; training ≤ 2 s — ${trainMs <= 2000 ? 'met' : 'NOT met'}`,
);
rmSync(dir, { recursive: true, force: true });
