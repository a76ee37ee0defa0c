import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { i18n } from 'i18next';
import QRCode from 'qrcode';
import type { FlowEvent } from '../../flows/events.ts';
import type { OrgProfile } from '../config.ts';
import { audit, readAudit } from '../db/audit.ts';
import type { Db } from '../db/client.ts';
import { findConversationById } from '../db/conversations.ts';
import {
  claimHandoff,
  closeHandoff,
  findHandoff,
  listHandoffs,
  openHandoff,
  releaseHandoff,
  transferHandoff,
} from '../db/handoffs.ts';
import {
  createStaffUser,
  deleteExpiredSessions,
  deleteSessionsOf,
  findStaffById,
  findStaffByUsername,
  listStaff,
  type Role,
  roles,
  type StaffUser,
  setStaffDisabled,
} from '../db/staff.ts';
import {
  addCanned,
  addContact,
  addNote,
  contactsOf,
  conversationsOf,
  createBeneficiary,
  deleteCanned,
  findBeneficiary,
  findMedia,
  isStaffConversation,
  linkConversation,
  listCanned,
  notesOf,
  searchBeneficiaries,
} from '../db/staffWork.ts';
import { cancelTimer } from '../db/timers.ts';
import { readTranscript } from '../db/transcript.ts';
import { toLatinDigits } from '../domain/normalize.ts';
import { toE164 } from '../domain/phone.ts';
import { handoffTimer } from '../engine/effects.ts';
import type { Engine } from '../engine/engine.ts';
import {
  checkLogin,
  endSession,
  generatePassword,
  hashPassword,
  resumeSession,
  safeEqual,
  startSession,
  token,
} from './auth.ts';
import type { SafeHtml } from './html.ts';
import { layout, type PageContext } from './layout.ts';
import * as pages from './pages.ts';
import { type Area, homeOf, may } from './permissions.ts';

/** What the console needs from the rest of the app. */
export interface ConsoleDeps {
  db: Db;
  engine: Engine;
  i18n: i18n;
  org: OrgProfile;
  dataDir: string;
  /** Cookies get `Secure` (set when the console is served over HTTPS). */
  secureCookies: boolean;
  /** The WhatsApp link's status, when that channel runs. */
  whatsappStatus:
    | (() => { state: string; restarts: number; lastError?: string; qr?: string; pairingCode?: string })
    | undefined;
  clock?: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    staff?: { user: StaffUser; csrf: string };
  }
}

type Body = Record<string, string | undefined>;
type IdParams = { id: string };

const sessionCookie = 'ataa_sid';
const loginCookie = 'ataa_login';
const publicPaths = new Set(['/login', '/telegram/webhook', '/health']);

/** Logins allowed from one address in a window, before it is told to wait. */
const ipLimit = { attempts: 20, windowMs: 10 * 60_000 };

/**
 * The staff console: server-rendered pages in Arabic (right to left) with an English switch.
 * Every route needs a session except the login; every area checks the role; every object is
 * checked too (no reaching another's data by changing an id); every form carries a CSRF token;
 * every view of personal data and every change is written to the audit log.
 */
