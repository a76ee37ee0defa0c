import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnyStateMachine, setup as setupMachine } from 'xstate';
import type { FlowEvent, FlowOutput } from '../../flows/events.ts';
import { rootMachine } from '../../flows/root/rootMachine.ts';
import { openDatabase } from '../../src/db/client.ts';
import { keyFileSecret } from '../../src/db/dataKey.ts';
import { mediaKeys } from '../../src/db/fileCipher.ts';
import { media, outbox, transcript } from '../../src/db/schema.ts';
import type { MediaTranscriptPayload } from '../../src/db/transcript.ts';
import type { Inbound } from '../../src/domain/inbound.ts';
import { Engine } from '../../src/engine/engine.ts';
import { MediaStore } from '../../src/engine/mediaStore.ts';
import { memoryLogger, tempDir, testEffects, testRenderer } from '../helpers.ts';
import { echoMachine } from './testFlow.ts';

/** The first bytes a real JPEG and a real PDF start with, and something that is neither. */
const jpeg = (n: number) => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from(`photo ${n}`)]);
const pdf = (n: number) => new Uint8Array(Buffer.from(`%PDF-1.4\n% report ${n}\n%%EOF`));
const notAFile = new Uint8Array(Buffer.from('MZ this is a program'));

/** A flow that fails on every file, as a flow with a bug would. */
const failingOnFiles = setupMachine({
  types: { events: {} as FlowEvent, emitted: {} as FlowOutput },
}).createMachine({
  on: {
    media: {
      actions: () => {
        throw new Error('a flow bug');
      },
    },
  },
});

