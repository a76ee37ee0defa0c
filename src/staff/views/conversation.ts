import type { Conversation } from '../../db/conversations.ts';
import type { Handoff, QueueRow } from '../../db/handoffs.ts';
import type { beneficiaries, cannedReplies, transcript } from '../../db/schema.ts';
import type { StaffUser } from '../../db/staff.ts';
import type { notesOf } from '../../db/staffWork.ts';
import type { MediaTranscriptPayload, TranscriptFlag } from '../../db/transcript.ts';
import type { OrgProfile } from '../../domain/orgProfile.ts';
import { may } from '../../domain/permissions.ts';
import { workingMsBetween } from '../../domain/workingHours.ts';
import { html, plain, type SafeHtml } from '../html.ts';
import { hiddenFor } from '../visibility.ts';
import { action, csrfField, dayKey, dayOf, phone, timeOf, userText, when } from './common.ts';
import type { PageContext } from './layout.ts';

type TranscriptRow = typeof transcript.$inferSelect;

/** Who the person is, as far as staff know: the linked beneficiary, else their platform name. */
function personName(ctx: PageContext, row: { beneficiaryName: string | null; profileName: string | null }): SafeHtml {
  const name = plain(row.beneficiaryName ?? row.profileName).trim();
  return name ? html`<bdi>${name}</bdi>` : html`<span class="unnamed">${ctx.t('queue.unnamed')}</span>`;
}

/** At most `max` characters (never half a letter), with an ellipsis when cut. */
function shorten(text: string, max: number): string {
  const letters = Array.from(text.replace(/\s+/g, ' ').trim());
  return letters.length > max ? `${letters.slice(0, max).join('')}…` : letters.join('');
}

/** A short line for the last thing the person sent. */
function lastLine(ctx: PageContext, kind: string | null, text: string | null): SafeHtml | string {
  if (text) return userText(shorten(plain(text), 90));
  return kind && kind !== 'text'
    ? html`<span class="meta">${ctx.t(`queue.sent.${kind}`, { defaultValue: '' })}</span>`
    : '';
}

/** The queue's rows: who, why, what they last said, how long they have waited (working minutes). */
export function queueRows(
  ctx: PageContext,
  rows: QueueRow[],
  now: Date,
  org: Pick<OrgProfile, 'workingDays' | 'workingHours' | 'timeZone'>,
): SafeHtml {
  const { t, lang } = ctx;
  if (rows.length === 0) return html`<tr class="empty"><td colspan="5">${t('queue.empty')}</td></tr>`;
  return html`${rows.map((row) => {
    const { handoff } = row;
    const minutes = Math.floor(workingMsBetween(handoff.createdAt, now, org) / 60_000);
    const overdue = handoff.overdue && handoff.status === 'waiting';
    const since =
      handoff.status === 'closed'
        ? when(handoff.closedAt, lang)
        : html`${t('queue.minutes', { count: minutes })}${overdue ? html` <strong class="late">${t('queue.overdue')}</strong>` : ''}`;
    return html`<tr class="p${handoff.priority}${overdue ? ' overdue' : ''}" data-handoff="${handoff.id}" data-priority="${handoff.priority}">
<td class="who"><a href="/conversations/${handoff.conversationId}">${personName(ctx, row)}</a>
<span class="meta">${row.phone ? html`${phone(row.phone)} · ` : ''}${t(`channel.${row.channel}`)}</span></td>
<td data-label="${t('queue.reason')}"><span class="badge p${handoff.priority}">${t(`queue.reasons.${handoff.reason}`, { defaultValue: handoff.reason })}</span></td>
<td data-label="${t('queue.last')}" class="last">${lastLine(ctx, row.lastKind, row.lastText)}</td>
<td data-label="${t(handoff.status === 'closed' ? 'queue.closedAt' : 'queue.since')}">${since}</td>
<td data-label="${t('queue.claimedBy')}">${row.claimedByName ? html`<bdi>${plain(row.claimedByName)}</bdi>` : html`<span class="meta">—</span>`}</td></tr>`;
  })}`;
}