export async function registerConsole(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const { db, engine } = deps;
  const now = deps.clock ?? (() => new Date());
  const attempts = new Map<string, { count: number; resetAt: number }>();
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64_000 });

  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies, path: '/' };
  const lang = (request: FastifyRequest): 'ar' | 'en' => (request.cookies.lang === 'en' ? 'en' : 'ar');
  const context = (request: FastifyRequest): PageContext => {
    const lng = lang(request);
    const t = deps.i18n.getFixedT(lng, 'console');
    return {
      t: (key, params) => String(t(key, params as never)),
      lang: lng,
      ...(request.staff ? { user: request.staff.user, csrf: request.staff.csrf } : {}),
    };
  };
  const send = (request: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml, status = 200) =>
    reply
      .code(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .send(layout(context(request), title, body, deps.org.name[lang(request)]).value);
  const fail = (request: FastifyRequest, reply: FastifyReply, status: 403 | 404 | 409, key: string) =>
    send(request, reply, context(request).t(key), pages.messagePage(context(request).t(key)), status);
  const who = (request: FastifyRequest) => (request.staff as { user: StaffUser }).user;
  const record = (
    request: FastifyRequest,
    action: string,
    objectType: string,
    objectId?: number | string,
    details?: Record<string, unknown>,
  ) =>
    audit(db, {
      staffUserId: request.staff?.user.id ?? null,
      action,
      objectType,
      objectId: objectId ?? null,
      ...(details ? { details } : {}),
    });

  // Every page but the login needs a live session; every form needs its CSRF token.
  app.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (publicPaths.has(path) || path.startsWith('/lang/')) return;
    const found = resumeSession(db, request.cookies[sessionCookie], now());
    if (!found) {
      if (request.method === 'GET') return reply.redirect('/login', 303);
      return reply.code(401).send('Log in first.');
    }
    request.staff = { user: found.user, csrf: found.session.csrfToken };
    if (request.method === 'POST' && !safeEqual((request.body as Body | undefined)?._csrf, found.session.csrfToken)) {
      return fail(request, reply, 403, 'errors.csrf');
    }
  });

  /** Lets only the roles of `area` in. */
  const allow = (area: Area) => async (request: FastifyRequest, reply: FastifyReply) => {
    if (!may(who(request).role, area)) return fail(request, reply, 403, 'errors.forbidden');
  };

  // ---- logging in and out ----

  // The login form's CSRF token is a cookie echoed in the form (double submit). An existing token
  // is kept, so two tabs (or a browser's second request) do not invalidate each other.
  const loginToken = (request: FastifyRequest, reply: FastifyReply) => {
    const existing = request.cookies[loginCookie];
    const csrf = existing && /^[\w-]{40,}$/.test(existing) ? existing : token();
    reply.setCookie(loginCookie, csrf, { ...cookieOptions, maxAge: 3600 });
    return csrf;
  };

  app.get('/login', async (request, reply) => {
    const csrf = loginToken(request, reply);
    return send(request, reply, context(request).t('login.heading'), pages.loginPage(context(request), csrf));
  });

  app.post<{ Body: Body }>('/login', async (request, reply) => {
    const { t } = context(request);
    const again = (error: string, status = 200) =>
      send(
        request,
        reply,
        t('login.heading'),
        pages.loginPage(context(request), loginToken(request, reply), error),
        status,
      );
    if (!safeEqual(request.body._csrf, request.cookies[loginCookie] ?? '')) return again(t('login.expired'), 403);
    const window = attempts.get(request.ip);
    const at = now().getTime();
    if (window && window.resetAt > at && window.count >= ipLimit.attempts) return again(t('login.tooMany'), 429);
    // Forget finished windows now and then, so the map stays small.
    if (attempts.size > 10_000) for (const [ip, w] of attempts) if (w.resetAt <= at) attempts.delete(ip);
    attempts.set(
      request.ip,
      window && window.resetAt > at
        ? { ...window, count: window.count + 1 }
        : { count: 1, resetAt: at + ipLimit.windowMs },
    );

    const result = await checkLogin(db, request.body.username ?? '', request.body.password ?? '', now());
    if (typeof result === 'string') {
      audit(db, { staffUserId: null, action: 'login.failed', objectType: 'staff', details: { reason: result } });
      return again(t(`login.${result}`), result === 'locked' ? 423 : 401);
    }
    endSession(db, request.cookies[sessionCookie]);
    deleteExpiredSessions(db, now());
    const { cookieToken } = startSession(db, result.id, now());
    audit(db, { staffUserId: result.id, action: 'login', objectType: 'staff', objectId: String(result.id) });
    reply.clearCookie(loginCookie, { path: '/' });
    reply.setCookie(sessionCookie, cookieToken, cookieOptions);
    return reply.redirect('/', 303);
  });

  app.post('/logout', async (request, reply) => {
    endSession(db, request.cookies[sessionCookie]);
    record(request, 'logout', 'staff', who(request).id);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.post('/logout-all', async (request, reply) => {
    deleteSessionsOf(db, who(request).id);
    record(request, 'logout.everywhere', 'staff', who(request).id);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get<{ Params: { lng: string } }>('/lang/:lng', async (request, reply) => {
    reply.setCookie('lang', request.params.lng === 'en' ? 'en' : 'ar', { ...cookieOptions, maxAge: 365 * 86400 });
    return reply.redirect(sameSiteReferer(request) ?? '/', 303);
  });

  app.get('/', async (request, reply) => reply.redirect(`/${homeOf(who(request).role)}`, 303));

  // ---- the queue and conversations ----

  const tabOf = (request: FastifyRequest) => {
    const tab = (request.query as Body).tab;
    return tab === 'claimed' || tab === 'closed' ? tab : 'waiting';
  };
  const rowsOf = (request: FastifyRequest) =>
    pages.queueRows(context(request), listHandoffs(db, [tabOf(request)]), now());

  app.get('/queue', { preHandler: allow('queue') }, async (request, reply) =>
    send(
      request,
      reply,
      context(request).t('nav.queue'),
      pages.queuePage(context(request), tabOf(request), rowsOf(request)),
    ),
  );

  app.get('/queue/rows', { preHandler: allow('queue') }, async (request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(rowsOf(request).value),
  );

  /** The conversation of the URL, if it exists and this user may see it. */
  const visibleConversation = (request: FastifyRequest, rawId: unknown) => {
    const id = Number(rawId);
    const conversation = Number.isSafeInteger(id) ? findConversationById(db, id) : undefined;
    if (!conversation) return undefined;
    return who(request).role === 'manager' || isStaffConversation(db, id) ? conversation : undefined;
  };
  const conversationFor = (request: FastifyRequest<{ Params: IdParams }>) =>
    visibleConversation(request, request.params.id);

  app.get<{ Params: IdParams }>('/conversations/:id', { preHandler: allow('queue') }, async (request, reply) => {
    const conversation = conversationFor(request);
    if (!conversation) return fail(request, reply, 404, 'errors.notFound');
    const handoff = openHandoff(db, conversation.id);
    record(request, 'view', 'conversation', conversation.id);
    return send(
      request,
      reply,
      context(request).t('conversation.heading', { id: conversation.id }),
      pages.conversationPage(context(request), {
        conversation,
        handoff,
        claimedByName: handoff?.claimedBy ? findStaffById(db, handoff.claimedBy)?.displayName : undefined,
        rows: readTranscript(db, conversation.id),
        notes: notesOf(db, conversation.id),
        canned: listCanned(db),
        colleagues: listStaff(db).filter((u) => !u.disabled && may(u.role, 'queue') && u.id !== who(request).id),
        beneficiary: conversation.beneficiaryId ? findBeneficiary(db, conversation.beneficiaryId) : undefined,
      }),
    );
  });

  /**
   * A staff action on a conversation's handoff, run in the conversation's turn. `change` returns
   * false when the handoff is not in the state the action needs (someone else got there first).
   */
  const handoffAction = (
    name: string,
    change: (
      tx: Db,
      request: FastifyRequest<{ Params: IdParams; Body: Body }>,
      handoffId: number,
      at: Date,
    ) => { ok: boolean; event?: FlowEvent },
    needsOwner: boolean,
  ) =>
    app.post<{ Params: IdParams; Body: Body }>(
      `/conversations/:id/${name}`,
      { preHandler: allow('queue') },
      async (request, reply) => {
        const conversation = conversationFor(request);
        if (!conversation) return fail(request, reply, 404, 'errors.notFound');
        const user = who(request);
        let ok = false;
        await engine.act(conversation.id, (tx) => {
          const handoff = openHandoff(tx, conversation.id);
          if (!handoff || (needsOwner && handoff.claimedBy !== user.id && user.role !== 'manager')) return {};
          const result = change(tx, request, handoff.id, now());
          ok = result.ok;
          if (ok)
            audit(tx, {
              staffUserId: user.id,
              action: `handoff.${name}`,
              objectType: 'conversation',
              objectId: String(conversation.id),
            });
          return ok && result.event ? { event: result.event } : {};
        });
        if (!ok) return fail(request, reply, 409, 'errors.conflict');
        return reply.redirect(name === 'close' ? '/queue' : `/conversations/${conversation.id}`, 303);
      },
    );

  handoffAction(
    'claim',
    (tx, request, id, at) => ({ ok: claimHandoff(tx, id, who(request).id, at), event: { type: 'handoff.claimed' } }),
    false,
  );
  handoffAction(
    'release',
    (tx, _request, id) => ({ ok: releaseHandoff(tx, id), event: { type: 'handoff.released' } }),
    true,
  );
  handoffAction(
    'transfer',
    (tx, request, id, at) => {
      const to = findStaffById(tx, Number(request.body.to));
      return { ok: !!to && !to.disabled && may(to.role, 'queue') && transferHandoff(tx, id, to.id, at) };
    },
    true,
  );
  handoffAction(
    'close',
    (tx, _request, id, at) => {
      const closed = closeHandoff(tx, id, 'staff', at);
      const handoff = findHandoff(tx, id);
      if (closed && handoff) cancelTimer(tx, handoff.conversationId, handoffTimer);
      return { ok: closed, event: { type: 'handoff.closed', handoffId: id, by: 'staff' } };
    },
    true,
  );

  app.post<{ Params: IdParams; Body: Body }>(
    '/conversations/:id/reply',
    { preHandler: allow('queue') },
    async (request, reply) => {
      const conversation = conversationFor(request);
      const text = (request.body.text ?? '').trim();
      if (!conversation) return fail(request, reply, 404, 'errors.notFound');
      const user = who(request);
      let ok = false;
      if (text) {
        await engine.act(conversation.id, (tx) => {
          const handoff = openHandoff(tx, conversation.id);
          ok = handoff?.status === 'claimed' && (handoff.claimedBy === user.id || user.role === 'manager');
          if (!ok) return {};
          audit(tx, {
            staffUserId: user.id,
            action: 'reply',
            objectType: 'conversation',
            objectId: String(conversation.id),
          });
          return { message: text.slice(0, 4000) };
        });
      }
      if (!ok) return fail(request, reply, 409, 'errors.conflict');
      return reply.redirect(`/conversations/${conversation.id}`, 303);
    },
  );

  app.post<{ Params: IdParams; Body: Body }>(
    '/conversations/:id/notes',
    { preHandler: allow('queue') },
    async (request, reply) => {
      const conversation = conversationFor(request);
      if (!conversation) return fail(request, reply, 404, 'errors.notFound');
      const body = (request.body.body ?? '').trim().slice(0, 4000);
      if (body) {
        addNote(db, conversation.id, who(request).id, body);
        record(request, 'note.add', 'conversation', conversation.id);
      }
      return reply.redirect(`/conversations/${conversation.id}`, 303);
    },
  );

  app.post<{ Params: IdParams; Body: Body }>(
    '/conversations/:id/link',
    { preHandler: allow('beneficiaries') },
    async (request, reply) => {
      const conversation = conversationFor(request);
      const beneficiary = findBeneficiary(db, Number(request.body.beneficiaryId));
      if (!conversation || !beneficiary) return fail(request, reply, 404, 'errors.notFound');
      linkConversation(db, conversation.id, beneficiary.id);
      record(request, 'link', 'conversation', conversation.id, { beneficiaryId: beneficiary.id });
      return reply.redirect(`/conversations/${conversation.id}`, 303);
    },
  );

  app.get<{ Params: IdParams }>('/media/:id', { preHandler: allow('queue') }, async (request, reply) => {
    const file = findMedia(db, Number(request.params.id));
    const visible = file && visibleConversation(request, file.conversationId);
    if (!file || !visible) return fail(request, reply, 404, 'errors.notFound');
    record(request, 'view', 'media', file.id);
    return reply
      .header('content-type', file.mime)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-disposition',
        file.mime.startsWith('image/') || file.mime.startsWith('audio/') ? 'inline' : 'attachment',
      )
      .send(createReadStream(join(deps.dataDir, file.path)));
  });

  // ---- beneficiaries ----

  app.get<{ Querystring: Body }>('/beneficiaries', { preHandler: allow('beneficiaries') }, async (request, reply) => {
    const q = (request.query.q ?? '').trim().slice(0, 100);
    const digits = toLatinDigits(q).replace(/^#/, '');
    const results = q
      ? searchBeneficiaries(db, {
          name: q,
          ...(toE164(q) ? { phone: toE164(q) } : {}),
          ...(/^\d{1,9}$/.test(digits) ? { id: Number(digits) } : {}),
        })
      : [];
    if (q) record(request, 'search', 'beneficiary', undefined, { results: results.length });
    const link = Number(request.query.link);
    return send(
      request,
      reply,
      context(request).t('beneficiaries.heading'),
      pages.beneficiariesPage(context(request), q, results, Number.isSafeInteger(link) && link > 0 ? link : undefined),
    );
  });

  app.post<{ Body: Body }>('/beneficiaries', { preHandler: allow('beneficiaries') }, async (request, reply) => {
    const name = (request.body.name ?? '').trim().slice(0, 200);
    if (!name) return fail(request, reply, 409, 'errors.conflict');
    const id = createBeneficiary(db, name, request.body.phone ? (toE164(request.body.phone) ?? null) : null);
    record(request, 'create', 'beneficiary', id);
    const conversationId = Number(request.body.conversationId);
    if (conversationId && visibleConversation(request, conversationId)) {
      linkConversation(db, conversationId, id);
      record(request, 'link', 'conversation', conversationId, { beneficiaryId: id });
    }
    return reply.redirect(`/beneficiaries/${id}`, 303);
  });

  app.get<{ Params: IdParams }>(
    '/beneficiaries/:id',
    { preHandler: allow('beneficiaries') },
    async (request, reply) => {
      const beneficiary = findBeneficiary(db, Number(request.params.id));
      if (!beneficiary) return fail(request, reply, 404, 'errors.notFound');
      record(request, 'view', 'beneficiary', beneficiary.id);
      return send(
        request,
        reply,
        beneficiary.name,
        pages.beneficiaryPage(
          context(request),
          beneficiary,
          conversationsOf(db, beneficiary.id),
          contactsOf(db, beneficiary.id),
        ),
      );
    },
  );

  app.post<{ Params: IdParams; Body: Body }>(
    '/beneficiaries/:id/contacts',
    { preHandler: allow('beneficiaries') },
    async (request, reply) => {
      const beneficiary = findBeneficiary(db, Number(request.params.id));
      const channel = request.body.channel as 'visit' | 'phone' | 'letter' | 'social' | 'website';
      const summary = (request.body.summary ?? '').trim().slice(0, 4000);
      if (!beneficiary) return fail(request, reply, 404, 'errors.notFound');
      if (!['visit', 'phone', 'letter', 'social', 'website'].includes(channel) || !summary)
        return fail(request, reply, 409, 'errors.conflict');
      addContact(db, { beneficiaryId: beneficiary.id, channel, summary, staffUserId: who(request).id });
      record(request, 'contact.add', 'beneficiary', beneficiary.id, { channel });
      return reply.redirect(`/beneficiaries/${beneficiary.id}`, 303);
    },
  );

  // ---- canned replies ----

  app.get('/canned', { preHandler: allow('queue') }, async (request, reply) =>
    send(request, reply, context(request).t('canned.heading'), pages.cannedPage(context(request), listCanned(db))),
  );

  app.post<{ Body: Body }>('/canned', { preHandler: allow('queue') }, async (request, reply) => {
    const title = (request.body.title ?? '').trim().slice(0, 100);
    const body = (request.body.body ?? '').trim().slice(0, 4000);
    if (title && body) record(request, 'create', 'canned', addCanned(db, title, body, who(request).id));
    return reply.redirect('/canned', 303);
  });

  app.post<{ Params: IdParams }>('/canned/:id/delete', { preHandler: allow('queue') }, async (request, reply) => {
    deleteCanned(db, Number(request.params.id));
    record(request, 'delete', 'canned', Number(request.params.id));
    return reply.redirect('/canned', 303);
  });

  // ---- administration ----

  app.get('/accounts', { preHandler: allow('accounts') }, async (request, reply) =>
    send(request, reply, context(request).t('accounts.heading'), pages.accountsPage(context(request), listStaff(db))),
  );

  app.post<{ Body: Body }>('/accounts', { preHandler: allow('accounts') }, async (request, reply) => {
    const username = (request.body.username ?? '').trim().toLowerCase();
    const role = request.body.role as Role;
    if (!/^[a-z0-9._-]{3,32}$/.test(username) || !roles.includes(role) || findStaffByUsername(db, username)) {
      return fail(request, reply, 409, 'errors.conflict');
    }
    const password = generatePassword();
    const user = createStaffUser(db, {
      username,
      displayName: (request.body.displayName ?? username).trim().slice(0, 100) || username,
      role,
      passwordHash: await hashPassword(password),
    });
    record(request, 'create', 'staff', user.id, { role });
    return send(
      request,
      reply,
      context(request).t('accounts.heading'),
      pages.accountsPage(context(request), listStaff(db), password),
    );
  });

  for (const change of ['disable', 'enable'] as const) {
    app.post<{ Params: IdParams }>(
      `/accounts/:id/${change}`,
      { preHandler: allow('accounts') },
      async (request, reply) => {
        const user = findStaffById(db, Number(request.params.id));
        if (!user || user.id === who(request).id) return fail(request, reply, 404, 'errors.notFound');
        setStaffDisabled(db, user.id, change === 'disable');
        if (change === 'disable') deleteSessionsOf(db, user.id);
        record(request, change, 'staff', user.id);
        return reply.redirect('/accounts', 303);
      },
    );
  }

  app.get('/whatsapp', { preHandler: allow('whatsapp') }, async (request, reply) => {
    const status = deps.whatsappStatus?.();
    const qr = status?.qr ? await QRCode.toString(status.qr, { type: 'svg', margin: 2 }) : undefined;
    record(request, 'view', 'whatsapp');
    return send(
      request,
      reply,
      context(request).t('whatsapp.heading'),
      pages.whatsappPage(context(request), status, qr),
    );
  });

  app.get('/audit', { preHandler: allow('audit') }, async (request, reply) =>
    send(request, reply, context(request).t('audit.heading'), pages.auditPage(context(request), readAudit(db))),
  );

  app.get('/cases', { preHandler: allow('cases') }, async (request, reply) =>
    send(request, reply, context(request).t('cases.heading'), pages.messagePage(context(request).t('cases.soon'))),
  );

  app.get('/health', async () => ({ ok: true }));
}

/** The path of the page the request came from, when it is one of ours. */
function sameSiteReferer(request: FastifyRequest): string | undefined {
  try {
    const back = new URL(request.headers.referer ?? '');
    return back.host === request.headers.host ? back.pathname + back.search : undefined;
  } catch {
    return undefined;
  }
}
