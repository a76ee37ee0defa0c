import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';

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
 * `<dataDir>/media`, named by their SHA-256, written durably (fsync, then rename). Refuses files
 * over the size cap and of kinds it does not recognise.
 */
export class MediaStore {
  constructor(
    private readonly dataDir: string,
    readonly maxBytes: number,
  ) {}

  async save(bytes: Uint8Array): Promise<StoredFile> {
    if (bytes.byteLength > this.maxBytes) throw new MediaRejectedError('tooLarge');
    const kind = signatures.find((s) => s.test(bytes));
    if (!kind) throw new MediaRejectedError('type');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = join('media', sha256.slice(0, 2), `${sha256}.${kind.ext}`);
    const dir = join(this.dataDir, 'media', sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const temporary = join(dir, `.${sha256}.${process.pid}.tmp`);
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(this.dataDir, path));
    return { mime: kind.mime, size: bytes.byteLength, sha256, path };
  }
}