/** The queue page: tabs by status, the rows (refreshed by the page's script). */
export function queuePage(ctx: PageContext, tab: Handoff['status'], rows: SafeHtml): SafeHtml {
  const { t } = ctx;
  const tabs = (['waiting', 'claimed', 'closed'] as const).map(
    (s) =>
      html`<a href="/queue?tab=${s}"${s === tab ? html` class="on" aria-current="page"` : ''}>${t(`queue.${s}`)}</a>`,
  );
  return html`<h1>${t('nav.queue')}</h1><nav class="tabs" aria-label="${t('nav.queue')}">${tabs}</nav>
<p class="bar"><span class="meta">${t('queue.live')}</span> <button type="button" id="allow-alerts" class="secondary" hidden>${t('queue.allowAlerts')}</button></p>
<table class="cards queue" id="queue" data-tab="${tab}"><thead><tr><th>${t('queue.person')}</th><th>${t('queue.reason')}</th><th>${t('queue.last')}</th><th>${t(tab === 'closed' ? 'queue.closedAt' : 'queue.since')}</th><th>${t('queue.claimedBy')}</th></tr></thead>
<tbody id="rows" aria-live="polite">${rows}</tbody></table>`;
}

/** The label of the option a person pressed, from the message that offered it. */
function choiceLabel(rows: TranscriptRow[], index: number, id: string): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const options = (rows[i]?.payload as { options?: { id: string; label: string }[] } | null)?.options;
    if (rows[i]?.direction === 'out' && options) return options.find((o) => o.id === id)?.label;
  }
  return undefined;
}

/** A file's size in the console's language: kilobytes, or megabytes from a thousand of them. */
function size(ctx: PageContext, bytes: number | undefined): string {
  if (!bytes) return '';
  if (bytes < 1_000_000) return ctx.t('conversation.sizeKb', { count: Math.max(1, Math.round(bytes / 1000)) });
  return ctx.t('conversation.sizeMb', { size: Math.round(bytes / 100_000) / 10 });
}

/** The photos a browser shows; any other (an iPhone's HEIC) is offered as a file to download. */
const browserImages = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

function mediaBody(ctx: PageContext, payload: MediaTranscriptPayload): SafeHtml {
  const { t } = ctx;
  const { mediaId, media, fileName, mime } = payload;
  const what = t(`conversation.kind.${media}`, { defaultValue: t('conversation.kind.document') });
  if (!mediaId) {
    const why = payload.rejected ? t(`conversation.rejected.${payload.rejected}`) : '';
    return html`<p class="missing">${what} <span class="meta">${why}</span></p>`;
  }
  const url = `/media/${mediaId}`;
  if (mime && browserImages.includes(mime)) {
    return html`<a class="photo" href="${url}" target="_blank" rel="noopener" data-viewer><img class="thumb" src="${url}" alt="${what}" loading="lazy"></a>`;
  }
  if (mime?.startsWith('audio/')) {
    return html`<div class="voice"><audio controls preload="metadata" src="${url}" aria-label="${what}"></audio></div>`;
  }
  const name = plain(fileName).trim();
  return html`<a class="file" href="${url}" download><span class="icon" aria-hidden="true"></span><span><bdi dir="auto" class="name">${name || what}</bdi> <span class="meta">${size(ctx, payload.size)}</span></span></a>`;
}

/** A place a person shared: latitude then longitude (never swapped), and a map to open it on. */
function locationBody(ctx: PageContext, payload: Record<string, unknown>): SafeHtml {
  const { t } = ctx;
  const latitude = Number(payload.latitude);
  const longitude = Number(payload.longitude);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return html`<p>${t('conversation.location')}</p>`;
  const lat = latitude.toFixed(5);
  const lon = longitude.toFixed(5);
  // A geo: link opens the staff member's own map app: no third-party site learns where the person is.
  return html`<p class="place"><span class="pressed">${t('conversation.location')}</span> <bdi dir="ltr">${lat}, ${lon}</bdi>
<a href="geo:${lat},${lon}">${t('conversation.openMap')}</a></p>`;
}

