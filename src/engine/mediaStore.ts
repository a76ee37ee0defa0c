import { createHash, createHmac } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { keyFileSecret } from '../db/dataKey.ts';
import { decryptMedia, encryptMedia, type MediaKeys, mediaKeys } from '../db/fileCipher.ts';

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
