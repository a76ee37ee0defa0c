import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deriveKey, keyFileSecret } from '../db/dataKey.ts';

/** The kinds of file kept, recognised by their first bytes rather than by what the sender claims. */
const signatures: { mime: string; ext: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', ext: 'png', test: (b) => ascii(b, 1, 3) === 'PNG' },
  { mime: 'image/webp', ext: 'webp', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP' },
  {
    mime: 'image/heic',
    ext: 'heic',
    test: (b) => ascii(b, 4, 4) === 'ftyp' && /^(heic|heix|mif1|heif)$/.test(ascii(b, 8, 4)),
  },
  { mime: 'application/pdf', ext: 'pdf', test: (b) => ascii(b, 0, 5) === '%PDF-' },
  { mime: 'audio/ogg', ext: 'ogg', test: (b) => ascii(b, 0, 4) === 'OggS' },
  {
    mime: 'audio/mp4',
    ext: 'm4a',
    test: (b) => ascii(b, 4, 4) === 'ftyp' && /^(M4A |isom|mp42)$/.test(ascii(b, 8, 4)),
  },
  {
    mime: 'audio/mpeg',
    ext: 'mp3',
    test: (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  },
];

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** Why a file was not kept; each has a polite answer in `common:file.<reason>`. */
export type MediaRejection = 'tooLarge' | 'type' | 'unavailable';

/** Thrown when a file is not kept. */
export class MediaRejectedError extends Error {
  override name = 'MediaRejectedError';

  constructor(
    readonly reason: MediaRejection,
    options?: ErrorOptions,
  ) {
    super(`The file was not kept: ${reason}.`, options);
  }
}

/** A file written to disk, ready to be linked to its conversation. */
export interface StoredFile {
  mime: string;
  size: number;
  sha256: string;
  /** Relative to the data directory. */
  path: string;
}

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

/**
 * Keeps the files beneficiaries send (ID copies, medical reports, voice notes) under
 * `<dataDir>/media`, encrypted (AES-256-GCM, key derived from the data secret), named by a keyed
 * hash of their bytes, written durably (fsync, then rename). Refuses files over the size cap and
 * of kinds it does not recognise. Files kept before encryption are still read as they are.
 */
export class MediaStore {
  private readonly keys: MediaKeys;

  constructor(
    private readonly dataDir: string,
    readonly maxBytes: number,
    secret: string = keyFileSecret(dataDir).secret,
  ) {
    this.keys = mediaKeys(secret);
  }

  async save(bytes: Uint8Array): Promise<StoredFile> {
    if (bytes.byteLength > this.maxBytes) throw new MediaRejectedError('tooLarge');
    const kind = signatures.find((s) => s.test(bytes));
    if (!kind) throw new MediaRejectedError('type');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const name = createHmac('sha256', this.keys.nameKey).update(bytes).digest('hex');
    const path = join('media', name.slice(0, 2), `${name}.${kind.ext}`);
    const dir = join(this.dataDir, 'media', name.slice(0, 2));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileDurably(join(this.dataDir, path), encryptMedia(this.keys, bytes));
    return { mime: kind.mime, size: bytes.byteLength, sha256, path };
  }

  /** A stored file's bytes (`path` relative to the data directory), decrypted, for authorised staff. */
  async read(path: string): Promise<Buffer> {
    return decryptMedia(this.keys, await readFile(join(this.dataDir, path)));
  }
}

/**
 * Writes a file durably: to a temporary file beside it, fsync, then rename. If anything fails
 * (the disk is full, an I/O error) the temporary file is removed, so nothing half-written stays;
 * the caller asks the person to send it again.
 */
export async function writeFileDurably(path: string, data: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
