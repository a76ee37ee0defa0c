import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { Kit } from '../kit.ts';
import { whatsappPage } from '../views/admin.ts';

/** The WhatsApp link: its state, and the QR code or pairing code to link the association's phone. */
export function whatsappRoutes(app: FastifyInstance, kit: Kit): void {
  app.get('/whatsapp', { preHandler: kit.allow('whatsapp') }, async (request, reply) => {
    const status = kit.deps.whatsappStatus?.();
    const qr = status?.qr ? await QRCode.toString(status.qr, { type: 'svg', margin: 2 }) : undefined;
    kit.record(request, 'view', 'whatsapp');
    return kit.page(
      request,
      reply,
      kit.context(request).t('whatsapp.heading'),
      whatsappPage(kit.context(request), status, qr),
    );
  });
}
