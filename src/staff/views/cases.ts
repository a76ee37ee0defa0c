import type {
  AidType,
  CaseRow,
  caseDocumentsOf,
  caseHistory,
  caseNotesOf,
  DocumentType,
  listCases,
  reviewTasksOf,
} from '../../db/cases.ts';
import { type CaseStage, caseStages, caseTransitions } from '../../domain/caseStages.ts';
import { may } from '../../domain/permissions.ts';
import { relationships } from '../../domain/relationships.ts';
import { lastFour } from '../../domain/saudiId.ts';
import { html, type SafeHtml } from '../html.ts';
import { action, csrfField, phone, userText, when } from './common.ts';
import type { PageContext } from './layout.ts';

/** A case's stage as a badge. */
const stageBadge = (ctx: PageContext, stage: string) =>
  html`<span class="badge stage-${stage}">${ctx.t(`cases:console.stage.${stage}`)}</span>`;

/** The name of a catalogue entry in the console's language. */
const nameOf = (ctx: PageContext, row: { nameAr: string; nameEn: string } | null | undefined) =>
  row ? (ctx.lang === 'ar' ? row.nameAr : row.nameEn) : '';

/** What the list may be filtered by. */
export interface CaseFilter {
  stage?: CaseStage;
  aidTypeId?: number;
  city?: string;
  due?: 'overdue' | 'soon';
  q?: string;
}

/** The cases list: counts per stage, filters, and the rows (overdue ones flagged). */
export function casesPage(
  ctx: PageContext,
  v: {
    rows: ReturnType<typeof listCases>;
    counts: Partial<Record<CaseStage, number>>;
    filter: CaseFilter;
    aidTypes: AidType[];
    cities: { id: string; names: { ar: string; en: string } }[];
    now: Date;
    canOpen: boolean;
  },
): SafeHtml {
  const { t, lang } = ctx;
  const f = v.filter;
  const selected = (on: boolean) => (on ? html` selected` : '');
  const counts = html`<p class="tabs">${caseStages.map((stage) => html`<a href="/cases?stage=${stage}" class="${f.stage === stage ? 'on' : ''}">${t(`cases:console.stage.${stage}`)} (${v.counts[stage] ?? 0})</a>`)}</p>`;
  const filters = html`<form method="get" action="/cases" class="card filters">
<input type="search" name="q" value="${f.q ?? ''}" placeholder="${t('cases:console.search')}" aria-label="${t('cases:console.search')}">
<select name="stage" aria-label="${t('cases:console.stageFilter')}"><option value="">${t('cases:console.allStages')}</option>${caseStages.map((s) => html`<option value="${s}"${selected(f.stage === s)}>${t(`cases:console.stage.${s}`)}</option>`)}</select>
<select name="aidType" aria-label="${t('cases:console.aidType')}"><option value="">${t('cases:console.allAidTypes')}</option>${v.aidTypes.map((a) => html`<option value="${a.id}"${selected(f.aidTypeId === a.id)}>${nameOf(ctx, a)}</option>`)}</select>
<select name="city" aria-label="${t('cases:console.city')}"><option value="">${t('cases:console.allCities')}</option>${v.cities.map((c) => html`<option value="${c.id}"${selected(f.city === c.id)}>${c.names[lang]}</option>`)}</select>
<select name="due" aria-label="${t('cases:console.due')}"><option value="">${t('cases:console.anyDue')}</option><option value="overdue"${selected(f.due === 'overdue')}>${t('cases:console.overdue')}</option><option value="soon"${selected(f.due === 'soon')}>${t('cases:console.soon')}</option></select>
<button class="primary">${t('cases:console.filter')}</button></form>`;
  const rows =
    v.rows.length === 0
      ? html`<p class="notice">${t('cases:console.empty')}</p>`
      : html`<table class="cards"><thead><tr><th>${t('cases:console.reference')}</th><th>${t('cases:console.applicant')}</th><th>${t('cases:console.aidType')}</th><th>${t('cases:console.stageFilter')}</th><th>${t('cases:console.dueAt')}</th></tr></thead><tbody>
${v.rows.map(({ case: c, aidType }) => {
  const late = isOpen(c.stage) && c.dueAt <= v.now;
  return html`<tr class="${late ? 'overdue' : ''}"><td data-label="${t('cases:console.reference')}"><a href="/cases/${c.id}"><bdi dir="ltr">${c.reference}</bdi></a></td>
<td data-label="${t('cases:console.applicant')}">${userText(c.applicantName)}${c.patientName ? html` <span class="meta">${t('cases:console.forPatient')}</span> ${userText(c.patientName)}` : ''} <span class="meta">(${t('cases:console.idEnding', { digits: lastFour(c.nationalId) })})</span></td>
<td data-label="${t('cases:console.aidType')}">${nameOf(ctx, aidType)}</td>
<td data-label="${t('cases:console.stageFilter')}">${stageBadge(ctx, c.stage)}${c.needsCall ? html` <strong>${t('cases:console.needsCall')}</strong>` : ''}</td>
<td data-label="${t('cases:console.dueAt')}">${when(c.dueAt, lang)}${late ? html` · <strong>${t('cases:console.late')}</strong>` : ''}</td></tr>`;
})}</tbody></table>`;
  return html`<h1>${t('nav.cases')}</h1>${v.canOpen ? html`<p><a class="button" href="/cases/new">${t('cases:console.open')}</a></p>` : ''}${counts}${filters}${rows}`;
}

