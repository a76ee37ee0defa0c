import type { i18n } from 'i18next';
import type { Locale, OptionSpec, Params, Reply } from '../../flows/events.ts';
import { bothCalendars } from '../domain/hijri.ts';
import type { OutboundMessage, ShownOption } from '../domain/messages.ts';
import { toArabicDigits } from '../domain/normalize.ts';
import type { OrgProfile } from '../domain/orgProfile.ts';
import { locales } from '../i18n.ts';

/** Right-to-left mark: makes a message that starts with a digit or Latin text render RTL. */
const RLM = '\u200F';

/**
 * Turns what a flow said into text in the user's language. Every message may use the
 * organisation's profile (`{{orgName}}`, `{{orgPhone}}`, `{{workingHours}}` …) without the flow
 * knowing it, so another association runs the same flows with its own configuration.
 */
export class Renderer {
  private readonly profile: Record<Locale, Params>;
  private readonly moments: Record<Locale, Intl.DateTimeFormat>;
  private readonly timeZone: string;
  /** Texts without parameters of their own, as rendered once: they do not change from message to message. */
  private readonly fixed = new Map<string, string>();
  /** The other ways of saying each option, by its key. */
  private readonly said = new Map<string, string[]>();

  constructor(
    private readonly i18n: i18n,
    org: OrgProfile,
    decisionDays: number,
  ) {
    this.profile = {
      ar: profileParams(i18n, org, decisionDays, 'ar'),
      en: profileParams(i18n, org, decisionDays, 'en'),
    };
    const moment = (tag: string) =>
      new Intl.DateTimeFormat(tag, { weekday: 'long', hour: 'numeric', minute: '2-digit', timeZone: org.timeZone });
    this.moments = { ar: moment('ar-SA-u-ca-gregory-nu-arab'), en: moment('en-GB') };
    this.timeZone = org.timeZone;
  }

  /**
   * Joins the replies of one turn into one message; the last reply that offers options wins.
   * `shown` is what to remember of those options for reading the next typed answer: the label
   * in every language.
   */
  render(replies: Reply[], locale: Locale): { message: OutboundMessage; shown?: ShownOption[] } {
    const text = replies.map((r) => this.text(r.key, locale, r.params)).join('\n\n');
    const options = replies.findLast((r) => r.options)?.options;
    const message: OutboundMessage = { locale, text: locale === 'ar' ? rightToLeft(text) : text };
    const flag = replies.find((r) => r.flag)?.flag;
    if (flag) message.flag = flag;
    if (!options) return { message };
    const label = (o: OptionSpec, lng: Locale) => o.labels?.[lng] ?? this.text(o.key, lng);
    message.options = options.map((o) => ({ id: o.id, label: label(o, locale) }));
    return {
      message,
      shown: options.map((o) => ({
        id: o.id,
        labels: [...locales.map((lng) => label(o, lng)), ...this.sayings(o.key)],
      })),
    };
  }

  /**
   * The other ways people say an option, in every language, read like its label: for
   * `complaint:option.notUrgent`, the list `complaint:saying.notUrgent` («مو مستعجله», «عادي»).
   */
  private sayings(key: string): string[] {
    const known = this.said.get(key);
    if (known) return known;
    const [, ns, id] = key.match(/^([^:]+):option\.(.+)$/) ?? [];
    const list = (lng: Locale): string[] => {
      const said = this.i18n.t(`${ns}:saying.${id}`, { lng, returnObjects: true, defaultValue: [] }) as unknown;
      return Array.isArray(said) ? said.filter((s): s is string => typeof s === 'string') : [];
    };
    const sayings = ns === undefined ? [] : locales.flatMap(list);
    this.said.set(key, sayings);
    return sayings;
  }

  /**
   * Translates one key; the profile parameters of `locale` are always there. A numeric parameter
   * named `…At` is a moment (epoch ms), written as weekday and time in the organisation's zone;
   * one named `…Date` is a day, written Hijri first with the Gregorian date beside it; any other
   * number is written in the language's digits.
   */
  text(key: string, locale: Locale, params?: Params): string {
    if (params === undefined || Object.keys(params).length === 0) {
      const id = `${locale}\u0000${key}`;
      let text = this.fixed.get(id);
      if (text === undefined) {
        text = this.i18n.t(key, { lng: locale, ...this.profile[locale] });
        this.fixed.set(id, text);
      }
      return text;
    }
    const values: Params = { ...this.profile[locale] };
    for (const [name, value] of Object.entries(params ?? {})) {
      if (typeof value !== 'number') values[name] = value;
      else if (name.endsWith('At')) values[name] = this.moments[locale].format(value);
      else if (name.endsWith('Date')) {
        const days = bothCalendars(new Date(value), locale, this.timeZone);
        values[name] = this.i18n.t('common:bothCalendars', { lng: locale, ...days });
      } else if (name === 'count' || locale !== 'ar') values[name] = value;
      // Numbers in Arabic text are written in Arabic-Indic digits («ترتيبك: ١»); `count` stays a
      // number for the plural rules (its texts format it themselves).
      else values[name] = toArabicDigits(String(value));
    }
    return this.i18n.t(key, { lng: locale, ...values });
  }
}

/** Prefixes U+200F when the first strong character of `text` is not Arabic. */
export function rightToLeft(text: string): string {
  const first = text.match(/[\p{L}\p{N}]/u)?.[0];
  return first && !/\p{Script=Arabic}/u.test(first) ? RLM + text : text;
}

function profileParams(i18n: i18n, org: OrgProfile, decisionDays: number, lng: Locale): Params {
  const tag = lng === 'ar' ? 'ar-SA-u-ca-gregory-nu-arab' : 'en-GB';
  const weekday = new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' });
  // 2023-01-01 was a Sunday: day d of the week is 2023-01-(1+d).
  const dayName = (d: number) => weekday.format(Date.UTC(2023, 0, 1 + d));
  const clock = new Intl.DateTimeFormat(tag, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  const time = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number);
    return clock.format(Date.UTC(2023, 0, 1, h, m));
  };
  const days = org.workingDays;
  const [year, month, day] = org.registrationDateHijri.split('-').map(Number);
  const digits = (s: string) => (lng === 'ar' ? toArabicDigits(s) : s);
  return {
    orgName: org.name[lng],
    orgCity: org.city[lng],
    orgPhone: org.phone,
    supportLine: org.supportLine,
    orgWebsite: org.website,
    orgEmail: org.email,
    orgRegNumber: digits(org.registrationNumber),
    orgRegDate: i18n.t('common:hijriDate', { lng, date: digits(`${day}/${month}/${year}`) }),
    workingDays: i18n.t('common:dayRange', { lng, from: dayName(days[0] ?? 0), to: dayName(days.at(-1) ?? 0) }),
    workingHours: i18n.t('common:timeRange', {
      lng,
      from: time(org.workingHours.from),
      to: time(org.workingHours.to),
    }),
    decisionPeriod: digits(i18n.t('common:days', { lng, count: decisionDays })),
  };
}
