import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from './dataKey.ts';

/** The first bytes of an encrypted file: the format's name and version. Older files have none. */
const magic = Buffer.from('ATAAENC1', 'latin1');
const keyIdLength = 8;
const ivLength = 12;
const tagLength = 16;
const headerLength = magic.length + keyIdLength + ivLength;

/** Thrown when a stored file cannot be read back: damaged, or encrypted under another key. */
export class MediaUnreadableError extends Error {
  override name = 'MediaUnreadableError';
}

/** The keys a file is encrypted and named under, derived from the data secret. */
export interface MediaKeys {
  key: Buffer;
  /** Names the key in each file's header, so a file under another key is told apart from a damaged one. */
  id: Buffer;
  /** Names files by a keyed hash of their bytes: equal files share one, and a name tells nothing. */
  nameKey: Buffer;
}

/** Derives the media keys from the data secret (`DATA_KEY` or the key file). */
export function mediaKeys(secret: string): MediaKeys {
  const key = deriveKey(secret, 'media');
  const nameKey = deriveKey(secret, 'media-id');
  return { key, nameKey, id: createHmac('sha256', nameKey).update('key-id').digest().subarray(0, keyIdLength) };
}

/**
 * Encrypts a file's bytes with AES-256-GCM: `ATAAENC1` + key id + IV + ciphertext + tag. The
 * header is authenticated too, so a file cannot be moved under another key's name unnoticed.
 */
export function encryptMedia(keys: MediaKeys, bytes: Uint8Array): Buffer {
  const iv = randomBytes(ivLength);
  const header = Buffer.concat([magic, keys.id, iv]);
  const cipher = createCipheriv('aes-256-gcm', keys.key, iv);
  cipher.setAAD(header);
  return Buffer.concat([header, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
}

/** True when `stored` is in the encrypted format (else it is a file kept before encryption). */
export function isEncryptedMedia(stored: Uint8Array): boolean {
  return stored.length >= headerLength + tagLength && Buffer.from(stored.subarray(0, magic.length)).equals(magic);
}

/** The key id in an encrypted file's header. */
export function mediaKeyId(stored: Uint8Array): Buffer {
  return Buffer.from(stored.subarray(magic.length, magic.length + keyIdLength));
}

/** A stored file's bytes: decrypted, or as they are for a file kept before encryption. */
export function decryptMedia(keys: MediaKeys, stored: Uint8Array): Buffer {
  if (!isEncryptedMedia(stored)) return Buffer.from(stored);
  const data = Buffer.from(stored);
  if (!mediaKeyId(data).equals(keys.id)) {
    throw new MediaUnreadableError('The file is encrypted under another key (a rotation that did not finish?).');
  }
  const decipher = createDecipheriv('aes-256-gcm', keys.key, data.subarray(magic.length + keyIdLength, headerLength));
  decipher.setAAD(data.subarray(0, headerLength));
  decipher.setAuthTag(data.subarray(data.length - tagLength));
  try {
    return Buffer.concat([decipher.update(data.subarray(headerLength, data.length - tagLength)), decipher.final()]);
  } catch (error) {
    throw new MediaUnreadableError('The file is damaged: its authentication tag does not match.', { cause: error });
  }
}
