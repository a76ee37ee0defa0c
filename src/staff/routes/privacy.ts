import type { FastifyInstance } from 'fastify';
import { beneficiaryOf, countOpenDataRequests, findDataRequest, listDataRequests } from '../../db/dataRequests.ts';
import { findStaffById } from '../../db/staff.ts';
import type { IdParams, Kit } from '../kit.ts';
import { dataRequestPage, dataRequestsPage } from '../views/privacy.ts';

/**
 * People's requests under the PDPL (managers): the list with the 30-day date of each, a request
 * with what was erased in the chat and what is left for staff, and finishing it (through the
 * privacy module, which erases the rest, tells the person and audits). Every view is audited.
 */
export function privacyRoutes(app: FastifyInstance, kit: Kit): void {
  const { db, privacy: desk } = kit.deps;
  const allow = { preHandler: kit.allow('privacy') };

  app.get<{ Querystring: { status?: unknown } }>('/privacy', allow, async (request, reply) => {
    const asked = request.query.status;
    const filter = asked === 'done' || asked === 'all' ? asked : 'open';
    const now = kit.now();
    kit.record(request, 'view', 'dataRequests', undefined, { status: filter });
    return kit.page(
      request,
      reply,
      kit.context(request).t('privacy:console.heading'),
      dataRequestsPage(kit.context(request), {
        rows: listDataRequests(db, filter === 'all' ? {} : { status: filter }),
        counts: countOpenDataRequests(db, now),
        filter,
        now,
      }),
    );
  });

  app.get<{ Params: IdParams }>('/privacy/:id', allow, async (request, reply) => {
    const row = findDataRequest(db, Number(request.params.id));
    if (!row) return kit.fail(request, reply, 404, 'errors.notFound');
    kit.record(request, 'view', 'dataRequest', row.id);
    return kit.page(
      request,
      reply,
      kit.context(request).t('privacy:console.heading'),
      dataRequestPage(kit.context(request), {
        row,
        beneficiary: row.conversationId === null ? undefined : beneficiaryOf(db, row.conversationId),
        doneBy: row.doneBy === null ? undefined : findStaffById(db, row.doneBy)?.displayName,
        now: kit.now(),
      }),
    );
  });

  app.post<{ Params: IdParams }>('/privacy/:id/complete', allow, async (request, reply) => {
    const user = kit.who(request);
    const result = await desk.complete(
      Number(request.params.id),
      { id: user.id, role: user.role },
      kit.form(request).note ?? '',
    );
    if (result === 'none') return kit.fail(request, reply, 404, 'errors.notFound');
    if (result === 'taken') return kit.fail(request, reply, 409, 'privacy:console.taken');
    return reply.redirect(`/privacy/${request.params.id}`, 303);
  });
}
