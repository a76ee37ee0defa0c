import type { Report, Satisfaction, Team } from '../../db/reports.ts';
import { share } from '../../domain/stats.ts';
import { html, type SafeHtml } from '../html.ts';
import { barChart, columnChart, type Datum, niceMax } from './charts.ts';
import { userText } from './common.ts';
import type { PageContext } from './layout.ts';

/** How a cell is written: in the page in the console's language, in a CSV as a plain value. */
type Kind = 'text' | 'count' | 'percent' | 'minutes' | 'day' | 'score';

/** One cell of a report table. */
export interface Cell {
  value: string | number | null;
  kind: Kind;
}

/** A table of the reports: shown on the dashboard, downloadable as CSV under its id. */
export interface ReportTable {
  id: string;
  title: string;
  headers: string[];
  rows: Cell[][];
}

/** The periods a manager may choose, in weeks. */
export const reportPeriods = [4, 12, 26, 52] as const;

/** The ids of the tables, in the order of the page (each is also a CSV). */
export const reportTableIds = [
  'satisfaction-weekly',
  'satisfaction-channels',
  'satisfaction-services',
  'satisfaction-teams',
  'rating-response',
  'rating-comments',
  'handoff-times',
  'handoffs-daily',
  'cases-stages',
  'cases-decisions',
  'complaints-categories',
  'complaints-summary',
] as const;

/** A table's id. */
export type ReportTableId = (typeof reportTableIds)[number];

const text = (value: string): Cell => ({ value, kind: 'text' });
const count = (value: number): Cell => ({ value, kind: 'count' });
const percent = (value: number | null): Cell => ({ value, kind: 'percent' });
const minutes = (value: number | null): Cell => ({ value, kind: 'minutes' });
const day = (value: string): Cell => ({ value, kind: 'day' });
const score = (value: number | null): Cell => ({ value, kind: 'score' });

const satisfactionCells = (s: Satisfaction): Cell[] => [
  count(s.rated),
  count(s.satisfied),
  percent(share(s.satisfied, s.rated)),
];

