import type { FastifyInstance } from 'fastify';
import { readAudit } from '../../db/audit.ts';
import type { Kit } from '../kit.ts';
import { auditPage } from '../views/admin.ts';

/** Who saw or changed what. */
export function auditRoutes(app: FastifyInstance, kit: Kit): void {
  app.get('/audit', { preHandler: kit.allow('audit') }, async (request, reply) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('audit.heading'),
      auditPage(kit.context(request), readAudit(kit.deps.db)),
    ),
  );
}
