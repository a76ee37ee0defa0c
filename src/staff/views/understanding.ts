import type { MissedMessage } from '../../db/missed.ts';
import { teachable } from '../../understanding/understanding.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, userText, when } from './common.ts';
import type { PageContext } from './layout.ts';

/**
 * Missed questions: what the assistant did not understand, answered unhelpfully (rated «لم تُفدني»)
 * or read as a request the person left at once (numbers masked, no chat linked), the
 * most frequent first, each with a form to teach it as an intent; then what was taught lately.
 */
export function understandingPage(ctx: PageContext, waiting: MissedMessage[], taught: MissedMessage[]): SafeHtml {
  const { t, lang } = ctx;
  const choices = teachable.map((id) => html`<option value="${id}">${t(`understanding.intent.${id}`)}</option>`);
  const row = (m: MissedMessage) =>
    html`<tr><td>${userText(m.text)}</td><td>${t(`understanding.reason.${m.reason}`)}</td><td>${t(`understanding.lang.${m.lang}`)}</td><td>${String(m.count)}</td><td>${when(m.lastAt, lang)}</td>
<td><form method="post" action="/understanding/${m.id}" class="inline">${csrfField(ctx)}<label class="visually-hidden" for="intent-${m.id}">${t('understanding.intentField')}</label><select id="intent-${m.id}" name="intent" required><option value="">${t('understanding.choose')}</option>${choices}</select> <button>${t('understanding.teach')}</button></form></td></tr>`;
  return html`<h1>${t('understanding.heading')}</h1><p>${t('understanding.intro')}</p>${
    waiting.length === 0
      ? html`<p class="notice">${t('understanding.empty')}</p>`
      : html`<table><thead><tr><th>${t('understanding.text')}</th><th>${t('understanding.why')}</th><th>${t('understanding.language')}</th><th>${t('understanding.count')}</th><th>${t('understanding.lastAt')}</th><th>${t('understanding.intentField')}</th></tr></thead><tbody>${waiting.map(row)}</tbody></table>`
  }${
    taught.length === 0
      ? ''
      : html`<h2>${t('understanding.taught')}</h2><table><thead><tr><th>${t('understanding.text')}</th><th>${t('understanding.intentField')}</th><th>${t('understanding.taughtAt')}</th></tr></thead><tbody>${taught.map((m) => html`<tr><td>${userText(m.text)}</td><td>${t(`understanding.intent.${m.intent}`)}</td><td>${when(m.assignedAt, lang)}</td></tr>`)}</tbody></table>`
  }`;
}
