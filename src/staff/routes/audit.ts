import type { FastifyInstance } from 'fastify';
import { readAudit } from '../../db/audit.ts';
import type { Kit } from '../kit.ts';
import { auditPage } from '../views/admin.ts';
import { messagePage } from '../views/common.ts';

/** Who saw or changed what; and the cases area, filled by the aid-request issue. */
export function auditRoutes(app: FastifyInstance, kit: Kit): void {
  app.get('/audit', { preHandler: kit.allow('audit') }, async (request, reply) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('audit.heading'),
      auditPage(kit.context(request), readAudit(kit.deps.db)),
    ),
  );

  app.get('/cases', { preHandler: kit.allow('cases') }, async (request, reply) =>
    kit.page(
      request,
      reply,
      kit.context(request).t('cases.heading'),
      messagePage(kit.context(request).t('cases.soon')),
    ),
  );
}
