import { randomUUID } from 'node:crypto';
import type { Inbound } from '../../domain/inbound.ts';

/** Reads one typed line: `/menu`-style commands become commands, everything else is text. */
export function toInbound(line: string, chatId: string, messageId: string = randomUUID()): Inbound {
  const command = line.trim().match(/^\/([a-z_]+)$/i);
  const base = { channel: 'console', chatId, messageId };
  return command?.[1] ? { ...base, kind: 'command', command: command[1] } : { ...base, kind: 'text', text: line };
}