/** Everything the page shows of a report, in the console's language: its tables. */
export function reportTables(ctx: PageContext, report: Report): Record<ReportTableId, ReportTable> {
  const { t, lang } = ctx;
  const col = (key: string) => t(`reports:col.${key}`);
  const measure = (key: string) => text(t(`reports:measure.${key}`));
  const channel = (name: string) => (name ? t(`channel.${name}`, { defaultValue: name }) : t('reports:channelUnknown'));
  const service = (subject: string) => t(`reports:service.${subject}`);
  const team = (name: Team) => t(`reports:team.${name}`);
  const satisfactionHeaders = [col('rated'), col('satisfied'), col('share')];
  const s = report.satisfaction;
  const h = report.handoffs;
  const c = report.cases;
  const k = report.complaints;
  const responseTotal = report.response.reduce(
    (sum, r) => ({ asked: sum.asked + r.asked, answered: sum.answered + r.answered, skipped: sum.skipped + r.skipped }),
    { asked: 0, answered: 0, skipped: 0 },
  );
  const responseRow = (label: string, r: { asked: number; answered: number; skipped: number }) => [
    text(label),
    count(r.asked),
    count(r.answered),
    count(r.skipped),
    count(r.asked - r.answered - r.skipped),
    percent(share(r.answered, r.asked)),
  ];
  const table = (id: ReportTableId, headers: string[], rows: Cell[][]): ReportTable => ({
    id,
    title: t(`reports:tables.${id}`),
    headers,
    rows,
  });
  return {
    'satisfaction-weekly': table(
      'satisfaction-weekly',
      [col('week'), ...satisfactionHeaders],
      s.byWeek.map((w) => [day(w.week), ...satisfactionCells(w)]),
    ),
    'satisfaction-channels': table(
      'satisfaction-channels',
      [col('channel'), ...satisfactionHeaders],
      s.byChannel.map((r) => [text(channel(r.channel)), ...satisfactionCells(r)]),
    ),
    'satisfaction-services': table(
      'satisfaction-services',
      [col('service'), ...satisfactionHeaders],
      s.byService.map((r) => [text(service(r.subject)), ...satisfactionCells(r)]),
    ),
    'satisfaction-teams': table(
      'satisfaction-teams',
      [col('team'), ...satisfactionHeaders],
      s.byTeam.map((r) => [text(team(r.team)), ...satisfactionCells(r)]),
    ),
    'rating-response': table(
      'rating-response',
      [col('service'), col('asked'), col('answered'), col('skipped'), col('unanswered'), col('responseRate')],
      [
        ...report.response.map((r) => responseRow(service(r.subject), r)),
        responseRow(t('reports:total'), responseTotal),
      ],
    ),
    'rating-comments': table(
      'rating-comments',
      [col('week'), col('service'), col('channel'), col('score'), col('comment')],
      report.comments.map((r) => [
        day(r.week),
        text(service(r.subject)),
        text(channel(r.channel)),
        score(r.score),
        text(r.comment),
      ]),
    ),
    'handoff-times': table(
      'handoff-times',
      [col('measure'), col('value')],
      [
        [measure('answered'), count(h.answered)],
        [measure('median'), minutes(h.medianMinutes)],
        [measure('p90'), minutes(h.p90Minutes)],
        [measure('waitingNow'), count(h.waitingNow)],
        [measure('withStaffNow'), count(h.withStaffNow)],
      ],
    ),
    'handoffs-daily': table(
      'handoffs-daily',
      [col('day'), col('handled')],
      h.byDay.map((d) => [day(d.day), count(d.handled)]),
    ),
    'cases-stages': table(
      'cases-stages',
      [col('stage'), col('count')],
      c.byStage.map((r) => [text(t(`cases:console.stage.${r.stage}`)), count(r.count)]),
    ),
    'cases-decisions': table(
      'cases-decisions',
      [col('measure'), col('value')],
      [
        [measure('decided'), count(c.decided)],
        [measure('decidedInTime'), count(c.decidedInTime)],
        [measure('decidedShare'), percent(share(c.decidedInTime, c.decided))],
        [measure('overdueNow'), count(c.overdueNow)],
      ],
    ),
    'complaints-categories': table(
      'complaints-categories',
      [col('category'), col('received'), col('resolved'), col('inTime'), col('inTimeShare')],
      k.byCategory.map((r) => [
        text(r.names[lang]),
        count(r.received),
        count(r.resolved),
        count(r.resolvedInTime),
        percent(share(r.resolvedInTime, r.resolved)),
      ]),
    ),
    'complaints-summary': table(
      'complaints-summary',
      [col('measure'), col('value')],
      [
        [measure('received'), count(k.received)],
        [measure('resolved'), count(k.resolved)],
        [measure('resolvedInTime'), count(k.resolvedInTime)],
        [measure('resolvedShare'), percent(share(k.resolvedInTime, k.resolved))],
        [measure('openNow'), count(k.openNow)],
      ],
    ),
  };
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: 'ar' | 'en', options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = lang + JSON.stringify(options);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'ar' ? 'ar-SA-u-nu-arab' : 'en-GB', options);
    numberFormats.set(key, format);
  }
  return format;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** A calendar day (`YYYY-MM-DD`) as the page writes it: «٢٣ نوفمبر ٢٠٢٦». */
function dayName(iso: string, lang: 'ar' | 'en', short = false): string {
  const key = lang + short;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'ar' ? 'ar-SA-u-ca-gregory-nu-arab' : 'en-GB', {
      day: 'numeric',
      month: short ? 'short' : 'long',
      ...(short ? {} : { year: 'numeric' }),
      timeZone: 'UTC',
    });
    dayFormats.set(key, format);
  }
  return format.format(new Date(`${iso}T00:00:00Z`));
}

/** A cell as the page writes it, in the console's language (Arabic-Indic digits in Arabic). */
export function shownCell(cell: Cell, lang: 'ar' | 'en'): string {
  if (cell.value === null) return '—';
  if (typeof cell.value === 'string') return cell.kind === 'day' ? dayName(cell.value, lang) : cell.value;
  switch (cell.kind) {
    case 'percent':
      return numberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(cell.value);
    case 'minutes':
      return numberFormat(lang, { maximumFractionDigits: 1 }).format(cell.value);
    default:
      return numberFormat(lang, { maximumFractionDigits: 0 }).format(cell.value);
  }
}

/** A cell as a CSV writes it: Latin digits, shares in percent with one decimal, days as ISO dates. */
function csvCell(cell: Cell): string {
  if (cell.value === null) return '';
  if (typeof cell.value === 'string') return cell.value;
  if (cell.kind === 'percent') return (Math.round(cell.value * 1000) / 10).toString();
  if (cell.kind === 'minutes') return (Math.round(cell.value * 10) / 10).toString();
  return String(cell.value);
}

