import type { OrgProfile } from '../../config.ts';
import type { Conversation } from '../../db/conversations.ts';
import type { Handoff, QueueRow } from '../../db/handoffs.ts';
import type { beneficiaries, cannedReplies, transcript } from '../../db/schema.ts';
import type { StaffUser } from '../../db/staff.ts';
import type { notesOf } from '../../db/staffWork.ts';
import type { MediaTranscriptPayload, TranscriptFlag } from '../../db/transcript.ts';
import { workingMsBetween } from '../../domain/workingHours.ts';
import { html, type SafeHtml } from '../html.ts';
import { action, csrfField, when } from './common.ts';
import type { PageContext } from './layout.ts';

type TranscriptRow = typeof transcript.$inferSelect;

/** Who the person is, as far as staff know: the linked beneficiary, else their platform name. */
function personName(ctx: PageContext, row: { beneficiaryName: string | null; profileName: string | null }) {
  return row.beneficiaryName ?? row.profileName ?? ctx.t('queue.unnamed');
}

/** A short line for the last thing the person sent. */
function lastLine(ctx: PageContext, kind: string | null, text: string | null): string {
  if (text) return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return kind ? ctx.t(`queue.sent.${kind}`, { defaultValue: '' }) : '';
}

/** The queue's rows: who, why, what they last said, how long they have waited (working minutes). */
export function queueRows(
  ctx: PageContext,
  rows: QueueRow[],
  now: Date,
  org: Pick<OrgProfile, 'workingDays' | 'workingHours' | 'timeZone'>,
): SafeHtml {
  const { t } = ctx;
  if (rows.length === 0) return html`<tr><td colspan="6">${t('queue.empty')}</td></tr>`;
  return html`${rows.map((row) => {
    const { handoff } = row;
    const minutes = Math.floor(workingMsBetween(handoff.createdAt, now, org) / 60_000);
    const overdue = handoff.overdue && handoff.status === 'waiting';
    return html`<tr class="${overdue ? 'overdue' : ''} p${handoff.priority}" data-handoff="${handoff.id}">
<td data-label="${t('queue.person')}"><a href="/conversations/${handoff.conversationId}"><bdi>${personName(ctx, row)}</bdi></a>
${row.phone ? html`<br><bdi dir="ltr" class="meta">${row.phone}</bdi>` : ''}<br><span class="meta">${t(`channel.${row.channel}`)}</span></td>
<td data-label="${t('queue.reason')}"><span class="badge p${handoff.priority}">${t(`queue.reasons.${handoff.reason}`, { defaultValue: handoff.reason })}</span></td>
<td data-label="${t('queue.last')}"><bdi dir="auto">${lastLine(ctx, row.lastKind, row.lastText)}</bdi></td>
<td data-label="${t('queue.since')}">${t('queue.minutes', { count: minutes })}${overdue ? html` · <strong>${t('queue.overdue')}</strong>` : ''}</td>
<td data-label="${t('queue.claimedBy')}"><bdi>${row.claimedByName ?? ''}</bdi></td></tr>`;
  })}`;
}

/** The queue page: tabs by status, the rows (refreshed by the page's script). */
export function queuePage(ctx: PageContext, tab: Handoff['status'], rows: SafeHtml): SafeHtml {
  const { t } = ctx;
  const tabs = (['waiting', 'claimed', 'closed'] as const).map(
    (s) => html`<a href="/queue?tab=${s}" class="${s === tab ? 'on' : ''}">${t(`queue.${s}`)}</a>`,
  );
  return html`<h1>${t('nav.queue')}</h1><p class="tabs">${tabs} <button type="button" id="allow-alerts" class="link" hidden>${t('queue.allowAlerts')}</button></p>
<table class="cards" id="queue" data-tab="${tab}"><thead><tr><th>${t('queue.person')}</th><th>${t('queue.reason')}</th><th>${t('queue.last')}</th><th>${t('queue.since')}</th><th>${t('queue.claimedBy')}</th></tr></thead>
<tbody id="rows">${rows}</tbody></table><p class="meta">${t('queue.live')}</p>`;
}

/** The label of the option a person pressed, from the message that offered it. */
function choiceLabel(rows: TranscriptRow[], index: number, id: string): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const options = (rows[i]?.payload as { options?: { id: string; label: string }[] } | null)?.options;
    if (rows[i]?.direction === 'out' && options) return options.find((o) => o.id === id)?.label;
  }
  return undefined;
}

