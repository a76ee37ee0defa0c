import type { FastifyInstance } from 'fastify';
import { assignMissed, listMissed, taughtPhrases } from '../../db/missed.ts';
import { teachable } from '../../understanding/understanding.ts';
import type { IdParams, Kit } from '../kit.ts';
import { understandingPage } from '../views/understanding.ts';

/**
 * The messages the assistant did not understand, anonymised, for managers to teach it: each can be
 * assigned to an intent, which adds it to what the classifier learns from at once.
 */
export function understandingRoutes(app: FastifyInstance, kit: Kit): void {
  const { db, understanding } = kit.deps;
  const allow = { preHandler: kit.allow('understanding') };

  app.get('/understanding', allow, async (request, reply) => {
    kit.record(request, 'view', 'missed_messages', undefined);
    return kit.page(
      request,
      reply,
      kit.context(request).t('understanding.heading'),
      understandingPage(kit.context(request), listMissed(db, false), listMissed(db, true, 50)),
    );
  });

  app.post<{ Params: IdParams }>('/understanding/:id', allow, async (request, reply) => {
    const intent = kit.form(request).intent ?? '';
    if (!teachable.includes(intent)) return kit.fail(request, reply, 400, 'errors.badRequest');
    const taught = assignMissed(db, Number(request.params.id), intent, kit.who(request).id, kit.now());
    if (!taught) return kit.fail(request, reply, 404, 'errors.notFound');
    kit.record(request, 'teach', 'missed_messages', taught.id, { intent });
    understanding?.learn(taughtPhrases(db));
    return reply.redirect('/understanding', 303);
  });
}
