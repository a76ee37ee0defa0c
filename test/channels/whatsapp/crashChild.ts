/**
 * The assistant in a child process with WhatsApp on a client that lives in the parent: every
 * call goes over IPC to the parent's fake WhatsApp (which outlives the child, as the phone does),
 * and the parent pushes live messages back. Killed with SIGKILL by the crash test.
 */
import { EventEmitter } from 'node:events';
import { startApp } from '../../../src/app.ts';
import type { WhatsAppChat, WhatsAppClient } from '../../../src/channels/whatsapp/client.ts';
import type { WhatsAppMessage } from '../../../src/channels/whatsapp/toInbound.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';

type Reply = { t: 'result'; id: number; value: unknown } | { t: 'error'; id: number; message: string };
type Push = { t: 'message'; message: WhatsAppMessage };

const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextCall = 1;
function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const id = nextCall++;
  return new Promise<T>((resolve, reject) => {
    calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
    process.send?.({ t: 'call', id, method, args });
  });
}

class RemoteClient extends EventEmitter implements WhatsAppClient {
  override on(event: string, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
  async initialize(): Promise<void> {
    setImmediate(() => {
      this.emit('authenticated');
      this.emit('ready');
    });
  }
  async destroy(): Promise<void> {}
  getState = () => call<string | null>('getState');
  sendMessage = (chatId: string, content: string, options?: { sendSeen?: boolean }) =>
    call<unknown>('sendMessage', chatId, content, options ?? {});
  sendSeen = (chatId: string) => call<unknown>('sendSeen', chatId);
  getContactLidAndPhone = (ids: string[]) => call<{ lid?: string; pn?: string }[]>('getContactLidAndPhone', ids);
  browserPid = () => undefined;
  async getChats(): Promise<WhatsAppChat[]> {
    const chats = await call<Omit<WhatsAppChat, 'fetchMessages'>[]>('getChats');
    return chats.map((c) => this.chat(c));
  }
  async getChatById(chatId: string): Promise<WhatsAppChat | undefined> {
    const chat = await call<Omit<WhatsAppChat, 'fetchMessages'> | null>('getChatById', chatId);
    return chat ? this.chat(chat) : undefined;
  }
  private chat(summary: Omit<WhatsAppChat, 'fetchMessages'>): WhatsAppChat {
    return {
      ...summary,
      fetchMessages: (options) => call<WhatsAppMessage[]>('fetchMessages', summary.id._serialized, options),
    };
  }
}

const client = new RemoteClient();
process.on('message', (raw: Reply | Push) => {
  if (raw.t === 'message') {
    client.emit('message', raw.message);
    return;
  }
  const pending = calls.get(raw.id);
  calls.delete(raw.id);
  if (raw.t === 'result') pending?.resolve(raw.value);
  else pending?.reject(new Error(raw.message));
});

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, pretty: false });
await startApp(config, logger, undefined, { createWhatsAppClient: async () => client, staffConsole: false });
