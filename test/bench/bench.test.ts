import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Sizes } from '../../bench/engineBench.ts';
import { runBench } from '../../bench/index.ts';
import { formatTable } from '../../bench/table.ts';
import { tempDir } from '../helpers.ts';

/** A run small enough for `npm test`: it proves the harness works, never how fast anything is. */
const tiny: Sizes = {
  people: 20,
  burstRounds: 2,
  sequentialPeople: 2,
  concurrentPeople: 5,
  openLoopSeconds: 0.5,
  deliveryPeople: 10,
  telegramPeople: 5,
  longConversation: 30,
  idleConversations: 200,
  rawMessages: 40,
  floorPeople: 5,
};

describe('npm run bench', () => {
  it('should run every stage at a tiny size and write a well-formed results.json', async () => {
    const temp = tempDir();
    try {
      const output = join(temp.dir, 'results.json');
      const results = await runBench({ sizes: tiny, output, progress: () => {} });
      const written = JSON.parse(readFileSync(output, 'utf8'));
      expect(written).toEqual(JSON.parse(JSON.stringify(results)));
      expect(written.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
      expect(written.machine.cpu).toEqual(expect.any(String));
      for (const stage of Object.values(written.throughput) as { messages: number; perSecond: number }[]) {
        expect(stage.messages).toBeGreaterThan(0);
        expect(stage.perSecond).toBeGreaterThan(0);
      }
      // Every reply left: through the in-process channel, and through the fake Bot API.
      expect(written.delivery.inProcess.delivered).toBe(written.delivery.inProcess.messages);
      expect(written.delivery.telegram.delivered).toBeGreaterThanOrEqual(written.delivery.telegram.messages);
      expect(written.openLoop.map((o: { share: number }) => o.share)).toEqual([0.25, 0.5]);
      expect(written.raw).toHaveLength(6);
      expect(written.floor.map((f: { perTransaction: number }) => f.perTransaction)).toEqual([1, 64]);
      expect(written.storage.perConversation).toBeGreaterThan(0);
      expect(written.targets).toHaveLength(7);
      for (const target of written.targets) expect(typeof target.met).toBe('boolean');
      expect(formatTable(results)).toContain('| Target (issue 14) |');
    } finally {
      temp.remove();
    }
  }, 120_000);
});