function messageBody(ctx: PageContext, rows: TranscriptRow[], index: number): SafeHtml {
  const { t } = ctx;
  const row = rows[index] as TranscriptRow;
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  const parts: SafeHtml[] = [];
  switch (row.kind) {
    case 'media':
      parts.push(mediaBody(ctx, payload as unknown as MediaTranscriptPayload));
      break;
    case 'location':
      parts.push(locationBody(ctx, payload));
      break;
    case 'contact':
      parts.push(
        html`<p><span class="pressed">${t('conversation.contact')}</span> ${phone(String(payload.phone ?? '')) || t('conversation.noPhone')}</p>`,
      );
      break;
    case 'choice': {
      const label = choiceLabel(rows, index, String(payload.choiceId ?? ''));
      parts.push(
        html`<p><span class="pressed" title="${t('conversation.pressedHint')}">${label ? userText(label) : t('conversation.pressed')}</span></p>`,
      );
      break;
    }
    case 'command':
      parts.push(
        html`<p><span class="pressed">${t(`conversation.commands.${String(payload.command)}`, { defaultValue: t('conversation.commands.other') })}</span></p>`,
      );
      break;
    case 'unsupported':
      parts.push(html`<p class="missing">${t('queue.sent.unsupported')}</p>`);
      break;
  }
  if (row.text) parts.push(userText(row.text, 'block'));
  const options = Array.isArray(payload.options) ? (payload.options as { label: string }[]) : [];
  if (row.direction === 'out' && options.length > 0) {
    parts.push(html`<ol class="options">${options.map((o) => html`<li>${userText(o.label)}</li>`)}</ol>`);
  }
  return html`${parts}`;
}

/**
 * Transcript rows as messages, a heading where the day changes; `all` is the whole transcript
 * that `rows` ends (what a pressed button's label and the day before are read from). The bot's
 * messages can be collapsed by the page's script.
 */