const isOpen = (stage: CaseStage) =>
  ['submitted', 'under_research', 'incomplete', 'field_visit', 'management_review'].includes(stage);

/** What the case page shows. */
export interface CaseView {
  row: CaseRow;
  aidType: AidType | undefined;
  city: string;
  documents: ReturnType<typeof caseDocumentsOf>;
  history: ReturnType<typeof caseHistory>;
  notes: ReturnType<typeof caseNotesOf>;
  reviews: ReturnType<typeof reviewTasksOf>;
  documentTypes: DocumentType[];
  now: Date;
  /** The applicant's decision on their health data (a request from a chat), for the roles that see health details. */
  healthConsent?: { decision: 'given' | 'declined' | 'withdrawn'; at: Date } | undefined;
}

/** The moves the viewer may make from the case's stage, each with the fields it needs. */
function moves(ctx: PageContext, v: CaseView): SafeHtml {
  const { t } = ctx;
  const role = ctx.user?.role;
  const base = `/cases/${v.row.id}/move`;
  const allowed = (Object.entries(caseTransitions[v.row.stage]) as [CaseStage, readonly string[]][])
    .filter(([, roles]) => role !== undefined && roles.includes(role))
    .map(([to]) => to);
  if (allowed.length === 0) return html`<p class="meta">${t('cases:console.noMoves')}</p>`;
  return html`${allowed.map((to) => {
    const hidden = html`<input type="hidden" name="to" value="${to}">`;
    const note = html`<label>${t('cases:console.note')} <input type="text" name="note" maxlength="500" dir="auto"></label>`;
    const fields =
      to === 'incomplete'
        ? html`<fieldset><legend>${t('cases:console.missingItems')}</legend>${v.documentTypes.map((d) => html`<label class="check"><input type="checkbox" name="missing[]" value="${d.id}"> ${nameOf(ctx, d)}</label>`)}</fieldset>`
        : to === 'field_visit'
          ? html`<label>${t('cases:console.visitAt')} <input type="datetime-local" name="visitAt" required></label>`
          : to === 'rejected'
            ? html`<label>${t('cases:console.reason')} <textarea name="reason" required maxlength="1000" dir="auto"></textarea></label>`
            : '';
    const danger = to === 'rejected' ? t('cases:console.confirmReject') : undefined;
    return html`<form method="post" action="${base}" class="card move"${danger ? html` data-confirm="${danger}"` : ''}>${csrfField(ctx)}${hidden}<h3>${t(`cases:console.to.${to}`)}</h3>${fields}${note}<p><button class="${danger ? 'danger' : 'primary'}">${t(`cases:console.to.${to}`)}</button></p></form>`;
  })}`;
}

