import type { readAudit } from '../db/audit.ts';
import type { Conversation } from '../db/conversations.ts';
import type { Handoff, listHandoffs } from '../db/handoffs.ts';
import type { beneficiaries, cannedReplies, transcript } from '../db/schema.ts';
import { roles, type StaffUser } from '../db/staff.ts';
import type { contactsOf, notesOf } from '../db/staffWork.ts';
import { html, SafeHtml } from './html.ts';
import type { PageContext } from './layout.ts';

const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

/** A POST button with the CSRF token. */
function action(ctx: PageContext, url: string, label: string, extra: SafeHtml | string = ''): SafeHtml {
  return html`<form class="inline" method="post" action="${url}">${csrfField(ctx)}${extra}<button class="primary">${label}</button></form>`;
}

const time = (d: Date | null | undefined, lang: 'ar' | 'en') =>
  d
    ? new Intl.DateTimeFormat(lang === 'ar' ? 'ar-SA-u-ca-gregory-nu-latn' : 'en-GB', {
        dateStyle: 'short',
        timeStyle: 'short',
        timeZone: 'Asia/Riyadh',
      }).format(d)
    : '';

export function loginPage(ctx: PageContext, csrf: string, error?: string): SafeHtml {
  const { t } = ctx;
  return html`<div class="login card"><h1>${t('login.heading')}</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="_csrf" value="${csrf}">
<label for="username">${t('login.username')}</label><input id="username" name="username" type="text" autocomplete="username" required>
<label for="password">${t('login.password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button class="primary" type="submit">${t('login.submit')}</button></p></form></div>`;
}

export function messagePage(text: string): SafeHtml {
  return html`<p class="notice">${text}</p>`;
}

type QueueRow = ReturnType<typeof listHandoffs>[number];

export function queueRows(ctx: PageContext, rows: QueueRow[], now: Date): SafeHtml {
  const { t } = ctx;
  if (rows.length === 0) return html`<tr><td colspan="6">${t('queue.empty')}</td></tr>`;
  return html`${rows.map(({ handoff, channel, claimedByName }) => {
    const minutes = Math.max(0, Math.floor((now.getTime() - handoff.createdAt.getTime()) / 60_000));
    return html`<tr class="${handoff.overdue && handoff.status === 'waiting' ? 'overdue' : ''} p${handoff.priority}" data-handoff="${handoff.id}">
<td><a href="/conversations/${handoff.conversationId}">#${handoff.conversationId}</a></td>
<td>${t(`channel.${channel}`)}</td>
<td><span class="badge p${handoff.priority}">${t(`priority.${handoff.priority}`)}</span></td>
<td>${t('queue.minutes', { count: minutes })}${handoff.overdue && handoff.status === 'waiting' ? html` · <strong>${t('queue.overdue')}</strong>` : ''}</td>
<td>${claimedByName ?? ''}</td></tr>`;
  })}`;
}

export function queuePage(ctx: PageContext, tab: Handoff['status'], rows: SafeHtml): SafeHtml {
  const { t } = ctx;
  const tabs = (['waiting', 'claimed', 'closed'] as const).map(
    (s) => html`<a href="/queue?tab=${s}" class="${s === tab ? 'on' : ''}">${t(`queue.${s}`)}</a>`,
  );
  return html`<h1>${t('nav.queue')}</h1><p class="tabs">${tabs}</p>
<table><thead><tr><th>${t('queue.conversation')}</th><th>${t('queue.channel')}</th><th>${t('queue.priority')}</th><th>${t('queue.since')}</th><th>${t('queue.claimedBy')}</th></tr></thead>
<tbody id="rows">${rows}</tbody></table><p class="meta">${t('queue.live')}</p>
<script>setInterval(async()=>{const r=await fetch('/queue/rows?tab=${tab}',{credentials:'same-origin'});if(r.ok)document.getElementById('rows').innerHTML=await r.text();},4000);</script>`;
}

type TranscriptRow = typeof transcript.$inferSelect;

