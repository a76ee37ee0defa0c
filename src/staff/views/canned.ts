import type { cannedReplies } from '../../db/schema.ts';
import { html, type SafeHtml } from '../html.ts';
import { action, csrfField } from './common.ts';
import type { PageContext } from './layout.ts';

export function cannedPage(ctx: PageContext, replies: (typeof cannedReplies.$inferSelect)[]): SafeHtml {
  const { t } = ctx;
  return html`<h1>${t('canned.heading')}</h1><table>${replies.map((r) => html`<tr><td><strong>${r.title}</strong><br>${r.body}</td><td>${action(ctx, `/canned/${r.id}/delete`, t('canned.delete'), { danger: t('canned.confirmDelete') })}</td></tr>`)}</table>
<form method="post" action="/canned" class="card">${csrfField(ctx)}<label>${t('canned.titleField')} <input type="text" name="title" required maxlength="100"></label>
<textarea name="body" required maxlength="4000" aria-label="${t('canned.body')}"></textarea><button class="primary">${t('canned.add')}</button></form>`;
}
