import type { FastifyInstance } from 'fastify';
import type { HealthReport } from '../engine/health.ts';

/**
 * `GET /health` for a monitor or a load balancer: 200 with `status: "ok"`, or 503 with the
 * reasons (a channel down too long, a reply waiting too long), and each channel's state, last
 * message in and out, and queue. States, times and counts only: no personal data.
 */
export function registerHealth(http: FastifyInstance, report: () => HealthReport): void {
  http.get('/health', async (_request, reply) => {
    const health = report();
    return reply
      .code(health.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(health);
  });
}
