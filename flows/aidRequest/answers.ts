import type { ApplicationAnswers, CatalogueItem, Locale, Relationship } from '../events.ts';

/**
 * Reading the answers of an aid application as people type them: Arabic-Indic (٠-٩) or Persian
 * (۰-۹) digits, spaces and dashes inside numbers, dialect around them. Pure and small on purpose:
 * flows import nothing under `src/`, so these few checks live beside the flow that asks.
 */

/** Maps Arabic-Indic and Persian digits to 0-9 and leaves everything else as it is. */
export function latinDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
}

/** Writes digits the way a language reads them: Arabic-Indic in Arabic, as they are in English. */
export function localDigits(text: string, locale: Locale): string {
  return locale === 'ar' ? text.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d))) : text;
}

const letters = /^[\p{Script=Arabic}\p{Script=Latin}]$/u;

/**
 * Words of courtesy («السلام عليكم», «يعطيك العافية», "thanks"), as the edge folds them (alef
 * variants ا, ة ه, ى ي, lower case): never a name or a place, and not a description on their own.
 */
const courtesy = new Set(
  'السلام عليكم ورحمه وبركاته مرحبا اهلا وسهلا مساء مسا هلو يعطيك يعطيكم العافيه شكرا مشكور مشكورين جزاك جزاكم خيرا hello hi hey thanks thank you'.split(
    ' ',
  ),
);
/** Words that ask or request something («ابي», «ممكن», «وش», «طلب», «موظف»): never in a name or a place. */
const asking = new Set(
  'ابي ابغي ابغى ابغا اريد ودي ممكن بغيت ليت كم وش ايش متى كيف ليش وين هل شلون ماذا لماذا طلب الطلب طلبي طلبات شكوي شكوى موظف الموظف انسان برنامج اكلم اتكلم اكمل مساعده المساعده الجمعيه please want need can could would what how when why where which who staff person human request complaint help'.split(
    ' ',
  ),
);

const foldedWords = (normalized: string) => normalized.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * Whether a message is talk rather than a name or a place: a question, a greeting, a request for
 * something or someone («السلام عليكم», «ممكن اتكلم مع انسان», «كم ياخذ وقت؟»). `normalized` is the
 * text as the edge folded it.
 */
export function isTalk(text: string, normalized: string): boolean {
  return /[?؟]/.test(text) || foldedWords(normalized).some((w) => courtesy.has(w) || asking.has(w));
}

/**
 * The words that name each answer of the summary, as the edge folds them: «ابي اغير رقم الجوال
 * غلطت فيه» is about the mobile. A word as written or after «ال».
 */
const fieldWords: Record<string, readonly string[]> = {
  name: ['اسم', 'اسمي', 'name'],
  relationship: ['القرابه', 'قرابه', 'صله', 'relationship'],
  patientName: ['المريض', 'مريض', 'المريضه', 'patient'],
  nationalId: ['هويه', 'هويتي', 'الهويه', 'اقامه', 'الاقامه', 'id', 'iqama'],
  phone: ['جوال', 'جوالي', 'الجوال', 'موبايل', 'الموبايل', 'تلفون', 'هاتف', 'mobile', 'phone'],
  city: ['مدينه', 'المدينه', 'مدينتي', 'حي', 'الحي', 'city'],
  householdSize: ['افراد', 'الافراد', 'عدد', 'household'],
  income: ['دخل', 'الدخل', 'راتب', 'الراتب', 'income', 'salary'],
  aidType: ['نوع', 'المساعده', 'مساعده', 'type'],
  description: ['وصف', 'الوصف', 'احتياج', 'الاحتياج', 'description', 'need'],
  documents: ['مستندات', 'المستندات', 'اوراق', 'الاوراق', 'documents', 'papers'],
};
/** Words that ask for a change («ابي اغير», «تعديل», «غلطت», "change"). */
const changeWords = /(^| )(اغير|غير|تغيير|عدل|اعدل|تعديل|غلطت|غلط|خطا|صحح|اصحح|change|edit|correct|wrong)( |$)/;

