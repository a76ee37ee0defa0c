import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from '../logger.ts';

/**
 * The app's one HTTP server: the staff console and, in webhook mode, Telegram's updates. Request
 * logging is off: URLs and bodies may carry personal data. `trustProxy` says which reverse proxies
 * may name the client (`X-Forwarded-For`), so login limits apply to the real address.
 */
export function createHttpServer(logger: Logger, trustProxy: boolean | number | string[] = false): FastifyInstance {
  return Fastify({
    // Fastify also takes a number of hops, which its types leave out.
    trustProxy: trustProxy as boolean | string[],
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_000_000,
  }) as unknown as FastifyInstance;
}
