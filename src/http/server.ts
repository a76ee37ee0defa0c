import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from '../logger.ts';

/**
 * The app's one HTTP server: the staff console and, in webhook mode, Telegram's updates. Request
 * logging is off: URLs and bodies may carry personal data.
 */
export function createHttpServer(logger: Logger): FastifyInstance {
  return Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_000_000,
  }) as unknown as FastifyInstance;
}
