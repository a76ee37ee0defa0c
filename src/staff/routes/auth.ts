import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { audit } from '../../db/audit.ts';
import { deleteExpiredSessions, deleteSessionsOf, setPassword } from '../../db/staff.ts';
import { passwordProblem } from '../../domain/credentials.ts';
import { homeOf } from '../../domain/permissions.ts';
import { checkLogin, endSession, hashPassword, safeEqual, startSession, token } from '../auth.ts';
import { type Kit, sameSiteReferer } from '../kit.ts';
import { LoginGuard } from '../loginGuard.ts';
import { loginPage, passwordPage } from '../views/auth.ts';

/** The cookie that holds the session token. */
export const sessionCookie = 'ataa_sid';
const loginCookie = 'ataa_login';

/** The login page, coming back to `url` afterwards (only a path of this site). */
export function loginPath(url: string): string {
  return url === '/' || url.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(url)}`;
}

/** Where to go after logging in: the page the person was on, when it is one of ours. */
function nextPath(raw: unknown): string | undefined {
  return typeof raw === 'string' && /^\/(?![/\\])[^\s]*$/.test(raw) && !raw.startsWith('/login') ? raw : undefined;
}

/** Logging in and out, the language switch, and changing one's own password. */
export function authRoutes(app: FastifyInstance, kit: Kit): void {
  const { deps } = kit;
  const guard = new LoginGuard();
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies, path: '/' };

  // The login form's CSRF token is a cookie echoed in the form (double submit). An existing token
  // is kept, so two tabs (or a browser's second request) do not invalidate each other.
  const loginToken = (request: FastifyRequest, reply: FastifyReply) => {
    const existing = request.cookies[loginCookie];
    const csrf = existing && /^[\w-]{40,}$/.test(existing) ? existing : token();
    reply.setCookie(loginCookie, csrf, { ...cookieOptions, maxAge: 3600 });
    return csrf;
  };
  const showLogin = (
    request: FastifyRequest,
    reply: FastifyReply,
    next: string | undefined,
    error?: string,
    status = 200,
  ) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('login.heading'),
      loginPage(kit.context(request), loginToken(request, reply), next, error),
      status,
    );

  app.get<{ Querystring: { next?: string } }>('/login', { config: { public: true } }, async (request, reply) =>
    showLogin(request, reply, nextPath(request.query.next)),
  );

  app.post('/login', { config: { public: true } }, async (request, reply) => {
    const { t } = kit.context(request);
    const form = kit.form(request);
    const next = nextPath(form.next);
    if (!safeEqual(form._csrf, request.cookies[loginCookie] ?? '')) {
      return showLogin(request, reply, next, t('login.expired'), 403);
    }
    const username = (form.username ?? '').trim().toLowerCase().slice(0, 64);
    const source = request.ip;
    const at = kit.now().getTime();
    const refusal = guard.refusal(username, source, at);
    if (refusal === 'tooMany') return showLogin(request, reply, next, t('login.tooMany'), 429);
    // A locked account is checked like any other (same work, same answer): nothing tells it apart.
    const result = await guard.check(source, () =>
      checkLogin(deps.db, username, form.password ?? '', refusal === 'locked'),
    );
    if (result === 'busy') return showLogin(request, reply, next, t('login.tooMany'), 429);
    if (result === 'invalid') {
      guard.failed(username, source, kit.now().getTime());
      kit.record(request, 'login.failed', 'staff');
      return showLogin(request, reply, next, t('login.invalid'), 401);
    }
    guard.succeeded(username, source);
    endSession(deps.db, request.cookies[sessionCookie]);
    deleteExpiredSessions(deps.db, kit.now());
    const { cookieToken } = startSession(deps.db, result.id, kit.now(), deps.session);
    audit(deps.db, { staffUserId: result.id, action: 'login', objectType: 'staff', objectId: result.id });
    reply.clearCookie(loginCookie, { path: '/' });
    reply.setCookie(sessionCookie, cookieToken, cookieOptions);
    return reply.redirect(result.mustChangePassword ? '/password' : (next ?? '/'), 303);
  });

  app.post('/logout', async (request, reply) => {
    endSession(deps.db, request.cookies[sessionCookie]);
    kit.record(request, 'logout', 'staff', kit.who(request).id);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.post('/logout-all', async (request, reply) => {
    deleteSessionsOf(deps.db, kit.who(request).id);
    kit.record(request, 'logout.everywhere', 'staff', kit.who(request).id);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.redirect('/login', 303);
  });

  // The page's "stay logged in" answer to the warning before the session ends: any action extends it.
  app.post('/session', async (request, reply) => reply.send({ expiresAt: request.staff?.expiresAt.getTime() ?? 0 }));

  app.get<{ Params: { lng: string } }>('/lang/:lng', { config: { public: true } }, async (request, reply) => {
    reply.setCookie('lang', request.params.lng === 'en' ? 'en' : 'ar', { ...cookieOptions, maxAge: 365 * 86400 });
    return reply.redirect(sameSiteReferer(request) ?? '/', 303);
  });

  app.get('/', async (request, reply) => reply.redirect(`/${homeOf(kit.who(request).role)}`, 303));

  app.get('/password', async (request, reply) =>
    kit.page(request, reply, kit.context(request).t('password.heading'), passwordPage(kit.context(request))),
  );

  app.post('/password', async (request, reply) => {
    const { t } = kit.context(request);
    const form = kit.form(request);
    const user = kit.who(request);
    const again = (key: string, status: number) =>
      kit.page(request, reply, t('password.heading'), passwordPage(kit.context(request), t(key)), status);
    const current = await guard.check(request.ip, () => checkLogin(deps.db, user.username, form.current ?? ''));
    if (current === 'busy') return again('login.tooMany', 429);
    if (current === 'invalid') {
      kit.record(request, 'password.failed', 'staff', user.id);
      return again('password.wrongCurrent', 400);
    }
    const chosen = form.password ?? '';
    if (chosen !== form.confirm) return again('password.mismatch', 400);
    const problem = passwordProblem(chosen, user.username, user.displayName);
    if (problem) return again(`password.${problem}`, 400);
    setPassword(deps.db, user.id, await hashPassword(chosen), false);
    // Every other browser logs in again with the new password; this one stays.
    const keep = request.cookies[sessionCookie];
    deleteSessionsOf(deps.db, user.id);
    const { cookieToken } = startSession(deps.db, user.id, kit.now(), deps.session);
    reply.setCookie(sessionCookie, cookieToken, cookieOptions);
    endSession(deps.db, keep);
    kit.record(request, 'password.change', 'staff', user.id);
    return reply.redirect('/', 303);
  });
}
