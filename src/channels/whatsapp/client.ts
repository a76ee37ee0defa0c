import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../../config.ts';
import type { WhatsAppMessage } from './toInbound.ts';

/** The part of a whatsapp-web.js `Chat` the channel uses. */
export interface WhatsAppChat {
  id: { _serialized: string };
  isGroup: boolean;
  unreadCount: number;
  /** When the chat's last message came or went (Unix seconds); absent in a chat without messages. */
  timestamp?: number;
  fetchMessages(options: { limit?: number; fromMe?: boolean }): Promise<WhatsAppMessage[]>;
}

/** The part of a whatsapp-web.js `Client` the channel uses; tests provide a fake with the same shape. */
export interface WhatsAppClient {
  on(event: string, listener: (...args: never[]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  /** WhatsApp Web's connection state (`CONNECTED`, `OPENING`, `TOS_BLOCK`…). */
  getState(): Promise<string | null>;
  /** Resolves the sent message, or `undefined`/`null` when nothing was sent (the chat was not found). */
  sendMessage(chatId: string, content: string, options?: { sendSeen?: boolean }): Promise<unknown>;
  /** Marks a chat read (the blue ticks); WhatsApp Web's own code for it breaks now and then. */
  sendSeen(chatId: string): Promise<unknown>;
  getChats(): Promise<WhatsAppChat[]>;
  getChatById(chatId: string): Promise<WhatsAppChat | undefined>;
  /** The `@lid` and phone (`@c.us`) ids WhatsApp knows for each id. */
  getContactLidAndPhone(ids: string[]): Promise<{ lid?: string; pn?: string }[]>;
  /** The browser's process id, to watch its memory and to kill it when `destroy()` hangs. */
  browserPid(): number | undefined;
}

/** How to build the real client. */
export interface ClientSettings {
  dataDir: string;
  chromiumPath: string;
  /** Pairing-code login instead of a QR code, for this phone number (digits with country code). */
  pairingNumber: string | undefined;
  /** Pin this WhatsApp Web version (an emergency measure when the current one breaks the library). */
  webVersion?: string | undefined;
  /** Where to fetch a pinned version's page, `{version}` standing for it; otherwise the local cache. */
  webVersionUrl?: string | undefined;
}

/** Thrown when the browser WhatsApp Web needs is not installed. */
export class BrowserMissingError extends Error {
  override name = 'BrowserMissingError';
}

/** The stable client id: the session lives in `<dataDir>/whatsapp/session-ataa`. */
export const clientId = 'ataa';

/** The browser profile that holds the WhatsApp session (LocalAuth's folder). */
export function sessionDir(dataDir: string): string {
  return join(dataDir, 'whatsapp', `session-${clientId}`);
}

/** Where the WhatsApp Web builds the library has run are kept (its default is the working directory). */
export function webCacheDir(dataDir: string): string {
  return join(dataDir, 'whatsapp', 'web-cache');
}

/**
 * Creates a real whatsapp-web.js client on the system Chromium, with its session (LocalAuth)
 * under `DATA_DIR/whatsapp`, so a restart needs no new QR code, and the WhatsApp Web build it
 * ran cached there too. The library is loaded only here, and only when WhatsApp is enabled.
 */
export async function createRealClient(settings: ClientSettings): Promise<WhatsAppClient> {
  if (!existsSync(settings.chromiumPath)) {
    throw new BrowserMissingError(
      `WhatsApp needs Chromium at ${settings.chromiumPath}: install it with \`apt-get install chromium\` or set WHATSAPP_CHROMIUM_PATH.`,
    );
  }
  const { default: wwebjs } = await import('whatsapp-web.js');
  const webVersionCache = settings.webVersionUrl
    ? { type: 'remote' as const, remotePath: settings.webVersionUrl, strict: false }
    : { type: 'local' as const, path: webCacheDir(settings.dataDir), strict: false };
  const client = new wwebjs.Client({
    authStrategy: new wwebjs.LocalAuth({ clientId, dataPath: join(settings.dataDir, 'whatsapp') }),
    webVersionCache,
    ...(settings.webVersion ? { webVersion: settings.webVersion } : {}),
    puppeteer: {
      executablePath: settings.chromiumPath,
      headless: true,
      env: childEnv(),
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
  });
  return Object.assign(client, {
    browserPid: () => client.pupBrowser?.process()?.pid,
  }) as unknown as WhatsAppClient;
}

/** Prints a QR code in the terminal, for whoever starts the server to scan with the phone. */
export async function showQrInTerminal(qr: string): Promise<void> {
  const { default: qrcode } = await import('qrcode-terminal');
  qrcode.generate(qr, { small: true }, (drawing) => process.stderr.write(`${drawing}\n`));
}

/** Prints the pairing code in the terminal, to type on the phone (Linked devices → Link with phone number). */
export function showPairingCodeInTerminal(code: string): void {
  process.stderr.write(`\nWhatsApp pairing code: ${code}\n\n`);
}
