import type { FailedReply } from '../../db/outbox.ts';
import { html, type SafeHtml } from '../html.ts';
import { hiddenFor } from '../visibility.ts';
import { action, userText, when } from './common.ts';
import type { PageContext } from './layout.ts';

/** A reply's text, or what the role sees instead when it echoes what they may not read. */
function text(ctx: PageContext, row: FailedReply): SafeHtml {
  const hidden = hiddenFor(ctx.user?.role, row.payload.flag);
  return hidden ? html`<p class="missing">${ctx.t(hidden)}</p>` : userText(row.payload.text.slice(0, 300), 'block');
}

/**
 * Replies that failed for good, newest first: to whom (the conversation), on which channel, when
 * queued, how many attempts, why — and a button to send each again.
 */
export function outboxPage(ctx: PageContext, rows: FailedReply[], notice?: string): SafeHtml {
  const { t, lang } = ctx;
  const said = notice ? html`<p class="notice" role="status">${notice}</p>` : '';
  if (rows.length === 0) {
    return html`<h1>${t('outbox.heading')}</h1>${said}<p class="notice">${t('outbox.empty')}</p>`;
  }
  return html`<h1>${t('outbox.heading')}</h1>${said}<p class="meta">${t('outbox.intro')}</p>
<table class="cards" id="unsent"><thead><tr><th>${t('outbox.conversation')}</th><th>${t('outbox.channel')}</th><th>${t('outbox.queuedAt')}</th><th>${t('outbox.attempts')}</th><th>${t('outbox.reason')}</th><th>${t('outbox.text')}</th><th><span class="visually-hidden">${t('outbox.resend')}</span></th></tr></thead><tbody>
${rows.map(
  (
    row,
  ) => html`<tr data-id="${row.id}"><td data-label="${t('outbox.conversation')}"><a href="/conversations/${row.conversationId}"><bdi dir="ltr">#${row.conversationId}</bdi></a></td>
<td data-label="${t('outbox.channel')}">${t(`channel.${row.channel}`, { defaultValue: row.channel })}</td>
<td data-label="${t('outbox.queuedAt')}">${when(row.createdAt, lang)}</td>
<td data-label="${t('outbox.attempts')}">${row.attempts}</td>
<td data-label="${t('outbox.reason')}">${row.reachable ? '' : html`<strong>${t('outbox.unreachable')}</strong> `}<bdi dir="ltr" class="meta">${row.lastError ?? ''}</bdi></td>
<td data-label="${t('outbox.text')}">${text(ctx, row)}</td>
<td class="actions">${action(ctx, `/outbox/${row.id}/resend`, t('outbox.resend'))}</td></tr>`,
)}</tbody></table>`;
}