/** One case: the answers, the documents (inline), the history, the notes, the moves allowed. */
export function casePage(ctx: PageContext, v: CaseView): SafeHtml {
  const { t, lang } = ctx;
  const c = v.row;
  const late = isOpen(c.stage) && c.dueAt <= v.now;
  const income = c.income.startsWith('band:')
    ? t(`aid:band.${c.income.slice('band:'.length)}`)
    : t('cases:console.riyals', { amount: c.income });
  const field = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  // Health details (the need, the documents, the health consent) only for the roles that need them.
  const health = ctx.user !== undefined && may(ctx.user.role, 'health');
  const restricted = html`<span class="missing">${t('privacy:console.healthHidden')}</span>`;
  const documents = v.documents.map(({ document: d, type }) => {
    const name = type ? nameOf(ctx, type) : t('cases:console.otherDocument');
    const file =
      d.mediaId && health
        ? html`<a href="/media/${d.mediaId}" target="_blank" rel="noopener"><img class="thumb" src="/media/${d.mediaId}" alt="${name}" loading="lazy"></a><a href="/media/${d.mediaId}" download>${t('cases:console.download')}</a>`
        : '';
    return html`<li><strong>${name}</strong> · ${t(`cases:console.document.${d.status}`)} ${file}</li>`;
  });
  return html`<h1><bdi dir="ltr">${c.reference}</bdi> ${stageBadge(ctx, c.stage)}</h1>
${late ? html`<p class="error" role="alert">${t('cases:console.lateNotice')}</p>` : ''}
${c.needsCall ? html`<p class="notice">${t('cases:console.needsCallNotice')}</p>` : ''}
<div class="card"><dl class="answers">
${c.patientName ? field(t('cases:console.patient'), html`${userText(c.patientName)} <span class="meta">(${t(`cases:console.relationships.${c.relationship ?? 'other'}`)})</span>`) : ''}
${field(t(c.patientName ? 'cases:console.patientId' : 'cases:console.nationalId'), html`<bdi dir="ltr">${c.nationalId}</bdi>`)}
${field(t('cases:console.applicant'), userText(c.applicantName))}
${field(t('cases:console.phone'), phone(c.phone))}
${field(t('cases:console.city'), v.city)}
${field(t('cases:console.household'), String(c.householdSize))}
${field(t('cases:console.income'), income)}
${field(t('cases:console.aidType'), nameOf(ctx, v.aidType))}
${field(t('cases:console.description'), health ? userText(c.description, 'block') : restricted)}
${health && v.healthConsent ? field(t('privacy:console.healthConsent'), html`${t(`privacy:console.consent.${v.healthConsent.decision}`)} · ${when(v.healthConsent.at, lang)}`) : ''}
${field(t('cases:console.source'), t(`cases:console.sources.${c.source}`))}
${field(t('cases:console.submittedAt'), when(c.submittedAt, lang))}
${field(t('cases:console.dueAt'), when(c.dueAt, lang))}
${c.visitAt ? field(t('cases:console.visitAt'), when(c.visitAt, lang)) : ''}
${c.decisionReason ? field(t('cases:console.reason'), userText(c.decisionReason)) : ''}
${c.conversationId ? field(t('cases:console.chat'), html`<a href="/conversations/${c.conversationId}">${t('cases:console.openChat')}</a>`) : ''}
${c.permanent ? field(t('cases:console.permanent'), html`${t('cases:console.nextReview')} ${when(c.nextReviewAt, lang)}`) : ''}
</dl></div>
<div class="card"><h2>${t('cases:console.documents')}</h2><ul class="documents">${documents}</ul>${health ? '' : html`<p class="meta">${restricted}</p>`}</div>
<div class="card"><h2>${t('cases:console.actions')}</h2>${moves(ctx, v)}
${ctx.user?.role === 'manager' && ['approved', 'registered', 'served'].includes(c.stage) ? action(ctx, `/cases/${c.id}/permanent`, t(c.permanent ? 'cases:console.notPermanent' : 'cases:console.makePermanent'), { secondary: true, extra: html`<input type="hidden" name="permanent" value="${c.permanent ? '0' : '1'}">` }) : ''}</div>
${v.reviews.length > 0 ? html`<div class="card"><h2>${t('cases:console.reviews')}</h2><ul>${v.reviews.map((r) => html`<li>${when(r.createdAt, lang)} · ${health ? html`<code dir="ltr">${JSON.stringify(r.answers)}</code>` : restricted} ${r.doneAt ? t('cases:console.reviewDone') : action(ctx, `/reviews/${r.id}/done`, t('cases:console.markReviewed'), { secondary: true })}</li>`)}</ul></div>` : ''}
<div class="card"><h2>${t('cases:console.history')}</h2><ol class="history">${v.history.map(({ event, by }) => html`<li>${when(event.createdAt, lang)} · ${event.fromStage ? html`${t(`cases:console.stage.${event.fromStage}`)} ← ` : ''}${t(`cases:console.stage.${event.toStage}`)} · ${by ? userText(by) : t('cases:console.byApplicant')}${event.note ? html` · ${userText(event.note)}` : ''}</li>`)}</ol></div>
<div class="card" id="notes"><h2>${t('cases:console.notes')}</h2>${v.notes.map((n) => html`<p><span class="meta">${userText(n.author)} · ${when(n.note.createdAt, lang)}</span><br>${userText(n.note.body, 'block')}</p>`)}
<form method="post" action="/cases/${c.id}/notes">${csrfField(ctx)}<textarea name="body" required maxlength="4000" dir="auto" aria-label="${t('cases:console.addNote')}"></textarea><button class="primary">${t('cases:console.addNote')}</button></form></div>`;
}

