import type { StaffUser } from '../../db/staff.ts';
import type { listTickets, TicketCategory, TicketRow, ticketHistory } from '../../db/tickets.ts';
import {
  mayMoveTicket,
  pendingTicketStages,
  type TicketCommand,
  type TicketKind,
  type TicketStage,
  ticketCommands,
  ticketKinds,
  ticketStages,
} from '../../domain/ticketStages.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, userText, when } from './common.ts';
import type { PageContext } from './layout.ts';

/** A ticket's stage as a badge. */
const stageBadge = (ctx: PageContext, stage: string) =>
  html`<span class="badge stage-${stage}">${ctx.t(`tickets:console.stage.${stage}`)}</span>`;

/** The marks a ticket carries in a list or on its page: urgent, anonymous, about a staff member. */
function marks(ctx: PageContext, ticket: TicketRow, category: TicketCategory | undefined): SafeHtml {
  const { t } = ctx;
  return html`${ticket.urgent ? html` <span class="badge p1">${t('tickets:console.urgent')}</span>` : ''}${ticket.anonymous ? html` <span class="badge">${t('tickets:console.anonymous')}</span>` : ''}${ticket.kind === 'complaint' && category?.aboutStaff ? html` <span class="badge p2">${t('tickets:console.aboutStaff')}</span>` : ''}`;
}

/** The name of a category in the console's language. */
const nameOf = (ctx: PageContext, category: TicketCategory | undefined) =>
  category ? (ctx.lang === 'ar' ? category.nameAr : category.nameEn) : '';

/** Whether a ticket still waits for the association past its date. */
export const isLate = (ticket: TicketRow, now: Date) =>
  pendingTicketStages.includes(ticket.stage) && ticket.dueAt <= now;

/** What the list may be filtered by. */
export interface TicketFilter {
  stage?: TicketStage;
  kind?: TicketKind;
  categoryId?: number;
  overdue?: boolean;
  q?: string;
}

/** The list: counts per stage and overdue, filters, and the rows (urgent first, overdue flagged). */
export function ticketsPage(
  ctx: PageContext,
  v: {
    rows: ReturnType<typeof listTickets>;
    counts: Record<TicketStage | 'overdue', number>;
    filter: TicketFilter;
    categories: TicketCategory[];
    now: Date;
    canEditCategories: boolean;
  },
): SafeHtml {
  const { t, lang } = ctx;
  const f = v.filter;
  const selected = (on: boolean) => (on ? html` selected` : '');
  const counts = html`<p class="tabs">${ticketStages.map((stage) => html`<a href="/tickets?stage=${stage}" class="${f.stage === stage ? 'on' : ''}">${t(`tickets:console.stage.${stage}`)} (${v.counts[stage]})</a>`)}<a href="/tickets?due=overdue" class="${f.overdue ? 'on' : ''}">${t('tickets:console.overdueCount', { count: v.counts.overdue })}</a></p>`;
  const filters = html`<form method="get" action="/tickets" class="card filters">
<input type="search" name="q" value="${f.q ?? ''}" placeholder="${t('tickets:console.search')}" aria-label="${t('tickets:console.search')}">
<select name="stage" aria-label="${t('tickets:console.stageFilter')}"><option value="">${t('tickets:console.allStages')}</option>${ticketStages.map((s) => html`<option value="${s}"${selected(f.stage === s)}>${t(`tickets:console.stage.${s}`)}</option>`)}</select>
<select name="kind" aria-label="${t('tickets:console.kindFilter')}"><option value="">${t('tickets:console.allKinds')}</option>${ticketKinds.map((k) => html`<option value="${k}"${selected(f.kind === k)}>${t(`tickets:console.kind.${k}`)}</option>`)}</select>
<select name="category" aria-label="${t('tickets:console.category')}"><option value="">${t('tickets:console.allCategories')}</option>${v.categories.map((c) => html`<option value="${c.id}"${selected(f.categoryId === c.id)}>${nameOf(ctx, c)}</option>`)}</select>
<label class="check"><input type="checkbox" name="due" value="overdue"${f.overdue ? html` checked` : ''}> ${t('tickets:console.overdueOnly')}</label>
<button class="primary">${t('tickets:console.filter')}</button></form>`;
  const rows =
    v.rows.length === 0
      ? html`<p class="notice">${t('tickets:console.empty')}</p>`
      : html`<table class="cards"><thead><tr><th>${t('tickets:console.reference')}</th><th>${t('tickets:console.kindFilter')}</th><th>${t('tickets:console.category')}</th><th>${t('tickets:console.stageFilter')}</th><th>${t('tickets:console.createdAt')}</th><th>${t('tickets:console.dueAt')}</th></tr></thead><tbody>
${v.rows.map(({ ticket, category, assignee }) => {
  const late = isLate(ticket, v.now);
  return html`<tr class="${late ? 'overdue' : ''}"><td data-label="${t('tickets:console.reference')}"><a href="/tickets/${ticket.id}"><bdi dir="ltr">${ticket.reference}</bdi></a></td>
<td data-label="${t('tickets:console.kindFilter')}">${t(`tickets:console.kind.${ticket.kind}`)}${marks(ctx, ticket, category)}</td>
<td data-label="${t('tickets:console.category')}">${nameOf(ctx, category)}</td>
<td data-label="${t('tickets:console.stageFilter')}">${stageBadge(ctx, ticket.stage)}${assignee ? html` <span class="meta">${t('tickets:console.assignee')} ${userText(assignee)}</span>` : ''}</td>
<td data-label="${t('tickets:console.createdAt')}">${when(ticket.createdAt, lang)}</td>
<td data-label="${t('tickets:console.dueAt')}">${when(ticket.dueAt, lang)}${late ? html` · <strong>${t('tickets:console.late')}</strong>` : ''}</td></tr>`;
})}</tbody></table>`;
  const edit = v.canEditCategories
    ? html`<p><a class="button" href="/tickets/categories">${t('tickets:console.editCategories')}</a></p>`
    : '';
  return html`<h1>${t('nav.tickets')}</h1>${edit}${counts}${filters}${rows}`;
}

