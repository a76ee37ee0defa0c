import { describe, expect, it } from 'vitest';
import { play } from './evaluate.ts';
import { scripts } from './scripts.ts';

describe('conversations that deviate from the form', () => {
  it.each(scripts.map((s) => [`${s.flow}: ${s.name}`, s] as const))('should hold: %s', async (_, script) => {
    expect(await play(script)).toEqual([]);
  });
});
