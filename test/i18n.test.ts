import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  afterStatusOptions,
  anonymityOptions,
  confirmOptions,
  kindOptions,
  photoOptions,
  solvedOptions,
  urgencyOptions,
} from '../flows/complaint/complaintMachine.ts';
import { consentOptions, languageOptions, menuOptions } from '../flows/dialog/dialogMachine.ts';
import { afterAnswerOptions, topicOptions } from '../flows/enquiries/enquiriesMachine.ts';
import type { OptionSpec } from '../flows/events.ts';
import { topics as topicIds } from '../flows/events.ts';
import { ratingOptions } from '../flows/rating/ratingMachine.ts';
import { confirmLeaveOptions } from '../flows/root/rootMachine.ts';
import { loadConfig } from '../src/config.ts';
import { ticketKinds, ticketStages } from '../src/domain/ticketStages.ts';
import { Renderer } from '../src/engine/renderer.ts';
import { createI18n, locales, localesDir, readResources } from '../src/i18n.ts';

const resources = readResources();
const config = loadConfig({});
/** Every CLDR plural category; a language uses some of them (Arabic all six, English two). */
const cldrForms = ['zero', 'one', 'two', 'few', 'many', 'other'];
const pluralSuffix = new RegExp(`_(${cldrForms.join('|')})$`);
const formsOf = (lng: string) => new Intl.PluralRules(lng).resolvedOptions().pluralCategories as string[];

/** The namespace files of one language, read from its directory. */
const namespaceFiles = (lng: string) =>
  readdirSync(join(localesDir, lng))
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();

/** Every leaf as `namespace:path` → value; arrays (keyword lists) are leaves. */
function leaves(lng: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(prefix.endsWith(':') ? prefix + k : `${prefix}.${k}`, v);
    } else out.set(prefix, value);
  };
  for (const [ns, tree] of Object.entries(resources[lng] ?? {})) walk(`${ns}:`, tree);
  return out;
}

/** Leaves grouped by key with the plural forms folded in: `common:days` → its six Arabic forms. */
function folded(lng: string): Map<string, Map<string, unknown>> {
  const out = new Map<string, Map<string, unknown>>();
  for (const [key, value] of leaves(lng)) {
    const form = key.match(pluralSuffix)?.[1] ?? '';
    const base = key.replace(pluralSuffix, '');
    if (!out.has(base)) out.set(base, new Map());
    out.get(base)?.set(form, value);
  }
  return out;
}

