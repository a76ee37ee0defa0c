import type { readAudit } from '../../db/audit.ts';
import type { StaffUser } from '../../db/staff.ts';
import { roles } from '../../domain/permissions.ts';
import { html, SafeHtml } from '../html.ts';
import { action, csrfField, when } from './common.ts';
import type { PageContext } from './layout.ts';

/** What the accounts page says after an action: a password to hand over once, or a problem. */
export type AccountsNotice = { password: string; username: string } | { error: string };

/** Staff accounts: create, disable/enable, reset a password (shown once, changed at next login). */
export function accountsPage(ctx: PageContext, users: StaffUser[], notice?: AccountsNotice): SafeHtml {
  const { t } = ctx;
  const said = !notice
    ? ''
    : 'error' in notice
      ? html`<p class="error" role="alert">${notice.error}</p>`
      : html`<p class="notice" role="status">${t('accounts.password', { username: notice.username })} <code dir="ltr">${notice.password}</code></p>`;
  return html`<h1>${t('accounts.heading')}</h1>${said}
<table class="cards"><thead><tr><th>${t('accounts.username')}</th><th>${t('accounts.displayName')}</th><th>${t('accounts.role')}</th><th></th></tr></thead><tbody>
${users.map(
  (
    u,
  ) => html`<tr><td data-label="${t('accounts.username')}"><bdi dir="ltr">${u.username}</bdi></td><td data-label="${t('accounts.displayName')}"><bdi>${u.displayName}</bdi></td><td data-label="${t('accounts.role')}">${t(`roles.${u.role}`)}${u.disabled ? html` · <strong>${t('accounts.disabled')}</strong>` : ''}</td>
<td>${
    u.id === ctx.user?.id
      ? html`<a href="/password">${t('password.heading')}</a>`
      : html`${action(ctx, `/accounts/${u.id}/reset`, t('accounts.reset'), { danger: t('accounts.confirmReset', { username: u.username }) })} ${
          u.disabled
            ? action(ctx, `/accounts/${u.id}/enable`, t('accounts.enable'))
            : action(ctx, `/accounts/${u.id}/disable`, t('accounts.disable'), {
                danger: t('accounts.confirmDisable', { username: u.username }),
              })
        }`
  }</td></tr>`,
)}</tbody></table>
<form method="post" action="/accounts" class="card">${csrfField(ctx)}<h2>${t('accounts.create')}</h2>
<label>${t('accounts.username')} <input type="text" name="username" required pattern="[a-z0-9._\-]{3,32}" dir="ltr" autocapitalize="none" title="${t('accounts.usernameRule')}"></label>
<label>${t('accounts.displayName')} <input type="text" name="displayName" required maxlength="100" dir="auto"></label>
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
${qrSvg ? html`<p>${t('whatsapp.scan')}</p><div class="qr">${new SafeHtml(qrSvg)}</div>` : ''}
${status.pairingCode ? html`<p>${t('whatsapp.pairing', { code: status.pairingCode })}</p>` : ''}</div>`;
}

export function auditPage(ctx: PageContext, entries: ReturnType<typeof readAudit>): SafeHtml {
  const { t, lang } = ctx;
  return html`<h1>${t('audit.heading')}</h1><table><tr><th>${t('audit.when')}</th><th>${t('audit.who')}</th><th>${t('audit.action')}</th><th>${t('audit.object')}</th></tr>
${entries.map(({ entry, username }) => html`<tr><td>${when(entry.createdAt, lang)}</td><td>${username ?? ''}</td><td>${entry.action}</td><td>${entry.objectType} ${entry.objectId ?? ''}</td></tr>`)}</table>`;
}
