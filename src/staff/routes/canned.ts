import type { FastifyInstance } from 'fastify';
import { addCanned, deleteCanned, listCanned } from '../../db/staffWork.ts';
import type { IdParams, Kit } from '../kit.ts';
import { cannedPage } from '../views/canned.ts';

/** The replies staff keep ready to send. */
export function cannedRoutes(app: FastifyInstance, kit: Kit): void {
  const { db } = kit.deps;
  const allow = { preHandler: kit.allow('queue') };

  app.get('/canned', allow, async (request, reply) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('canned.heading'),
      cannedPage(kit.context(request), listCanned(db)),
    ),
  );

  app.post('/canned', allow, async (request, reply) => {
    const form = kit.form(request);
    const title = (form.title ?? '').trim().slice(0, 100);
    const body = (form.body ?? '').trim().slice(0, 4000);
    if (!title || !body) return kit.fail(request, reply, 400, 'errors.cannedEmpty');
    kit.record(request, 'create', 'canned', addCanned(db, title, body, kit.who(request).id));
    return reply.redirect('/canned', 303);
  });

  app.post<{ Params: IdParams }>('/canned/:id/delete', allow, async (request, reply) => {
    const id = Number(request.params.id);
    if (!deleteCanned(db, id)) return kit.fail(request, reply, 404, 'errors.notFound');
    kit.record(request, 'delete', 'canned', id);
    return reply.redirect('/canned', 303);
  });
}
