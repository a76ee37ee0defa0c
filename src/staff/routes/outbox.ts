import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FailedReply, failedReplies, findReply, requeueFailed } from '../../db/outbox.ts';
import { isStaffConversation } from '../../db/staffWork.ts';
import type { IdParams, Kit } from '../kit.ts';
import { outboxPage } from '../views/outbox.ts';

/**
 * Replies that failed for good (`/outbox`), and sending one again. Their text may hold personal
 * data, so the page follows the conversations' rule: officers and managers, and an officer sees
 * only the replies of conversations that reached staff. Views and resends are audited.
 */
export function outboxRoutes(app: FastifyInstance, kit: Kit): void {
  const { db } = kit.deps;
  const allow = { preHandler: kit.allow('queue') };

  const mayOpen = (request: FastifyRequest, conversationId: number) =>
    kit.who(request).role === 'manager' || isStaffConversation(db, conversationId);
  const visible = (request: FastifyRequest): FailedReply[] =>
    failedReplies(db).filter((row) => mayOpen(request, row.conversationId));
  const show = (request: FastifyRequest, reply: FastifyReply, notice?: string, status = 200) => {
    const ctx = kit.context(request);
    return kit.page(request, reply, ctx.t('outbox.heading'), outboxPage(ctx, visible(request), notice), status);
  };

  app.get('/outbox', allow, async (request, reply) => {
    kit.record(request, 'view', 'outbox');
    const done = (request.query as { resent?: unknown }).resent !== undefined;
    return show(request, reply, done ? kit.context(request).t('outbox.resent') : undefined);
  });

  app.post<{ Params: IdParams }>('/outbox/:id/resend', allow, async (request, reply) => {
    const id = Number(request.params.id);
    const row = Number.isSafeInteger(id) ? findReply(db, id) : undefined;
    if (!row || !mayOpen(request, row.conversationId)) return kit.fail(request, reply, 404, 'errors.notFound');
    if (!requeueFailed(db, row.id, kit.now())) {
      return show(request, reply, kit.context(request).t('outbox.notFailed'), 409);
    }
    kit.record(request, 'resend', 'outbox', row.id, { conversationId: row.conversationId, channel: row.channel });
    kit.deps.wakeOutbox?.(row.channel);
    return reply.redirect('/outbox?resent=1', 303);
  });
}