export function transcriptRows(ctx: PageContext, rows: TranscriptRow[], all: TranscriptRow[] = rows): SafeHtml {
  const { t, lang } = ctx;
  const offset = all.length - rows.length;
  return html`${rows.map((row, i) => {
    const marked = (row.payload as { flag?: TranscriptFlag } | null)?.flag;
    const hidden = hiddenFor(ctx.user?.role, marked);
    const flag = hidden || marked === 'health' ? undefined : marked;
    const who = row.direction === 'in' ? 'in' : row.author;
    const before = all[offset + i - 1];
    const newDay = !before || dayKey(before.createdAt) !== dayKey(row.createdAt);
    return html`${newDay ? html`<p class="day"><span>${dayOf(row.createdAt, lang)}</span></p>` : ''}<article class="msg ${who}${flag ? ` flag-${flag}` : ''}" data-id="${row.id}">
<div class="meta"><span class="author">${t(`conversation.${row.author}`)}</span> · ${timeOf(row.createdAt, lang)}${flag ? html` <strong class="flag">${t(`conversation.flags.${flag}`)}</strong>` : ''}</div>${hidden ? html`<p class="missing">${t(hidden)}</p>` : messageBody(ctx, all, offset + i)}</article>`;
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
  const withName = html`<bdi>${plain(v.claimedByName)}</bdi>`;
  if (!h)
    return html`<div id="controls" class="controls" data-state="${state}"><p class="meta">${t('conversation.noHandoff')}</p></div>`;
  if (h.status === 'waiting') {
    return html`<div id="controls" class="controls" data-state="${state}"><p class="notice">${t('conversation.claimFirst')}</p><p class="actions">${action(ctx, `${base}/claim`, t('conversation.claim'))}</p></div>`;
  }
  if (!mine) {
    return html`<div id="controls" class="controls" data-state="${state}"><p class="notice">${t('conversation.claimedByOther')} ${withName}</p></div>`;
  }
  const transfer =
    v.colleagues.length === 0
      ? ''
      : action(ctx, `${base}/transfer`, t('conversation.transfer'), {
          danger: t('conversation.confirm.transfer'),
          extra: html`<select name="to" aria-label="${t('conversation.transferTo')}">${v.colleagues.map((u) => html`<option value="${u.id}">${plain(u.displayName)}</option>`)}</select> `,
        });
  return html`<div id="controls" class="controls" data-state="${state}">
<form method="post" action="${base}/reply" class="card reply" id="reply-form">${csrfField(ctx)}
<p class="reply-head"><label for="reply"><strong>${t('conversation.reply')}</strong></label>
${v.canned.length > 0 ? html`<select id="canned" aria-label="${t('conversation.canned')}"><option value="">${t('conversation.canned')}</option>${v.canned.map((r) => html`<option value="${r.body}">${plain(r.title)}</option>`)}</select>` : ''}</p>
<textarea id="reply" name="text" required maxlength="4000" dir="auto" rows="3"></textarea>
<p class="send"><button class="primary" type="submit">${t('conversation.send')}</button> <span class="meta">${t('conversation.sendHint')} <kbd dir="ltr">Ctrl+Enter</kbd></span></p>
<p id="reply-error" class="error" role="alert" hidden></p></form>
<div class="actions"><span class="meta">${t('conversation.claimedBy')} ${withName}</span>
${action(ctx, `${base}/release`, t('conversation.release'), { secondary: true })} ${transfer} ${action(ctx, `${base}/close`, t('conversation.close'), { danger: t('conversation.confirm.close') })}</div></div>`;
}

/** What the conversation page shows. */
export interface ConversationView {
  conversation: Conversation;
  controls: SafeHtml;
  rows: TranscriptRow[];
  notes: ReturnType<typeof notesOf>;
  beneficiary: typeof beneficiaries.$inferSelect | undefined;
  /** The person's aid requests made in this chat. */
  requests: { id: number; reference: string; stage: string }[];
  /** The answers of an application they started and did not finish. */
  draft: Record<string, unknown> | undefined;
}

/** The answers of an application the person has not finished, for the staff member they asked for. */
function draftCard(ctx: PageContext, answers: Record<string, unknown>): SafeHtml {
  const { t } = ctx;
  const labels: [string, string][] = [
    ['patientName', 'cases:console.patient'],
    ['nationalId', answers.forFamily ? 'cases:console.patientId' : 'cases:console.nationalId'],
    ['name', 'cases:console.applicant'],
    ['phone', 'cases:console.phone'],
    ['city', 'cases:console.city'],
    ['householdSize', 'cases:console.household'],
    ['income', 'cases:console.income'],
    ['description', 'cases:console.description'],
  ];
  const given = labels.filter(([field]) => answers[field] !== undefined && answers[field] !== '');
  const health = ctx.user !== undefined && may(ctx.user.role, 'health');
  const value = (field: string) =>
    field === 'description' && !health
      ? html`<span class="missing">${t('privacy:console.healthHidden')}</span>`
      : userText(String(answers[field]));
  return html`<section class="card"><h2>${t('cases:console.draft')}</h2><dl class="answers">${given.map(([field, label]) => html`<dt>${t(label)}</dt><dd>${value(field)}</dd>`)}</dl></section>`;
}

/** One conversation: who, the whole transcript (newest at the bottom), the controls, the notes. */
export function conversationPage(ctx: PageContext, v: ConversationView): SafeHtml {
  const { t, lang } = ctx;
  const c = v.conversation;
  const name = plain(v.beneficiary?.name ?? c.profileName).trim();
  return html`<h1>${name ? html`<bdi>${name}</bdi>` : t('queue.unnamed')} <span class="meta">${t('conversation.heading', { id: c.id })}</span></h1>
<p class="card facts"><span>${t(`channel.${c.channel}`)}</span> <span>${t('conversation.language')}: ${t(`languages.${c.locale}`)}</span>
${c.platformPhone ? html`<span>${t('conversation.phone')}: ${phone(c.platformPhone)}</span>` : ''}
${v.beneficiary ? html`<span>${t('conversation.beneficiary')}: <a href="/beneficiaries/${v.beneficiary.id}"><bdi>${plain(v.beneficiary.name)}</bdi></a></span>` : html`<a href="/beneficiaries?link=${c.id}">${t('conversation.link')}</a>`}</p>
<p class="bar"><button type="button" id="toggle-bot" class="secondary" aria-pressed="false" aria-controls="transcript">${t('conversation.hideBot')}</button></p>
<section aria-label="${t('conversation.transcript')}" id="transcript" class="transcript" data-conversation="${c.id}" data-last="${v.rows.at(-1)?.id ?? 0}">${transcriptRows(ctx, v.rows)}</section>
${v.controls}
${v.requests.length > 0 ? html`<section class="card"><h2>${t('cases:console.heading')}</h2><ul>${v.requests.map((r) => html`<li><a href="/cases/${r.id}"><bdi dir="ltr">${r.reference}</bdi></a> · ${t(`cases:console.stage.${r.stage}`)}</li>`)}</ul></section>` : ''}
${v.draft ? draftCard(ctx, v.draft) : ''}
<section class="card notes" id="notes"><h2>${t('conversation.notes')}</h2>${v.notes.map((n) => html`<div class="note"><p class="meta"><bdi>${plain(n.author)}</bdi> · ${when(n.note.createdAt, lang)}</p>${userText(n.note.body, 'block')}</div>`)}
<form method="post" action="/conversations/${c.id}/notes">${csrfField(ctx)}<textarea name="body" required maxlength="4000" dir="auto" rows="2" aria-label="${t('conversation.addNote')}"></textarea><p><button class="secondary">${t('conversation.addNote')}</button></p></form></section>`;
}
