import { expect } from 'vitest';
import type { ApplicationAnswers, CaseSummary, CatalogueItem, FlowOutput, SystemEvent } from '../../flows/events.ts';
import { loadConfig } from '../../src/config.ts';
import type { Harness } from './flowHarness.ts';

/** The default aid catalogue (migrations/0009_aid_catalogue_defaults.sql), as the engine sends it. */
export const aidTypes: CatalogueItem[] = [
  {
    id: '1',
    names: {
      ar: 'أجهزة طبية (كرسي متحرك، سرير طبي، جهاز أكسجين…)',
      en: 'Medical devices (wheelchair, medical bed, oxygen…)',
    },
  },
  { id: '2', names: { ar: 'أدوية', en: 'Medicines' } },
  { id: '3', names: { ar: 'مستلزمات طبية (حفائظ، أشرطة سكر…)', en: 'Medical supplies (diapers, glucose strips…)' } },
  { id: '4', names: { ar: 'المساعدة في تكاليف العلاج أو النقل', en: 'Help with treatment or transport costs' } },
  { id: '5', names: { ar: 'سلة غذائية', en: 'Food basket' } },
  { id: '6', names: { ar: 'أخرى', en: 'Other' } },
];

/** The default documents: three asked of every application, three only when a researcher asks. */
export const documents: CatalogueItem[] = [
  {
    id: '11',
    names: { ar: 'صورة الهوية الوطنية أو الإقامة', en: 'A photo of the national ID or Iqama' },
    required: true,
  },
  { id: '12', names: { ar: 'تقرير طبي حديث', en: 'A recent medical report' }, required: true },
  {
    id: '13',
    names: {
      ar: 'إثبات الدخل (تعريف راتب أو كشف حساب أو الضمان الاجتماعي)',
      en: 'Proof of income (salary letter, bank statement or social security)',
    },
    required: true,
  },
  { id: '14', names: { ar: 'سجل الأسرة', en: 'The family record' }, required: false },
];

/** The default cities (AID_CITIES). */
export const cities: CatalogueItem[] = loadConfig({}).cities;

/** The engine's answer to `catalogue.load`. */
export const catalogue: SystemEvent = { type: 'catalogue', aidTypes, documents, cities };

/** The names of the effects among a turn's outputs. */
export const effectNames = (outputs: FlowOutput[]) => outputs.filter((o) => o.type === 'effect').map((o) => o.name);

/** The reply keys among a turn's outputs. */
export const replyKeys = (outputs: FlowOutput[]) => outputs.filter((o) => o.type === 'reply').map((o) => o.key);

/** The last effect of `name` among a turn's outputs. */
export function effectOf<N extends string>(outputs: FlowOutput[], name: N) {
  return outputs.findLast((o) => o.type === 'effect' && o.name === name) as
    | Extract<FlowOutput, { name: N }>
    | undefined;
}

/**
 * Answers the effects an application asks for when it starts, as the engine would: the
 * catalogue, the sender's phone (and whether files can be sent), and an unfinished draft.
 */
export function answerStart(
  h: Harness,
  start: FlowOutput[],
  { phone, files, draft }: { phone?: string; files?: boolean; draft?: ApplicationAnswers } = {},
): FlowOutput[] {
  expect(effectNames(start)).toContain('catalogue.load');
  const profile = h.sendRaw(catalogue);
  expect(effectNames(profile)).toEqual(['profile.phone']);
  const loading = h.sendRaw({ type: 'profile.phone', phone, ...(files === undefined ? {} : { files }) });
  expect(effectNames(loading)).toEqual(['draft.load']);
  return h.sendRaw({ type: 'draft.loaded', answers: draft });
}

/** A request as the engine summarises it. */
export function caseSummary(extra: Partial<CaseSummary> = {}): CaseSummary {
  return {
    caseId: 42,
    reference: 'A-48-00042-1',
    stage: 'under_research',
    changedAt: Date.UTC(2026, 10, 20, 9),
    dueAt: Date.UTC(2026, 11, 4, 9),
    aidType: aidTypes[0]?.names ?? { ar: '', en: '' },
    missing: [],
    ...extra,
  };
}
