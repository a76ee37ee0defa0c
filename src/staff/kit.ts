import type { FastifyReply, FastifyRequest } from 'fastify';
import type { i18n } from 'i18next';
import type { Config } from '../config.ts';
import { audit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import type { StaffUser } from '../db/staff.ts';
import { alertText } from '../desks/alerts.ts';
import type { CaseDesk } from '../desks/cases.ts';
import type { HandoffDesk } from '../desks/handoff.ts';
import type { PrivacyDesk } from '../desks/privacy.ts';
import type { TicketDesk } from '../desks/tickets.ts';
import type { OrgProfile } from '../domain/orgProfile.ts';
import { type Area, may } from '../domain/permissions.ts';
import type { Alert } from '../engine/health.ts';
import type { MediaStore } from '../engine/mediaStore.ts';
import type { Understanding } from '../understanding/understanding.ts';
import type { SessionPolicy } from './auth.ts';
import type { SafeHtml } from './html.ts';
import { messagePage } from './views/common.ts';
import { layout, type PageContext } from './views/layout.ts';

/** The path of the page the request came from, when it is one of ours. */
export function sameSiteReferer(request: FastifyRequest): string | undefined {
  try {
    const back = new URL(request.headers.referer ?? '');
    return back.host === request.headers.host ? back.pathname + back.search : undefined;
  } catch {
    return undefined;
  }
}

/** What the console needs from the rest of the app. */
export interface ConsoleDeps {
  db: Db;
  /** The handoff's owner: every staff command on a conversation goes through it. */
  desk: HandoffDesk;
  /** The aid case's owner: every move of a case goes through it. */
  cases: CaseDesk;
  /** The complaint ticket's owner: every move of a ticket goes through it. */
  tickets: TicketDesk;
  /** The data requests' owner (PDPL): finishing an erasure goes through it. */
  privacy: PrivacyDesk;
  /** The cities and districts applicants choose from. */
  cities: Config['cities'];
  /** The assistant's understanding, which learns again when a manager teaches it a missed question. */
  understanding?: Understanding;
  i18n: i18n;
  org: OrgProfile;
  dataDir: string;
  /** Reads the stored files back, decrypted (default: under the key file in `dataDir`). */
  media?: MediaStore;
  /** Cookies get `Secure` (set when the console is served over HTTPS). */
  secureCookies: boolean;
  session: SessionPolicy;
  /** The WhatsApp link's status, when that channel runs. */
  whatsappStatus:
    | (() => { state: string; restarts: number; lastError?: string; qr?: string; pairingCode?: string })
    | undefined;
  /** What a channel needs an admin for now (shown to admins on every page). */
  alerts?: () => Alert[];
  /** Tells a channel's outbox that a reply was queued again from the console. */
  wakeOutbox?: (channel: string) => void;
  clock?: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: { user: StaffUser; csrf: string; expiresAt: Date };
  }
}

/** A form's fields, each one string (a repeated field keeps its first value). */
export type Form = Record<string, string | undefined>;

/** An id in the URL. */
export type IdParams = { id: string };

/** The console's statuses for a refused request, each with its page. */
export type FailStatus = 400 | 403 | 404 | 409 | 429;

/** The helpers every route module uses: pages, refusals, who is asking, the audit log. */
export interface Kit {
  deps: ConsoleDeps;
  now(): Date;
  /** The page context (language, translator, user) of a request. */
  context(request: FastifyRequest): PageContext;
  /** Sends a full page. */
  page(request: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml, status?: number): FastifyReply;
  /** Sends a page that says why the request was refused. */
  fail(request: FastifyRequest, reply: FastifyReply, status: FailStatus, key: string): FastifyReply;
  /** The logged-in staff member (routes behind the session check only). */
  who(request: FastifyRequest): StaffUser;
  /** Appends to the audit log as the logged-in staff member. */
  record(
    request: FastifyRequest,
    action: string,
    objectType: string,
    objectId?: number | string,
    details?: Record<string, unknown>,
  ): void;
  /** A pre-handler that lets only the roles of `area` in. */
  allow(area: Area): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;
  /** The request's form, already checked to be flat strings. */
  form(request: FastifyRequest): Form;
}

/** Builds the {@link Kit} the route modules share. */
export function createKit(deps: ConsoleDeps): Kit {
  const now = deps.clock ?? (() => new Date());
  const lang = (request: FastifyRequest): 'ar' | 'en' => (request.cookies.lang === 'en' ? 'en' : 'ar');
  const context = (request: FastifyRequest): PageContext => {
    const lng = lang(request);
    const t = deps.i18n.getFixedT(lng, 'console');
    const admin = request.staff?.user.role === 'admin';
    const alerts = admin && deps.alerts ? deps.alerts() : [];
    return {
      t: (key, params) => String(t(key, params as never)),
      lang: lng,
      ...(alerts.length > 0
        ? {
            alerts: alerts.map((a) =>
              alertText(a, lng, (key, lngOf, p) => String(deps.i18n.t(key, { lng: lngOf, ...p }))),
            ),
          }
        : {}),
      ...(request.staff
        ? { user: request.staff.user, csrf: request.staff.csrf, expiresAt: request.staff.expiresAt }
        : {}),
    };
  };
  const page: Kit['page'] = (request, reply, title, body, status = 200) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .send(layout(context(request), title, body, deps.org.name[lang(request)]).value);
  const who = (request: FastifyRequest) => (request.staff as { user: StaffUser }).user;
  const fail: Kit['fail'] = (request, reply, status, key) => {
    const text = context(request).t(key);
    return page(request, reply, text, messagePage(text), status);
  };
  return {
    deps,
    now,
    context,
    page,
    fail,
    who,
    record: (request, action, objectType, objectId, details) =>
      audit(deps.db, {
        staffUserId: request.staff?.user.id ?? null,
        action,
        objectType,
        objectId: objectId ?? null,
        ...(details ? { details } : {}),
      }),
    allow: (area) => async (request, reply) =>
      may(who(request).role, area) ? undefined : fail(request, reply, 403, 'errors.forbidden'),
    form: (request) => (request.body ?? {}) as Form,
  };
}
