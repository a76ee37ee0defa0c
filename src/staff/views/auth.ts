import { html, type SafeHtml } from '../html.ts';
import { csrfField } from './common.ts';
import type { PageContext } from './layout.ts';

/** The login form; `next` is the page to come back to afterwards. */
export function loginPage(ctx: PageContext, csrf: string, next: string | undefined, error?: string): SafeHtml {
  const { t } = ctx;
  return html`<div class="login card"><h1>${t('login.heading')}</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="_csrf" value="${csrf}">${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
<label for="username">${t('login.username')}</label><input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" dir="ltr" required>
<label for="password">${t('login.password')}</label><input id="password" name="password" type="password" autocomplete="current-password" dir="ltr" required>
<p><button class="primary" type="submit">${t('login.submit')}</button></p></form></div>`;
}

/** Changing one's own password (also after an admin reset it). */
export function passwordPage(ctx: PageContext, error?: string): SafeHtml {
  const { t, user } = ctx;
  return html`<div class="login card"><h1>${t('password.heading')}</h1>
${user?.mustChangePassword ? html`<p class="notice" role="status">${t('password.mustChange')}</p>` : ''}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/password">${csrfField(ctx)}
<input type="text" name="username" value="${user?.username ?? ''}" autocomplete="username" hidden>
<label for="current">${t('password.current')}</label><input id="current" name="current" type="password" autocomplete="current-password" dir="ltr" required>
<label for="new-password">${t('password.new')}</label><input id="new-password" name="password" type="password" autocomplete="new-password" minlength="12" dir="ltr" required>
<label for="confirm">${t('password.confirm')}</label><input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" dir="ltr" required>
<p class="meta">${t('password.rule')}</p>
<p><button class="primary" type="submit">${t('password.submit')}</button></p></form></div>`;
}