const kilobytes = (size: number | undefined) => (size ? Math.max(1, Math.round(size / 1000)) : 0);

function mediaBody(ctx: PageContext, payload: MediaTranscriptPayload): SafeHtml {
  const { t } = ctx;
  const { mediaId, media, fileName, size, mime } = payload;
  if (!mediaId) {
    const why = payload.rejected ? t(`conversation.rejected.${payload.rejected}`) : '';
    return html`<span class="meta">[${t(`conversation.kind.${media}`)}] ${why}</span>`;
  }
  const url = `/media/${mediaId}`;
  if (mime?.startsWith('image/')) {
    return html`<a href="${url}" target="_blank" rel="noopener"><img class="thumb" src="${url}" alt="${t('conversation.kind.photo')}" loading="lazy"></a>`;
  }
  if (mime?.startsWith('audio/')) {
    return html`<audio controls preload="metadata" src="${url}" aria-label="${t('conversation.kind.voice')}"></audio>`;
  }
  return html`<a class="file" href="${url}" download>📄 <bdi>${fileName ?? t(`conversation.kind.${media}`)}</bdi> <span class="meta">(${t('conversation.size', { count: kilobytes(size) })})</span></a>`;
}

function messageBody(ctx: PageContext, rows: TranscriptRow[], index: number): SafeHtml {
  const { t } = ctx;
  const row = rows[index] as TranscriptRow;
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  const parts: (SafeHtml | string)[] = [];
  if (row.kind === 'media') parts.push(mediaBody(ctx, payload as unknown as MediaTranscriptPayload), html`<br>`);
  if (row.kind === 'location') {
    parts.push(
      html`[${t('conversation.location')}] <bdi dir="ltr">${String(payload.latitude)}, ${String(payload.longitude)}</bdi>`,
    );
  }
  if (row.kind === 'contact') {
    parts.push(html`[${t('conversation.contact')}] <bdi dir="ltr">${String(payload.phone ?? '')}</bdi>`);
  }
  if (row.kind === 'choice') {
    const id = String(payload.choiceId ?? '');
    parts.push(html`<span class="pressed">${choiceLabel(rows, index, id) ?? t('conversation.pressed')}</span>`);
  }
  if (row.kind === 'command')
    parts.push(
      html`<span class="pressed">${t(`conversation.commands.${String(payload.command)}`, { defaultValue: `/${String(payload.command ?? '')}` })}</span>`,
    );
  if (row.text) parts.push(html`<bdi dir="auto">${row.text}</bdi>`);
  const options = Array.isArray(payload.options) ? (payload.options as { label: string }[]) : [];
  if (row.direction === 'out' && options.length > 0) {
    parts.push(html`<ol class="options">${options.map((o) => html`<li><bdi>${o.label}</bdi></li>`)}</ol>`);
  }
  return html`${parts}`;
}

/** Transcript rows as messages; the bot's can be collapsed by the page's script. */
export function transcriptRows(ctx: PageContext, rows: TranscriptRow[], all: TranscriptRow[] = rows): SafeHtml {
  const { t, lang } = ctx;
  const offset = all.length - rows.length;
  return html`${rows.map((row, i) => {
    const flag = (row.payload as { flag?: TranscriptFlag } | null)?.flag;
    const who = row.direction === 'in' ? 'in' : row.author;
    return html`<div class="msg ${who}${flag ? ` flag-${flag}` : ''}" data-id="${row.id}"><div class="meta">${t(`conversation.${row.author}`)} · ${when(row.createdAt, lang)}${flag ? html` · <strong class="flag">${t(`conversation.flags.${flag}`)}</strong>` : ''}</div>${messageBody(ctx, all, offset + i)}</div>`;
  })}`;
}

/** What the handoff controls need. */
export interface ControlsView {
  handoff: Handoff | undefined;
  claimedByName: string | undefined;
  colleagues: StaffUser[];
  canned: (typeof cannedReplies.$inferSelect)[];
}

