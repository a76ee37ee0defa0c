import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { Kit } from '../kit.ts';
import { whatsappPage, whatsappPanel } from '../views/admin.ts';

/**
 * The WhatsApp link: its state, and the QR code or pairing code to link the association's phone.
 * While it is being linked the page fetches its panel again by itself (`/whatsapp/panel`, a
 * background request that does not keep the session alive), so a renewed QR code, a restart or
 * the link itself shows without a reload.
 */
export function whatsappRoutes(app: FastifyInstance, kit: Kit): void {
  const qrOf = async (qr: string | undefined) =>
    qr ? await QRCode.toString(qr, { type: 'svg', margin: 2 }) : undefined;

  app.get('/whatsapp', { preHandler: kit.allow('whatsapp') }, async (request, reply) => {
    const status = kit.deps.whatsappStatus?.();
    kit.record(request, 'view', 'whatsapp');
    return kit.page(
      request,
      reply,
      kit.context(request).t('whatsapp.heading'),
      whatsappPage(kit.context(request), status, await qrOf(status?.qr)),
    );
  });

  app.get(
    '/whatsapp/panel',
    { preHandler: kit.allow('whatsapp'), config: { background: true } },
    async (request, reply) => {
      const status = kit.deps.whatsappStatus?.();
      if (!status) return reply.code(404).send();
      const panel = whatsappPanel(kit.context(request), status, await qrOf(status.qr));
      return reply.header('content-type', 'text/html; charset=utf-8').send(String(panel));
    },
  );
}
