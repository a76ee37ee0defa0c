import type { cannedReplies } from '../../db/schema.ts';
import { html, plain, type SafeHtml } from '../html.ts';
import { action, csrfField, userText } from './common.ts';
import type { PageContext } from './layout.ts';

/** The replies staff keep ready: the list (each can be deleted, after asking) and a form to add one. */
export function cannedPage(ctx: PageContext, replies: (typeof cannedReplies.$inferSelect)[]): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('canned.heading')}</h1>${
    replies.length === 0
      ? html`<p class="notice">${t('canned.empty')}</p>`
      : html`${replies.map((r) => html`<section class="card canned"><h2><bdi>${plain(r.title)}</bdi></h2>${userText(r.body, 'block')}<p class="actions">${action(ctx, `/canned/${r.id}/delete`, t('canned.delete'), { danger: t('canned.confirmDelete') })}</p></section>`)}`
  }
<form method="post" action="/canned" class="card stack">${csrfField(ctx)}<h2>${t('canned.add')}</h2>
<label for="canned-title">${t('canned.titleField')}</label><input id="canned-title" type="text" name="title" required maxlength="100" dir="auto">
<label for="canned-body">${t('canned.body')}</label><textarea id="canned-body" name="body" required maxlength="4000" dir="auto" rows="4"></textarea>
<p><button class="primary">${t('canned.add')}</button></p></form>`;
}