/** A case taken at the office or by phone: the same answers the chat asks for. */
export function newCasePage(
  ctx: PageContext,
  v: { aidTypes: AidType[]; cities: { id: string; names: { ar: string; en: string } }[]; error?: string },
): SafeHtml {
  const { t, lang } = ctx;
  return html`<h1>${t('cases:console.open')}</h1>${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<form method="post" action="/cases" class="card stacked">${csrfField(ctx)}
<label>${t('cases:console.sourceField')} <select name="source"><option value="visit">${t('cases:console.sources.visit')}</option><option value="phone">${t('cases:console.sources.phone')}</option></select></label>
<label>${t('cases:console.applicant')} <input type="text" name="name" required maxlength="200" dir="auto"></label>
<label>${t('cases:console.requestFor')} <select name="relationship"><option value="">${t('cases:console.forSelf')}</option>${relationships.map((r) => html`<option value="${r}">${t(`cases:console.relationships.${r}`)}</option>`)}</select></label>
<label>${t('cases:console.patientIfFamily')} <input type="text" name="patientName" maxlength="200" dir="auto"></label>
<label>${t('cases:console.patientId')} <input type="text" name="nationalId" required inputmode="numeric" dir="ltr"></label>
<label>${t('cases:console.phone')} <input type="tel" name="phone" required dir="ltr"></label>
<label>${t('cases:console.city')} <select name="city">${v.cities.map((c) => html`<option value="${c.id}">${c.names[lang]}</option>`)}<option value="other">${t('cases:console.otherCity')}</option></select></label>
<label>${t('cases:console.household')} <input type="number" name="householdSize" min="1" max="30" required></label>
<label>${t('cases:console.income')} <input type="number" name="income" min="0" required></label>
<label>${t('cases:console.aidType')} <select name="aidType">${v.aidTypes.map((a) => html`<option value="${a.id}">${nameOf(ctx, a)}</option>`)}</select></label>
<label>${t('cases:console.description')} <textarea name="description" required maxlength="2000" dir="auto"></textarea></label>
<p><button class="primary">${t('cases:console.save')}</button></p></form>`;
}

/** The catalogue of aid types and documents, editable by managers in both languages. */
export function cataloguePage(
  ctx: PageContext,
  v: { aidTypes: AidType[]; documentTypes: DocumentType[]; error?: string },
): SafeHtml {
  const { t } = ctx;
  const row = (
    table: 'aid' | 'document',
    e: (AidType | DocumentType) | undefined,
  ) => html`<form method="post" action="/catalogue" class="catalogue-row">${csrfField(ctx)}
<input type="hidden" name="table" value="${table}">${e ? html`<input type="hidden" name="id" value="${e.id}">` : ''}
<input type="text" name="code" value="${e?.code ?? ''}" required pattern="[A-Za-z][A-Za-z0-9_-]{1,31}" dir="ltr" aria-label="${t('cases:console.code')}" placeholder="${t('cases:console.code')}">
<input type="text" name="nameAr" value="${e?.nameAr ?? ''}" required maxlength="200" dir="rtl" lang="ar" aria-label="${t('cases:console.nameAr')}" placeholder="${t('cases:console.nameAr')}">
<input type="text" name="nameEn" value="${e?.nameEn ?? ''}" required maxlength="200" dir="ltr" lang="en" aria-label="${t('cases:console.nameEn')}" placeholder="${t('cases:console.nameEn')}">
${table === 'document' ? html`<label class="check"><input type="checkbox" name="required" value="1"${(e as DocumentType | undefined)?.required ? html` checked` : ''}> ${t('cases:console.required')}</label>` : ''}
<label class="check"><input type="checkbox" name="active" value="1"${!e || e.active ? html` checked` : ''}> ${t('cases:console.active')}</label>
<button class="${e ? 'secondary' : 'primary'}">${t(e ? 'cases:console.save' : 'cases:console.add')}</button></form>`;
  return html`<h1>${t('cases:console.catalogue')}</h1>${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<div class="card"><h2>${t('cases:console.aidTypes')}</h2>${v.aidTypes.map((a) => row('aid', a))}${row('aid', undefined)}</div>
<div class="card"><h2>${t('cases:console.documentTypes')}</h2>${v.documentTypes.map((d) => row('document', d))}${row('document', undefined)}</div>`;
}
