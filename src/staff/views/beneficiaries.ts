import type { Conversation } from '../../db/conversations.ts';
import type { beneficiaries } from '../../db/schema.ts';
import type { contactsOf } from '../../db/staffWork.ts';
import { html, plain, type SafeHtml } from '../html.ts';
import { action, csrfField, phone, userText, when } from './common.ts';
import type { PageContext } from './layout.ts';

/** Search by name, mobile or reference; create one (and link the conversation it came from). */
export function beneficiariesPage(
  ctx: PageContext,
  query: string,
  results: (typeof beneficiaries.$inferSelect)[],
  linkConversation: number | undefined,
): SafeHtml {
  const { t } = ctx;
  const link = linkConversation ? html`<input type="hidden" name="conversationId" value="${linkConversation}">` : '';
  const found =
    results.length === 0
      ? html`<p class="notice">${t('beneficiaries.noResults')}</p>`
      : html`<table class="cards"><thead><tr><th>${t('beneficiaries.reference')}</th><th>${t('beneficiaries.name')}</th><th>${t('beneficiaries.phone')}</th><th><span class="visually-hidden">${t('accounts.actions')}</span></th></tr></thead><tbody>${results.map(
          (b) =>
            html`<tr><td data-label="${t('beneficiaries.reference')}"><bdi dir="ltr">#${b.id}</bdi></td><td data-label="${t('beneficiaries.name')}"><a href="/beneficiaries/${b.id}"><bdi>${plain(b.name)}</bdi></a></td><td data-label="${t('beneficiaries.phone')}">${phone(b.phone)}</td><td class="actions">${linkConversation ? action(ctx, `/conversations/${linkConversation}/link`, t('conversation.link'), { extra: html`<input type="hidden" name="beneficiaryId" value="${b.id}">` }) : ''}</td></tr>`,
        )}</tbody></table>`;
  return html`<h1>${t('beneficiaries.heading')}</h1>
${linkConversation ? html`<p class="notice">${t('beneficiaries.linking', { id: linkConversation })}</p>` : ''}
<form method="get" action="/beneficiaries" class="card search" role="search"><input type="search" name="q" value="${query}" dir="auto" aria-label="${t('beneficiaries.search')}" placeholder="${t('beneficiaries.search')}">
${linkConversation ? html`<input type="hidden" name="link" value="${linkConversation}">` : ''}<button class="primary">${t('beneficiaries.searchButton')}</button></form>
${query ? found : ''}
<form method="post" action="/beneficiaries" class="card stack"><h2>${t('beneficiaries.create')}</h2>${csrfField(ctx)}${link}
<label for="b-name">${t('beneficiaries.name')}</label><input id="b-name" type="text" name="name" required maxlength="200" dir="auto">
<label for="b-phone">${t('beneficiaries.phone')}</label><input id="b-phone" type="tel" name="phone" maxlength="30" inputmode="tel" dir="ltr" placeholder="05XXXXXXXX">
<p><button class="primary">${t('beneficiaries.create')}</button></p></form>`;
}

/** One beneficiary: their chats on every channel, and the contacts recorded outside the chat. */
export function beneficiaryPage(
  ctx: PageContext,
  b: typeof beneficiaries.$inferSelect,
  chats: Conversation[],
  history: ReturnType<typeof contactsOf>,
): SafeHtml {
  const { t, lang } = ctx;
  const channels = ['visit', 'phone', 'letter', 'social', 'website'];
  return html`<h1><bdi>${plain(b.name)}</bdi></h1><p class="card facts"><span>${t('beneficiaries.reference')}: <bdi dir="ltr">#${b.id}</bdi></span>${b.phone ? html` <span>${t('beneficiaries.phone')}: ${phone(b.phone)}</span>` : ''}</p>
<section class="card"><h2>${t('beneficiaries.conversations')}</h2>${
    chats.length === 0
      ? html`<p class="meta">${t('beneficiaries.noConversations')}</p>`
      : html`<ul>${chats.map((c) => html`<li><a href="/conversations/${c.id}">${t('conversation.heading', { id: c.id })}</a> · ${t(`channel.${c.channel}`)} · ${when(c.updatedAt, lang)}</li>`)}</ul>`
  }</section>
<section class="card"><h2>${t('beneficiaries.contacts')}</h2>${
    history.length === 0
      ? html`<p class="meta">${t('beneficiaries.noContacts')}</p>`
      : html`${history.map((h) => html`<div class="note"><p class="meta"><strong>${t(`beneficiaries.contactChannel.${h.contact.channel}`)}</strong> · ${when(h.contact.createdAt, lang)} · <bdi>${plain(h.author)}</bdi></p>${userText(h.contact.summary, 'block')}</div>`)}`
  }
<form method="post" action="/beneficiaries/${b.id}/contacts" class="stack">${csrfField(ctx)}<h3>${t('beneficiaries.addContact')}</h3>
<label for="c-channel">${t('beneficiaries.contactHow')}</label><select id="c-channel" name="channel">${channels.map((c) => html`<option value="${c}">${t(`beneficiaries.contactChannel.${c}`)}</option>`)}</select>
<label for="c-summary">${t('beneficiaries.summary')}</label><textarea id="c-summary" name="summary" required maxlength="4000" dir="auto" rows="3"></textarea>
<p><button class="primary">${t('beneficiaries.addContact')}</button></p></form></section>`;
}
