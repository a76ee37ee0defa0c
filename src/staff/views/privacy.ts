import type { DataRequestRow } from '../../db/dataRequests.ts';
import { dataRequestReference } from '../../desks/privacy.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, userText, when } from './common.ts';
import type { PageContext } from './layout.ts';

/** Whether a request still waits for staff past its 30 days. */
export const isLate = (row: DataRequestRow, now: Date) => row.status === 'open' && row.dueAt <= now;

const badge = (ctx: PageContext, row: DataRequestRow, now: Date) =>
  html`<span class="badge stage-${row.status}">${ctx.t(`privacy:console.status.${row.status}`)}</span>${isLate(row, now) ? html` <span class="badge p2">${ctx.t('privacy:console.late')}</span>` : ''}`;

/** The list: open requests first by their date (late ones flagged), then the latest done. */
export function dataRequestsPage(
  ctx: PageContext,
  v: { rows: DataRequestRow[]; counts: { open: number; overdue: number }; filter: 'open' | 'done' | 'all'; now: Date },
): SafeHtml {
  const { t, lang } = ctx;
  const tab = (id: 'open' | 'done' | 'all', label: string) =>
    html`<a href="/privacy?status=${id}" class="${v.filter === id ? 'on' : ''}">${label}</a>`;
  const rows = v.rows.map(
    (r) =>
      html`<tr class="${isLate(r, v.now) ? 'late' : ''}"><td><a href="/privacy/${r.id}"><bdi dir="ltr">${dataRequestReference(r)}</bdi></a></td><td>${t(`privacy:console.kind.${r.kind}`)}</td><td>${badge(ctx, r, v.now)}</td><td>${r.channel}</td><td>${when(r.createdAt, lang)}</td><td>${r.status === 'open' ? when(r.dueAt, lang) : when(r.doneAt, lang)}</td></tr>`,
  );
  return html`<h1>${t('privacy:console.heading')}</h1><p>${t('privacy:console.intro')}</p>
<p class="tabs">${tab('open', `${t('privacy:console.status.open')} (${v.counts.open})`)}${tab('done', t('privacy:console.status.done'))}${tab('all', t('privacy:console.all'))}<span>${t('privacy:console.overdueCount', { count: v.counts.overdue })}</span></p>
${
  v.rows.length === 0
    ? html`<p class="notice">${t('privacy:console.empty')}</p>`
    : html`<table class="cards"><thead><tr><th>${t('privacy:console.reference')}</th><th>${t('privacy:console.kindField')}</th><th>${t('privacy:console.statusField')}</th><th>${t('privacy:console.channel')}</th><th>${t('privacy:console.createdAt')}</th><th>${t('privacy:console.dueOrDone')}</th></tr></thead><tbody>${rows}</tbody></table>`
}`;
}

/** What an erasure did, as counts and references (never personal values). */
interface ErasureDetails {
  messages?: number;
  files?: number;
  casesAnonymised?: string[];
  casesKept?: string[];
  tickets?: string[];
  ratingComments?: number;
  beneficiary?: boolean;
}

/**
 * One request: what was done in the chat, what is left for staff (the beneficiary record, papers,
 * other systems), and — while it is open — the form that finishes it with what staff did.
 */
export function dataRequestPage(
  ctx: PageContext,
  v: {
    row: DataRequestRow;
    beneficiary?: { id: number; contacts: number; otherChats: number } | undefined;
    doneBy?: string | undefined;
    now: Date;
  },
): SafeHtml {
  const { t, lang } = ctx;
  const r = v.row;
  const d = (r.details ?? {}) as ErasureDetails;
  const field = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  const refs = (list: string[] | undefined) =>
    list?.length ? html`${list.map((ref, i) => html`${i ? ', ' : ''}<bdi dir="ltr">${ref}</bdi>`)}` : '—';
  const erased =
    r.kind === 'erasure'
      ? html`<div class="card"><h2>${t('privacy:console.inChat')}</h2><dl class="answers">
${field(t('privacy:console.messages'), String(d.messages ?? 0))}
${field(t('privacy:console.files'), String(d.files ?? 0))}
${field(t('privacy:console.casesAnonymised'), refs(d.casesAnonymised))}
${field(t('privacy:console.casesKept'), refs(d.casesKept))}
${field(t('privacy:console.tickets'), refs(d.tickets))}
</dl><p class="meta">${t('privacy:console.keptNote')}</p></div>`
      : '';
  const left =
    r.status === 'open' && r.kind === 'erasure'
      ? html`<div class="card"><h2>${t('privacy:console.left')}</h2><ul>
${v.beneficiary ? html`<li>${t('privacy:console.beneficiaryLinked', { contacts: v.beneficiary.contacts, chats: v.beneficiary.otherChats })} <a href="/beneficiaries/${v.beneficiary.id}">${t('privacy:console.openBeneficiary')}</a></li>` : ''}
<li>${t('privacy:console.papers')}</li></ul>
<form method="post" action="/privacy/${r.id}/complete" class="stacked" data-confirm="${t('privacy:console.confirmComplete')}">${csrfField(ctx)}
<label>${t('privacy:console.note')} <textarea name="note" maxlength="2000" dir="auto"></textarea></label>
<p><button class="primary">${t('privacy:console.complete')}</button></p></form></div>`
      : '';
  return html`<h1><bdi dir="ltr">${dataRequestReference(r)}</bdi> ${badge(ctx, r, v.now)}</h1>
${isLate(r, v.now) ? html`<p class="error" role="alert">${t('privacy:console.lateNotice')}</p>` : ''}
<div class="card"><dl class="answers">
${field(t('privacy:console.kindField'), t(`privacy:console.kind.${r.kind}`))}
${field(t('privacy:console.channel'), r.channel)}
${field(t('privacy:console.verifiedBy'), r.verifiedBy ? t(`privacy:console.verified.${r.verifiedBy}`) : '—')}
${field(t('privacy:console.createdAt'), when(r.createdAt, lang))}
${field(t('privacy:console.dueAt'), when(r.dueAt, lang))}
${r.doneAt ? field(t('privacy:console.doneAt'), html`${when(r.doneAt, lang)}${v.doneBy ? html` · ${userText(v.doneBy)}` : ''}`) : ''}
${r.note ? field(t('privacy:console.note'), userText(r.note, 'block')) : ''}
</dl></div>${erased}${left}`;
}
