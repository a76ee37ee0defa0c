import type { Conversation } from '../../db/conversations.ts';
import type { beneficiaries } from '../../db/schema.ts';
import type { contactsOf } from '../../db/staffWork.ts';
import { html, type SafeHtml } from '../html.ts';
import { action, csrfField, when } from './common.ts';
import type { PageContext } from './layout.ts';

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
${query ? (results.length === 0 ? html`<p>${t('beneficiaries.noResults')}</p>` : html`<table><tr><th>#</th><th>${t('beneficiaries.name')}</th><th>${t('beneficiaries.phone')}</th><th></th></tr>${results.map((b) => html`<tr><td>${b.id}</td><td><a href="/beneficiaries/${b.id}">${b.name}</a></td><td><bdi>${b.phone ?? ''}</bdi></td><td>${linkConversation ? action(ctx, `/conversations/${linkConversation}/link`, t('conversation.link'), { extra: html`<input type="hidden" name="beneficiaryId" value="${b.id}">` }) : ''}</td></tr>`)}</table>`) : ''}
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
<h2>${t('beneficiaries.conversations')}</h2><ul>${chats.map((c) => html`<li><a href="/conversations/${c.id}">#${c.id}</a> ${t(`channel.${c.channel}`)} · ${when(c.updatedAt, lang)}</li>`)}</ul></div>
<div class="card"><h2>${t('beneficiaries.contacts')}</h2><ul>${history.map((h) => html`<li><strong>${t(`beneficiaries.contactChannel.${h.contact.channel}`)}</strong> · ${when(h.contact.createdAt, lang)} · ${h.author}<br>${h.contact.summary}</li>`)}</ul>
<form method="post" action="/beneficiaries/${b.id}/contacts">${csrfField(ctx)}<h3>${t('beneficiaries.addContact')}</h3>
<select name="channel" aria-label="${t('beneficiaries.addContact')}">${channels.map((c) => html`<option value="${c}">${t(`beneficiaries.contactChannel.${c}`)}</option>`)}</select>
<textarea name="summary" required maxlength="4000" aria-label="${t('beneficiaries.summary')}"></textarea><button class="primary">${t('beneficiaries.addContact')}</button></form></div>`;
}