/** The one answer a message asks to change, by its words («ابي اغير رقم الجوال»), or undefined. */
export function fieldToChange(normalized: string): string | undefined {
  if (!changeWords.test(normalized)) return undefined;
  const words = foldedWords(normalized);
  let named = Object.keys(fieldWords).filter((field) => fieldWords[field]?.some((w) => words.includes(w)));
  // «اسم المريض» is the patient's name; «هوية المريض» the ID, which is the patient's.
  if (named.length === 2 && named.includes('patientName'))
    named = named.includes('name') ? ['patientName'] : named.filter((f) => f !== 'patientName');
  // «رقم» alone is the ID's or the mobile's: only a field named once is chosen.
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The relatives people name when applying for them, as the edge folds them, each with who the
 * patient is to the applicant: «ابوي», «الوالدة», «ولدي», «زوجتي», «اخوي», «جدتي», "my mother".
 */
const relativeWords: Record<Relationship, readonly string[]> = {
  parent: [
    'ابوي',
    'ابويه',
    'والدي',
    'والدتي',
    'الوالد',
    'الوالده',
    'الوالدين',
    'والديني',
    'امي',
    'امه',
    'ابوه',
    'father',
    'mother',
    'dad',
    'mom',
    'mum',
    'parent',
    'parents',
  ],
  child: ['ابني', 'بنتي', 'ولدي', 'اولادي', 'عيالي', 'ابنتي', 'بنيتي', 'وليدي', 'son', 'daughter', 'child', 'kid'],
  spouse: ['زوجي', 'زوجتي', 'حرمتي', 'husband', 'wife'],
  sibling: ['اخوي', 'اخي', 'اختي', 'اخواني', 'خواتي', 'brother', 'sister'],
  other: [
    'جدي',
    'جدتي',
    'خالتي',
    'خالي',
    'عمي',
    'عمتي',
    'قريبي',
    'قريبتي',
    'grandfather',
    'grandmother',
    'aunt',
    'uncle',
    'relative',
  ],
};

/**
 * The relative a message names («الطلب لابوي», «لامي», «for my father»), with «ل» or «لل» in
 * front or not; undefined when none or relatives of two kinds are named.
 */
export function readRelationship(normalized: string): Relationship | undefined {
  const words = foldedWords(normalized).flatMap((w) => [w, w.replace(/^(و?ل|و)/, ''), w.replace(/^و?لل/, 'ال')]);
  const named = (Object.keys(relativeWords) as Relationship[]).filter((r) =>
    relativeWords[r].some((w) => words.includes(w)),
  );
  return named.length === 1 ? named[0] : undefined;
}

/** Whether a message is only courtesy («السلام عليكم», «الله يعطيك العافية»): no description of a need. */
export function isOnlyCourtesy(normalized: string): boolean {
  // «الله يعطيك العافية», «جزاك الله خير»: the name of God is courtesy here, never in a name it is not.
  const words = foldedWords(normalized);
  return words.length > 0 && words.every((w) => courtesy.has(w) || w === 'الله' || w === 'خير');
}

/**
 * A full name: at least two words of Arabic or Latin letters (hyphens, apostrophes and Arabic
 * diacritics allowed inside a word), at most 80 characters. Returns it with spaces tidied.
 */
export function readName(text: string): string | undefined {
  // «اسمي محمد الحربي», "my name is …": the name is what follows.
  const name = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(اسمي|إسمي|انا|أنا|الاسم|my name is|name:?)\s+/i, '');
  if (name.length > 80) return undefined;
  const words = name.split(' ');
  if (words.length < 2) return undefined;
  const isWord = (word: string) =>
    /^[\p{L}\p{M}'’-]+$/u.test(word) &&
    [...word].filter((c) => /\p{L}/u.test(c)).length >= 2 &&
    [...word].every((c) => !/\p{L}/u.test(c) || letters.test(c));
  return words.every(isWord) ? name : undefined;
}

/** Why a typed national ID or Iqama number cannot be used: not an ID at all, or mistyped. */
export type NationalIdProblem = 'format' | 'checksum';

/**
 * A Saudi national ID (first digit 1) or Iqama number (2): ten digits with a valid Luhn check
 * digit. A wrong check digit is told apart (`checksum`: "this number looks mistyped").
 */
export function readNationalId(text: string): { id: string } | { problem: NationalIdProblem } {
  const digits = latinDigits(text).replace(/[\s\-_.\u0640]/g, '');
  if (!/^[12]\d{9}$/.test(digits)) return { problem: 'format' };
  return luhn(digits) ? { id: digits } : { problem: 'checksum' };
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The Saudi mobile ranges (libphonenumber's metadata for SA): 05X… but not 052. */
const saudiMobile = /^(?:579[0-8]\d{5}|5(?:[013-689]\d|7[0-8])\d{6})$/;

/**
 * A Saudi mobile number written any usual way (05XXXXXXXX, 5XXXXXXXX, 9665…, +9665…, 009665…,
 * with spaces, dashes or brackets, in any digits), in E.164 (+9665XXXXXXXX).
 */
export function readMobile(text: string): string | undefined {
  const plain = latinDigits(text).replace(/[\s\-_.()\u0640\u200e\u200f]/g, '');
  const national = plain.match(/^(?:\+966|00966|966|0)?(5\d{8})$/)?.[1];
  return national && saudiMobile.test(national) ? `+966${national}` : undefined;
}

/** An E.164 Saudi mobile written as people read it at home: 05XXXXXXXX. */
export function localMobile(e164: string): string {
  return e164.replace(/^\+966/, '0');
}

/** The one whole number in a text («٥ أفراد», «3,500 ريال»), thousands separators allowed. */
function onlyNumber(text: string): number | undefined {
  const plain = latinDigits(text).replace(/(\d)[,\u066C\u060C'’ ](?=\d{3}(?!\d))/g, '$1');
  const numbers = plain.match(/\d+/g);
  return numbers?.length === 1 ? Number(numbers[0]) : undefined;
}

/** The household size: one whole number from 1 to 30. */
export function readHouseholdSize(text: string): number | undefined {
  const size = onlyNumber(text);
  return size !== undefined && size >= 1 && size <= 30 ? size : undefined;
}

/** Words that say there is no income at all. */
const noIncome =
  /^(لا يوجد|لايوجد|ما ?في|ما ?عندي( دخل)?|ما ?عندنا( دخل)?|ولا ?شي|ولا ?شيء|صفر|بدون( دخل)?|none|nothing|no income|zero)$/i;
/** Thousands written as a word or a letter: «٣ آلاف», «٥٠ الف», «3k», «ألفين». */
const thousands = /^(.*?\d)\s*(k|آلاف|الاف|ألاف|الف|ألف|آلف|thousand)$/i;

/**
 * The monthly household income in riyals, as digits: one whole number up to a million, with
 * thousands said in words («٣ آلاف» → 3000, "3k" → 3000, «ألفين» → 2000), and «ما عندي دخل» → 0.
 * Words like «تقريبا» around it are fine.
 */
export function readIncome(text: string): string | undefined {
  const plain = latinDigits(text)
    .replace(
      /تقريبا|تقريبًا|حوالي|حوالى|يعني|ريال|ريالات|رس|بالشهر|شهريا|شهريًا|about|around|riyals?|sar|a month|monthly/gi,
      ' ',
    )
    .replace(/\s+/g, ' ')
    .trim();
  if (noIncome.test(plain)) return '0';
  if (/^(ألفين|الفين)$/.test(plain)) return '2000';
  if (/^(ألف|الف)$/.test(plain)) return '1000';
  const scaled = plain.match(thousands);
  const riyals = scaled
    ? (() => {
        const base = onlyNumber(scaled[1] ?? '');
        return base === undefined ? undefined : base * 1000;
      })()
    : onlyNumber(plain);
  return riyals !== undefined && riyals <= 1_000_000 ? String(riyals) : undefined;
}

/** The monthly income bands offered beside a typed amount; stored as `band:<id>`. */
export const incomeBands = ['none', 'under3000', 'from3000to5000', 'from5000to8000', 'over8000'] as const;

/** A short description of the need and the health condition: two words or more, 1000 characters at most. */
export function readDescription(text: string): string | undefined {
  const description = text.trim();
  const words = description.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  return words.length >= 2 && description.length <= 1000 ? description : undefined;
}

/** A city or district typed in words when it is not in the list: some letters, 60 characters at most. */
export function readPlace(text: string): string | undefined {
  const place = text.replace(/\s+/g, ' ').trim();
  return [...place].filter((c) => /\p{L}/u.test(c)).length >= 2 && place.length <= 60 ? place : undefined;
}

/** The last four digits of a national ID or Iqama, as typed. */
export function readLastFour(text: string): string | undefined {
  const digits = latinDigits(text).replace(/[\s\-_.]/g, '');
  return /^\d{4}$/.test(digits) ? digits : undefined;
}

/** The documents every application asks for, in the catalogue's order. */
export function requiredDocuments(documents: readonly CatalogueItem[]): CatalogueItem[] {
  return documents.filter((d) => d.required);
}

/** Whether every required document has an answer: a file, or a promise to bring it later. */
export function documentsAnswered(answers: ApplicationAnswers, documents: readonly CatalogueItem[]): boolean {
  const given = new Set((answers.documents ?? []).map((d) => d.documentTypeId));
  return answers.documents !== undefined && requiredDocuments(documents).every((d) => given.has(d.id));
}
