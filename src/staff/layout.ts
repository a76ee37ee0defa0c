import type { StaffUser } from '../db/staff.ts';
import { html, SafeHtml } from './html.ts';
import { type Area, may } from './permissions.ts';

/** A translator bound to the console's language. */
export type T = (key: string, params?: Record<string, unknown>) => string;

/** What every page knows about who is looking. */
export interface PageContext {
  t: T;
  lang: 'ar' | 'en';
  user?: StaffUser;
  csrf?: string;
}

const style = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,"Noto Naskh Arabic","Segoe UI",Tahoma,sans-serif;background:#f5f7f6;color:#1d2b26;line-height:1.6}
header{background:#14532d;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a,header button{color:#fff;text-decoration:none;background:none;border:0;font:inherit;cursor:pointer;padding:0}
header .brand{font-weight:700;margin-inline-end:auto}main{padding:1rem;max-width:72rem;margin:auto}
table{width:100%;border-collapse:collapse;background:#fff}th,td{padding:.45rem .6rem;border-bottom:1px solid #dfe6e2;text-align:start;vertical-align:top}
tr.overdue{background:#fff4e0}tr.p2{background:#fde8e8}.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;background:#e6efe9;font-size:.85em}
.badge.p1{background:#fde68a}.badge.p2{background:#fca5a5}.tabs a{margin-inline-end:1rem}.tabs a.on{font-weight:700}
form.inline{display:inline}button,input,select,textarea{font:inherit}button.primary{background:#166534;color:#fff;border:0;border-radius:.3rem;padding:.35rem .9rem;cursor:pointer}
textarea,input[type=text],input[type=password],input[type=search],select{padding:.35rem;border:1px solid #b8c4bd;border-radius:.3rem;max-width:100%}
textarea{width:100%;min-height:5rem}.msg{padding:.5rem .7rem;border-radius:.5rem;margin:.35rem 0;max-width:80%;white-space:pre-wrap;background:#fff}
.msg.in{background:#fff;border:1px solid #dfe6e2}.msg.bot{background:#e8f3ec;margin-inline-start:auto}.msg.staff{background:#dbeafe;margin-inline-start:auto}
.meta{font-size:.8em;color:#58645e}.notice{background:#fff4e0;padding:.6rem;border-radius:.3rem}.error{background:#fde8e8;padding:.6rem;border-radius:.3rem}
.card{background:#fff;padding:1rem;border-radius:.5rem;margin-bottom:1rem}img.thumb{max-width:14rem;max-height:14rem;border-radius:.3rem;display:block}
.login{max-width:22rem;margin:4rem auto}.login label{display:block;margin:.6rem 0 .2rem}
`;

const navAreas: Area[] = ['queue', 'beneficiaries', 'cases', 'audit', 'accounts', 'whatsapp'];

/** The page shell: Arabic right to left by default, the user's areas, the language switch. */
export function layout(ctx: PageContext, title: string, body: SafeHtml, orgName: string): SafeHtml {
  const { t, lang, user, csrf } = ctx;
  const nav = user
    ? html`${navAreas.filter((a) => may(user.role, a)).map((a) => html`<a href="/${a}">${t(`nav.${a}`)}</a>`)}
        ${may(user.role, 'queue') ? html`<a href="/canned">${t('nav.canned')}</a>` : ''}
        <span>${user.displayName}</span>
        <form class="inline" method="post" action="/logout"><input type="hidden" name="_csrf" value="${csrf}"><button>${t('nav.logout')}</button></form>
        <form class="inline" method="post" action="/logout-all"><input type="hidden" name="_csrf" value="${csrf}"><button>${t('nav.logoutAll')}</button></form>`
    : '';
  return html`<!doctype html>
<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>${new SafeHtml(style)}</style></head>
<body><header><span class="brand">${t('title', { orgName })}</span>${nav}
<a href="/lang/${lang === 'ar' ? 'en' : 'ar'}">${t('nav.language')}</a></header>
<main>${body}</main></body></html>`;
}