const open: { close(): void }[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** An engine that keeps files, on a real SQLite file and media folder. */
function setup(options: { machine?: AnyStateMachine; flood?: { limit: number } } = {}) {
  const { dir, remove } = tempDir();
  const database = openDatabase(join(dir, 'test.db'));
  const { logger } = memoryLogger();
  const engine = new Engine({
    db: database.db,
    flow: { machine: options.machine ?? echoMachine, version: 1 },
    renderer: testRenderer(),
    effects: testEffects,
    logger,
    media: new MediaStore(dir, 1000),
    ...(options.flood ? { flood: { limit: options.flood.limit, windowMs: 60_000 } } : {}),
  });
  /** A file sent in chat "a". */
  const file = (
    kind: 'photo' | 'document' | 'voice',
    bytes: Uint8Array,
    fileName?: string,
    caption?: string,
  ): Inbound => ({
    channel: 'test',
    chatId: 'a',
    messageId: randomUUID(),
    kind: 'media',
    media: kind,
    ...(fileName ? { fileName } : {}),
    ...(caption ? { caption } : {}),
    download: async () => bytes,
  });
  const s = {
    dir,
    db: database.db,
    engine,
    file,
    /** The transcript rows of what the person sent, oldest first. */
    inbound: () =>
      database.db.select().from(transcript).where(eq(transcript.direction, 'in')).orderBy(transcript.id).all(),
    close() {
      database.close();
      remove();
    },
  };
  open.push(s);
  return s;
}

const payloadOf = (row: { payload: unknown }) => row.payload as MediaTranscriptPayload;

describe('Engine › files people send', () => {
  it("should link a photo's transcript row to its stored file, which is on disk", async () => {
    const s = setup();
    const bytes = jpeg(1);
    await s.engine.handle(s.file('photo', bytes, undefined, 'هوية'));
    const [row] = s.inbound();
    const stored = s.db.select().from(media).all();
    expect(stored).toHaveLength(1);
    expect(row).toMatchObject({ kind: 'media', text: 'هوية' });
    expect(payloadOf(row!)).toEqual({ media: 'photo', mediaId: stored[0]!.id, mime: 'image/jpeg', size: bytes.length });
    // Encrypted on disk, the same bytes once read back through the store.
    expect(readFileSync(join(s.dir, stored[0]!.path)).includes(Buffer.from('photo 1'))).toBe(false);
    expect(await new MediaStore(s.dir, 1000).read(stored[0]!.path)).toEqual(Buffer.from(bytes));
  });

  it("should keep a document's name, type and size in its transcript row for the console", async () => {
    const s = setup();
    const bytes = pdf(1);
    await s.engine.handle(s.file('document', bytes, 'تقرير طبي.pdf'));
    const [row] = s.inbound();
    const stored = s.db.select().from(media).get()!;
    expect(stored).toMatchObject({ fileName: 'تقرير طبي.pdf', mime: 'application/pdf', size: bytes.length });
    expect(payloadOf(row!)).toEqual({
      media: 'document',
      mediaId: stored.id,
      fileName: 'تقرير طبي.pdf',
      mime: 'application/pdf',
      size: bytes.length,
    });
  });

  it('should record every file of a flood, each with its media row and its transcript row', async () => {
    const s = setup({ flood: { limit: 3 } });
    const files = Array.from({ length: 10 }, (_, i) => s.file('document', pdf(i), `page-${i}.pdf`));
    await Promise.all(files.map((f) => s.engine.handle(f)));
    const stored = s.db.select().from(media).orderBy(media.id).all();
    expect(stored.map((m) => m.fileName)).toEqual(files.map((f) => (f.kind === 'media' ? f.fileName : '')));
    for (const m of stored) expect(existsSync(join(s.dir, m.path))).toBe(true);
    const rows = s.inbound();
    expect(rows.map((r) => payloadOf(r).mediaId)).toEqual(stored.map((m) => m.id));
    expect(rows.map((r) => r.messageId)).toEqual(files.map((f) => f.messageId));
    // Still answered once, to ask the person to slow down.
    const answers = s.db.select().from(outbox).all();
    expect(answers.filter((a) => a.payload.text.includes('وصلتنا رسائل كثيرة'))).toHaveLength(1);
  });

  it('should record a file even when the flow fails on it, beside the apology', async () => {
    const s = setup({ machine: failingOnFiles });
    await s.engine.handle(s.file('voice', Uint8Array.from([...Buffer.from('OggS'), 0, 2, 3])));
    const stored = s.db.select().from(media).all();
    expect(stored).toHaveLength(1);
    expect(payloadOf(s.inbound()[0]!)).toMatchObject({ media: 'voice', mediaId: stored[0]!.id, mime: 'audio/ogg' });
    expect(s.db.select().from(outbox).get()?.payload.text).toContain('نعتذر، حدث خلل مؤقت');
  });

  it('should store no file it refuses, and say in the transcript why it was refused', async () => {
    const s = setup();
    await s.engine.handle(s.file('document', notAFile, 'setup.exe'));
    await s.engine.handle(s.file('photo', Uint8Array.from([0xff, 0xd8, 0xff, ...new Array(2000).fill(0)])));
    expect(s.db.select().from(media).all()).toEqual([]);
    expect(s.inbound().map(payloadOf)).toEqual([
      { media: 'document', fileName: 'setup.exe', rejected: 'type' },
      { media: 'photo', rejected: 'tooLarge' },
    ]);
    expect(s.db.select().from(outbox).all()).toHaveLength(2);
  });

  it('should ask the person to send a document again when the disk is full, leaving nothing half-written', async () => {
    const s = setup();
    const bytes = pdf(7);
    // The file's place on disk, as the store names it; its temporary file leads to /dev/full (ENOSPC).
    const name = createHmac('sha256', mediaKeys(keyFileSecret(s.dir).secret).nameKey)
      .update(bytes)
      .digest('hex');
    const shard = join(s.dir, 'media', name.slice(0, 2));
    mkdirSync(shard, { recursive: true });
    symlinkSync('/dev/full', join(shard, `.${name}.pdf.${process.pid}.tmp`));
    await s.engine.handle(s.file('document', bytes, 'report.pdf'));
    expect(readdirSync(shard)).toEqual([]);
    expect(s.db.select().from(media).all()).toEqual([]);
    expect(s.inbound().map(payloadOf)).toEqual([
      { media: 'document', fileName: 'report.pdf', rejected: 'unavailable' },
    ]);
    const [queued] = s.db.select().from(outbox).all();
    expect((queued?.payload as { text?: string } | undefined)?.text).toContain('فضلًا أرسله مرة أخرى');
  });
});

describe('Engine › emergencies', () => {
  it("should flag an emergency message's transcript row for staff, and no other", async () => {
    const s = setup({ machine: rootMachine });
    const words = ['ابوي ما يتنفس'];
    await s.engine.handle({
      channel: 'test',
      chatId: 'a',
      messageId: randomUUID(),
      kind: 'text',
      text: 'السلام عليكم',
    });
    await s.engine.handle({ channel: 'test', chatId: 'a', messageId: randomUUID(), kind: 'text', text: words[0]! });
    const [hello, emergency] = s.inbound();
    expect(hello?.payload).toBeNull();
    expect(emergency).toMatchObject({ text: words[0], payload: { flag: 'emergency' } });
    // The flow still gives the emergency numbers.
    expect(s.db.select().from(outbox).all().at(-1)?.payload.text).toContain('997');
  });
});
