import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type Resource } from 'i18next';
import type { Locale } from './domain/messages.ts';

/** The languages shipped in `locales/`; the first is the default. */
export const locales: readonly Locale[] = ['ar', 'en'];

/** Where the translation files live: `locales/<language>/<namespace>.json`. */
export const localesDir = join(dirname(fileURLToPath(import.meta.url)), '../locales');

/** Reads every namespace of every language from `dir`. */
export function readResources(dir: string = localesDir): Resource {
  const resources: Resource = {};
  for (const lng of locales) {
    const namespaces: Record<string, unknown> = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      namespaces[basename(file, '.json')] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
    resources[lng] = namespaces as Resource[string];
  }
  return resources;
}

/**
 * Creates the translator every reply is rendered with: Arabic by default and as the fallback,
 * CLDR plural suffixes (`_zero` … `_other`), no HTML escaping (replies are plain text).
 */
export function createI18n(resources: Resource = readResources()): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'ar',
    fallbackLng: 'ar',
    supportedLngs: [...locales],
    ns: Object.keys(resources.ar ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}