/** What the ticket page shows. */
export interface TicketView {
  row: TicketRow;
  category: TicketCategory | undefined;
  assignee: string | undefined;
  history: ReturnType<typeof ticketHistory>;
  /** Who it may be handed to: active staff who may see it. */
  colleagues: StaffUser[];
  /** Whether the person can be told in their chat (consent, not blocked). */
  reachable: boolean;
  now: Date;
}

/** The commands the viewer's role may give at the ticket's stage. */
function allowedCommands(role: string | undefined, stage: TicketStage): TicketCommand[] {
  return (Object.keys(ticketCommands) as TicketCommand[]).filter((command) => {
    const { from, to } = ticketCommands[command];
    return (
      (from as readonly TicketStage[]).includes(stage) &&
      role !== undefined &&
      mayMoveTicket(role as Parameters<typeof mayMoveTicket>[0], stage, to)
    );
  });
}

/** The forms of the moves the viewer may make. */
function actions(ctx: PageContext, v: TicketView): SafeHtml {
  const { t } = ctx;
  const base = `/tickets/${v.row.id}`;
  const allowed = allowedCommands(ctx.user?.role, v.row.stage);
  if (allowed.length === 0) return html`<p class="meta">${t('tickets:console.noActions')}</p>`;
  const form = (command: TicketCommand, body: SafeHtml, confirm?: string) =>
    html`<form method="post" action="${base}/${command}" class="card move"${confirm ? html` data-confirm="${confirm}"` : ''}>${csrfField(ctx)}${body}</form>`;
  const forms: Record<TicketCommand, () => SafeHtml> = {
    assign: () =>
      html`${v.row.assignedTo === ctx.user?.id ? '' : form('assign', html`<p><button class="primary">${t('tickets:console.take')}</button></p>`)}
${form('assign', html`<label>${t('tickets:console.assign')} <select name="assignee">${v.colleagues.map((u) => html`<option value="${u.id}"${u.id === v.row.assignedTo ? html` selected` : ''}>${u.displayName}</option>`)}</select></label> <button class="secondary">${t('tickets:console.assignButton')}</button>`)}`,
    resolve: () =>
      form(
        'resolve',
        html`<h3>${t('tickets:console.resolve')}</h3><label>${t('tickets:console.resolveNote')} <textarea name="note" required maxlength="2000" dir="auto"></textarea></label><p><button class="primary">${t('tickets:console.resolve')}</button></p>`,
      ),
    close: () =>
      form(
        'close',
        html`<p><button class="danger">${t('tickets:console.close')}</button></p>`,
        t('tickets:console.confirmClose'),
      ),
    reopen: () =>
      form(
        'reopen',
        html`<h3>${t('tickets:console.reopen')}</h3><label>${t('tickets:console.reopenNote')} <input type="text" name="note" maxlength="500" dir="auto"></label><p><button class="secondary">${t('tickets:console.reopen')}</button></p>`,
      ),
  };
  return html`${allowed.map((command) => forms[command]())}`;
}

