import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The part of a whatsapp-web.js `Client` the channel uses; tests provide a fake with the same shape. */
export interface WhatsAppClient {
  on(event: string, listener: (...args: never[]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  getState(): Promise<string | null>;
  sendMessage(chatId: string, content: string): Promise<unknown>;
}

/** How to build the real client. */
export interface ClientSettings {
  dataDir: string;
  chromiumPath: string;
  /** Pairing-code login instead of a QR code, for this phone number (digits with country code). */
  pairingNumber: string | undefined;
}

/** Thrown when the browser WhatsApp Web needs is not installed. */
export class BrowserMissingError extends Error {
  override name = 'BrowserMissingError';
}

/** The stable client id: the session lives in `<dataDir>/whatsapp/session-ataa`. */
export const clientId = 'ataa';

/**
 * Creates a real whatsapp-web.js client on the system Chromium, with its session (LocalAuth)
 * under `DATA_DIR/whatsapp`, so a restart needs no new QR code. The library is loaded only here,
 * and only when WhatsApp is enabled.
 */
export async function createRealClient(settings: ClientSettings): Promise<WhatsAppClient> {
  if (!existsSync(settings.chromiumPath)) {
    throw new BrowserMissingError(
      `WhatsApp needs Chromium at ${settings.chromiumPath}: install it with \`apt-get install chromium\` or set WHATSAPP_CHROMIUM_PATH.`,
    );
  }
  const { default: wwebjs } = await import('whatsapp-web.js');
  return new wwebjs.Client({
    authStrategy: new wwebjs.LocalAuth({ clientId, dataPath: join(settings.dataDir, 'whatsapp') }),
    puppeteer: {
      executablePath: settings.chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    ...(settings.pairingNumber ? { pairWithPhoneNumber: { phoneNumber: settings.pairingNumber } } : {}),
  }) as unknown as WhatsAppClient;
}

/** Prints a QR code in the terminal, for whoever starts the server to scan with the phone. */
export async function showQrInTerminal(qr: string): Promise<void> {
  const { default: qrcode } = await import('qrcode-terminal');
  qrcode.generate(qr, { small: true }, (drawing) => process.stderr.write(`${drawing}\n`));
}