function messageBody(ctx: PageContext, row: TranscriptRow): SafeHtml {
  const { t } = ctx;
  const payload = (row.payload ?? {}) as Record<string, unknown>;
  const mediaId = typeof payload.mediaId === 'number' ? payload.mediaId : undefined;
  const parts: (SafeHtml | string)[] = [];
  if (row.kind === 'media') {
    const kind = String(payload.media ?? '');
    if (mediaId && kind === 'photo')
      parts.push(
        html`<a href="/media/${mediaId}"><img class="thumb" src="/media/${mediaId}" alt="${t('conversation.file')}"></a>`,
      );
    else if (mediaId && kind === 'voice') parts.push(html`<audio controls src="/media/${mediaId}"></audio>`);
    else if (mediaId)
      parts.push(html`<a href="/media/${mediaId}">${t('conversation.file')} ${String(payload.fileName ?? '')}</a>`);
    else parts.push(html`[${t(kind === 'voice' ? 'conversation.voice' : 'conversation.file')}]`);
  }
  if (row.kind === 'location')
    parts.push(html`[${t('conversation.location')}] ${String(payload.latitude)}, ${String(payload.longitude)}`);
  if (row.kind === 'contact') parts.push(html`[${t('conversation.contact')}] ${String(payload.phone ?? '')}`);
  if (row.kind === 'choice') parts.push(html`[${String(payload.choiceId ?? '')}]`);
  if (row.kind === 'command') parts.push(html`/${String(payload.command ?? '')}`);
  if (row.text) parts.push(row.text);
  const options = Array.isArray(payload.options) ? (payload.options as { label: string }[]) : [];
  if (row.direction === 'out' && options.length > 0) {
    parts.push(html`<span class="meta">\n${options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}</span>`);
  }
  return html`${parts}`;
}

export interface ConversationView {
  conversation: Conversation;
  handoff: Handoff | undefined;
  claimedByName: string | undefined;
  rows: TranscriptRow[];
  notes: ReturnType<typeof notesOf>;
  canned: (typeof cannedReplies.$inferSelect)[];
  colleagues: StaffUser[];
  beneficiary: typeof beneficiaries.$inferSelect | undefined;
}

export function conversationPage(ctx: PageContext, v: ConversationView): SafeHtml {
  const { t, lang, user } = ctx;
  const c = v.conversation;
  const h = v.handoff;
  const mine = h?.status === 'claimed' && (h.claimedBy === user?.id || user?.role === 'manager');
  const controls = !h
    ? html`<p>${t('conversation.noHandoff')}</p>`
    : h.status === 'waiting'
      ? action(ctx, `/conversations/${c.id}/claim`, t('conversation.claim'))
      : html`<p>${t('conversation.claimedBy', { name: v.claimedByName ?? '' })}</p>
${
  mine
    ? html`${action(ctx, `/conversations/${c.id}/release`, t('conversation.release'))}
${
  v.colleagues.length === 0
    ? ''
    : action(
        ctx,
        `/conversations/${c.id}/transfer`,
        t('conversation.transfer'),
        html`<select name="to" aria-label="${t('conversation.transfer')}">${v.colleagues.map((u) => html`<option value="${u.id}">${u.displayName}</option>`)}</select> `,
      )
}
${action(ctx, `/conversations/${c.id}/close`, t('conversation.close'))}`
    : ''
}`;
  const replyBox = mine
    ? html`<form method="post" action="/conversations/${c.id}/reply" class="card">${csrfField(ctx)}
<label for="reply"><strong>${t('conversation.reply')}</strong></label>
${v.canned.length > 0 ? html`<select aria-label="${t('conversation.canned')}" onchange="if(this.value)document.getElementById('reply').value=this.value"><option value="">${t('conversation.canned')}</option>${v.canned.map((r) => html`<option value="${r.body}">${r.title}</option>`)}</select>` : ''}
<textarea id="reply" name="text" required maxlength="4000"></textarea><p><button class="primary" type="submit">${t('conversation.send')}</button></p></form>`
    : h?.status === 'waiting'
      ? html`<p class="notice">${t('conversation.claimFirst')}</p>`
      : '';
  return html`<h1>${t('conversation.heading', { id: c.id })}</h1>
<div class="card"><p>${t(`channel.${c.channel}`)} · ${t('conversation.language')}: ${c.locale}
${c.platformPhone ? html` · ${t('conversation.phone')}: <bdi>${c.platformPhone}</bdi>` : ''}
${v.beneficiary ? html` · ${t('conversation.beneficiary')}: <a href="/beneficiaries/${v.beneficiary.id}">${v.beneficiary.name}</a>` : html` · <a href="/beneficiaries?link=${c.id}">${t('conversation.link')}</a>`}</p>
<h2>${t('conversation.handoff')}</h2>${controls}</div>
<section aria-label="transcript">${v.rows.map(
    (row) =>
      html`<div class="msg ${row.direction === 'in' ? 'in' : row.author}"><div class="meta">${t(`conversation.${row.author}`)} · ${time(row.createdAt, lang)}</div>${messageBody(ctx, row)}</div>`,
  )}</section>
${replyBox}
<div class="card"><h2>${t('conversation.notes')}</h2>${v.notes.map((n) => html`<p><span class="meta">${n.author} · ${time(n.note.createdAt, lang)}</span><br>${n.note.body}</p>`)}
<form method="post" action="/conversations/${c.id}/notes">${csrfField(ctx)}<textarea name="body" required maxlength="4000" aria-label="${t('conversation.addNote')}"></textarea><button class="primary">${t('conversation.addNote')}</button></form></div>`;
}