/** One history line: when, the move, by whom, and its note (whom it was handed to, or what was said). */
function historyLine(ctx: PageContext, { event, by }: TicketView['history'][number]): SafeHtml {
  const { t, lang } = ctx;
  const handedOver =
    event.toStage === 'in_progress' && (event.fromStage === 'open' || event.fromStage === 'in_progress');
  const note = event.note
    ? handedOver
      ? html` · ${t('tickets:console.assignedTo', { name: event.note })}`
      : html` · ${userText(event.note)}`
    : '';
  const from = event.fromStage ? html`${t(`tickets:console.stage.${event.fromStage}`)} ← ` : '';
  return html`<li>${when(event.createdAt, lang)} · ${from}${t(`tickets:console.stage.${event.toStage}`)} · ${by ? userText(by) : t('tickets:console.byPerson')}${note}</li>`;
}

/** One ticket: what was sent (photo inline), where it stands, its history, and the moves allowed. */
export function ticketPage(ctx: PageContext, v: TicketView): SafeHtml {
  const { t, lang } = ctx;
  const r = v.row;
  const field = (label: string, value: SafeHtml | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  const photo = r.mediaId
    ? html`<div class="card"><h2>${t('tickets:console.photo')}</h2><a href="/media/${r.mediaId}" target="_blank" rel="noopener"><img class="thumb" src="/media/${r.mediaId}" alt="${t('tickets:console.photo')}" loading="lazy"></a> <a href="/media/${r.mediaId}" download>${t('tickets:console.download')}</a></div>`
    : '';
  return html`<h1><bdi dir="ltr">${r.reference}</bdi> ${stageBadge(ctx, r.stage)}${marks(ctx, r, v.category)}</h1>
${isLate(r, v.now) ? html`<p class="error" role="alert">${t('tickets:console.lateNotice')}</p>` : ''}
${r.anonymous ? html`<p class="notice">${t('tickets:console.anonymousNotice')}</p>` : !v.reachable ? html`<p class="notice">${t('tickets:console.unreachable')}</p>` : ''}
<div class="card"><dl class="answers">
${field(t('tickets:console.kindFilter'), t(`tickets:console.kind.${r.kind}`))}
${field(t('tickets:console.category'), nameOf(ctx, v.category))}
${field(t('tickets:console.text'), userText(r.text, 'block'))}
${field(t('tickets:console.createdAt'), when(r.createdAt, lang))}
${field(t('tickets:console.dueAt'), when(r.dueAt, lang))}
${field(t('tickets:console.assignee'), v.assignee ? userText(v.assignee) : t('tickets:console.nobody'))}
${r.resolution ? field(t('tickets:console.resolution'), userText(r.resolution, 'block')) : ''}
${r.conversationId ? field(t('tickets:console.chat'), html`<a href="/conversations/${r.conversationId}">${t('tickets:console.openChat')}</a>`) : ''}
</dl></div>
${photo}
<div class="card"><h2>${t('tickets:console.actions')}</h2>${actions(ctx, v)}</div>
<div class="card"><h2>${t('tickets:console.history')}</h2><ol class="history">${v.history.map((line) => historyLine(ctx, line))}</ol></div>`;
}

/** The categories, editable by managers in both languages (like the aid catalogue). */
export function ticketCategoriesPage(ctx: PageContext, v: { categories: TicketCategory[]; error?: string }): SafeHtml {
  const { t } = ctx;
  const check = (name: string, on: boolean, label: string) =>
    html`<label class="check"><input type="checkbox" name="${name}" value="1"${on ? html` checked` : ''}> ${label}</label>`;
  const row = (
    c: TicketCategory | undefined,
  ) => html`<form method="post" action="/tickets/categories" class="catalogue-row">${csrfField(ctx)}
${c ? html`<input type="hidden" name="id" value="${c.id}">` : ''}
<input type="text" name="code" value="${c?.code ?? ''}" required pattern="[A-Za-z][A-Za-z0-9_-]{1,31}" dir="ltr" aria-label="${t('tickets:console.code')}" placeholder="${t('tickets:console.code')}">
<input type="text" name="nameAr" value="${c?.nameAr ?? ''}" required maxlength="200" dir="rtl" lang="ar" aria-label="${t('tickets:console.nameAr')}" placeholder="${t('tickets:console.nameAr')}">
<input type="text" name="nameEn" value="${c?.nameEn ?? ''}" required maxlength="200" dir="ltr" lang="en" aria-label="${t('tickets:console.nameEn')}" placeholder="${t('tickets:console.nameEn')}">
${check('aboutStaff', c?.aboutStaff ?? false, t('tickets:console.aboutStaffField'))}
${check('active', !c || c.active, t('tickets:console.active'))}
<button class="${c ? 'secondary' : 'primary'}">${t(c ? 'tickets:console.save' : 'tickets:console.add')}</button></form>`;
  return html`<h1>${t('tickets:console.categories')}</h1>${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<div class="card">${v.categories.map((c) => row(c))}${row(undefined)}</div>`;
}