/** The `{{name}}` variables of a text, formats and the unescaped `{{- name}}` form included. */
const variables = (value: unknown) =>
  typeof value === 'string' ? [...value.matchAll(/\{\{-?\s*([\w.]+)/g)].map((m) => m[1] as string) : [];

/** The TypeScript sources under a folder, with their paths. */
function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Ids that complete keys the code builds from a template (`enquiries:answer.${topic}`). A
 * template missing here is still checked: its prefix must be a group of texts in every language.
 */
const builtKeys: Record<string, readonly string[]> = {
  'enquiries:answer.': topicIds,
  'enquiries:topic.': topicIds,
  'complaint:ask.text.': ticketKinds,
  'complaint:summary.': ticketKinds,
  'complaint:filed.': [...ticketKinds, 'anonymous'],
  'complaint:heading.': [...ticketKinds, 'other'],
  'complaint:stage.': [...ticketStages, 'resolvedNoNote', 'closedNoNote'],
  'tickets:notify.resolved.': ticketKinds,
  'tickets:notify.reopened.': ticketKinds,
  'tickets:console.stage.': ticketStages,
  'tickets:console.kind.': ticketKinds,
  'root:menu.': menuOptions.map((o) => o.id),
  'rating:score.': ratingOptions.map((o) => o.id).filter((id) => /^\d$/.test(id)),
};

/** Every option list the flows offer. */
const offered: OptionSpec[][] = [
  languageOptions,
  consentOptions,
  menuOptions,
  topicOptions,
  afterAnswerOptions,
  ratingOptions,
  confirmLeaveOptions,
  kindOptions,
  photoOptions,
  anonymityOptions,
  urgencyOptions,
  confirmOptions,
  solvedOptions,
  afterStatusOptions,
];

/** The keys the code uses, and the prefixes of the keys it builds from templates. */
function usedInCode(namespaces: string[]): { used: Set<string>; templates: Set<string> } {
  const ns = namespaces.join('|');
  const literal = new RegExp(`(['"\`])((?:${ns}):[\\w.]+)\\1`, 'g');
  const template = new RegExp(`\`((?:${ns}):[\\w.]*)\\$\\{`, 'g');
  const used = new Set<string>();
  const templates = new Set<string>();
  for (const { path, text } of [...sources('flows'), ...sources('src')]) {
    for (const m of text.matchAll(literal)) used.add(m[2] as string);
    for (const m of text.matchAll(template)) templates.add(m[1] as string);
    // The staff console translates with a translator fixed to its own namespace: t('queue.empty').
    if (path.startsWith(join('src', 'staff'))) {
      for (const m of text.matchAll(/\bt\(\s*(['"])([\w.]+)\1/g)) used.add(`console:${m[2]}`);
      for (const m of text.matchAll(/\bt\(\s*`([\w.]*)\$\{/g)) templates.add(`console:${m[1]}`);
    }
  }
  for (const options of offered) for (const o of options) used.add(o.key);
  for (const prefix of templates) for (const id of builtKeys[prefix] ?? []) used.add(prefix + id);
  return { used, templates };
}

describe('locales', () => {
  it('should ship the same namespaces in every language, and load every one of them', () => {
    const languages = readdirSync(localesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(languages.sort()).toEqual([...locales].sort());
    for (const lng of locales) {
      expect(namespaceFiles(lng), lng).toEqual(namespaceFiles('ar'));
      expect(Object.keys(resources[lng] ?? {}).sort(), lng).toEqual(namespaceFiles(lng));
    }
    expect(namespaceFiles('ar').length).toBeGreaterThan(3);
  });

  it('should have the same keys in Arabic and English, plural forms folded', () => {
    const ar = [...folded('ar').keys()].sort();
    for (const lng of locales) expect([...folded(lng).keys()].sort(), lng).toEqual(ar);
  });

  it('should give every plural key exactly the CLDR forms of its language', () => {
    for (const lng of locales) {
      for (const [key, forms] of folded(lng)) {
        if (forms.has('')) expect(forms.size, `${key} (${lng}) is both plain and plural`).toBe(1);
        else expect([...forms.keys()].sort(), `${key} (${lng})`).toEqual([...formsOf(lng)].sort());
      }
    }
    expect(formsOf('ar')).toHaveLength(6);
  });

  it('should use the same interpolation variables in Arabic and English', () => {
    const vars = (forms: Map<string, unknown> | undefined) =>
      [...new Set([...(forms?.values() ?? [])].flatMap(variables))].sort();
    const en = folded('en');
    let compared = 0;
    for (const [key, forms] of folded('ar')) {
      expect(vars(en.get(key)), key).toEqual(vars(forms));
      compared += vars(forms).length > 0 ? 1 : 0;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('should have no empty value', () => {
    for (const lng of locales) {
      for (const [key, value] of leaves(lng)) {
        const texts = Array.isArray(value) ? value : [value];
        for (const text of texts) expect(String(text).trim(), `${key} (${lng})`).not.toBe('');
      }
    }
  });

  it('should say Arabic plurals in all six CLDR forms', () => {
    const i18n = createI18n();
    expect(i18n.t('common:days', { lng: 'ar', count: 2 })).toBe('يومان');
    expect(i18n.t('common:days', { lng: 'ar', count: 5 })).toBe('5 أيام');
    expect(i18n.t('common:days', { lng: 'ar', count: 14 })).toBe('14 يومًا');
    expect(i18n.t('common:days', { lng: 'en', count: 1 })).toBe('1 day');
  });

  it('should define, in every language, every key the code uses or builds', () => {
    const namespaces = namespaceFiles('ar');
    const { used, templates } = usedInCode(namespaces);
    for (const lng of locales) {
      const known = folded(lng);
      for (const key of used) expect(known.has(key), `${key} is used in code but missing in ${lng}`).toBe(true);
      // A key built from ids this test does not know: at least its group of texts must exist.
      for (const prefix of templates) {
        const group = prefix.replace(/\.$/, '');
        expect(
          [...known.keys()].some((k) => k.startsWith(`${group}.`)),
          `${prefix}… is built in code but ${lng} has no such group`,
        ).toBe(true);
      }
    }
    // The scan sees every namespace that is read by key (keywords.json is imported whole).
    const readByKey = namespaces.filter(
      (ns) => ![...sources('flows'), ...sources('src')].some((s) => s.text.includes(`/${ns}.json'`)),
    );
    for (const ns of readByKey)
      expect(
        [...used].some((k) => k.startsWith(`${ns}:`)),
        `no key of ${ns} found in code`,
      ).toBe(true);
    for (const prefix of Object.keys(builtKeys))
      expect(templates, `${prefix} is no longer built in code`).toContain(prefix);
  });

  it('should start every Arabic message right to left (an Arabic letter or U+200F first)', () => {
    const renderer = new Renderer(createI18n(), config.org, config.decisionDays);
    for (const key of folded('ar').keys()) {
      if (/^(keywords|intents|emergencies):/.test(key)) continue;
      const { message } = renderer.render([{ type: 'reply', key, params: { count: 3 } }], 'ar');
      // A symbol (⭐, •) may come first; the first letter or digit must be Arabic, or RLM leads.
      expect(message.text, key).toMatch(/^(\u200F|[^\p{L}\p{N}]*\p{Script=Arabic})/u);
    }
  });

  it("should fill in the organisation's profile from configuration", () => {
    const renderer = new Renderer(createI18n(), config.org, config.decisionDays);
    const about = renderer.render([{ type: 'reply', key: 'enquiries:answer.channels' }], 'en').message.text;
    expect(about).toContain(config.org.phone);
    expect(about).toContain(config.org.email);
    expect(about).toContain(config.org.website);
    expect(about).not.toContain('{{');
  });
});
