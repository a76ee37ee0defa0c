import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AnyStateMachine } from 'xstate';
import { rootFlowVersion, rootMachine } from '../flows/root/rootMachine.ts';
import { loadConfig } from '../src/config.ts';
import { type OpenDatabase, openDatabase } from '../src/db/client.ts';
import { createEffects, effectSettingsOf } from '../src/desks/effects.ts';
import type { Inbound } from '../src/domain/inbound.ts';
import type { OutboundMessage } from '../src/domain/messages.ts';
import type { Channel, EngineInbox } from '../src/engine/channel.ts';
import type { EffectHandlers } from '../src/engine/effects.ts';
import { Engine } from '../src/engine/engine.ts';
import { OutboxDrainer } from '../src/engine/outboxDrainer.ts';
import { Renderer } from '../src/engine/renderer.ts';
import { createI18n, readResources } from '../src/i18n.ts';

/** A fresh directory under the system temp dir, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ataa-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A channel that records what it is asked to send, and can be told to fail. */
export class RecordingChannel implements Channel {
  readonly sent: { chatId: string; message: OutboundMessage }[] = [];
  failWith: ((chatId: string) => Error | undefined) | undefined;

  constructor(readonly name = 'test') {}

  async start(_inbox: EngineInbox): Promise<void> {}
  async stop(): Promise<void> {}
  async send(chatId: string, message: OutboundMessage): Promise<void> {
    const error = this.failWith?.(chatId);
    if (error) throw error;
    this.sent.push({ chatId, message });
  }

  /** The texts sent to one chat, oldest first. */
  texts(chatId: string): string[] {
    return this.sent.filter((s) => s.chatId === chatId).map((s) => s.message.text);
  }
}

/** A logger that keeps its records in memory, to assert on what was (and was not) logged. */
export function memoryLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

export const config = loadConfig({});

/** Every effect, with the default organisation's working hours. */
export const testEffects = createEffects(effectSettingsOf(config));

/** The real translations plus a `test` namespace used by the engine's test flows. */
export function testRenderer(): Renderer {
  const resources = readResources();
  (resources.ar as Record<string, unknown>).test = { echo: 'صدى: {{text}}', timer: 'انتهت المهلة', hello: 'مرحبا' };
  (resources.en as Record<string, unknown>).test = { echo: 'echo: {{text}}', timer: 'time is up', hello: 'hello' };
  return new Renderer(createI18n(resources), config.org, config.decisionDays);
}

/** An engine on a real SQLite file, with a recording channel and its drainer. */
export function setup(
  options: {
    machine?: AnyStateMachine;
    version?: number;
    dir?: string;
    effects?: EffectHandlers;
    clock?: () => Date;
    flood?: { limit: number; windowMs: number };
    renderer?: Renderer;
  } = {},
) {
  const temp = options.dir ? undefined : tempDir();
  const dir = options.dir ?? temp!.dir;
  const database: OpenDatabase = openDatabase(join(dir, 'test.db'));
  const channel = new RecordingChannel();
  const { logger, lines } = memoryLogger();
  const drainer = new OutboxDrainer(database.db, channel, logger, {
    maxAttempts: 3,
    baseDelayMs: 10,
    maxDelayMs: 20,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const engine = new Engine({
    db: database.db,
    flow: { machine: options.machine ?? rootMachine, version: options.version ?? rootFlowVersion },
    renderer: options.renderer ?? testRenderer(),
    effects: options.effects ?? testEffects,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.flood ? { flood: options.flood } : {}),
  });
  const text = (chatId: string, body: string, messageId: string = randomUUID()): Inbound => ({
    channel: 'test',
    chatId,
    messageId,
    kind: 'text',
    text: body,
  });
  /** Sends lines in order, waiting for each, then delivers the replies. */
  const say = async (chatId: string, ...bodies: string[]) => {
    for (const body of bodies) await engine.handle(text(chatId, body));
    await drainer.drain();
  };
  return {
    dir,
    database,
    db: database.db,
    engine,
    channel,
    drainer,
    logLines: lines,
    text,
    say,
    close() {
      void drainer.stop(0);
      database.close();
      temp?.remove();
    },
  };
}

/** Waits for a condition, polling (real timers). */
export async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
