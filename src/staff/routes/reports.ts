import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readReport, reportWindow } from '../../db/reports.ts';
import { localDay } from '../../domain/calendarDays.ts';
import type { Kit } from '../kit.ts';
import { reportPeriods, reportsPage, reportTableIds, reportTables, tableCsv } from '../views/reports.ts';

/** The period shown unless another is chosen: about a quarter. */
const defaultWeeks = 12;

/**
 * The managers' reports: satisfaction, the handoff's response times, aid requests against the
 * two-week promise, complaints; server-drawn charts and every table as CSV. Managers only; no
 * figure names who rated, or which staff member a rating was about. Each view and download is
 * audited (the comments are the beneficiaries' own words).
 */
export function reportRoutes(app: FastifyInstance, kit: Kit): void {
  const { deps } = kit;
  const allow = { preHandler: kit.allow('reports') };
  const reportOf = (request: FastifyRequest<{ Querystring: { weeks?: string } }>) => {
    const chosen = Number(request.query.weeks);
    const weeks = reportPeriods.find((w) => w === chosen) ?? defaultWeeks;
    const now = kit.now();
    return { weeks, now, report: readReport(deps.db, reportWindow(now, weeks, deps.org.timeZone), deps.org) };
  };

  app.get<{ Querystring: { weeks?: string } }>('/reports', allow, async (request, reply) => {
    const { weeks, report } = reportOf(request);
    kit.record(request, 'view', 'report', undefined, { weeks });
    const ctx = kit.context(request);
    return kit.page(request, reply, ctx.t('reports:heading'), reportsPage(ctx, { report, weeks }));
  });

  app.get<{ Params: { table: string }; Querystring: { weeks?: string } }>(
    '/reports/csv/:table',
    allow,
    async (request, reply) => {
      const id = reportTableIds.find((t) => t === request.params.table);
      if (!id) return kit.fail(request, reply, 404, 'errors.notFound');
      const { weeks, now, report } = reportOf(request);
      kit.record(request, 'export', 'report', id, { weeks });
      const table = reportTables(kit.context(request), report)[id];
      const name = `${id}-${localDay(now, deps.org.timeZone)}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(tableCsv(table));
    },
  );
}
