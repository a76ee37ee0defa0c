import type { readAudit } from '../../db/audit.ts';
import type { StaffUser } from '../../db/staff.ts';
import { roles } from '../../domain/permissions.ts';
import { html, plain, SafeHtml } from '../html.ts';
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
      : html`<div class="notice" role="status"><p>${t('accounts.password', { username: notice.username })}</p><p><code dir="ltr" class="secret">${notice.password}</code></p></div>`;
  return html`<h1>${t('accounts.heading')}</h1>${said}
<table class="cards"><thead><tr><th>${t('accounts.username')}</th><th>${t('accounts.displayName')}</th><th>${t('accounts.role')}</th><th><span class="visually-hidden">${t('accounts.actions')}</span></th></tr></thead><tbody>
${users.map(
  (
    u,
  ) => html`<tr${u.disabled ? html` class="off"` : ''}><td data-label="${t('accounts.username')}"><bdi dir="ltr">${u.username}</bdi></td><td data-label="${t('accounts.displayName')}"><bdi>${plain(u.displayName)}</bdi></td><td data-label="${t('accounts.role')}">${t(`roles.${u.role}`)}${u.disabled ? html` · <strong>${t('accounts.disabled')}</strong>` : ''}</td>
<td class="actions">${
    u.id === ctx.user?.id
      ? html`<a href="/password">${t('password.heading')}</a>`
      : html`${action(ctx, `/accounts/${u.id}/reset`, t('accounts.reset'), { danger: t('accounts.confirmReset', { username: u.username }) })} ${
          u.disabled
            ? action(ctx, `/accounts/${u.id}/enable`, t('accounts.enable'), { secondary: true })
            : action(ctx, `/accounts/${u.id}/disable`, t('accounts.disable'), {
                danger: t('accounts.confirmDisable', { username: u.username }),
              })
        }`
  }</td></tr>`,
)}</tbody></table>
<form method="post" action="/accounts" class="card stack">${csrfField(ctx)}<h2>${t('accounts.create')}</h2>
<label for="new-username">${t('accounts.username')}</label><input id="new-username" type="text" name="username" required pattern="[a-z0-9._\-]{3,32}" dir="ltr" autocapitalize="none" spellcheck="false" aria-describedby="username-rule">
<p class="meta" id="username-rule">${t('accounts.usernameRule')}</p>
<label for="new-name">${t('accounts.displayName')}</label><input id="new-name" type="text" name="displayName" required maxlength="100" dir="auto">
<label for="new-role">${t('accounts.role')}</label><select id="new-role" name="role">${roles.map((r) => html`<option value="${r}">${t(`roles.${r}`)}</option>`)}</select>
<p><button class="primary">${t('accounts.create')}</button></p></form>`;
}

/** The WhatsApp link's state, and what to scan or type to link the association's phone. */
export function whatsappPage(
  ctx: PageContext,
  status: WhatsAppLinkStatus | undefined,
  qrSvg: string | undefined,
): SafeHtml {
  const { t } = ctx;
  if (!status) return html`<h1>${t('whatsapp.heading')}</h1><p class="notice">${t('whatsapp.off')}</p>`;
  return html`<h1>${t('whatsapp.heading')}</h1>${whatsappPanel(ctx, status, qrSvg)}`;
}

/** The WhatsApp link as the admin page shows it. */
export interface WhatsAppLinkStatus {
  state: string;
  restarts: number;
  lastError?: string;
  pairingCode?: string;
}

/** States in which the page follows the link by itself (a QR code comes, changes, or is scanned). */
const changingStates = new Set(['starting', 'waiting-for-link', 'restarting']);
/** States the channel does not leave by itself. */
const stoppedStates = new Set(['banned', 'deprecated', 'unavailable']);

/**
 * The link's panel; while it is being linked (or restarts) it carries `data-live`, and the
 * console's script fetches it again (`/whatsapp/panel`) until the number is linked.
 */
export function whatsappPanel(ctx: PageContext, status: WhatsAppLinkStatus, qrSvg: string | undefined): SafeHtml {
  const { t } = ctx;
  const live = changingStates.has(status.state);
  return html`<div class="card" id="whatsapp-link"${live ? html` data-live="1"` : ''}><p>${t('whatsapp.state')}: <strong>${t(`whatsapp.states.${status.state}`)}</strong> · ${t('whatsapp.restarts')}: ${status.restarts}</p>
${stoppedStates.has(status.state) ? html`<p class="notice">${t('whatsapp.needsAdmin')}</p>` : ''}
${status.lastError ? html`<p>${t('whatsapp.lastError')}: <bdi dir="ltr">${status.lastError}</bdi></p>` : ''}
${qrSvg ? html`<p>${t('whatsapp.scan')}</p><div class="qr">${new SafeHtml(qrSvg)}</div>` : ''}
${status.pairingCode ? html`<p>${t('whatsapp.pairing')} <code dir="ltr">${status.pairingCode}</code></p>` : ''}
${live ? html`<p class="meta">${t('whatsapp.refreshing')}</p>` : ''}</div>`;
}

/** Who saw or changed what, newest first, in words rather than codes. */
export function auditPage(ctx: PageContext, entries: ReturnType<typeof readAudit>): SafeHtml {
  const { t, lang } = ctx;
  if (entries.length === 0) return html`<h1>${t('audit.heading')}</h1><p class="notice">${t('audit.empty')}</p>`;
  return html`<h1>${t('audit.heading')}</h1><table class="cards"><thead><tr><th>${t('audit.when')}</th><th>${t('audit.who')}</th><th>${t('audit.action')}</th><th>${t('audit.object')}</th></tr></thead><tbody>
${entries.map(({ entry, username }) => {
  const object = t(`audit.objects.${entry.objectType}`, { defaultValue: entry.objectType });
  return html`<tr><td data-label="${t('audit.when')}">${when(entry.createdAt, lang)}</td><td data-label="${t('audit.who')}">${username ? html`<bdi dir="ltr">${username}</bdi>` : html`<span class="meta">—</span>`}</td><td data-label="${t('audit.action')}">${t(`audit.actions.${entry.action.replaceAll('.', '_')}`, { defaultValue: entry.action })}</td><td data-label="${t('audit.object')}">${object}${entry.objectId ? html` <bdi dir="ltr">#${entry.objectId}</bdi>` : ''}</td></tr>`;
})}</tbody></table>`;
}
