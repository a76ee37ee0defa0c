import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createStaffUser,
  deleteSessionsOf,
  findStaffById,
  findStaffByUsername,
  listStaff,
  setPassword,
  setStaffDisabled,
} from '../../db/staff.ts';
import { usernamePattern } from '../../domain/credentials.ts';
import { roles } from '../../domain/permissions.ts';
import { generatePassword, hashPassword } from '../auth.ts';
import type { IdParams, Kit } from '../kit.ts';
import { type AccountsNotice, accountsPage } from '../views/admin.ts';

/** Staff accounts, for admins: create, disable and enable, reset a password. */
export function accountRoutes(app: FastifyInstance, kit: Kit): void {
  const { db, desk } = kit.deps;
  const allow = { preHandler: kit.allow('accounts') };
  const show = (request: FastifyRequest, reply: FastifyReply, notice?: AccountsNotice, status = 200) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('accounts.heading'),
      accountsPage(kit.context(request), listStaff(db), notice),
      status,
    );
  const refuse = (request: FastifyRequest, reply: FastifyReply, key: string, status: number) =>
    show(request, reply, { error: kit.context(request).t(key) }, status);

  app.get('/accounts', allow, async (request, reply) => show(request, reply));

  app.post('/accounts', allow, async (request, reply) => {
    const form = kit.form(request);
    const username = (form.username ?? '').trim().toLowerCase();
    const role = roles.find((r) => r === form.role);
    if (!usernamePattern.test(username)) return refuse(request, reply, 'accounts.errors.username', 400);
    if (!role) return refuse(request, reply, 'accounts.errors.role', 400);
    if (findStaffByUsername(db, username)) return refuse(request, reply, 'accounts.errors.taken', 409);
    const password = generatePassword();
    const user = createStaffUser(db, {
      username,
      displayName: (form.displayName ?? '').trim().slice(0, 100) || username,
      role,
      passwordHash: await hashPassword(password),
    });
    kit.record(request, 'create', 'staff', user.id, { role });
    return show(request, reply, { username, password });
  });

  /** Another staff member's account, never one's own (an admin cannot lock themselves out). */
  const other = (request: FastifyRequest<{ Params: IdParams }>) => {
    const user = findStaffById(db, Number(request.params.id));
    return user && user.id !== kit.who(request).id ? user : undefined;
  };

  app.post<{ Params: IdParams }>('/accounts/:id/disable', allow, async (request, reply) => {
    const user = other(request);
    if (!user) return kit.fail(request, reply, 404, 'errors.notFound');
    setStaffDisabled(db, user.id, true);
    deleteSessionsOf(db, user.id);
    const me = kit.who(request);
    const released = await desk.releaseAllOf(db, user.id, { id: me.id, role: me.role });
    kit.record(request, 'disable', 'staff', user.id, { released });
    return reply.redirect('/accounts', 303);
  });

  app.post<{ Params: IdParams }>('/accounts/:id/enable', allow, async (request, reply) => {
    const user = other(request);
    if (!user) return kit.fail(request, reply, 404, 'errors.notFound');
    setStaffDisabled(db, user.id, false);
    kit.record(request, 'enable', 'staff', user.id);
    return reply.redirect('/accounts', 303);
  });

  // A forgotten password: a new one, shown once to the admin, to be changed at the next login.
  app.post<{ Params: IdParams }>('/accounts/:id/reset', allow, async (request, reply) => {
    const user = other(request);
    if (!user) return kit.fail(request, reply, 404, 'errors.notFound');
    const password = generatePassword();
    setPassword(db, user.id, await hashPassword(password), true);
    deleteSessionsOf(db, user.id);
    kit.record(request, 'password.reset', 'staff', user.id);
    return show(request, reply, { username: user.username, password });
  });
}
