import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resumeSession, safeEqual } from './auth.ts';
import { type ConsoleDeps, createKit, type Form } from './kit.ts';
import { accountRoutes } from './routes/accounts.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes, loginPath, sessionCookie } from './routes/auth.ts';
import { beneficiaryRoutes } from './routes/beneficiaries.ts';
import { cannedRoutes } from './routes/canned.ts';
import { caseRoutes } from './routes/cases.ts';
import { outboxRoutes } from './routes/outbox.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { queueRoutes } from './routes/queue.ts';
import { reportRoutes } from './routes/reports.ts';
import { ticketRoutes } from './routes/tickets.ts';
import { understandingRoutes } from './routes/understanding.ts';
import { whatsappRoutes } from './routes/whatsapp.ts';
import { messagePage } from './views/common.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a session (the login, the assets). */
    public?: boolean;
    /** A refresh the page makes by itself: it does not keep the session alive. */
    background?: boolean;
  }
}

/** No inline script or style anywhere: the console's own files only. */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** The console's script and style sheet, read once. */
const assets = new Map<string, { type: string; body: Buffer }>(
  (
    [
      ['console.js', 'text/javascript; charset=utf-8'],
      ['console.css', 'text/css; charset=utf-8'],
    ] as const
  ).map(([name, type]) => [name, { type, body: readFileSync(new URL(`./assets/${name}`, import.meta.url)) }]),
);

/**
 * The staff console: server-rendered pages in Arabic (right to left) with an English switch,
 * in a scope of its own on the app's HTTP server. Every route needs a session but the login;
 * every area checks the role; every object is checked too (no reaching another's data by
 * changing an id); every form carries a CSRF token; every view of personal data and every
 * change is written to the audit log; every refusal and failure is a page, never a stack.
 */
export async function registerConsole(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  await app.register(async (scope) => {
    const kit = createKit(deps);
    await scope.register(cookie);
    await scope.register(formbody, { bodyLimit: 64_000 });

    scope.addHook('onRequest', async (_request, reply) => {
      reply
        .header('content-security-policy', contentSecurityPolicy)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'same-origin')
        .header('x-frame-options', 'DENY')
        .header('cache-control', 'no-store');
    });

    // Forms are flat: a field given twice keeps its first value; anything else is a bad request.
    scope.addHook('preValidation', async (request) => {
      if (request.method !== 'POST') return;
      request.body = flatForm(request.body);
    });

    // Every page but the public ones needs a live session; every form needs its CSRF token.
    scope.addHook('preHandler', async (request, reply) => {
      const config = request.routeOptions.config;
      if (config.public) return;
      const found = resumeSession(deps.db, request.cookies[sessionCookie], kit.now(), deps.session, !config.background);
      if (!found) return loggedOut(request, reply);
      request.staff = { user: found.user, csrf: found.session.csrfToken, expiresAt: found.session.expiresAt };
      if (request.method === 'POST' && !safeEqual(kit.form(request)._csrf, found.session.csrfToken)) {
        return kit.fail(request, reply, 403, 'errors.csrf');
      }
      const path = request.url.split('?')[0];
      if (found.user.mustChangePassword && path !== '/password' && path !== '/logout') {
        return reply.redirect('/password', 303);
      }
      return undefined;
    });

    scope.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error, route: request.routeOptions.url, method: request.method }, 'A page failed.');
      }
      const text = kit.context(request).t(status >= 500 ? 'errors.server' : 'errors.badRequest');
      return kit.page(request, reply, text, messagePage(text), status);
    });
    scope.setNotFoundHandler((request, reply) => kit.fail(request, reply, 404, 'errors.notFound'));

    scope.get<{ Params: { name: string } }>('/assets/:name', { config: { public: true } }, async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (!asset) return kit.fail(request, reply, 404, 'errors.notFound');
      return reply.header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body);
    });

    for (const routes of [
      authRoutes,
      queueRoutes,
      beneficiaryRoutes,
      caseRoutes,
      ticketRoutes,
      cannedRoutes,
      outboxRoutes,
      accountRoutes,
      auditRoutes,
      whatsappRoutes,
      reportRoutes,
      understandingRoutes,
      privacyRoutes,
    ]) {
      routes(scope, kit);
    }
  });
}

/**
 * No session: a page goes to the login and comes back after it; the page's own background
 * refresh is told so (401), and its script sends the browser to the login.
 */
function loggedOut(request: FastifyRequest, reply: FastifyReply) {
  if (request.method === 'GET' && !request.routeOptions.config.background) {
    return reply.redirect(loginPath(request.url), 303);
  }
  return reply.code(401).header('content-type', 'text/plain; charset=utf-8').send('Log in first.');
}

/** A form's fields as strings; throws a 400 for anything that is not a flat form. */
function flatForm(body: unknown): Form {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest();
  const form: Form = {};
  for (const [name, value] of Object.entries(body)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string')) throw badRequest();
    // A list field (`missing[]`: ticked boxes) keeps every value, comma-separated.
    form[name] = name.endsWith('[]') ? values.join(',') : (values[0] as string);
  }
  return form;
}

const badRequest = () => Object.assign(new Error('The form is not well formed.'), { statusCode: 400 });
