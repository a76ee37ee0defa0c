import type { StaffUser } from '../../db/staff.ts';
import { type Area, may } from '../../domain/permissions.ts';
import { html, plain, type SafeHtml } from '../html.ts';

/** A translator bound to the console's language. */
export type T = (key: string, params?: Record<string, unknown>) => string;

/** What every page knows about who is looking. */
export interface PageContext {
  t: T;
  lang: 'ar' | 'en';
  user?: StaffUser;
  csrf?: string;
  /** When the session ends unless the staff member does something (the page warns before). */
  expiresAt?: Date;
  /** What a channel needs an admin for, in words (admins only): a banner on every page. */
  alerts?: string[];
}

const navAreas: Area[] = [
  'queue',
  'beneficiaries',
  'cases',
  'tickets',
  'catalogue',
  'reports',
  'understanding',
  'privacy',
  'audit',
  'accounts',
  'whatsapp',
];

/**
 * The page shell: Arabic right to left by default, the user's areas (behind a menu button on a
 * phone), the language switch, and what the console's script needs (the session's end, the
 * words it shows) in data attributes.
 */
export function layout(ctx: PageContext, title: string, body: SafeHtml, orgName: string): SafeHtml {
  const { t, lang, user, csrf, expiresAt } = ctx;
  const nav = user
    ? html`<button type="button" id="menu-button" class="menu-button" aria-expanded="false" aria-controls="nav">${t('nav.menu')}</button>
<nav id="nav" aria-label="${t('nav.menu')}">${navAreas.filter((a) => may(user.role, a)).map((a) => html`<a href="/${a}">${t(`nav.${a}`)}</a>`)}
${may(user.role, 'queue') ? html`<a href="/canned">${t('nav.canned')}</a><a href="/outbox">${t('nav.outbox')}</a>` : ''}
<span class="me"><a href="/password" title="${t('password.heading')}"><bdi>${plain(user.displayName)}</bdi></a>
<form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${csrf}"><button>${t('nav.logout')}</button></form>
<form class="inline" method="post" action="/logout-all"><input type="hidden" name="_csrf" value="${csrf}"><button>${t('nav.logoutAll')}</button></form></span>
<a href="/lang/${lang === 'ar' ? 'en' : 'ar'}" lang="${lang === 'ar' ? 'en' : 'ar'}">${t('nav.language')}</a></nav>`
    : html`<nav id="nav" class="open"><a href="/lang/${lang === 'ar' ? 'en' : 'ar'}" lang="${lang === 'ar' ? 'en' : 'ar'}">${t('nav.language')}</a></nav>`;
  return html`<!doctype html>
<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/console.css"><script src="/assets/console.js" defer></script></head>
<body${user ? html` data-expires="${expiresAt?.getTime() ?? ''}" data-csrf="${csrf}" data-queue="${may(user.role, 'queue') ? '1' : ''}" data-words="${JSON.stringify(scriptWords(t))}"` : ''}>
<header><span class="brand">${t('title', { orgName })}</span>${nav}</header>
${ctx.alerts?.length ? html`<div class="notice" id="channel-alerts" role="alert"><ul>${ctx.alerts.map((a) => html`<li>${a}</li>`)}</ul></div>` : ''}
<div id="session-warning" class="notice" role="alert" hidden>${t('session.warning')} <button type="button" class="primary" id="stay">${t('session.stay')}</button></div>
<main>${body}</main></body></html>`;
}

/** The words the console's script shows (title, alerts), in the page's language. */
function scriptWords(t: T): Record<string, string> {
  return {
    newWaiting: t('alerts.newWaiting'),
    emergency: t('alerts.emergency'),
    newMessage: t('alerts.newMessage'),
    sendFailed: t('errors.sendFailed'),
    hideBot: t('conversation.hideBot'),
    showBot: t('conversation.showBot'),
    openPhoto: t('conversation.openPhoto'),
    close: t('conversation.closeViewer'),
  };
}
