import { html, type SafeHtml } from '../html.ts';

/** One bar of a chart: what it is, its value (null: nothing to show), and the value as the page writes it. */
export interface Datum {
  label: string;
  value: number | null;
  shown: string;
}

/** What every chart needs: an id unique on the page, a title (read by screen readers too), the page's direction. */
export interface ChartOptions {
  id: string;
  title: string;
  data: Datum[];
  /** The value of a full bar (1 for shares). */
  max: number;
  rtl: boolean;
}

const width = 640;
const ink = '#1d2b26';
const muted = '#56635c';
const bar = '#1f7a4d';
const track = '#e8efeb';
const rule = '#dfe6e2';

/** Rounds a chart's top up to a number that reads well on its axis (1, 2, 5 × 10ⁿ). */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * magnitude >= value) ?? 10) * magnitude;
}

const heading = (o: ChartOptions) =>
  html`<title id="${o.id}-title">${o.title}</title><desc id="${o.id}-desc">${o.data.map((d) => `${d.label}: ${d.shown}`).join('؛ ')}</desc>`;

/**
 * Horizontal bars, one per datum, drawn on the server as inline SVG (no script, no style
 * attribute: presentation attributes only, which the console's CSP allows). The label is on the
 * reading side — on the right in Arabic, the bars growing leftwards — and each bar says its
 * value beside it and in its tooltip. The drawing's `direction` is the page's, so that text
 * starts where reading starts (Chromium anchors Arabic text by its own direction otherwise).
 */
export function barChart(o: ChartOptions): SafeHtml {
  const row = 30;
  const top = 6;
  const labelWidth = 200;
  const valueWidth = 70;
  const gap = 8;
  const span = width - labelWidth - valueWidth - gap * 2;
  const height = top * 2 + row * Math.max(1, o.data.length);
  const bars = o.data.map((d, i) => {
    const y = top + i * row;
    const length = d.value === null ? 0 : Math.max(d.value > 0 ? 2 : 0, (Math.min(d.value, o.max) / o.max) * span);
    const start = o.rtl ? width - labelWidth - gap - span : labelWidth + gap;
    const x = o.rtl ? width - labelWidth - gap - length : start;
    const labelX = o.rtl ? width - 4 : 4;
    const valueX = o.rtl ? x - 6 : x + length + 6;
    return html`<g class="bar"><text class="label" x="${labelX}" y="${y + 19}" text-anchor="start" fill="${ink}" font-size="13">${d.label}</text>
<rect x="${start}" y="${y + 5}" width="${span}" height="${row - 10}" fill="${track}" rx="3"></rect>
<rect class="value" x="${x.toFixed(1)}" y="${y + 5}" width="${length.toFixed(1)}" height="${row - 10}" fill="${bar}" rx="3"><title>${d.label}: ${d.shown}</title></rect>
<text class="shown" x="${valueX.toFixed(1)}" y="${y + 19}" text-anchor="start" fill="${muted}" font-size="12">${d.shown}</text></g>`;
  });
  return html`<svg class="chart" id="${o.id}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMin meet" direction="${o.rtl ? 'rtl' : 'ltr'}" xmlns="http://www.w3.org/2000/svg">${heading(o)}${bars}</svg>`;
}

/**
 * Columns along time (weeks, days), as inline SVG. Time runs the way the page reads: from the
 * right in Arabic (the oldest column on the right), from the left in English; the axis with its
 * values stands on the side reading starts from. Only some dates are written when there are many.
 */
export function columnChart(o: ChartOptions & { axis: (value: number) => string }): SafeHtml {
  const height = 220;
  const axisWidth = 44;
  const top = 10;
  const bottom = 30;
  const plot = { left: o.rtl ? 8 : axisWidth, right: o.rtl ? width - axisWidth : width - 8 };
  const plotHeight = height - top - bottom;
  const n = Math.max(1, o.data.length);
  const slot = (plot.right - plot.left) / n;
  const barWidth = Math.max(1.5, slot * 0.7);
  const every = Math.ceil(n / 8);
  const yOf = (value: number) => top + plotHeight - (Math.min(value, o.max) / o.max) * plotHeight;
  const grid = [0, 0.5, 1].map((f) => {
    const y = yOf(f * o.max).toFixed(1);
    const textX = o.rtl ? width - 4 : axisWidth - 6;
    return html`<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="${rule}" stroke-width="1"></line>
<text class="axis" x="${textX}" y="${Number(y) + 4}" text-anchor="${o.rtl ? 'start' : 'end'}" fill="${muted}" font-size="11">${o.axis(f * o.max)}</text>`;
  });
  const columns = o.data.map((d, i) => {
    const left = o.rtl ? plot.right - (i + 1) * slot : plot.left + i * slot;
    const x = left + (slot - barWidth) / 2;
    const y = d.value === null ? yOf(0) : yOf(d.value);
    const label =
      i % every === 0
        ? html`<text x="${(left + slot / 2).toFixed(1)}" y="${height - 10}" text-anchor="middle" fill="${muted}" font-size="11">${d.label}</text>`
        : '';
    return html`<rect class="value" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(yOf(0) - y).toFixed(1)}" fill="${bar}"><title>${d.label}: ${d.shown}</title></rect>${label}`;
  });
  return html`<svg class="chart" id="${o.id}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMidYMin meet" direction="${o.rtl ? 'rtl' : 'ltr'}" xmlns="http://www.w3.org/2000/svg">${heading(o)}${grid}${columns}</svg>`;
}