export function beneficiariesPage(
  ctx: PageContext,
  query: string,
  results: (typeof beneficiaries.$inferSelect)[],
  linkConversation: number | undefined,
): SafeHtml {
  const { t } = ctx;
  const link = linkConversation ? html`<input type="hidden" name="conversationId" value="${linkConversation}">` : '';
  return html`<h1>${t('beneficiaries.heading')}</h1>
<form method="get" action="/beneficiaries" class="card"><input type="search" name="q" value="${query}" aria-label="${t('beneficiaries.search')}" placeholder="${t('beneficiaries.search')}">
${linkConversation ? html`<input type="hidden" name="link" value="${linkConversation}">` : ''}<button class="primary">${t('beneficiaries.searchButton')}</button></form>
${query ? (results.length === 0 ? html`<p>${t('beneficiaries.noResults')}</p>` : html`<table><tr><th>#</th><th>${t('beneficiaries.name')}</th><th>${t('beneficiaries.phone')}</th><th></th></tr>${results.map((b) => html`<tr><td>${b.id}</td><td><a href="/beneficiaries/${b.id}">${b.name}</a></td><td><bdi>${b.phone ?? ''}</bdi></td><td>${linkConversation ? action(ctx, `/conversations/${linkConversation}/link`, t('conversation.link'), html`<input type="hidden" name="beneficiaryId" value="${b.id}">`) : ''}</td></tr>`)}</table>`) : ''}
<form method="post" action="/beneficiaries" class="card"><h2>${t('beneficiaries.create')}</h2>${csrfField(ctx)}${link}
<label>${t('beneficiaries.name')} <input type="text" name="name" required maxlength="200"></label>
<label>${t('beneficiaries.phone')} <input type="text" name="phone" maxlength="30" inputmode="tel"></label>
<button class="primary">${t('beneficiaries.create')}</button></form>`;
}

export function beneficiaryPage(
  ctx: PageContext,
  b: typeof beneficiaries.$inferSelect,
  chats: Conversation[],
  history: ReturnType<typeof contactsOf>,
): SafeHtml {
  const { t, lang } = ctx;
  const channels = ['visit', 'phone', 'letter', 'social', 'website'];
  return html`<h1>${b.name}</h1><div class="card"><p>#${b.id} · ${t('beneficiaries.phone')}: <bdi>${b.phone ?? ''}</bdi></p>
<h2>${t('beneficiaries.conversations')}</h2><ul>${chats.map((c) => html`<li><a href="/conversations/${c.id}">#${c.id}</a> ${t(`channel.${c.channel}`)} · ${time(c.updatedAt, lang)}</li>`)}</ul></div>
<div class="card"><h2>${t('beneficiaries.contacts')}</h2><ul>${history.map((h) => html`<li><strong>${t(`beneficiaries.contactChannel.${h.contact.channel}`)}</strong> · ${time(h.contact.createdAt, lang)} · ${h.author}<br>${h.contact.summary}</li>`)}</ul>
<form method="post" action="/beneficiaries/${b.id}/contacts">${csrfField(ctx)}<h3>${t('beneficiaries.addContact')}</h3>
<select name="channel" aria-label="${t('beneficiaries.addContact')}">${channels.map((c) => html`<option value="${c}">${t(`beneficiaries.contactChannel.${c}`)}</option>`)}</select>
<textarea name="summary" required maxlength="4000" aria-label="${t('beneficiaries.summary')}"></textarea><button class="primary">${t('beneficiaries.addContact')}</button></form></div>`;
}

export function cannedPage(ctx: PageContext, replies: (typeof cannedReplies.$inferSelect)[]): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('canned.heading')}</h1><table>${replies.map((r) => html`<tr><td><strong>${r.title}</strong><br>${r.body}</td><td>${action(ctx, `/canned/${r.id}/delete`, t('canned.delete'))}</td></tr>`)}</table>
<form method="post" action="/canned" class="card">${csrfField(ctx)}<label>${t('canned.titleField')} <input type="text" name="title" required maxlength="100"></label>
<textarea name="body" required maxlength="4000" aria-label="${t('canned.body')}"></textarea><button class="primary">${t('canned.add')}</button></form>`;
}