/** Claim, or (for its owner) release, transfer, close and the reply box; replaced live by the page. */
export function handoffControls(ctx: PageContext, conversationId: number, v: ControlsView): SafeHtml {
  const { t, user } = ctx;
  const h = v.handoff;
  const base = `/conversations/${conversationId}`;
  const mine = h?.status === 'claimed' && (h.claimedBy === user?.id || user?.role === 'manager');
  const state = h ? `${h.status}:${h.claimedBy ?? ''}:${h.priority}` : 'none';
  if (!h) return html`<div id="controls" data-state="${state}"><p>${t('conversation.noHandoff')}</p></div>`;
  if (h.status === 'waiting') {
    return html`<div id="controls" data-state="${state}">${action(ctx, `${base}/claim`, t('conversation.claim'))}<p class="notice">${t('conversation.claimFirst')}</p></div>`;
  }
  if (!mine) {
    return html`<div id="controls" data-state="${state}"><p>${t('conversation.claimedBy', { name: v.claimedByName ?? '' })}</p></div>`;
  }
  const transfer =
    v.colleagues.length === 0
      ? ''
      : action(ctx, `${base}/transfer`, t('conversation.transfer'), {
          danger: t('conversation.confirm.transfer'),
          extra: html`<select name="to" aria-label="${t('conversation.transfer')}">${v.colleagues.map((u) => html`<option value="${u.id}">${u.displayName}</option>`)}</select> `,
        });
  return html`<div id="controls" data-state="${state}"><p>${t('conversation.claimedBy', { name: v.claimedByName ?? '' })}</p>
<p class="actions">${action(ctx, `${base}/release`, t('conversation.release'))} ${transfer} ${action(ctx, `${base}/close`, t('conversation.close'), { danger: t('conversation.confirm.close') })}</p>
<form method="post" action="${base}/reply" class="card reply" id="reply-form">${csrfField(ctx)}
<label for="reply"><strong>${t('conversation.reply')}</strong></label>
${v.canned.length > 0 ? html`<select id="canned" aria-label="${t('conversation.canned')}"><option value="">${t('conversation.canned')}</option>${v.canned.map((r) => html`<option value="${r.body}">${r.title}</option>`)}</select>` : ''}
<textarea id="reply" name="text" required maxlength="4000" dir="auto"></textarea>
<p><button class="primary" type="submit">${t('conversation.send')}</button> <span class="meta">${t('conversation.sendHint')}</span> <span id="reply-error" class="error" role="alert" hidden></span></p></form></div>`;
}

/** What the conversation page shows. */
export interface ConversationView {
  conversation: Conversation;
  controls: SafeHtml;
  rows: TranscriptRow[];
  notes: ReturnType<typeof notesOf>;
  beneficiary: typeof beneficiaries.$inferSelect | undefined;
}

/** One conversation: who, the whole transcript (newest at the bottom), the controls, the notes. */
export function conversationPage(ctx: PageContext, v: ConversationView): SafeHtml {
  const { t, lang } = ctx;
  const c = v.conversation;
  const name = v.beneficiary?.name ?? c.profileName;
  return html`<h1>${t('conversation.heading', { id: c.id })}${name ? html` · <bdi>${name}</bdi>` : ''}</h1>
<div class="card"><p>${t(`channel.${c.channel}`)} · ${t('conversation.language')}: ${t(`languages.${c.locale}`)}
${c.platformPhone ? html` · ${t('conversation.phone')}: <bdi dir="ltr">${c.platformPhone}</bdi>` : ''}
${v.beneficiary ? html` · ${t('conversation.beneficiary')}: <a href="/beneficiaries/${v.beneficiary.id}"><bdi>${v.beneficiary.name}</bdi></a>` : html` · <a href="/beneficiaries?link=${c.id}">${t('conversation.link')}</a>`}</p></div>
<p><button type="button" id="toggle-bot" class="link" aria-pressed="false">${t('conversation.hideBot')}</button></p>
<section aria-label="transcript" id="transcript" data-conversation="${c.id}" data-last="${v.rows.at(-1)?.id ?? 0}">${transcriptRows(ctx, v.rows)}</section>
${v.controls}
<div class="card" id="notes"><h2>${t('conversation.notes')}</h2>${v.notes.map((n) => html`<p><span class="meta"><bdi>${n.author}</bdi> · ${when(n.note.createdAt, lang)}</span><br><bdi dir="auto">${n.note.body}</bdi></p>`)}
<form method="post" action="/conversations/${c.id}/notes">${csrfField(ctx)}<textarea name="body" required maxlength="4000" dir="auto" aria-label="${t('conversation.addNote')}"></textarea><button class="primary">${t('conversation.addNote')}</button></form></div>`;
}