/**
 * A value as one CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; a
 * text that a spreadsheet would run as a formula (=, +, -, @ first: a comment a person wrote)
 * is written with a leading apostrophe.
 */
function csvField(value: string, kind: Kind): string {
  const safe = kind === 'text' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A table as a CSV file's bytes: UTF-8 with a byte-order mark, so that Excel shows Arabic as
 * Arabic; the header row in the console's language; CRLF line ends.
 */
export function tableCsv(table: ReportTable): Buffer {
  const lines = [
    table.headers.map((h) => csvField(h, 'text')).join(','),
    ...table.rows.map((row) => row.map((cell) => csvField(csvCell(cell), cell.kind)).join(',')),
  ];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** What the dashboard needs besides the report: the chosen period and the CSV links' query. */
export interface ReportsView {
  report: Report;
  weeks: number;
}

/**
 * The managers' dashboard: the period, the key figures, then each area with its charts and its
 * tables, every table downloadable as CSV. Ratings appear only as aggregates and anonymous
 * comments: never who gave them, never which staff member they were about.
 */
export function reportsPage(ctx: PageContext, v: ReportsView): SafeHtml {
  const { t, lang } = ctx;
  const rtl = lang === 'ar';
  const tables = reportTables(ctx, v.report);
  const { report } = v;
  const pct = (value: number | null) => shownCell(percent(value), lang);
  const num = (value: number | null) => shownCell(count(value ?? 0), lang);
  const s = report.satisfaction;
  const responded = report.response.reduce((sum, r) => sum + r.answered, 0);
  const askedAll = report.response.reduce((sum, r) => sum + r.asked, 0);
  const lastDay = report.window.days.at(-1) ?? report.window.weeks[0] ?? '';
  const figures: [string, string, string?][] = [
    ['satisfaction', pct(share(s.overall.satisfied, s.overall.rated))],
    ['response', pct(share(responded, askedAll))],
    [
      'median',
      report.handoffs.medianMinutes === null ? '—' : shownCell(minutes(report.handoffs.medianMinutes), lang),
      t('reports:unit.minutes'),
    ],
    ['waiting', num(report.handoffs.waitingNow)],
    ['decided', pct(share(report.cases.decidedInTime, report.cases.decided))],
    ['overdue', num(report.cases.overdueNow)],
    ['onTime', pct(share(report.complaints.resolvedInTime, report.complaints.resolved))],
    ['open', num(report.complaints.openNow)],
  ];
  const shares = (table: ReportTable): Datum[] =>
    table.rows.map((row) => ({
      label: shownCell(row[0] as Cell, lang),
      value: (row[3]?.value as number | null) ?? null,
      shown: shownCell(row[3] as Cell, lang),
    }));
  const counts = (table: ReportTable, column = 1): Datum[] =>
    table.rows.map((row) => ({
      label: shownCell(row[0] as Cell, lang),
      value: (row[column]?.value as number | null) ?? 0,
      shown: shownCell(row[column] as Cell, lang),
    }));
  const countMax = (data: Datum[]) => niceMax(Math.max(0, ...data.map((d) => d.value ?? 0)));
  const axisPercent = (value: number) => shownCell(percent(value), lang);
  const axisCount = (value: number) => shownCell(count(value), lang);
  const weekly: Datum[] = tables['satisfaction-weekly'].rows.map((row) => ({
    label: dayName(String(row[0]?.value), lang, true),
    value: row[3]?.value as number | null,
    shown: shownCell(row[3] as Cell, lang),
  }));
  const daily: Datum[] = tables['handoffs-daily'].rows.map((row) => ({
    label: dayName(String(row[0]?.value), lang, true),
    value: row[1]?.value as number,
    shown: shownCell(row[1] as Cell, lang),
  }));
  const stageData = counts(tables['cases-stages']);
  const categoryData = counts(tables['complaints-categories']);
  const chart = {
    weekly: columnChart({
      id: 'chart-satisfaction-weekly',
      title: tables['satisfaction-weekly'].title,
      data: weekly,
      max: 1,
      rtl,
      axis: axisPercent,
    }),
    channels: barChart({
      id: 'chart-satisfaction-channels',
      title: tables['satisfaction-channels'].title,
      data: shares(tables['satisfaction-channels']),
      max: 1,
      rtl,
    }),
    services: barChart({
      id: 'chart-satisfaction-services',
      title: tables['satisfaction-services'].title,
      data: shares(tables['satisfaction-services']),
      max: 1,
      rtl,
    }),
    teams: barChart({
      id: 'chart-satisfaction-teams',
      title: tables['satisfaction-teams'].title,
      data: shares(tables['satisfaction-teams']),
      max: 1,
      rtl,
    }),
    daily: columnChart({
      id: 'chart-handoffs-daily',
      title: tables['handoffs-daily'].title,
      data: daily,
      max: countMax(daily),
      rtl,
      axis: axisCount,
    }),
    stages: barChart({
      id: 'chart-cases-stages',
      title: tables['cases-stages'].title,
      data: stageData,
      max: countMax(stageData),
      rtl,
    }),
    categories: barChart({
      id: 'chart-complaints-categories',
      title: tables['complaints-categories'].title,
      data: categoryData,
      max: countMax(categoryData),
      rtl,
    }),
  };
  const block = (id: ReportTableId, drawn?: SafeHtml, folded = false) => {
    const table = tables[id];
    const body = tableHtml(ctx, table);
    return html`<div class="report" id="${id}"><div class="bar"><h3>${table.title}</h3>
<a class="csv" href="/reports/csv/${id}?weeks=${v.weeks}" download aria-label="${t('reports:csvLabel', { title: table.title })}">${t('reports:csv')}</a></div>
${drawn ? html`<div class="chart">${drawn}</div>` : ''}${folded ? html`<details><summary>${t('reports:showTable')}</summary>${body}</details>` : body}</div>`;
  };
  const periodChoice = html`<form method="get" action="/reports" class="bar"><label for="weeks">${t('reports:period.label')}</label>
<select id="weeks" name="weeks">${reportPeriods.map((w) => html`<option value="${w}"${w === v.weeks ? html` selected` : ''}>${t('reports:period.weeks', { count: w })}</option>`)}</select>
<button class="secondary">${t('reports:period.show')}</button>
<span class="meta">${t('reports:period.range', { from: dayName(report.window.weeks[0] ?? lastDay, lang), to: dayName(lastDay, lang) })}</span></form>`;
  return html`<h1>${t('reports:heading')}</h1>
<p class="meta">${t('reports:intro')}</p>${periodChoice}
<section class="card" aria-labelledby="figures-heading"><h2 id="figures-heading">${t('reports:figures.heading')}</h2>
<dl class="facts figures">${figures.map(
    ([key, value, unit]) =>
      html`<div><dt>${t(`reports:figures.${key}`)}</dt><dd><strong>${value}</strong>${unit && value !== '—' ? html` <span class="meta">${unit}</span>` : ''}</dd></div>`,
  )}</dl></section>
<section class="card" aria-labelledby="satisfaction-heading"><h2 id="satisfaction-heading">${t('reports:sections.satisfaction')}</h2>
<p class="meta">${t('reports:notes.satisfaction')}</p>
${block('satisfaction-weekly', chart.weekly)}${block('satisfaction-channels', chart.channels)}${block('satisfaction-services', chart.services)}${block('satisfaction-teams', chart.teams)}${block('rating-response')}
${block('rating-comments', undefined, true)}</section>
<section class="card" aria-labelledby="handoffs-heading"><h2 id="handoffs-heading">${t('reports:sections.handoffs')}</h2>
<p class="meta">${t('reports:notes.handoffs')}</p>
${block('handoff-times')}${block('handoffs-daily', chart.daily, true)}</section>
<section class="card" aria-labelledby="cases-heading"><h2 id="cases-heading">${t('reports:sections.cases')}</h2>
${block('cases-stages', chart.stages)}${block('cases-decisions')}</section>
<section class="card" aria-labelledby="complaints-heading"><h2 id="complaints-heading">${t('reports:sections.complaints')}</h2>
${block('complaints-categories', chart.categories)}${block('complaints-summary')}</section>`;
}

/** A report table; what people wrote (comments) isolated and without direction controls. */
function tableHtml(ctx: PageContext, table: ReportTable): SafeHtml {
  const { t, lang } = ctx;
  const empty = table.rows.length === 0;
  return html`${
    empty
      ? html`<p class="meta">${t('reports:empty')}</p>`
      : html`<table class="cards"><thead><tr>${table.headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>
${table.rows.map(
  (row) =>
    html`<tr>${row.map((cell, i) => html`<td data-label="${table.headers[i] ?? ''}">${cell.kind === 'text' ? userText(shownCell(cell, lang)) : shownCell(cell, lang)}</td>`)}</tr>`,
)}</tbody></table>`
  }`;
}