export function accountsPage(ctx: PageContext, users: StaffUser[], created?: string): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('accounts.heading')}</h1>${created ? html`<p class="notice" role="status">${t('accounts.created', { password: created })}</p>` : ''}
<table><tr><th>${t('accounts.username')}</th><th>${t('accounts.displayName')}</th><th>${t('accounts.role')}</th><th></th></tr>
${users.map(
  (
    u,
  ) => html`<tr><td>${u.username}</td><td>${u.displayName}</td><td>${t(`roles.${u.role}`)}${u.disabled ? html` · <strong>${t('accounts.disabled')}</strong>` : ''}</td>
<td>${u.id === ctx.user?.id ? '' : action(ctx, `/accounts/${u.id}/${u.disabled ? 'enable' : 'disable'}`, t(u.disabled ? 'accounts.enable' : 'accounts.disable'))}</td></tr>`,
)}</table>
<form method="post" action="/accounts" class="card">${csrfField(ctx)}<h2>${t('accounts.create')}</h2>
<label>${t('accounts.username')} <input type="text" name="username" required pattern="[a-z0-9._-]{3,32}"></label>
<label>${t('accounts.displayName')} <input type="text" name="displayName" required maxlength="100"></label>
<label>${t('accounts.role')} <select name="role">${roles.map((r) => html`<option value="${r}">${t(`roles.${r}`)}</option>`)}</select></label>
<button class="primary">${t('accounts.create')}</button></form>`;
}

export function whatsappPage(
  ctx: PageContext,
  status: { state: string; restarts: number; lastError?: string; pairingCode?: string } | undefined,
  qrSvg: string | undefined,
): SafeHtml {
  const { t } = ctx;
  if (!status) return html`<h1>${t('whatsapp.heading')}</h1><p class="notice">${t('whatsapp.off')}</p>`;
  return html`<h1>${t('whatsapp.heading')}</h1><div class="card"><p>${t('whatsapp.state')}: <strong>${t(`whatsapp.states.${status.state}`)}</strong> · ${t('whatsapp.restarts')}: ${status.restarts}</p>
${status.lastError ? html`<p>${t('whatsapp.lastError')}: ${status.lastError}</p>` : ''}
${qrSvg ? html`<p>${t('whatsapp.scan')}</p><div style="max-width:20rem;background:#fff">${new SafeHtml(qrSvg)}</div>` : ''}
${status.pairingCode ? html`<p>${t('whatsapp.pairing', { code: status.pairingCode })}</p>` : ''}</div>`;
}

export function auditPage(ctx: PageContext, entries: ReturnType<typeof readAudit>): SafeHtml {
  const { t, lang } = ctx;
  return html`<h1>${t('audit.heading')}</h1><table><tr><th>${t('audit.when')}</th><th>${t('audit.who')}</th><th>${t('audit.action')}</th><th>${t('audit.object')}</th></tr>
${entries.map(({ entry, username }) => html`<tr><td>${time(entry.createdAt, lang)}</td><td>${username ?? ''}</td><td>${entry.action}</td><td>${entry.objectType} ${entry.objectId ?? ''}</td></tr>`)}</table>`;
}
