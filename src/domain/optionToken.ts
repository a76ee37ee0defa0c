import { createHash } from 'node:crypto';

/**
 * The id a button carries for an option: the option id itself when it fits the platform's limit
 * (Telegram: 64 bytes of callback data), otherwise a short hash of it. Either is read back as
 * that option by the engine, so flows may use long or Arabic ids freely.
 */
export function optionToken(id: string, maxBytes = 64): string {
  if (Buffer.byteLength(id, 'utf8') <= maxBytes) return id;
  return `#${createHash('sha256').update(id).digest('base64url').slice(0, 22)}`;
}
