import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topicIds } from '../flows/vocabulary.ts';
import { createI18n, readResources } from '../src/i18n.ts';
import { config, testRenderer } from './helpers.ts';

const resources = readResources();
const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** Every leaf key as `namespace:path`, plural suffixes folded into their base key. */
function keys(lng: 'ar' | 'en'): Set<string> {
  const out = new Set<string>();
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(prefix.endsWith(':') ? prefix + k : `${prefix}.${k}`, v);
    } else out.add(prefix.replace(pluralSuffix, ''));
  };
  for (const [ns, tree] of Object.entries(resources[lng] ?? {})) walk(`${ns}:`, tree);
  return out;
}

function leaves(value: unknown): unknown[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.values(value).flatMap(leaves);
  return Array.isArray(value) ? value : [value];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

describe('locales', () => {
  it('should have the same keys in Arabic and English', () => {
    expect([...keys('en')].sort()).toEqual([...keys('ar')].sort());
  });

  it('should have no empty value', () => {
    for (const lng of ['ar', 'en']) {
      for (const value of leaves(resources[lng])) expect(String(value).trim()).not.toBe('');
    }
  });

  it('should give Arabic all six CLDR plural forms wherever it uses plurals', () => {
    const common = resources.ar?.common as Record<string, string>;
    for (const form of ['zero', 'one', 'two', 'few', 'many', 'other']) expect(common[`days_${form}`]).toBeTruthy();
    const i18n = createI18n();
    expect(i18n.t('common:days', { lng: 'ar', count: 2 })).toBe('يومان');
    expect(i18n.t('common:days', { lng: 'ar', count: 5 })).toBe('5 أيام');
    expect(i18n.t('common:days', { lng: 'ar', count: 14 })).toBe('14 يومًا');
    expect(i18n.t('common:days', { lng: 'en', count: 1 })).toBe('1 day');
  });

  it('should define every key the code uses', () => {
    const known = keys('ar');
    const used = new Set<string>();
    for (const source of [...sourceFiles('flows'), ...sourceFiles('src')]) {
      for (const m of source.matchAll(/['`]((?:common|root|enquiries):[\w.]+)['`]/g)) used.add(m[1] as string);
    }
    for (const id of topicIds) used.add(`enquiries:answer.${id}`).add(`enquiries:topic.${id}`);
    for (const id of ['aid', 'followUp', 'complaint']) used.add(`root:comingSoon.${id}`);
    expect(used.size).toBeGreaterThan(20);
    for (const key of used) expect(known, key).toContain(key);
  });

  it('should start every Arabic message right to left (an Arabic letter or U+200F first)', () => {
    const renderer = testRenderer();
    for (const key of keys('ar')) {
      if (key.startsWith('keywords:')) continue;
      const { message } = renderer.render([{ type: 'reply', key, params: { count: 3 } }], 'ar');
      // A symbol (⭐, •) may come first; the first letter or digit must be Arabic, or RLM leads.
      expect(message.text, key).toMatch(/^(\u200F|[^\p{L}\p{N}]*\p{Script=Arabic})/u);
    }
  });

  it("should fill in the organisation's profile from configuration", () => {
    const renderer = testRenderer();
    const about = renderer.render([{ type: 'reply', key: 'enquiries:answer.channels' }], 'en').message.text;
    expect(about).toContain(config.org.phone);
    expect(about).toContain(config.org.email);
    expect(about).toContain(config.org.website);
    expect(about).not.toContain('{{');
  });
});
